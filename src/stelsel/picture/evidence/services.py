"""Writes of evidence: adding a document, link or self-evaluation result to a unit, changing
what it says and which standards it supports, and uploading a new version of a document.

Each function checks everything first and raises ValidationError (with the form field it is
about) before anything is written, then writes in one transaction. A stored file is removed
again when the transaction fails, so a failed save leaves neither a row nor a file behind.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.frameworks.models import Standard
from stelsel.organisations.models import Board, School
from stelsel.organisations.units import unit_name
from stelsel.picture.evidence.files import CheckedFile, check_upload
from stelsel.picture.history import one_record
from stelsel.picture.models import (
    Evidence,
    EvidenceFile,
    EvidenceKind,
    Indicator,
    Picture,
)
from stelsel.selfevaluation.access import may_see_results, rounds_for_user

MAX_TEXT = 20_000
MAX_URL = 500
RESULTS_AVAILABLE = ("closed", "shared")


def _check_title(title: str, errors: dict) -> str:
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = _("Give the evidence a title.")
    elif len(title) > 200:
        errors["title"] = _("Keep the title under 200 characters.")
    return title


def _check_description(description: str, errors: dict) -> str:
    description = (description or "").strip()
    if len(description) > MAX_TEXT:
        errors["description"] = _("Keep this under %(n)s characters.") % {"n": MAX_TEXT}
    return description


def _check_dates(effective_on: date | None, expires_on: date | None, errors: dict) -> date:
    effective_on = effective_on or timezone.localdate()
    if expires_on is not None and expires_on < effective_on:
        errors["expires_on"] = _("The expiry date cannot be before the date it takes effect.")
    return effective_on


def _check_url(url: str, errors: dict) -> str:
    url = (url or "").strip()
    if not url:
        errors["url"] = _("Give the web address of the link.")
        return url
    if len(url) > MAX_URL:
        errors["url"] = _("Keep the web address under %(n)s characters.") % {"n": MAX_URL}
        return url
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = _("Give a web address that starts with https:// or http://.")
    return url


def _check_links(
    board: Board,
    school: School | None,
    standards: Iterable[Standard],
    indicators: Iterable[Indicator],
    errors: dict,
) -> tuple[list[Standard], list[Indicator]]:
    """Standards of a framework the unit has a picture on (in any period, so links to an
    earlier framework version survive an edit), and indicators of the same board."""
    standards, indicators = list(standards or ()), list(indicators or ())
    if standards:
        versions = set(
            Picture.objects.filter(board=board, school=school).values_list(
                "framework_version_id", flat=True
            )
        )
        wrong = [s.code for s in standards if s.framework_version_id not in versions]
        if wrong:
            errors["standards"] = _(
                "%(codes)s: not a standard of a framework that %(unit)s has a picture on."
            ) % {"codes": ", ".join(sorted(wrong)), "unit": unit_name(board, school)}
    if any(i.board_id != board.pk for i in indicators):
        errors["indicators"] = _("Link only indicators of this board.")
    return standards, indicators


def _check_round(user, board: Board, school: School | None, round_, errors: dict) -> None:
    """Results of a round of the same unit that the user may see and whose results exist."""
    if round_ is None:
        errors["round"] = _("Choose the self-evaluation round whose results this is.")
    elif (
        round_.board_id != board.pk
        or not rounds_for_user(user, board).filter(pk=round_.pk).exists()
    ):
        errors["round"] = _("Choose a round of this board that you may see.")
    elif round_.school_id != (school.pk if school else None):
        errors["round"] = _("Choose a round of %(unit)s itself.") % {
            "unit": unit_name(board, school)
        }
    elif round_.state not in RESULTS_AVAILABLE:
        errors["round"] = _("This round has no results yet: it must be closed first.")
    elif not may_see_results(user, round_):
        errors["round"] = _("The results of this round are not shared with you.")


def _check_file(upload, errors: dict, field: str = "upload") -> CheckedFile | None:
    if upload is None:
        errors[field] = _("Choose the file to upload.")
        return None
    try:
        return check_upload(upload)
    except ValidationError as exc:
        errors[field] = exc.messages
        return None


@contextmanager
def _atomic_with_files() -> Iterator[list[str]]:
    """A transaction that also removes the files stored in it when it fails.

    The body appends the storage name of every file it stores; on any error the files go
    before the error is passed on, since a rollback of the rows cannot reach them.
    """
    stored: list[str] = []
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        storage = EvidenceFile._meta.get_field("file").storage
        for name in stored:
            storage.delete(name)
        raise


def _store_file(
    *, evidence: Evidence, upload, checked: CheckedFile, version: int, user, stored: list[str]
) -> EvidenceFile:
    record = EvidenceFile(
        board_id=evidence.board_id,
        evidence=evidence,
        version=version,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
    )
    upload.seek(0)
    # The storage name comes from `evidence_upload_to` and is random; the given name is unused.
    record.file.save("upload", upload, save=False)
    stored.append(record.file.name)
    record.save()
    return record


def evidence_create(
    *,
    board: Board,
    school: School | None,
    kind: str,
    title: str,
    description: str = "",
    url: str = "",
    round=None,
    effective_on: date | None = None,
    expires_on: date | None = None,
    standards: Iterable[Standard] = (),
    indicators: Iterable[Indicator] = (),
    upload=None,
    user,
) -> Evidence:
    """New evidence for a unit: a document (with its first version), a link or the results of
    a self-evaluation round. The caller has checked that `user` may contribute to the unit."""
    errors: dict = {}
    if school is not None and school.board_id != board.pk:
        raise ValidationError(_("That school is not part of this board."))
    if kind not in EvidenceKind.values:
        raise ValidationError({"kind": _("Choose a document, a link or self-evaluation results.")})
    title = _check_title(title, errors)
    description = _check_description(description, errors)
    effective_on = _check_dates(effective_on, expires_on, errors)
    standards, indicators = _check_links(board, school, standards, indicators, errors)
    checked = None
    if kind == EvidenceKind.DOCUMENT:
        checked = _check_file(upload, errors)
        url, round = "", None
    elif kind == EvidenceKind.LINK:
        url, round = _check_url(url, errors), None
    else:
        _check_round(user, board, school, round, errors)
        url = ""
    if errors:
        raise ValidationError(errors)
    with _atomic_with_files() as stored:
        evidence = Evidence(
            board=board,
            school=school,
            kind=kind,
            title=title,
            description=description,
            url=url,
            round=round,
            effective_on=effective_on,
            expires_on=expires_on,
            created_by=user,
        )
        # One history record for the new item, with its links (the picture on a date reads them).
        with one_record(evidence, "created_at"):
            evidence.save()
            evidence.standards.set(standards)
            evidence.indicators.set(indicators)
        if checked is not None:
            _store_file(
                evidence=evidence,
                upload=upload,
                checked=checked,
                version=1,
                user=user,
                stored=stored,
            )
    return evidence


@transaction.atomic
def evidence_update(
    *,
    evidence: Evidence,
    title: str,
    description: str,
    effective_on: date | None,
    expires_on: date | None,
    standards: Iterable[Standard],
    indicators: Iterable[Indicator],
    url: str | None = None,
    user=None,
) -> Evidence:
    """Change what the evidence says, when it holds and what it supports; the kind, the unit
    and the round stay as they are (add new evidence for another). `url` only for links."""
    errors: dict = {}
    title = _check_title(title, errors)
    description = _check_description(description, errors)
    effective_on = _check_dates(effective_on, expires_on, errors)
    standards, indicators = _check_links(
        evidence.board, evidence.school, standards, indicators, errors
    )
    if url is not None and evidence.kind == EvidenceKind.LINK:
        url = _check_url(url, errors)
    else:
        url = evidence.url
    if errors:
        raise ValidationError(errors)
    locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
    locked.title = title
    locked.description = description
    locked.url = url
    locked.effective_on = effective_on
    locked.expires_on = expires_on
    with one_record(locked, "created_at"):
        locked.save(update_fields=["title", "description", "url", "effective_on", "expires_on"])
        locked.standards.set(standards)
        locked.indicators.set(indicators)
    return locked


def evidence_add_version(*, evidence: Evidence, upload, user) -> EvidenceFile:
    """A new version of a document; earlier versions stay and can still be downloaded."""
    if evidence.kind != EvidenceKind.DOCUMENT:
        raise ValidationError(_("Only documents have files; this evidence is not a document."))
    errors: dict = {}
    checked = _check_file(upload, errors)
    if errors:
        raise ValidationError(errors)
    with _atomic_with_files() as stored:
        locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
        latest = locked.files.aggregate(latest=Max("version"))["latest"] or 0
        return _store_file(
            evidence=locked,
            upload=upload,
            checked=checked,
            version=latest + 1,
            user=user,
            stored=stored,
        )
