"""API routes for plans, their themes and goals, and check-ins on goals.

Everything is reached through `planning.access`: another board's ids, and plans or goals
of a unit the user does not see, answer 404; a plan or goal seen but not to be changed answers
403 (as JSON). Writes go through the planning services, so the
API refuses exactly what the pages refuse, with the same messages: a stale revision answers
409 with the current one, and a service's validation errors 422 with `{"detail", "errors"}`,
the errors keyed by the fields of the request body. Reads come from the selectors; the lists
read a fixed number of queries, whatever the number of plans.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

import stelsel.planning.goals.services
import stelsel.planning.plans.services
from stelsel.api import bodies
from stelsel.api.picture import board_for, person_name, unit_out
from stelsel.api.planning_schemas import (
    CheckInIn,
    CheckInOut,
    CheckInRefOut,
    FindingOut,
    GoalChangeIn,
    GoalDetailOut,
    GoalIn,
    PlanActionOut,
    PlanChangeIn,
    PlanDeriveIn,
    PlanDetailOut,
    PlanGoalOut,
    PlanIn,
    PlanOut,
    PlanRefOut,
    ThemeChangeIn,
    ThemeIn,
    ThemeOut,
)
from stelsel.api.schemas import ConflictOut, ErrorOut
from stelsel.frameworks.models import Standard
from stelsel.lib.revisions import EditConflict
from stelsel.organisations.access import (
    get_school_for_user,
    has_permission,
    has_unit_permission,
    require_unit,
)
from stelsel.organisations.roles import Permission
from stelsel.organisations.units import unit_value
from stelsel.picture.access import evidence_for_user, indicators_for_user
from stelsel.picture.models import Assignment
from stelsel.planning.access import (
    board_goals_for_user,
    get_goal_for_user,
    get_plan_for_user,
    get_theme_for_user,
    goals_for_user,
)
from stelsel.planning.goals.selectors import goal_detail
from stelsel.planning.models import Action, Goal, Plan, PlanKind, PlanStatus
from stelsel.planning.plans.selectors import plan_detail, plan_list
from stelsel.planning.validation import KEEP

router = Router(tags=["plans and quality calendar"])

BOARD = "/boards/{board_id}"
GOAL = BOARD + "/goals/{goal_id}"

# The services name the objects they are given; the body names their ids.
GOAL_ERROR_FIELDS = {
    "theme": "theme_id",
    "owner": "owner_id",
    "serves": "serves_id",
    "standards": "standard_ids",
    "indicators": "indicator_ids",
}
CHECK_IN_ERROR_FIELDS = {"evidence": "evidence_ids"}
PLAN_ERROR_FIELDS = {"owner": "owner_id"}
SUBJECT_TYPES = {Plan: "plan", Goal: "goal", Action: "action", Assignment: "assignment"}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# --- Shapes --------------------------------------------------------------------------------


def _plan_out(plan, goal_count: int) -> dict:
    return {
        "id": plan.pk,
        "unit": unit_out(plan),
        "kind": plan.kind,
        "title": plan.title,
        "description": plan.description,
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "owner_id": plan.owner_id,
        "owner": person_name(plan.owner),
        "status": plan.status,
        "previous_id": plan.previous_id,
        "revision": plan.revision,
        "goal_count": goal_count,
    }


def _latest_out(check_in) -> CheckInRefOut | None:
    if check_in is None:
        return None
    return CheckInRefOut(
        id=check_in.pk,
        held_on=check_in.held_on,
        progress=check_in.progress,
        measured=_number(check_in.measured),
    )


def _goal_out(goal, latest) -> dict:
    """A goal; its standards and indicators must have been prefetched."""
    return {
        "id": goal.pk,
        "plan_id": goal.plan_id,
        "theme_id": goal.theme_id,
        "title": goal.title,
        "indicator": goal.indicator,
        "baseline": _number(goal.baseline),
        "target": _number(goal.target),
        "unit": goal.unit,
        "target_date": goal.target_date,
        "owner_id": goal.owner_id,
        "owner": person_name(goal.owner),
        "serves_id": goal.serves_id,
        "standard_ids": [s.pk for s in goal.standards.all()],
        "indicator_ids": [i.pk for i in goal.indicators.all()],
        "revision": goal.revision,
        "latest_check_in": _latest_out(latest),
    }


def _action_out(action, today) -> PlanActionOut:
    return PlanActionOut(
        id=action.pk,
        title=action.title,
        owner_id=action.owner_id,
        owner=person_name(action.owner),
        starts_on=action.starts_on,
        due_on=action.due_on,
        status=action.status,
        progress=action.progress,
        overdue=action.is_overdue(today),
    )


def _finding_out(finding) -> FindingOut:
    subject = finding.subject
    return FindingOut(
        rule=finding.rule,
        message=finding.message,
        suggestion=finding.suggestion,
        subject_type=SUBJECT_TYPES.get(type(subject)),
        subject_id=getattr(subject, "pk", None),
    )


def _check_in_out(check_in) -> CheckInOut:
    return CheckInOut(
        id=check_in.pk,
        goal_id=check_in.goal_id,
        held_on=check_in.held_on,
        progress=check_in.progress,
        measured=_number(check_in.measured),
        plan_text=check_in.plan_text,
        do_text=check_in.do_text,
        check_text=check_in.check_text,
        act_text=check_in.act_text,
        securing_text=check_in.securing_text,
        evidence_ids=[e.pk for e in check_in.evidence.all()],
        author=person_name(check_in.author),
        created_at=check_in.created_at,
    )


# --- Plans ---------------------------------------------------------------------------------


def _choice(name: str, value: str | None, choices) -> str | None:
    if value is None or value == "":
        return None
    if value not in choices.values:
        raise HttpError(
            422,
            _("%(name)s must be one of: %(values)s.")
            % {"name": name, "values": ", ".join(choices.values)},
        )
    return value


@router.get(
    BOARD + "/plans",
    response={200: list[PlanOut], 404: ErrorOut, 422: ErrorOut},
    summary="Plans of the board and its schools that the user may see",
    url_name="plans",
)
def plans(
    request,
    board_id: int,
    school_id: int | None = None,
    kind: str | None = None,
    status: str | None = None,
):
    """Filter with `school_id` (a school the user may see, else 404), `kind` (strategic,
    school, year, improvement) and `status` (draft, active, closed). School roles see their
    own school's plans, not the board's."""
    user = request.auth
    board = board_for(request, board_id)
    kind = _choice("kind", kind, PlanKind)
    status = _choice("status", status, PlanStatus)
    unit = ""
    if school_id is not None:
        unit = unit_value(get_school_for_user(user, board, school_id))
    found = plan_list(user, board, unit=unit, kind=kind, status=status)
    return [PlanOut(**_plan_out(p, p.goal_count)) for p in found]


@router.get(
    BOARD + "/plans/{plan_id}",
    response={200: PlanDetailOut, 404: ErrorOut},
    summary="One plan with its themes, goals, actions and the coach's review",
    url_name="plan",
)
def plan(request, board_id: int, plan_id: int):
    """Goals are listed theme by theme, in the order of the plan, the goals without a theme
    last. `findings` holds every remark of the coach: on the plan as a whole (its size,
    actions of its unit that serve no goal, herstelopdrachten no action covers
    (`herstel_uncovered`) and those whose covering actions hang under no improvement plan
    (`herstel_without_plan`)), on each goal and on each action under a goal."""
    board = board_for(request, board_id)
    return _plan_detail_out(get_plan_for_user(request.auth, board, plan_id))


def _plan_detail_out(found) -> PlanDetailOut:
    detail = plan_detail(found)
    rows = [row for block in detail.themes for row in block.goals]
    prefetch_related_objects([row.goal for row in rows], "standards", "indicators")
    today = timezone.localdate()
    goals, findings = [], [_finding_out(f) for f in detail.findings]
    for row in rows:
        goals.append(
            PlanGoalOut(
                **_goal_out(row.goal, row.latest),
                actions=[_action_out(a.action, today) for a in row.actions],
            )
        )
        findings += [_finding_out(f) for f in row.findings]
        findings += [_finding_out(f) for a in row.actions for f in a.findings]
    return PlanDetailOut(
        **_plan_out(found, detail.goal_count),
        themes=[_theme_out(block.theme) for block in detail.themes if block.theme is not None],
        goals=goals,
        findings=findings,
    )


PLAN_EXAMPLE = '{"school_id": null, "kind": "strategic", "title": "…", "starts_on": "…", …}'


@router.post(
    BOARD + "/plans",
    response={201: PlanDetailOut, **bodies.WRITE_ERRORS},
    summary="Start a plan of a school or of the board",
    url_name="plan_create",
    openapi_extra=bodies.body_schema(PlanIn),
)
def plan_create(request, board_id: int):
    """Needs the right to write the plans of the unit: a school's plans for its school
    leader, the board's for the board office (else 403). Refused with 422 and a message on the
    field: a kind that does not fit the unit, a period that ends before it starts or runs too
    long, dates outside 1900-2200, an owner without a role on the unit."""
    user = request.auth
    board = board_for(request, board_id)
    if not has_permission(user, board, Permission.MANAGE_PLANS):
        raise HttpError(403, _("You may not write plans."))
    data = bodies.read_body(request, PlanIn, PLAN_EXAMPLE)
    errors = {}
    school = bodies.unit_school(user, board, data.school_id, errors)
    owner = bodies.owner(board, data.owner_id, errors)
    if errors:
        return bodies.invalid(errors)
    if not has_unit_permission(user, board, Permission.MANAGE_PLANS, school):
        raise HttpError(403, _("You may not write this unit's plans."))
    values = data.model_dump(exclude={"school_id", "owner_id"})
    try:
        created = stelsel.planning.plans.services.plan_create(
            board=board, school=school, owner=owner, user=user, **values
        )
    except ValidationError as exc:
        return bodies.service_errors(exc, PLAN_ERROR_FIELDS)
    return Status(201, _plan_detail_out(get_plan_for_user(user, board, created.pk)))


def _writable_plan(user, board, plan_id):
    try:
        return get_plan_for_user(user, board, plan_id, write=True)
    except PermissionDenied:
        raise HttpError(403, _("Only those who write this unit's plans may change them.")) from None


@router.patch(
    BOARD + "/plans/{plan_id}",
    response={200: PlanDetailOut, 409: ConflictOut, **bodies.WRITE_ERRORS},
    summary="Change a plan",
    url_name="plan_update",
    openapi_extra=bodies.body_schema(PlanChangeIn),
)
def plan_change(request, board_id: int, plan_id: int):
    """Send the `revision` read with the plan; if someone saved it since, nothing changes and
    the answer is 409 with the current revision. Fields left out stay as they are. Refused
    with 422: a period that would leave a goal's target date outside it, or break the link
    with goals of other plans that serve this plan's goals (or that its goals serve); a kind
    that can no longer be served while goals serve it; any change but reopening to a closed
    plan."""
    user = request.auth
    board = board_for(request, board_id)
    found = _writable_plan(user, board, plan_id)
    data = bodies.read_body(request, PlanChangeIn, '{"revision": <number>, "status": "active"}')
    fields = data.model_fields_set - {"revision"}
    if not fields:
        raise HttpError(422, _("Nothing to change: send at least one field besides revision."))
    errors = {}
    values = {name: getattr(data, name) for name in fields - {"owner_id"}}
    for name in ("title", "description"):
        if name in values and values[name] is None:
            values[name] = ""
    if "owner_id" in fields:
        values["owner"] = bodies.owner(board, data.owner_id, errors, found.owner)
    if errors:
        return bodies.invalid(errors)
    try:
        stelsel.planning.plans.services.plan_update(
            plan=found, revision=data.revision, user=user, **values
        )
    except EditConflict as exc:
        return bodies.conflict(data.revision, exc.revision)
    except ValidationError as exc:
        return bodies.service_errors(exc, PLAN_ERROR_FIELDS)
    return _plan_detail_out(get_plan_for_user(user, board, found.pk))


@router.post(
    BOARD + "/plans/{plan_id}/derive",
    response={201: PlanDetailOut, **bodies.WRITE_ERRORS},
    summary="Start the next plan from this one",
    url_name="plan_derive",
    openapi_extra=bodies.body_schema(PlanDeriveIn),
)
def plan_derive(request, board_id: int, plan_id: int):
    """The new plan is a draft of the same unit that starts after this one. Actions are not
    copied: what to do next is decided anew."""
    user = request.auth
    board = board_for(request, board_id)
    found = _writable_plan(user, board, plan_id)
    data = bodies.read_body(request, PlanDeriveIn, '{"starts_on": "…", "ends_on": "…"}')
    errors = {}
    owner = (
        bodies.owner(board, data.owner_id, errors) if "owner_id" in data.model_fields_set else KEEP
    )
    if errors:
        return bodies.invalid(errors)
    try:
        created = stelsel.planning.plans.services.plan_derive(
            previous=found,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            title=data.title,
            kind=data.kind,
            owner=owner,
            user=user,
        )
    except ValidationError as exc:
        return bodies.service_errors(exc, PLAN_ERROR_FIELDS)
    return Status(201, _plan_detail_out(get_plan_for_user(user, board, created.pk)))


def _theme_out(theme) -> ThemeOut:
    return ThemeOut(
        id=theme.pk, title=theme.title, description=theme.description, position=theme.position
    )


@router.post(
    BOARD + "/plans/{plan_id}/themes",
    response={201: ThemeOut, **bodies.WRITE_ERRORS},
    summary="Add a theme to a plan",
    url_name="theme_create",
    openapi_extra=bodies.body_schema(ThemeIn),
)
def theme_create(request, board_id: int, plan_id: int):
    """The theme comes after the plan's other themes. A closed plan answers 422."""
    user = request.auth
    board = board_for(request, board_id)
    found = _writable_plan(user, board, plan_id)
    data = bodies.read_body(request, ThemeIn, '{"title": "…", "description": "…"}')
    try:
        theme = stelsel.planning.plans.services.theme_add(
            plan=found, user=user, **data.model_dump()
        )
    except ValidationError as exc:
        return bodies.service_errors(exc, {})
    return Status(201, _theme_out(theme))


@router.patch(
    BOARD + "/plans/{plan_id}/themes/{theme_id}",
    response={200: ThemeOut, **bodies.WRITE_ERRORS},
    summary="Change a plan's theme",
    url_name="theme_update",
    openapi_extra=bodies.body_schema(ThemeChangeIn),
)
def theme_change(request, board_id: int, plan_id: int, theme_id: int):
    """Fields left out stay as they are. A closed plan answers 422."""
    user = request.auth
    board = board_for(request, board_id)
    found = _writable_plan(user, board, plan_id)
    theme = get_theme_for_user(user, board, theme_id, plan=found, write=True)
    data = bodies.read_body(request, ThemeChangeIn, '{"title": "…"}')
    values = {"title": theme.title, "description": theme.description}
    values |= {name: getattr(data, name) or "" for name in data.model_fields_set}
    try:
        theme = stelsel.planning.plans.services.theme_update(theme=theme, user=user, **values)
    except ValidationError as exc:
        return bodies.service_errors(exc, {})
    return _theme_out(theme)


# --- Goals ---------------------------------------------------------------------------------


def _goal_detail_out(user, board, goal) -> GoalDetailOut:
    detail = goal_detail(user, board, goal)
    prefetch_related_objects([goal], "standards", "indicators")
    today = timezone.localdate()
    return GoalDetailOut(
        **_goal_out(goal, detail.check_ins[0] if detail.check_ins else None),
        plan=PlanRefOut(
            id=goal.plan.pk,
            title=goal.plan.title,
            kind=goal.plan.kind,
            unit=unit_out(goal.plan),
            starts_on=goal.plan.starts_on,
            ends_on=goal.plan.ends_on,
        ),
        actions=[_action_out(a, today) for a in detail.actions],
        check_ins=[_check_in_out(c) for c in detail.check_ins],
        findings=[_finding_out(f) for f in detail.findings],
        served_by_ids=[g.pk for g in detail.served_by],
    )


def _goal_values(user, board, plan, data, fields: set[str], goal=None):
    """The service's keyword arguments for the body's `fields`, the ids looked up as objects
    the user may reach; returns (values, errors for ids that match nothing)."""
    values, errors = {}, {}
    for name in ("title", "indicator", "unit"):
        if name in fields:
            values[name] = getattr(data, name) or ""
    for name in ("baseline", "target", "target_date"):
        if name in fields:
            values[name] = getattr(data, name)
    if "theme_id" in fields:
        values["theme"] = bodies.one(
            plan.themes.all(),
            data.theme_id,
            "theme_id",
            _("This plan has no theme with this id."),
            errors,
        )
    if "owner_id" in fields:
        values["owner"] = bodies.owner(board, data.owner_id, errors, goal.owner if goal else None)
    if "serves_id" in fields:
        # Board goals are open to every role that sees plans, as on the goal form; a school
        # goal the user sees is passed on for the service to refuse with a reason.
        reachable = board_goals_for_user(user, board) | goals_for_user(user, board)
        values["serves"] = bodies.one(
            reachable.select_related("plan"),
            data.serves_id,
            "serves_id",
            _("There is no goal with this id that you can see."),
            errors,
        )
    if "standard_ids" in fields:
        values["standards"] = bodies.linked(
            Standard.objects.all(),
            data.standard_ids or [],
            "standard_ids",
            _("There is no standard with id %(ids)s."),
            errors,
        )
    if "indicator_ids" in fields:
        values["indicators"] = bodies.linked(
            indicators_for_user(user, board),
            data.indicator_ids or [],
            "indicator_ids",
            _("This board has no own indicator with id %(ids)s."),
            errors,
        )
    return values, errors


GOAL_EXAMPLE = '{"title": "…", "target": 80, "unit": "%", "target_date": "2027-07-01", …}'


@router.post(
    BOARD + "/plans/{plan_id}/goals",
    response={201: GoalDetailOut, **bodies.WRITE_ERRORS},
    summary="Add a goal to a plan",
    url_name="goal_create",
    openapi_extra=bodies.body_schema(GoalIn),
)
def goal_create(request, board_id: int, plan_id: int):
    """Needs the right to write the plan's unit's plans (else 403). `baseline` and `target`
    may be numbers or text as people type it ("7,5"); "85%" or "veel" answer 422 with a
    message on that field. The answer is the new goal with the coach's remarks on it.

    The body is read after the access checks, so another board's plan answers 404 whatever
    is sent."""
    user = request.auth
    board = board_for(request, board_id)
    try:
        found = get_plan_for_user(user, board, plan_id, write=True)
    except PermissionDenied:
        raise HttpError(403, _("Only those who write this unit's plans may add goals.")) from None
    data = bodies.read_body(request, GoalIn, GOAL_EXAMPLE)
    values, errors = _goal_values(user, board, found, data, set(GoalIn.model_fields))
    if errors:
        return bodies.invalid(errors)
    try:
        goal = stelsel.planning.goals.services.goal_create(plan=found, user=user, **values)
    except ValidationError as exc:
        return bodies.service_errors(exc, GOAL_ERROR_FIELDS)
    return Status(201, _goal_detail_out(user, board, get_goal_for_user(user, board, goal.pk)))


@router.get(
    GOAL,
    response={200: GoalDetailOut, 404: ErrorOut},
    summary="One goal with its actions, check-ins and the coach's remarks",
    url_name="goal",
)
def goal(request, board_id: int, goal_id: int):
    board = board_for(request, board_id)
    found = get_goal_for_user(request.auth, board, goal_id)
    return _goal_detail_out(request.auth, board, found)


@router.patch(
    GOAL,
    response={200: GoalDetailOut, 409: ConflictOut, **bodies.WRITE_ERRORS},
    summary="Change a goal",
    url_name="goal_update",
    openapi_extra=bodies.body_schema(GoalChangeIn),
)
def goal_change(request, board_id: int, goal_id: int):
    """Send the `revision` read with the goal. If someone saved the goal since, nothing is
    changed and the answer is 409 with the goal's current `revision`: read it again, then
    decide. Fields left out stay as they are; null empties a field.

    Refused with 422 and a message on the field: a baseline or target that is not a number, a
    target date outside the plan's period, a `serves_id` that would make a circle of goals or
    whose plan does not run at the same time. Needs the right to write the unit's plans: staff,
    who record check-ins, get 403. The body is read after the access checks."""
    user = request.auth
    board = board_for(request, board_id)
    try:
        found = get_goal_for_user(user, board, goal_id, write=True)
    except PermissionDenied:
        raise HttpError(
            403, _("Only those who write this unit's plans may change its goals.")
        ) from None
    data = bodies.read_body(request, GoalChangeIn, '{"revision": <number>, "target": 80, …}')
    fields = data.model_fields_set - {"revision"}
    if not fields:
        raise HttpError(422, _("Nothing to change: send at least one field besides revision."))
    values, errors = _goal_values(user, board, found.plan, data, fields, goal=found)
    if errors:
        return bodies.invalid(errors)
    try:
        stelsel.planning.goals.services.goal_update(
            goal=found, revision=data.revision, user=user, **values
        )
    except EditConflict as exc:
        return bodies.conflict(data.revision, exc.revision)
    except ValidationError as exc:
        return bodies.service_errors(exc, GOAL_ERROR_FIELDS)
    return _goal_detail_out(user, board, get_goal_for_user(user, board, found.pk))


@router.post(
    GOAL + "/check-ins",
    response={201: CheckInOut, **bodies.WRITE_ERRORS},
    summary="Record a check-in on a goal",
    url_name="check_in_create",
    openapi_extra=bodies.body_schema(CheckInIn),
)
def check_in_create(request, board_id: int, goal_id: int):
    """A PDCA conversation on the goal: what was said along the conversation guide, the value
    measured, how it is going (`progress`) and the evidence that shows it. Staff of the school
    may record check-ins, though they do not change goals. The body is read after the access
    checks."""
    user = request.auth
    board = board_for(request, board_id)
    try:
        found = get_goal_for_user(user, board, goal_id)
        require_unit(user, board, Permission.CHECK_IN, found.plan.school)
    except PermissionDenied:
        raise HttpError(403, _("You may not record check-ins on this goal.")) from None
    data = bodies.read_body(request, CheckInIn, '{"progress": "on_track", "measured": 72, …}')
    errors = {}
    evidence = bodies.linked(
        evidence_for_user(user, board),
        data.evidence_ids,
        "evidence_ids",
        _("There is no evidence with id %(ids)s that you can see."),
        errors,
    )
    if errors:
        return bodies.invalid(errors)
    values = data.model_dump(exclude={"evidence_ids"})
    try:
        check_in = stelsel.planning.goals.services.check_in_add(
            goal=found, user=user, evidence=evidence, **values
        )
    except ValidationError as exc:
        return bodies.service_errors(exc, CHECK_IN_ERROR_FIELDS)
    return Status(201, _check_in_out(check_in))
