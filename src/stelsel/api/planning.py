"""API routes for plans, goals and check-ins, and for the quality calendar's meetings and
decisions.

Everything is reached through `organisations.access`: another board's ids, and plans, goals or
meetings of a unit the user does not see, answer 404; a goal or meeting seen but not to be
changed answers 403 (as JSON). Writes go through the planning and meetings services, so the
API refuses exactly what the pages refuse, with the same messages: a stale revision answers
409 with the current one, and a service's validation errors 422 with `{"detail", "errors"}`,
the errors keyed by the fields of the request body. Reads come from the selectors; the lists
read a fixed number of queries, whatever the number of plans or meetings.
"""

import datetime
import json
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from pydantic import ValidationError as SchemaError

from stelsel.api.picture import board_for, person_name, unit_out
from stelsel.api.picture_schemas import FieldErrorsOut
from stelsel.api.planning_schemas import (
    AgendaItemOut,
    CheckInIn,
    CheckInOut,
    CheckInRefOut,
    DecisionIn,
    DecisionOut,
    FindingOut,
    GoalChangeIn,
    GoalDetailOut,
    GoalIn,
    MeetingDetailOut,
    MeetingOut,
    PlanActionOut,
    PlanDetailOut,
    PlanGoalOut,
    PlanOut,
    PlanRefOut,
    RevisionConflictOut,
    ThemeOut,
)
from stelsel.api.schemas import ErrorOut
from stelsel.frameworks.models import Standard
from stelsel.meetings import selectors as meeting_selectors
from stelsel.meetings import services as meeting_services
from stelsel.organisations import access
from stelsel.organisations.models import Membership
from stelsel.organisations.roles import Permission
from stelsel.picture.models import Assignment, Indicator
from stelsel.planning import plans as services
from stelsel.planning import selectors
from stelsel.planning.models import Action, Goal, Plan, PlanKind, PlanStatus
from stelsel.web.forms import plausible_date

router = Router(tags=["plans and quality calendar"])

BOARD = "/boards/{board_id}"
GOAL = BOARD + "/goals/{goal_id}"
MEETING = BOARD + "/meetings/{meeting_id}"
DEFAULT_DAYS = 90  # the meetings list without dates: the coming three months
LONGEST_SPAN = 731  # days one request may cover: two years of a board's calendar

# The services name the objects they are given; the body names their ids.
GOAL_ERROR_FIELDS = {
    "theme": "theme_id",
    "owner": "owner_id",
    "serves": "serves_id",
    "standards": "standard_ids",
    "indicators": "indicator_ids",
}
CHECK_IN_ERROR_FIELDS = {"evidence": "evidence_ids"}
DECISION_ERROR_FIELDS = {"action_owner": "action_owner_id"}
SUBJECT_TYPES = {Plan: "plan", Goal: "goal", Action: "action", Assignment: "assignment"}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# --- Request bodies and errors -------------------------------------------------------------


def _body(request, schema, example: str):
    """The JSON body, read only after the access checks (so another board's object answers
    404 and a forbidden change 403, whatever is sent): 400 when it is not JSON, 422 when it
    does not fit the schema."""
    try:
        body = json.loads(request.body or b"null")
    except ValueError:  # also bytes that are not UTF-8
        message = _("The body must be JSON: %(example)s.") % {"example": example}
        raise HttpError(400, message) from None
    try:
        return schema.model_validate(body)
    except SchemaError as exc:
        raise HttpError(
            422,
            "; ".join(
                f"{'.'.join(str(part) for part in error['loc']) or 'body'}: {error['msg']}"
                for error in exc.errors()
            ),
        ) from None


def _invalid(errors: dict[str, list[str]]) -> Status:
    return Status(
        422,
        FieldErrorsOut(
            detail=" ".join([m for messages in errors.values() for m in messages]), errors=errors
        ),
    )


def _service_errors(exc: ValidationError, fields: dict[str, str]) -> Status:
    """A service's ValidationError as 422, keyed by the body's field names."""
    if hasattr(exc, "error_dict"):
        errors = {
            fields.get(name, name): ValidationError(errors).messages
            for name, errors in exc.error_dict.items()
        }
    else:
        errors = {"__all__": exc.messages}
    return _invalid(errors)


def _conflict(revision: int, current: int) -> Status:
    return Status(
        409,
        RevisionConflictOut(
            detail=_(
                "Someone else saved this goal after revision %(revision)s was read; nothing "
                "was changed."
            )
            % {"revision": revision},
            revision=current,
        ),
    )


def _person_on_board(board, person_id: int, current=None):
    """Someone with a role on the board, by id; whether they fit the unit is the service's
    to say. The present owner is kept even after losing their role, as the pages do."""
    if current is not None and current.pk == person_id:
        return current
    on_board = Membership.objects.filter(user=OuterRef("pk"), board=board)
    return get_user_model().objects.filter(Exists(on_board), pk=person_id).first()


def _missing(ids, found) -> str:
    return ", ".join(str(i) for i in sorted(set(ids) - {obj.pk for obj in found}))


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
    found = access.plans_for_user(user, board)
    if school_id is not None:
        found = found.filter(school=access.get_school_for_user(user, board, school_id))
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    found = (
        found.select_related("school", "owner")
        .annotate(goal_count=Count("goals"))
        .order_by("school__name", "-starts_on", "title", "pk")
    )
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
    actions of its unit that serve no goal, herstelopdrachten no improvement plan covers),
    on each goal and on each action under a goal."""
    board = board_for(request, board_id)
    found = access.get_plan_for_user(request.auth, board, plan_id)
    detail = selectors.plan_detail(found)
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
        themes=[
            ThemeOut(id=t.pk, title=t.title, description=t.description, position=t.position)
            for t in (block.theme for block in detail.themes)
            if t is not None
        ],
        goals=goals,
        findings=findings,
    )


# --- Goals ---------------------------------------------------------------------------------


def _goal_detail_out(user, board, goal) -> GoalDetailOut:
    detail = selectors.goal_detail(user, board, goal)
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
        theme = None
        if data.theme_id is not None:
            theme = plan.themes.filter(pk=data.theme_id).first()
            if theme is None:
                errors["theme_id"] = [_("This plan has no theme with this id.")]
        values["theme"] = theme
    if "owner_id" in fields:
        owner = None
        if data.owner_id is not None:
            owner = _person_on_board(board, data.owner_id, goal.owner if goal else None)
            if owner is None:
                errors["owner_id"] = [_("Nobody with this id has a role on this board.")]
        values["owner"] = owner
    if "serves_id" in fields:
        serves = None
        if data.serves_id is not None:
            # Board goals are open to every role that sees plans, as on the goal form; a
            # school goal the user sees is passed on for the service to refuse with a reason.
            serves = (
                access.board_goals_for_user(user, board)
                .select_related("plan")
                .filter(pk=data.serves_id)
                .first()
            ) or (
                Goal.objects.filter(board=board, plan__in=access.plans_for_user(user, board))
                .select_related("plan")
                .filter(pk=data.serves_id)
                .first()
            )
            if serves is None:
                errors["serves_id"] = [_("There is no goal with this id that you can see.")]
        values["serves"] = serves
    if "standard_ids" in fields:
        ids = data.standard_ids or []
        standards = list(Standard.objects.filter(pk__in=ids))
        if len(standards) != len(set(ids)):
            errors["standard_ids"] = [
                _("There is no standard with id %(ids)s.") % {"ids": _missing(ids, standards)}
            ]
        values["standards"] = standards
    if "indicator_ids" in fields:
        ids = data.indicator_ids or []
        indicators = list(Indicator.objects.filter(board=board, pk__in=ids))
        if len(indicators) != len(set(ids)):
            errors["indicator_ids"] = [
                _("This board has no own indicator with id %(ids)s.")
                % {"ids": _missing(ids, indicators)}
            ]
        values["indicators"] = indicators
    return values, errors


GOAL_EXAMPLE = '{"title": "…", "target": 80, "unit": "%", "target_date": "2027-07-01", …}'


@router.post(
    BOARD + "/plans/{plan_id}/goals",
    response={
        201: GoalDetailOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: FieldErrorsOut | ErrorOut,
    },
    summary="Add a goal to a plan",
    url_name="goal_create",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": GoalIn.model_json_schema()}},
        }
    },
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
        found = access.get_plan_for_user(user, board, plan_id, write=True)
    except PermissionDenied:
        raise HttpError(403, _("Only those who write this unit's plans may add goals.")) from None
    data = _body(request, GoalIn, GOAL_EXAMPLE)
    values, errors = _goal_values(user, board, found, data, set(GoalIn.model_fields))
    if errors:
        return _invalid(errors)
    try:
        goal = services.goal_create(plan=found, user=user, **values)
    except ValidationError as exc:
        return _service_errors(exc, GOAL_ERROR_FIELDS)
    return Status(
        201, _goal_detail_out(user, board, access.get_goal_for_user(user, board, goal.pk))
    )


@router.get(
    GOAL,
    response={200: GoalDetailOut, 404: ErrorOut},
    summary="One goal with its actions, check-ins and the coach's remarks",
    url_name="goal",
)
def goal(request, board_id: int, goal_id: int):
    board = board_for(request, board_id)
    found = access.get_goal_for_user(request.auth, board, goal_id)
    return _goal_detail_out(request.auth, board, found)


@router.patch(
    GOAL,
    response={
        200: GoalDetailOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: RevisionConflictOut,
        422: FieldErrorsOut | ErrorOut,
    },
    summary="Change a goal",
    url_name="goal_update",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": GoalChangeIn.model_json_schema()}},
        }
    },
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
        found = access.get_goal_for_user(user, board, goal_id, permission=Permission.MANAGE_PLANS)
    except PermissionDenied:
        raise HttpError(
            403, _("Only those who write this unit's plans may change its goals.")
        ) from None
    data = _body(request, GoalChangeIn, '{"revision": <number>, "target": 80, …}')
    fields = data.model_fields_set - {"revision"}
    if not fields:
        raise HttpError(422, _("Nothing to change: send at least one field besides revision."))
    values, errors = _goal_values(user, board, found.plan, data, fields, goal=found)
    if errors:
        return _invalid(errors)
    try:
        services.goal_update(goal=found, revision=data.revision, user=user, **values)
    except services.GoalConflict as conflict:
        return _conflict(data.revision, conflict.current.revision)
    except ValidationError as exc:
        return _service_errors(exc, GOAL_ERROR_FIELDS)
    return _goal_detail_out(user, board, access.get_goal_for_user(user, board, found.pk))


@router.post(
    GOAL + "/check-ins",
    response={
        201: CheckInOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: FieldErrorsOut | ErrorOut,
    },
    summary="Record a check-in on a goal",
    url_name="check_in_create",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CheckInIn.model_json_schema()}},
        }
    },
)
def check_in_create(request, board_id: int, goal_id: int):
    """A PDCA conversation on the goal: what was said along the conversation guide, the value
    measured, how it is going (`progress`) and the evidence that shows it. Staff of the school
    may record check-ins, though they do not change goals. The body is read after the access
    checks."""
    user = request.auth
    board = board_for(request, board_id)
    try:
        found = access.get_goal_for_user(user, board, goal_id, permission=Permission.CHECK_IN)
    except PermissionDenied:
        raise HttpError(403, _("You may not record check-ins on this goal.")) from None
    data = _body(request, CheckInIn, '{"progress": "on_track", "measured": 72, …}')
    evidence = list(access.evidence_for_user(user, board).filter(pk__in=data.evidence_ids))
    if len(evidence) != len(set(data.evidence_ids)):
        return _invalid(
            {
                "evidence_ids": [
                    _("There is no evidence with id %(ids)s that you can see.")
                    % {"ids": _missing(data.evidence_ids, evidence)}
                ]
            }
        )
    values = data.model_dump(exclude={"evidence_ids"})
    try:
        check_in = services.check_in_add(goal=found, user=user, evidence=evidence, **values)
    except ValidationError as exc:
        return _service_errors(exc, CHECK_IN_ERROR_FIELDS)
    return Status(201, _check_in_out(check_in))


# --- Meetings ------------------------------------------------------------------------------


def _day(name: str, value: str | None) -> datetime.date | None:
    if value is None or value == "":
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise HttpError(
            422, _("%(name)s must be a date written as YYYY-MM-DD.") % {"name": name}
        ) from None
    if not plausible_date(day):
        raise HttpError(422, _("Give a date between the years 1900 and 2200."))
    return day


def _meeting_out(meeting) -> dict:
    series = meeting.series
    return {
        "id": meeting.pk,
        "series_id": series.pk,
        "series_name": series.name,
        "unit": unit_out(series),
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at),
        "state": meeting.state,
        "place": series.place,
    }


@router.get(
    BOARD + "/meetings",
    response={200: list[MeetingOut], 404: ErrorOut, 422: ErrorOut},
    summary="Meetings of the tables the user may see, in a period",
    url_name="meetings",
)
def meetings(
    request,
    board_id: int,
    series_id: int | None = None,
    date_from: str | None = Query(None, alias="from"),
    date_to: str | None = Query(None, alias="to"),
):
    """`from` and `to` (YYYY-MM-DD, both days included, at most two years apart) default to
    today and 90 days after `from`. Filter on one table with `series_id` (a table the user
    may see, else 404)."""
    user = request.auth
    board = board_for(request, board_id)
    start = _day("from", date_from) or timezone.localdate()
    end = _day("to", date_to) or start + datetime.timedelta(days=DEFAULT_DAYS)
    if end < start:
        raise HttpError(422, _("to must not lie before from."))
    if (end - start).days > LONGEST_SPAN:
        raise HttpError(422, _("Ask for at most %(days)s days at a time.") % {"days": LONGEST_SPAN})
    series = access.meeting_series_for_user(user, board)
    if series_id is not None:
        series = series.filter(pk=access.get_meeting_series_for_user(user, board, series_id).pk)
    months = meeting_selectors.meetings_ahead(series, start, days=(end - start).days)
    return [MeetingOut(**_meeting_out(m)) for month in months for m in month.meetings]


def _meeting_detail_out(meeting) -> MeetingDetailOut:
    items, decisions = meeting_selectors.meeting_detail(meeting)
    return MeetingDetailOut(
        **_meeting_out(meeting),
        revision=meeting.revision,
        minutes=meeting.minutes,
        agenda_items=[
            AgendaItemOut(
                id=i.pk,
                title=i.title,
                notes=i.notes,
                position=i.position,
                agenda_point_id=i.agenda_point_id,
            )
            for i in items
        ],
        decisions=[_decision_out(d) for d in decisions],
    )


def _decision_out(decision) -> DecisionOut:
    return DecisionOut(
        id=decision.pk,
        meeting_id=decision.meeting_id,
        text=decision.text,
        action_id=decision.action_id,
        created_by=person_name(decision.created_by),
        created_at=decision.created_at,
    )


@router.get(
    MEETING,
    response={200: MeetingDetailOut, 404: ErrorOut},
    summary="One meeting with its agenda, minutes and decisions",
    url_name="meeting",
)
def meeting(request, board_id: int, meeting_id: int):
    board = board_for(request, board_id)
    found = access.get_meeting_for_user(request.auth, board, meeting_id)
    return _meeting_detail_out(found)


@router.post(
    MEETING + "/decisions",
    response={
        201: DecisionOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: FieldErrorsOut | ErrorOut,
    },
    summary="Record a decision of a meeting, optionally with the action that carries it out",
    url_name="decision_create",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": DecisionIn.model_json_schema()}},
        }
    },
)
def decision_create(request, board_id: int, meeting_id: int):
    """Needs the right to record the table's meetings (else 403); with `create_action` also
    the right to record actions of the table's unit. Decisions are recorded from the day of the
    meeting on, never for a cancelled one. The body is read after the access checks."""
    user = request.auth
    board = board_for(request, board_id)
    try:
        found = access.get_meeting_for_user(
            user, board, meeting_id, permission=Permission.RECORD_MEETINGS
        )
    except PermissionDenied:
        raise HttpError(403, _("You may not record the decisions of this table.")) from None
    data = _body(request, DecisionIn, '{"text": "…", "create_action": false}')
    school = found.series.school
    owner = None
    if data.create_action:
        if not access.has_unit_permission(user, board, Permission.MANAGE_ACTIONS, school):
            raise HttpError(403, _("You may not record actions of this unit."))
        if data.action_owner_id is not None:
            owner = _person_on_board(board, data.action_owner_id)
            if owner is None:
                return _invalid(
                    {"action_owner_id": [_("Nobody with this id has a role on this board.")]}
                )
    try:
        decision = meeting_services.decision_add(
            meeting=found,
            text=data.text,
            create_action=data.create_action,
            action_title=data.action_title,
            action_owner=owner,
            action_due_on=data.action_due_on,
            user=user,
        )
    except ValidationError as exc:
        return _service_errors(exc, DECISION_ERROR_FIELDS)
    return Status(201, _decision_out(decision))
