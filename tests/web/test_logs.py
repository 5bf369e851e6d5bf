"""Tokens in personal links never reach the log."""

import logging

from stelsel.web.logs import RedactSecretPaths


def test_it_redacts_tokens_in_logged_paths():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "%s: %s",
        ("Gone", "/vragenlijst/abcDEF123_-xyz/"),
        None,
    )
    RedactSecretPaths().filter(record)
    assert record.getMessage() == "Gone: /vragenlijst/…/"
    other = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "%s", ("/kaders/",), None
    )
    RedactSecretPaths().filter(other)
    assert other.getMessage() == "/kaders/"


def test_the_filter_is_on_the_console_handler():
    from django.conf import settings

    assert "redact" in settings.LOGGING["handlers"]["console"]["filters"]
