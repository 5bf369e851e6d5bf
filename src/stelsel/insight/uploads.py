"""A board's data file between preview and confirmation.

The upload is kept in storage under a random name and identified by its SHA-256, so the confirm
step imports exactly the file that was previewed, whatever the kind of import. Abandoned
previews are removed after a day, at the next upload of any board.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.insight.sheets import DataFileError

UPLOAD_DIR = "data-imports"
KEEP_FOR = timedelta(days=1)


def uploads_purge(*, older_than: timedelta = KEEP_FOR) -> int:
    try:
        _dirs, files = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for name in files:
        path = f"{UPLOAD_DIR}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed


def upload_keep(*, data: bytes, file_name: str, kind: str, previous: dict | None) -> dict:
    """Store the previewed file; returns the pending upload to keep in the session."""
    upload_discard(previous)
    uploads_purge()
    name = default_storage.save(f"{UPLOAD_DIR}/{secrets.token_hex(16)}", ContentFile(data))
    return {
        "name": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "file_name": file_name[:255],
        "kind": kind,
    }


def upload_discard(pending: dict | None) -> None:
    if pending and str(pending.get("name", "")).startswith(f"{UPLOAD_DIR}/"):
        default_storage.delete(pending["name"])


def upload_read(*, pending: dict | None, kind: str) -> tuple[bytes, str]:
    """The kept file's bytes and name for a step between upload and confirmation (mapping its
    columns, showing the preview again); the file stays kept for `upload_take`."""
    if not pending or pending.get("kind") != kind:
        raise DataFileError(_("there is no uploaded file to continue with; upload it again"))
    try:
        with default_storage.open(pending["name"], "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, KeyError):
        raise DataFileError(_("the uploaded file is gone; upload it again")) from None
    if hashlib.sha256(data).hexdigest() != pending.get("sha256"):
        raise DataFileError(_("the uploaded file changed after the preview; upload it again"))
    return data, pending.get("file_name", "")


def upload_take(*, pending: dict | None, sha256: str, kind: str) -> tuple[bytes, str]:
    """The previewed file's bytes and name; the stored copy is removed whatever happens."""
    if not pending or sha256 != pending.get("sha256") or pending.get("kind") != kind:
        raise DataFileError(_("there is no previewed import to confirm; upload the file again"))
    try:
        with default_storage.open(pending["name"], "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, KeyError):
        raise DataFileError(_("the uploaded file is gone; upload it again")) from None
    finally:
        upload_discard(pending)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise DataFileError(_("the uploaded file changed after the preview; upload it again"))
    return data, pending.get("file_name", "")
