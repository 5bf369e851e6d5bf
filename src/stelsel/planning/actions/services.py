"""Writes to actions: recording one, and updating it without overwriting someone else's save.

Each function is one transaction. Everything is checked before anything is written, so bad
input leaves the action (and its links) exactly as it was.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.frameworks.models import Requirement, Standard
from stelsel.lib.revisions import lock_at_revision, next_revision
from stelsel.organisations.models import Board, School
from stelsel.picture.history import one_record
from stelsel.picture.models import Assignment, Indicator, Visit, indicator_levels
from stelsel.planning.models import Action, ActionStatus, PlanStatus
from stelsel.planning.units import allowed_versions, owner_candidates
from stelsel.planning.validation import KEEP, MAX_TEXT, TITLE_MAX

FIELDS = (
    "title",
    "description",
    "owner",
    "starts_on",
    "due_on",
    "status",
    "progress",
    "visit",
    "goal",
)
LINKS = ("standards", "requirements", "indicators", "assignments")


def _same_unit(obj, board: Board, school: School | None) -> bool:
    return obj.board_id == board.pk and obj.school_id == (school.pk if school else None)


def _clean(
    *,
    board: Board,
    school: School | None,
    title: str,
    description: str,
    owner,
    starts_on: date | None,
    due_on: date | None,
    status: str,
    progress,
    standards: Iterable[Standard],
    requirements: Iterable[Requirement],
    indicators: Iterable[Indicator],
    assignments: Iterable[Assignment],
    visit: Visit | None,
    goal=None,
    current_owner_id: int | None = None,
    current_goal_id: int | None = None,
) -> dict:
    """Check every field and return the cleaned values; all problems are raised at once.

    An owner is checked when they are given the action; one who has since lost their role
    stays until someone chooses another, so the action can still be updated meanwhile.
    """
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if school is not None and school.board_id != board.pk:
        raise ValidationError(_("That school is not part of this board."))
    title = (title or "").strip()
    if not title:
        fail("title", _("Say in a few words what will be done."))
    elif len(title) > TITLE_MAX:
        fail("title", _("Keep the title under %(n)s characters.") % {"n": TITLE_MAX})
    description = (description or "").strip()
    if len(description) > MAX_TEXT:
        fail("description", _("Keep this under %(n)s characters.") % {"n": MAX_TEXT})
    if status not in ActionStatus.values:
        fail("status", _("Choose one of the statuses in the list."))
    if starts_on and due_on and due_on < starts_on:
        fail("due_on", _("The due date cannot be before the start."))
    try:
        progress = int(progress if progress not in (None, "") else 0)
    except (TypeError, ValueError):
        progress = None
    if progress is None or not 0 <= progress <= 100:
        fail("progress", _("Progress is a percentage from 0 to 100."))
    if status == ActionStatus.DONE:
        progress = 100  # a finished action is finished, whatever was typed
    if (
        owner is not None
        and owner.pk != current_owner_id
        and not owner_candidates(board, school).filter(user=owner).exists()
    ):
        fail(
            "owner",
            _("The owner needs a role on the board or on this school.")
            if school is not None
            else _("The owner of a board action needs a role on the board itself."),
        )

    assignments = list(assignments)
    for assignment in assignments:
        if not _same_unit(assignment, board, school):
            fail(
                "assignments",
                _("Herstelopdracht “%(a)s” belongs to another school or board.")
                % {"a": assignment},
            )
    if visit is not None and not _same_unit(visit, board, school):
        fail("visit", _("That visit was to another school or board."))
    # An action carries out a goal of its own unit's plans: a school's action cannot hang under
    # another school's goal, nor under the board's.
    if goal is not None and not _same_unit(goal.plan, board, school):
        fail("goal", _("That goal belongs to a plan of another school or board."))
    elif goal is not None and goal.pk != current_goal_id and goal.plan.status == PlanStatus.CLOSED:
        fail("goal", _("That goal's plan is closed; choose a goal of a running plan."))

    versions = allowed_versions(
        board, school, [a for a in assignments if _same_unit(a, board, school)]
    )
    standards = list(standards)
    for standard in standards:
        if standard.framework_version_id not in versions:
            fail(
                "standards",
                _("Standard %(code)s is not part of a framework this unit has a picture on.")
                % {"code": standard.code},
            )
    linked = {s.pk for s in standards}
    requirements = list(requirements)
    for requirement in requirements:
        standard = requirement.standard
        if linked and standard.pk not in linked:
            fail(
                "requirements",
                _(
                    "Requirement %(req)s belongs to standard %(code)s, which this action does "
                    "not link; link that standard too or leave the requirement out."
                )
                % {"req": requirement.code, "code": standard.code},
            )
        elif standard.framework_version_id not in versions:
            fail(
                "requirements",
                _("Requirement %(req)s is not part of a framework this unit has a picture on.")
                % {"req": requirement.code},
            )
    indicators = list(indicators)
    levels = indicator_levels(school)
    for indicator in indicators:
        if indicator.board_id != board.pk or indicator.level not in levels:
            fail(
                "indicators",
                _("Indicator %(code)s is not one of this unit's own indicators.")
                % {"code": indicator.code},
            )
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "description": description,
        "owner": owner,
        "starts_on": starts_on,
        "due_on": due_on,
        "status": status,
        "progress": progress,
        "links": {
            "standards": standards,
            "requirements": requirements,
            "indicators": indicators,
            "assignments": assignments,
        },
        "visit": visit,
        "goal": goal,
    }


def _save(action: Action, cleaned: dict, user) -> Action:
    links = cleaned.pop("links")
    for name, value in cleaned.items():
        setattr(action, name, value)
    if user is not None:
        action._history_user = user  # also outside a request (API, commands)
    # One history record for this version, with its links (the picture on a date reads them).
    with one_record(action, "updated_at"):
        action.save()
        for name, objects in links.items():
            getattr(action, name).set(objects)
    return action


@transaction.atomic
def action_create(
    *,
    board: Board,
    school: School | None,
    title: str,
    description: str = "",
    owner=None,
    starts_on: date | None = None,
    due_on: date | None = None,
    status: str = ActionStatus.PLANNED,
    progress: int = 0,
    standards: Iterable[Standard] = (),
    requirements: Iterable[Requirement] = (),
    indicators: Iterable[Indicator] = (),
    assignments: Iterable[Assignment] = (),
    visit: Visit | None = None,
    goal=None,
    user=None,
) -> Action:
    """Record an action of a unit (a school, or the board for `school=None`), optionally under
    a goal of one of the unit's plans."""
    cleaned = _clean(
        board=board,
        school=school,
        title=title,
        description=description,
        owner=owner,
        starts_on=starts_on,
        due_on=due_on,
        status=status,
        progress=progress,
        standards=standards,
        requirements=requirements,
        indicators=indicators,
        assignments=assignments,
        visit=visit,
        goal=goal,
    )
    now = timezone.now()
    action = Action(board=board, school=school, created_by=user, created_at=now, updated_at=now)
    return _save(action, cleaned, user)


@transaction.atomic
def action_update(*, action: Action, revision: int, user=None, **changes) -> Action:
    """Change an action, refusing to overwrite a newer save.

    `changes` names any of the fields of `action_create` (title, description, owner,
    starts_on, due_on, status, progress, visit, goal, standards, requirements, indicators,
    assignments); a field left out keeps what is stored, so a caller that changes only the
    progress cannot clear the links by accident.

    The row is locked and its revision compared with the one the form was opened on: if
    someone saved in between, nothing is written and `EditConflict` carries their version.
    The unit stays as it is: moving an action to another school would move it out of reach of
    the people who own it.
    """
    unknown = set(changes) - set(FIELDS) - set(LINKS)
    if unknown:
        raise TypeError(f"action_update() got unexpected fields: {sorted(unknown)}")
    locked = lock_at_revision(
        Action.objects.select_related("board", "school", "owner", "visit", "goal__plan"),
        action.pk,
        revision,
    )
    values = {name: changes.get(name, KEEP) for name in (*FIELDS, *LINKS)}
    for name in FIELDS:
        if values[name] is KEEP:
            values[name] = getattr(locked, name)
    for name in LINKS:
        if values[name] is KEEP:
            values[name] = list(getattr(locked, name).all())
    cleaned = _clean(
        board=locked.board,
        school=locked.school,
        current_owner_id=locked.owner_id,
        current_goal_id=locked.goal_id,
        **{name: values[name] for name in (*FIELDS, *LINKS)},
    )
    next_revision(locked)
    locked.updated_at = timezone.now()
    return _save(locked, cleaned, user)
