"""A board's DUO file between preview and confirmation: the shared mechanism of
`lib.uploads` (kept under a random name, confirmed by its SHA-256, abandoned previews removed
after a day), in the DUO import's own directory and error."""

from stelsel.lib import uploads
from stelsel.lib.uploads import UploadError
from stelsel.organisations.duo_schools import DuoFileError, ImportPlan, import_school_locations
from stelsel.organisations.models import Board

UPLOAD_DIR = "duo-imports"


def upload_preview(*, board: Board, data: bytes, previous: dict | None) -> tuple[ImportPlan, dict]:
    """Plan the import of the board's schools from `data` and keep the file for confirmation.

    Returns the plan and the pending upload (for the session); raises DuoFileError.
    """
    plan = import_school_locations(data, board_number=board.number, dry_run=True, national=False)
    return plan, uploads.keep(UPLOAD_DIR, data, previous=previous, suffix=".csv")


def upload_confirm(*, board: Board, pending: dict | None, sha256: str) -> ImportPlan:
    """Import the previewed file; the stored copy is removed whatever happens."""
    try:
        data = uploads.take(UPLOAD_DIR, pending, sha256)
    except UploadError as exc:
        raise DuoFileError(str(exc)) from None
    return import_school_locations(data, board_number=board.number, national=False)
