"""A board's DUO file between preview and confirmation.

The upload is kept in storage under a random name and identified by its SHA-256, so the confirm
step imports exactly the file that was previewed. Abandoned previews are removed after a day, at
the next upload of any board.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.organisations.duo_schools import DuoFileError, ImportPlan, import_school_locations
from stelsel.organisations.models import Board

UPLOAD_DIR = "duo-imports"
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


def upload_preview(*, board: Board, data: bytes, previous: dict | None) -> tuple[ImportPlan, dict]:
    """Plan the import of the board's schools from `data` and keep the file for confirmation.

    Returns the plan and the pending upload (for the session); raises DuoFileError.
    """
    plan = import_school_locations(data, board_number=board.number, dry_run=True, national=False)
    upload_discard(previous)
    uploads_purge()
    name = default_storage.save(f"{UPLOAD_DIR}/{secrets.token_hex(16)}.csv", ContentFile(data))
    return plan, {"name": name, "sha256": hashlib.sha256(data).hexdigest()}


def upload_discard(pending: dict | None) -> None:
    if pending and pending.get("name", "").startswith(f"{UPLOAD_DIR}/"):
        default_storage.delete(pending["name"])


def upload_confirm(*, board: Board, pending: dict | None, sha256: str) -> ImportPlan:
    """Import the previewed file; the stored copy is removed whatever happens."""
    if not pending or sha256 != pending.get("sha256"):
        raise DuoFileError(_("there is no previewed import to confirm; upload the file again"))
    try:
        with default_storage.open(pending["name"], "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, KeyError):
        raise DuoFileError(_("the uploaded file is gone; upload it again")) from None
    finally:
        upload_discard(pending)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise DuoFileError(_("the uploaded file changed after the preview; upload it again"))
    return import_school_locations(data, board_number=board.number, national=False)
