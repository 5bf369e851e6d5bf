"""A board's data file between preview and confirmation, whatever the kind of import: the
shared mechanism of `lib.uploads`, in the data imports' own directory and error."""

from django.utils.translation import gettext as _

from stelsel.insight.sheets import DataFileError
from stelsel.lib import uploads
from stelsel.lib.uploads import UploadError

UPLOAD_DIR = "data-imports"


def upload_keep(*, data: bytes, file_name: str, kind: str, previous: dict | None) -> dict:
    """Store the previewed file; returns the pending upload to keep in the session."""
    return uploads.keep(UPLOAD_DIR, data, previous=previous, file_name=file_name[:255], kind=kind)


def upload_discard(pending: dict | None) -> None:
    uploads.discard(UPLOAD_DIR, pending)


def upload_read(*, pending: dict | None, kind: str) -> tuple[bytes, str]:
    """The kept file's bytes and name for a step between upload and confirmation (mapping its
    columns, showing the preview again); the file stays kept for `upload_take`."""
    if not pending or pending.get("kind") != kind:
        raise DataFileError(_("there is no uploaded file to continue with; upload it again"))
    try:
        return uploads.read(pending), pending.get("file_name", "")
    except UploadError as exc:
        raise DataFileError(str(exc)) from None


def upload_take(*, pending: dict | None, sha256: str, kind: str) -> tuple[bytes, str]:
    """The previewed file's bytes and name; the stored copy is removed whatever happens."""
    try:
        data = uploads.take(UPLOAD_DIR, pending, sha256, kind=kind)
    except UploadError as exc:
        raise DataFileError(str(exc)) from None
    return data, pending.get("file_name", "")
