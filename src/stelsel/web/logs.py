"""Log records without secrets: personal links carry their token in the path, and Django logs
the path of every 4xx answer (an unused link answered "not open yet" would end up in the log)."""

import logging
import re

# An inspector's link is `/inzage/<token>/`; the board's own pages about links sit under
# `/besturen/<id>/inzage/` and keep their path (a digit before the segment).
# A calendar feed is `/agenda/<token>.ics`, a reminder's unsubscribe link
# `/herinneringen/afmelden/<token>/`.
SECRET_PATHS = re.compile(
    r"(?<!\d)/(vragenlijst|uitnodiging|bijeenkomst|inzage|agenda|afmelden)/[^/\s\"']+"
)


class RedactSecretPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = SECRET_PATHS.sub(r"/\1/…", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
