"""A file between preview and confirmation, for any import.

The upload is kept in storage under a random name in its import's directory and identified by
its SHA-256, so the confirm step imports exactly the file that was previewed. Abandoned previews
are removed after a day, at the next upload into the same directory.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

KEEP_FOR = timedelta(days=1)


class UploadError(ValueError):
    """The kept file cannot be used; the importers raise it as their own file error."""


def purge(directory: str, *, older_than: timedelta = KEEP_FOR) -> int:
    try:
        _dirs, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for name in files:
        path = f"{directory}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed


def keep(directory: str, data: bytes, *, previous: dict | None, suffix: str = "", **extra) -> dict:
    """Store the previewed file (replacing the previous one); returns what the session keeps."""
    discard(directory, previous)
    purge(directory)
    name = default_storage.save(f"{directory}/{secrets.token_hex(16)}{suffix}", ContentFile(data))
    return {"name": name, "sha256": hashlib.sha256(data).hexdigest(), **extra}


def discard(directory: str, pending: dict | None) -> None:
    if pending and str(pending.get("name", "")).startswith(f"{directory}/"):
        default_storage.delete(pending["name"])


def read(pending: dict) -> bytes:
    """The kept bytes, checked against the hash taken at the preview."""
    try:
        with default_storage.open(pending["name"], "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, KeyError):
        raise UploadError(_("the uploaded file is gone; upload it again")) from None
    if hashlib.sha256(data).hexdigest() != pending.get("sha256"):
        raise UploadError(_("the uploaded file changed after the preview; upload it again"))
    return data


def take(directory: str, pending: dict | None, sha256: str, **match) -> bytes:
    """The previewed file's bytes; the stored copy is removed whatever happens."""
    if (
        not pending
        or sha256 != pending.get("sha256")
        or any(pending.get(key) != value for key, value in match.items())
    ):
        raise UploadError(_("there is no previewed import to confirm; upload the file again"))
    try:
        return read(pending)
    finally:
        discard(directory, pending)
