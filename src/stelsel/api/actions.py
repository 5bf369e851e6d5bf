"""API routes for actions: what a school or the board does to improve, under a goal of a
plan, for a herstelopdracht or after a visit.

Actions belong to a unit (a school, or the board itself) and are reached through
`planning.access`: another board's ids and actions of a unit the user does not see answer
404; recording or changing needs the right to manage the unit's actions (else 403). Writes go
through the actions service, so the API refuses what the pages refuse, with the same messages;
every id in a body is looked up among what the user may see, and one that matches nothing
answers 422 on its field.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from stelsel.api import bodies
from stelsel.api.picture import board_for, person_name, unit_out
from stelsel.api.picture_schemas import ActionOut
from stelsel.api.planning_schemas import ActionChangeIn, ActionIn
from stelsel.api.schemas import ConflictOut, ErrorOut
from stelsel.frameworks.models import Requirement, Standard
from stelsel.lib.revisions import EditConflict
from stelsel.organisations.access import has_permission, has_unit_permission
from stelsel.organisations.roles import Permission
from stelsel.picture.access import assignments_for_user, indicators_for_user, visits_for_user
from stelsel.planning.access import get_action_for_user, goals_for_user
from stelsel.planning.actions import services
from stelsel.planning.actions.selectors import action_list

router = Router(tags=["quality picture"])

BOARD = "/boards/{board_id}"
# The service names the objects it is given; the body names their ids.
ACTION_ERROR_FIELDS = {
    "owner": "owner_id",
    "goal": "goal_id",
    "visit": "visit_id",
    "standards": "standard_ids",
    "requirements": "requirement_ids",
    "indicators": "indicator_ids",
    "assignments": "assignment_ids",
}


# --- Actions -------------------------------------------------------------------------------


def _action_queryset(user, board):
    """The action list as the page reads it, with the links the API's shape names as well."""
    return action_list(user, board).prefetch_related("requirements", "indicators", "assignments")


def _action_out(action, today) -> ActionOut:
    return ActionOut(
        id=action.pk,
        unit=unit_out(action),
        title=action.title,
        description=action.description,
        owner_id=action.owner_id,
        owner=person_name(action.owner),
        starts_on=action.starts_on,
        due_on=action.due_on,
        status=action.status,
        progress=action.progress,
        overdue=action.is_overdue(today),
        standard_ids=[s.pk for s in action.standards.all()],
        requirement_ids=[r.pk for r in action.requirements.all()],
        indicator_ids=[i.pk for i in action.indicators.all()],
        assignment_ids=[a.pk for a in action.assignments.all()],
        visit_id=action.visit_id,
        goal_id=action.goal_id,
        revision=action.revision,
    )


@router.get(
    BOARD + "/actions",
    response={200: list[ActionOut], 404: ErrorOut},
    summary="Actions of the units the user may see",
    url_name="actions",
)
def actions(request, board_id: int):
    board = board_for(request, board_id)
    today = timezone.localdate()
    return [_action_out(a, today) for a in _action_queryset(request.auth, board)]


@router.get(
    BOARD + "/actions/{action_id}",
    response={200: ActionOut, 404: ErrorOut},
    summary="One action",
    url_name="action",
)
def action(request, board_id: int, action_id: int):
    user = request.auth
    board = board_for(request, board_id)
    get_action_for_user(user, board, action_id)
    found = _action_queryset(user, board).get(pk=action_id)
    return _action_out(found, timezone.localdate())


def _action_values(user, board, data, fields: set[str], action=None):
    """The service's keyword arguments for the body's `fields`, the ids looked up among what
    the user may reach; returns (values, errors for ids that match nothing). Whether a linked
    object belongs to the action's unit is the service's to say."""
    values, errors = {}, {}
    for name in ("title", "description"):
        if name in fields:
            values[name] = getattr(data, name) or ""
    for name in ("starts_on", "due_on", "status", "progress"):
        if name in fields:
            values[name] = getattr(data, name)
    if "owner_id" in fields:
        values["owner"] = bodies.owner(
            board, data.owner_id, errors, action.owner if action else None
        )
    if "goal_id" in fields:
        values["goal"] = bodies.one(
            goals_for_user(user, board).select_related("plan"),
            data.goal_id,
            "goal_id",
            _("There is no goal with this id that you can see."),
            errors,
        )
    if "visit_id" in fields:
        values["visit"] = bodies.one(
            visits_for_user(user, board),
            data.visit_id,
            "visit_id",
            _("There is no visit with this id that you can see."),
            errors,
        )
    links = (
        (
            "standards",
            "standard_ids",
            Standard.objects.all(),
            _("There is no standard with id %(ids)s."),
        ),
        (
            "requirements",
            "requirement_ids",
            Requirement.objects.all(),
            _("There is no requirement with id %(ids)s."),
        ),
        (
            "indicators",
            "indicator_ids",
            indicators_for_user(user, board),
            _("This board has no own indicator with id %(ids)s."),
        ),
        (
            "assignments",
            "assignment_ids",
            assignments_for_user(user, board),
            _("There is no herstelopdracht with id %(ids)s that you can see."),
        ),
    )
    for name, field, queryset, message in links:
        if field in fields:
            values[name] = bodies.linked(
                queryset, getattr(data, field) or [], field, message, errors
            )
    return values, errors


def _answer(user, board, action_id) -> ActionOut:
    return _action_out(_action_queryset(user, board).get(pk=action_id), timezone.localdate())


@router.post(
    BOARD + "/actions",
    response={201: ActionOut, **bodies.WRITE_ERRORS},
    summary="Record an action of a school or of the board",
    url_name="action_create",
    openapi_extra=bodies.body_schema(ActionIn),
)
def action_create(request, board_id: int):
    """Needs the right to manage the unit's actions (else 403). Refused with 422 and a message
    on the field: a due date before the start, progress outside 0-100, an owner without a role
    on the unit, links to another unit's goal, visit or herstelopdrachten, a goal of a closed
    plan, standards of a framework the unit has no picture on."""
    user = request.auth
    board = board_for(request, board_id)
    if not has_permission(user, board, Permission.MANAGE_ACTIONS):
        raise HttpError(403, _("You may not record actions."))
    data = bodies.read_body(request, ActionIn, '{"school_id": 12, "title": "…", …}')
    errors = {}
    school = bodies.unit_school(user, board, data.school_id, errors)
    values, link_errors = _action_values(
        user, board, data, set(ActionIn.model_fields) - {"school_id"}
    )
    errors |= link_errors
    if errors:
        return bodies.invalid(errors)
    if not has_unit_permission(user, board, Permission.MANAGE_ACTIONS, school):
        raise HttpError(403, _("You may not record this unit's actions."))
    try:
        created = services.action_create(board=board, school=school, user=user, **values)
    except ValidationError as exc:
        return bodies.service_errors(exc, ACTION_ERROR_FIELDS)
    return Status(201, _answer(user, board, created.pk))


@router.patch(
    BOARD + "/actions/{action_id}",
    response={200: ActionOut, 409: ConflictOut, **bodies.WRITE_ERRORS},
    summary="Change an action",
    url_name="action_update",
    openapi_extra=bodies.body_schema(ActionChangeIn),
)
def action_change(request, board_id: int, action_id: int):
    """Send the `revision` read with the action; if someone saved it since, nothing changes
    and the answer is 409 with the current revision. Fields left out stay as they are: a
    caller that sends only `progress` cannot clear the links. The action's unit never
    changes."""
    user = request.auth
    board = board_for(request, board_id)
    try:
        found = get_action_for_user(user, board, action_id, write=True)
    except PermissionDenied:
        raise HttpError(403, _("You may not change this unit's actions.")) from None
    data = bodies.read_body(request, ActionChangeIn, '{"revision": 3, "progress": 60}')
    fields = data.model_fields_set - {"revision"}
    if not fields:
        raise HttpError(422, _("Nothing to change: send at least one field besides revision."))
    values, errors = _action_values(user, board, data, fields, action=found)
    if errors:
        return bodies.invalid(errors)
    try:
        services.action_update(action=found, revision=data.revision, user=user, **values)
    except EditConflict as exc:
        return bodies.conflict(data.revision, exc.revision)
    except ValidationError as exc:
        return bodies.service_errors(exc, ACTION_ERROR_FIELDS)
    return _answer(user, board, found.pk)
