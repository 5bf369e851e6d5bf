"""Writing reports: composing, editing sections, review comments, issuing, new versions, and a
board's own templates. Every write is one transaction and checks what it is given; the callers
have reached the objects through `reports.access`.
"""

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.lib.revisions import lock_at_revision, next_revision, refuse_if_moved_on
from stelsel.organisations.models import Board, School
from stelsel.reports import snapshot
from stelsel.reports.blocks import BLOCKS
from stelsel.reports.models import (
    Audience,
    Report,
    ReportSection,
    ReportTemplate,
    ReportVersion,
    SectionComment,
    SectionKind,
    VersionState,
)
from stelsel.reports.text import TEXT_LIMIT

# A report looks back over a school year or a few; a longer period is almost always a typo.
LONGEST_PERIOD = datetime.timedelta(days=5 * 366)
COMMENT_LIMIT = 4_000


class ReportIssued(Exception):
    """The version is issued and cannot change; a correction is a new version."""


def _check_text(text: str, field: str = "text") -> str:
    if len(text) > TEXT_LIMIT:
        raise ValidationError(
            {
                field: _(
                    "This text has %(count)s characters; a section holds at most %(limit)s. "
                    "Split it over more sections or shorten it."
                )
                % {"count": f"{len(text):,}".replace(",", "."), "limit": "20.000"}
            }
        )
    if CONTROL.search(text):
        raise ValidationError({field: _("The text contains a character that cannot be stored.")})
    return text


# Characters no file format of a report can hold (Word and Excel refuse them), and that no
# one means to type: the C0 controls but tab, line feed and carriage return, and DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAK = re.compile(r"[\t\r\n]")


def _check_line(value: str, field: str, limit: int = 200) -> str:
    """A one-line value (a title, a name) as its column can hold it: no control characters and
    no line breaks (a title becomes an email's subject and a file's name)."""
    value = value.strip()
    if CONTROL.search(value) or LINE_BREAK.search(value):
        raise ValidationError({field: _("The text contains a character that cannot be stored.")})
    if len(value) > limit:
        raise ValidationError(
            {field: _("This has at most %(limit)s characters.") % {"limit": limit}}
        )
    return value


def _sections_from(template: ReportTemplate) -> list[dict]:
    return [dict(s) for s in template.sections]


@transaction.atomic
def report_compose(
    *,
    board: Board,
    author,
    template: ReportTemplate,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    school: School | None = None,
    selection: list[School] | tuple[School, ...] = (),
) -> Report:
    """A new report with its first version (a draft) made of the template's sections.

    A school template needs exactly one school; a board template is about the board, or about
    the chosen schools. The caller gives only schools the author may compose about."""
    errors = {}
    title = _check_line(title, "title")
    if not title:
        errors["title"] = _("Give the report a title.")
    if period_end < period_start:
        errors["period_end"] = _("The period ends before it starts.")
    elif period_end - period_start > LONGEST_PERIOD:
        errors["period_end"] = _("A report covers at most five years.")
    if template.board_id not in (None, board.pk):
        errors["template"] = _("Unknown template.")
    if school is not None and school.board_id != board.pk:
        errors["school"] = _("Unknown school.")
    if any(s.board_id != board.pk for s in selection):
        errors["selection"] = _("Unknown school.")
    if template.audience == Audience.SCHOOL and school is None:
        errors["school"] = _("This template is about one school: choose the school.")
    if template.audience == Audience.BOARD and school is not None:
        errors["school"] = _("This template is about the board: choose no single school.")
    unknown = [s["block"] for s in template.sections if s["kind"] == "block"]
    unknown = [key for key in unknown if key not in BLOCKS]
    if unknown:
        errors["template"] = _("The template names data blocks that do not exist: %(keys)s.") % {
            "keys": ", ".join(unknown)
        }
    if errors:
        raise ValidationError(errors)
    report = Report.objects.create(
        board=board,
        school=school,
        template=template,
        title=title,
        period_start=period_start,
        period_end=period_end,
        created_by=author,
    )
    if selection:
        report.selection.set(selection)
    version = ReportVersion.objects.create(board=board, report=report, number=1)
    ReportSection.objects.bulk_create(
        ReportSection(
            board=board,
            version=version,
            position=position,
            kind=row["kind"],
            block=row.get("block", ""),
            title=row["title"],
            prompt=row.get("prompt", ""),
        )
        for position, row in enumerate(_sections_from(template))
    )
    return report


def _open_version_locked(version: ReportVersion) -> ReportVersion:
    locked = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if locked.state == VersionState.ISSUED:
        raise ReportIssued
    return locked


@transaction.atomic
def section_update(*, section: ReportSection, text: str, title: str, revision: int, user):
    """Save a section's title and text if nobody saved it since `revision` (else
    `EditConflict`); refused with `ReportIssued` on an issued version."""
    _open_version_locked(section.version)
    title = _check_line(title, "title")
    if not title:
        raise ValidationError({"title": _("Give the section a title.")})
    text = _check_text(text)
    locked = lock_at_revision(ReportSection.objects.all(), section.pk, revision)
    if locked.text == text and locked.title == title:
        return locked
    locked.text = text
    locked.title = title
    locked.updated_by = user
    next_revision(locked)
    locked.save()
    _version_moved_on(section.version_id)
    return locked


def _version_moved_on(version_id: int) -> None:
    """A change in a version's content raises its revision, so an issue confirmed on an older
    revision is refused (`version_issue`)."""
    ReportVersion.objects.filter(pk=version_id).update(revision=F("revision") + 1)


@transaction.atomic
def comment_add(*, section: ReportSection, author, text: str) -> SectionComment:
    """A reviewer's comment on a section of a version that is not issued yet."""
    _open_version_locked(section.version)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a comment first.")})
    if len(text) > COMMENT_LIMIT:
        raise ValidationError({"text": _("A comment has at most 4.000 characters.")})
    _check_text(text)
    comment = SectionComment.objects.create(
        board_id=section.board_id, section=section, author=author, text=text
    )
    _version_moved_on(section.version_id)
    return comment


@transaction.atomic
def comment_resolve(*, comment: SectionComment, user) -> SectionComment:
    _open_version_locked(comment.section.version)
    if comment.resolved_at is None:
        comment.resolved_at = timezone.now()
        comment.resolved_by = user
        comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


@transaction.atomic
def version_submit(*, version: ReportVersion, user) -> ReportVersion:
    """Put a draft up for review: reviewers comment per section."""
    locked = _open_version_locked(version)
    if locked.state != VersionState.DRAFT:
        raise ValidationError(_("This version is already in review."))
    locked.state = VersionState.REVIEW
    locked.submitted_at = timezone.now()
    next_revision(locked)
    locked.save()
    return locked


@transaction.atomic
def version_issue(*, version: ReportVersion, user, revision: int | None = None) -> ReportVersion:
    """Freeze a version: its sections and the data of its blocks as they stand now are stored,
    with their hash. From now on it is read from the stored content only. With `revision`, the
    one the issuer confirmed, a version changed since is refused (`EditConflict`)."""
    locked = _open_version_locked(version)
    if revision is not None:
        refuse_if_moved_on(locked, revision)
    locked.report = version.report
    content = snapshot.build(locked)
    now = timezone.now()
    content["issued_at"] = timezone.localtime(now).isoformat(timespec="seconds")
    content["issued_by"] = user.get_full_name() if user else ""
    locked.snapshot = content
    locked.content_hash = snapshot.content_hash(content)
    locked.state = VersionState.ISSUED
    locked.issued_at = now
    locked.issued_by = user
    next_revision(locked)
    locked.save()
    return locked


@transaction.atomic
def version_new(*, report: Report, user, reason: str) -> ReportVersion:
    """The next version of a report, to correct or update an issued one: its sections start as
    the latest issued version's (texts included); the issued versions stay as they are."""
    reason = _check_text(reason.strip(), "reason")
    Report.objects.select_for_update().get(pk=report.pk)
    versions = list(ReportVersion.objects.filter(report=report).order_by("number"))
    if any(v.state != VersionState.ISSUED for v in versions):
        raise ValidationError(_("This report already has a version being worked on."))
    if not reason:
        raise ValidationError({"reason": _("Say what the new version corrects or updates.")})
    latest = versions[-1]
    version = ReportVersion.objects.create(
        board_id=report.board_id,
        report=report,
        number=latest.number + 1,
        correction_reason=reason,
    )
    ReportSection.objects.bulk_create(
        ReportSection(
            board_id=report.board_id,
            version=version,
            position=s.position,
            kind=s.kind,
            block=s.block,
            title=s.title,
            prompt=s.prompt,
            text=s.text,
        )
        for s in latest.sections.all()
    )
    return version


@transaction.atomic
def template_copy(*, board: Board, template: ReportTemplate, name: str = "") -> ReportTemplate:
    """The board's own copy of a template, to adapt."""
    return ReportTemplate.objects.create(
        board=board,
        slug=template.slug,
        version=template.version,
        name=(name.strip() or template.name)[:200],
        description=template.description,
        audience=template.audience,
        sections=_sections_from(template),
        copied_from=template,
    )


@transaction.atomic
def template_update(
    *, template: ReportTemplate, name: str, description: str, sections: list[dict], revision: int
) -> ReportTemplate:
    """Save a board's adapted template: its name and its ordered sections (each a text or a
    data block that exists). Reports composed earlier keep their own sections. A library
    template is shared versioned data and never changes here."""
    if template.board_id is None:
        raise PermissionDenied
    locked = lock_at_revision(
        ReportTemplate.objects.filter(board=template.board), template.pk, revision
    )
    errors = {}
    name = _check_line(name, "name")
    if not name:
        errors["name"] = _("Give the template a name.")
    _check_text(description, "description")
    rows = []
    for index, row in enumerate(sections, start=1):
        title = _check_line(row.get("title") or "", "sections")
        block = row.get("block") or ""
        if not title:
            errors.setdefault("sections", []).append(
                _("Section %(n)s has no title.") % {"n": index}
            )
        if block and block not in BLOCKS:
            errors.setdefault("sections", []).append(
                _("Section %(n)s names a data block that does not exist: %(key)s.")
                % {"n": index, "key": block}
            )
        rows.append(
            {
                "kind": SectionKind.BLOCK if block else SectionKind.TEXT,
                "block": block,
                "title": title[:200],
                "prompt": _check_line(row.get("prompt") or "", "sections", 500),
            }
        )
    if not rows:
        errors["sections"] = [_("A template has at least one section.")]
    if errors:
        raise ValidationError(errors)
    locked.name = name[:200]
    locked.description = description.strip()
    locked.sections = rows
    next_revision(locked)
    locked.save()
    return locked
