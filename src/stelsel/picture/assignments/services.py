"""Writes to herstelopdrachten and ontwikkelopdrachten: recording them from the inspection
report, correcting them, and recording the outcome of the follow-up investigation.

An opdracht names the standard (and where the report does, the requirement) it is about, so
the coverage view can show which actions work on it. Each function is one transaction and
checks everything before it writes.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.frameworks.models import FrameworkLevel, FrameworkVersion, Requirement, Standard
from stelsel.organisations.models import Board, School
from stelsel.picture.entries.services import versions_for_unit
from stelsel.picture.models import (
    Assignment,
    AssignmentKind,
    FollowUpOutcome,
    Picture,
    PictureState,
    Visit,
)

MAX_TEXT = 20_000


def unit_level(school: School | None) -> str:
    """The framework level a unit is judged on: the school framework, or the board's own."""
    return FrameworkLevel.BOARD if school is None else FrameworkLevel.SCHOOL


def assignment_versions(board: Board, school: School | None):
    """Framework versions to offer for an opdracht of this unit: those of its current pictures
    (where its standards are being judged), or, before any picture exists, every version of
    the unit's level and sector, so an opdracht can be recorded before the picture starts."""
    pictured = FrameworkVersion.objects.filter(
        pk__in=Picture.objects.filter(
            board=board, school=school, state=PictureState.CURRENT
        ).values("framework_version_id")
    )
    if pictured.exists():
        return pictured
    return versions_for_unit(school)


def _save(assignment: Assignment, user) -> None:
    """Through save(), so the history keeps every earlier wording, with who changed it."""
    if user is not None:
        assignment._history_user = user  # also outside a request (API, commands)
    assignment.save()


def _clean(
    *,
    board: Board,
    school: School | None,
    kind: str,
    standard: Standard | None,
    requirement: Requirement | None,
    text: str,
    deadline: date | None,
    visit: Visit | None,
) -> dict:
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if school is not None and school.board_id != board.pk:
        raise ValidationError(_("That school is not part of this board."))
    if kind not in AssignmentKind.values:
        fail("kind", _("Choose herstelopdracht or ontwikkelopdracht."))
    if standard is None:
        fail("standard", _("Choose the standard the assignment is about."))
    elif standard.framework_version.level != unit_level(school):
        fail(
            "standard",
            _("Standard %(code)s is of a board framework; choose a standard of the school's.")
            % {"code": standard.code}
            if school is not None
            else _("Standard %(code)s is of a school framework; choose one of the board's.")
            % {"code": standard.code},
        )
    if requirement is not None and standard is not None and requirement.standard_id != standard.pk:
        fail(
            "requirement",
            _("Requirement %(req)s is not part of standard %(code)s.")
            % {"req": requirement.code, "code": standard.code},
        )
    text = (text or "").strip()
    if not text:
        fail("text", _("Copy the text of the assignment from the report."))
    elif len(text) > MAX_TEXT:
        fail("text", _("Keep this under %(n)s characters.") % {"n": MAX_TEXT})
    if deadline is None:
        fail("deadline", _("Give the deadline from the report."))
    if visit is not None and (
        visit.board_id != board.pk or visit.school_id != (school.pk if school else None)
    ):
        fail("visit", _("That visit was to another school or board."))
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "standard": standard,
        "requirement": requirement,
        "text": text,
        "deadline": deadline,
        "visit": visit,
    }


@transaction.atomic
def assignment_create(
    *,
    board: Board,
    school: School | None,
    kind: str = AssignmentKind.HERSTEL,
    standard: Standard | None,
    requirement: Requirement | None = None,
    text: str,
    deadline: date | None,
    visit: Visit | None = None,
    user=None,
) -> Assignment:
    """Record an opdracht from an inspection report for a unit (`school=None`: the board)."""
    cleaned = _clean(
        board=board,
        school=school,
        kind=kind,
        standard=standard,
        requirement=requirement,
        text=text,
        deadline=deadline,
        visit=visit,
    )
    assignment = Assignment(board=board, school=school, created_by=user, **cleaned)
    _save(assignment, user)
    return assignment


FIELDS = ("kind", "standard", "requirement", "text", "deadline", "visit")


@transaction.atomic
def assignment_update(*, assignment: Assignment, user=None, **changes) -> Assignment:
    """Correct an opdracht. `changes` names any of kind, standard, requirement, text,
    deadline and visit; a field left out keeps what is stored. The unit stays: the actions
    covering the opdracht belong to that unit."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"assignment_update() got unexpected fields: {sorted(unknown)}")
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("board", "school", "standard__framework_version", "requirement", "visit")
        .get(pk=assignment.pk)
    )
    cleaned = _clean(
        board=locked.board,
        school=locked.school,
        **{name: changes.get(name, getattr(locked, name)) for name in FIELDS},
    )
    for name, value in cleaned.items():
        setattr(locked, name, value)
    _save(locked, user)
    return locked


@transaction.atomic
def assignment_follow_up(
    *,
    assignment: Assignment,
    follow_up_on: date | None,
    outcome: str,
    note: str = "",
    user=None,
) -> Assignment:
    """Record the follow-up investigation: its date (planned or held) and, once held, its
    outcome. A sufficient outcome resolves the opdracht in the coverage view."""
    outcome = outcome or FollowUpOutcome.PENDING
    errors: dict[str, list[str]] = {}
    if outcome not in FollowUpOutcome.values:
        errors["follow_up_outcome"] = [_("Choose one of the outcomes in the list.")]
    elif outcome != FollowUpOutcome.PENDING:
        if follow_up_on is None:
            errors["follow_up_on"] = [_("Give the date of the investigation with its outcome.")]
        elif follow_up_on > timezone.localdate():
            errors["follow_up_on"] = [
                _("An outcome can only be recorded for an investigation that has taken place.")
            ]
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        errors["follow_up_note"] = [_("Keep this under %(n)s characters.") % {"n": MAX_TEXT}]
    if errors:
        raise ValidationError(errors)
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    locked.follow_up_on = follow_up_on
    locked.follow_up_outcome = outcome
    locked.follow_up_note = note
    _save(locked, user)
    return locked
