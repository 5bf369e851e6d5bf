"""API routes for the quality calendar: the tables (meeting series), their meetings with
agenda, minutes and decisions.

Everything is reached through `meetings.access`: another board's ids, and tables or
meetings the user does not see, answer 404; a meeting seen but not to be recorded answers 403
(as JSON). School roles see their own school's tables and the board tables they sit at. Writes
go through the meetings services, so the API refuses exactly what the pages refuse, with the
same messages (see `api.bodies` for the answers). The lists read a fixed number of queries,
whatever the number of tables or meetings.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from stelsel.api import bodies
from stelsel.api.picture import board_for, person_name, unit_out
from stelsel.api.planning_schemas import (
    AgendaItemIn,
    AgendaItemOut,
    DecisionIn,
    DecisionOut,
    MeetingDetailOut,
    MeetingOut,
    MeetingRecordIn,
    TableOut,
)
from stelsel.api.schemas import ConflictOut, ErrorOut
from stelsel.lib.revisions import EditConflict
from stelsel.meetings import selectors, services
from stelsel.meetings.access import (
    get_meeting_for_user,
    get_meeting_series_for_user,
    meeting_series_for_user,
)
from stelsel.organisations.access import get_school_for_user, has_permission, has_unit_permission
from stelsel.organisations.roles import Permission
from stelsel.selfevaluation.access import agenda_points_for_user

router = Router(tags=["plans and quality calendar"])

BOARD = "/boards/{board_id}"
MEETING = BOARD + "/meetings/{meeting_id}"
DEFAULT_DAYS = 90  # the meetings list without dates: the coming three months
LONGEST_SPAN = 731  # days one request may cover: two years of a board's calendar
DECISION_ERROR_FIELDS = {"action_owner": "action_owner_id"}


# --- Tables --------------------------------------------------------------------------------


def _table_out(series) -> TableOut:
    """A table; its school and members must have been loaded with it."""
    members = sorted(series.members.all(), key=lambda p: (p.name, p.email))
    return TableOut(
        id=series.pk,
        unit=unit_out(series),
        name=series.name,
        participants_text=series.participants_text,
        member_ids=[p.pk for p in members],
        members=[person_name(p) for p in members],
        rhythm=series.rhythm,
        rhythm_text=selectors.rhythm_text(series),
        interval=series.interval,
        months=sorted(series.months or []),
        weekday=series.weekday,
        week_of_month=series.week_of_month,
        start_time=series.start_time,
        duration_minutes=series.duration_minutes,
        first_date=series.first_date,
        last_date=series.last_date,
        place=series.place,
        assignment=series.assignment,
        mandate=series.mandate,
        standard_agenda=series.standard_agenda,
        lacking=[name for name in ("place", "assignment", "mandate") if not getattr(series, name)],
        meeting_count=series.meeting_count,
        revision=series.revision,
    )


@router.get(
    BOARD + "/tables",
    response={200: list[TableOut], 404: ErrorOut},
    summary="The tables where quality is discussed that the user may see",
    url_name="tables",
)
def tables(request, board_id: int, school_id: int | None = None, mine: bool = False):
    """Filter on one school's tables with `school_id` (a school the user may see, else 404),
    and on the tables the user sits at with `mine=true`. The board's own tables come first."""
    user = request.auth
    board = board_for(request, board_id)
    found = meeting_series_for_user(user, board)
    if school_id is not None:
        found = found.filter(school=get_school_for_user(user, board, school_id))
    if mine:
        found = found.filter(members=user)
    return [_table_out(s) for s in selectors.tables(found)]


@router.get(
    BOARD + "/tables/{series_id}",
    response={200: TableOut, 404: ErrorOut},
    summary="One table",
    url_name="table",
)
def table(request, board_id: int, series_id: int):
    user = request.auth
    board = board_for(request, board_id)
    found = get_meeting_series_for_user(user, board, series_id)
    visible = meeting_series_for_user(user, board).filter(pk=found.pk)
    return _table_out(selectors.tables(visible).get())


# --- Meetings ------------------------------------------------------------------------------


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
    start = bodies.query_day("from", date_from) or timezone.localdate()
    end = bodies.query_day("to", date_to) or start + datetime.timedelta(days=DEFAULT_DAYS)
    if end < start:
        raise HttpError(422, _("to must not lie before from."))
    if (end - start).days > LONGEST_SPAN:
        raise HttpError(422, _("Ask for at most %(days)s days at a time.") % {"days": LONGEST_SPAN})
    series = meeting_series_for_user(user, board)
    if series_id is not None:
        series = series.filter(pk=get_meeting_series_for_user(user, board, series_id).pk)
    months = selectors.meetings_ahead(series, start, days=(end - start).days)
    return [MeetingOut(**_meeting_out(m)) for month in months for m in month.meetings]


def _meeting_detail_out(meeting) -> MeetingDetailOut:
    items, decisions = selectors.meeting_detail(meeting)
    return MeetingDetailOut(
        **_meeting_out(meeting),
        revision=meeting.revision,
        minutes=meeting.minutes,
        agenda_items=[_agenda_item_out(i) for i in items],
        decisions=[_decision_out(d) for d in decisions],
    )


def _agenda_item_out(item) -> AgendaItemOut:
    return AgendaItemOut(
        id=item.pk,
        title=item.title,
        notes=item.notes,
        position=item.position,
        agenda_point_id=item.agenda_point_id,
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
    found = get_meeting_for_user(request.auth, board, meeting_id)
    return _meeting_detail_out(found)


@router.post(
    MEETING + "/decisions",
    response={201: DecisionOut, **bodies.WRITE_ERRORS},
    summary="Record a decision of a meeting, optionally with the action that carries it out",
    url_name="decision_create",
    openapi_extra=bodies.body_schema(DecisionIn),
)
def decision_create(request, board_id: int, meeting_id: int):
    """Needs the right to record the table's meetings (else 403); with `create_action` also
    the right to record actions of the table's unit. Decisions are recorded from the day of the
    meeting on, never for a cancelled one. The body is read after the access checks."""
    user = request.auth
    board = board_for(request, board_id)
    found = _recordable(user, board, meeting_id)
    data = bodies.read_body(request, DecisionIn, '{"text": "…", "create_action": false}')
    school = found.series.school
    owner = None
    if data.create_action:
        if not has_unit_permission(user, board, Permission.MANAGE_ACTIONS, school):
            raise HttpError(403, _("You may not record actions of this unit."))
        errors = {}
        owner = bodies.owner(board, data.action_owner_id, errors, field="action_owner_id")
        if errors:
            return bodies.invalid(errors)
    try:
        decision = services.decision_add(
            meeting=found,
            text=data.text,
            create_action=data.create_action,
            action_title=data.action_title,
            action_owner=owner,
            action_due_on=data.action_due_on,
            user=user,
        )
    except ValidationError as exc:
        return bodies.service_errors(exc, DECISION_ERROR_FIELDS)
    return Status(201, _decision_out(decision))


def _recordable(user, board, meeting_id):
    try:
        return get_meeting_for_user(user, board, meeting_id, write=True)
    except PermissionDenied:
        raise HttpError(403, _("You may not record the decisions of this table.")) from None


@router.patch(
    MEETING,
    response={200: MeetingDetailOut, 409: ConflictOut, **bodies.WRITE_ERRORS},
    summary="Record whether a meeting was held, and its minutes",
    url_name="meeting_update",
    openapi_extra=bodies.body_schema(MeetingRecordIn),
)
def meeting_record(request, board_id: int, meeting_id: int):
    """Send the `revision` read with the meeting; if someone recorded it since, nothing
    changes and the answer is 409 with the current revision. `state` is planned, held (from
    the day of the meeting on) or cancelled. Needs the right to record the table's meetings
    (else 403)."""
    user = request.auth
    board = board_for(request, board_id)
    found = _recordable(user, board, meeting_id)
    data = bodies.read_body(request, MeetingRecordIn, '{"revision": 1, "state": "held", …}')
    try:
        services.meeting_record(
            meeting=found,
            revision=data.revision,
            state=data.state,
            minutes=data.minutes,
            user=user,
        )
    except EditConflict as exc:
        return bodies.conflict(data.revision, exc.revision)
    except ValidationError as exc:
        return bodies.service_errors(exc, {})
    return _meeting_detail_out(get_meeting_for_user(user, board, found.pk))


@router.post(
    MEETING + "/agenda-items",
    response={201: AgendaItemOut, **bodies.WRITE_ERRORS},
    summary="Put an item on a meeting's agenda",
    url_name="agenda_item_create",
    openapi_extra=bodies.body_schema(AgendaItemIn),
)
def agenda_item_create(request, board_id: int, meeting_id: int):
    """The item comes last on the agenda. A cancelled meeting has no agenda (422). A point of
    a round's conversation agenda needs the right to organise rounds (else 403), and must be
    of the board's own rounds or of the table's school (else 422)."""
    user = request.auth
    board = board_for(request, board_id)
    found = _recordable(user, board, meeting_id)
    data = bodies.read_body(request, AgendaItemIn, '{"title": "…", "notes": "…"}')
    point = None
    if data.agenda_point_id is not None:
        if not has_permission(user, board, Permission.MANAGE_ROUNDS):
            raise HttpError(403, _("Only those who organise rounds may add their points."))
        errors = {}
        point = bodies.one(
            agenda_points_for_user(user, board).select_related("round"),
            data.agenda_point_id,
            "agenda_point_id",
            _("There is no conversation point with this id."),
            errors,
        )
        if errors:
            return bodies.invalid(errors)
    try:
        item = services.agenda_item_add(
            meeting=found, title=data.title, notes=data.notes, agenda_point=point
        )
    except ValidationError as exc:
        return bodies.service_errors(exc, {"agenda_point": "agenda_point_id"})
    return Status(201, _agenda_item_out(item))
