"""THE place where board-owned objects are reached.

Every view, API route and export fetches a board-owned object through a `get_<thing>_for_user`
function here, or filters through a `<things>_for_user` queryset. Objects that do not exist and
objects of another board answer the same 404, so ids cannot be probed. An object the user can
see but may not change answers 403. Querysets are filtered in SQL, never by lists of ids.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from stelsel.organisations.models import Board, Invitation, Membership, School
from stelsel.organisations.roles import (
    GRANTS,
    ROLES_SEEING_ALL_SCHOOLS,
    SCHOOL_NARROWED,
    Permission,
)

MAX_ID = 2**63 - 1  # ids beyond a bigint would be a database error, not a 404


@dataclass(frozen=True)
class Grant:
    board_id: int
    school_id: int | None
    role: str


def _grants(user) -> tuple[Grant, ...]:
    """The user's memberships, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_stelsel_grants", None)
    if cached is None:
        # The boards come along in the same query: a board page then needs no query of its own
        # to load the board it is about.
        memberships = list(Membership.objects.filter(user=user).select_related("board"))
        cached = tuple(Grant(m.board_id, m.school_id, m.role) for m in memberships)
        user._stelsel_grants = cached
        user._stelsel_boards = {m.board_id: m.board for m in memberships}
    return cached


def forget_grants(user) -> None:
    """Drop the cached memberships, after a change to them in the same request."""
    for name in ("_stelsel_grants", "_stelsel_boards"):
        if hasattr(user, name):
            delattr(user, name)


def roles_on_board(user, board: Board) -> set[str]:
    return {g.role for g in _grants(user) if g.board_id == board.pk}


def has_permission(user, board: Board, permission: str, *, school: School | None = None) -> bool:
    """Whether the user may do `permission` on the board, or on `school` of that board.

    Board-scoped memberships count everywhere in the board; school-scoped ones only for their
    own school (and, for viewing the board, for the board's pages that list what they may see).
    """
    allowed_roles = GRANTS[permission]
    for grant in _grants(user):
        if grant.board_id != board.pk or grant.role not in allowed_roles:
            continue
        if grant.school_id is None:
            return True
        if school is not None and grant.school_id == school.pk:
            return True
        if school is None and permission in SCHOOL_NARROWED:
            return True
    return False


def require(user, board: Board, permission: str, *, school: School | None = None) -> None:
    if not has_permission(user, board, permission, school=school):
        raise PermissionDenied


def _one(queryset: QuerySet, pk):
    """One object of a scoped queryset by id, or 404 (also for ids that are not numbers)."""
    try:
        pk = int(pk)
        if not 0 < pk <= MAX_ID:
            raise ValueError(pk)
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def boards_for_user(user) -> QuerySet[Board]:
    if not getattr(user, "is_authenticated", False):
        return Board.objects.none()
    return Board.objects.filter(Exists(Membership.objects.filter(board=OuterRef("pk"), user=user)))


def get_board_for_user(user, board_id, *, permission: str = Permission.VIEW_BOARD) -> Board:
    """The board if the user has any role on it (else 404) and the permission (else 403).

    The board comes from the user's memberships, read once per request."""
    try:
        pk = int(board_id)
    except (TypeError, ValueError):
        raise Http404 from None
    _grants(user)
    board = getattr(user, "_stelsel_boards", {}).get(pk)
    if board is None:
        raise Http404
    require(user, board, permission)
    return board


def schools_for_user(user, board: Board) -> QuerySet[School]:
    """The schools of `board` the user may see: all for board roles, else their own."""
    grants = [g for g in _grants(user) if g.board_id == board.pk]
    if any(g.school_id is None and g.role in ROLES_SEEING_ALL_SCHOOLS for g in grants):
        return School.objects.filter(board=board)
    return School.objects.filter(
        board=board,
        pk__in=Membership.objects.filter(user=user, board=board, school__isnull=False).values(
            "school_id"
        ),
    )


def visible_schools(user) -> QuerySet[School]:
    """Every school the user may see, across all their boards (for counts and overviews)."""
    mine = Membership.objects.filter(user=user)
    return School.objects.filter(
        Q(
            board_id__in=mine.filter(school__isnull=True, role__in=ROLES_SEEING_ALL_SCHOOLS).values(
                "board_id"
            )
        )
        | Q(
            pk__in=mine.filter(school__isnull=False, board_id=F("school__board_id")).values(
                "school_id"
            )
        )
    )


def get_school_for_user(
    user, board: Board, school_id, *, permission: str = Permission.VIEW_SCHOOL
) -> School:
    school = _one(schools_for_user(user, board), school_id)
    require(user, board, permission, school=school)
    return school


def memberships_for_user(user, board: Board) -> QuerySet[Membership]:
    require(user, board, Permission.VIEW_PEOPLE)
    return Membership.objects.filter(board=board)


def get_membership_for_user(
    user, board: Board, membership_id, *, write: bool = False
) -> Membership:
    require(user, board, Permission.MANAGE_PEOPLE if write else Permission.VIEW_PEOPLE)
    return _one(
        Membership.objects.select_related("user", "school").filter(board=board), membership_id
    )


def invitations_for_user(user, board: Board) -> QuerySet[Invitation]:
    require(user, board, Permission.VIEW_PEOPLE)
    return Invitation.objects.filter(board=board)


def get_invitation_for_user(
    user, board: Board, invitation_id, *, write: bool = False
) -> Invitation:
    require(user, board, Permission.MANAGE_PEOPLE if write else Permission.VIEW_PEOPLE)
    return _one(Invitation.objects.filter(board=board), invitation_id)


def get_person_for_user(user, board: Board, person_id, *, write: bool = False):
    """Someone with a role on the board (as a user record), for managing their roles."""
    from django.contrib.auth import get_user_model

    require(user, board, Permission.MANAGE_PEOPLE if write else Permission.VIEW_PEOPLE)
    people = get_user_model().objects.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), board=board))
    )
    return _one(people, person_id)


def rounds_for_user(user, board: Board):
    """Self-evaluation rounds of the board the user may see: the board's own rounds and those
    of the schools the user sees."""
    from stelsel.selfevaluation.models import Round

    require(user, board, Permission.VIEW_ROUNDS)
    return Round.objects.filter(board=board).filter(
        Q(school__isnull=True) | Q(school__in=schools_for_user(user, board))
    )


def get_round_for_user(user, board: Board, round_id, *, manage: bool = False):
    round_ = _one(
        rounds_for_user(user, board).select_related("school", "questionnaire_version"), round_id
    )
    if manage:
        require(user, board, Permission.MANAGE_ROUNDS)
    return round_


def may_see_results(user, round_) -> bool:
    """Organisers see results once a round is closed; others when they are shared with a role
    the user holds on the board (or on the round's school)."""
    from stelsel.selfevaluation.models import RoundState

    if round_.state not in (RoundState.CLOSED, RoundState.SHARED):
        return False
    board = round_.board
    if has_permission(user, board, Permission.MANAGE_ROUNDS):
        return True
    if round_.state != RoundState.SHARED:
        return False
    for grant in _grants(user):
        if grant.board_id != board.pk or grant.role not in round_.shared_with:
            continue
        if grant.school_id is None or grant.school_id == round_.school_id:
            return True
    return False


def agenda_points_for_user(user, board: Board):
    """Points of the conversation agendas of the rounds the user sees, for those who organise
    rounds: they put them on a meeting's agenda."""
    from stelsel.selfevaluation.models import AgendaPoint

    require(user, board, Permission.MANAGE_ROUNDS)
    return AgendaPoint.objects.filter(board=board, round__in=rounds_for_user(user, board))


def get_agenda_point_for_user(user, board: Board, round_, point_id):
    """A point of a round's conversation agenda; the round was reached through this module."""
    from stelsel.selfevaluation.models import AgendaPoint

    require(user, board, Permission.MANAGE_ROUNDS)
    return _one(AgendaPoint.objects.filter(round=round_, board=board), point_id)


# --- Units: a school, or the board itself -------------------------------------------------
# The quality picture, evidence, actions, herstelopdrachten, visits and inspector's links all
# belong to a unit: `school` set for a school, empty for the board itself. School roles reach
# their own school's objects; only board-scoped roles reach the board's own.


def has_unit_permission(user, board: Board, permission: str, school: School | None) -> bool:
    """`permission` on one unit. For the board itself a board-scoped grant is needed: a school
    leader may list the board's pages narrowed to their school, not judge the board."""
    if school is not None:
        return has_permission(user, board, permission, school=school)
    allowed = GRANTS[permission]
    return any(
        g.board_id == board.pk and g.school_id is None and g.role in allowed for g in _grants(user)
    )


def require_unit(user, board: Board, permission: str, school: School | None) -> None:
    if not has_unit_permission(user, board, permission, school):
        raise PermissionDenied


def units_q(user, board: Board) -> Q:
    """The filter for unit-owned rows of `board` the user may see, in SQL (to be combined with
    a filter on the board)."""
    grants = [g for g in _grants(user) if g.board_id == board.pk]
    if any(g.school_id is None and g.role in ROLES_SEEING_ALL_SCHOOLS for g in grants):
        return Q()  # every school of the board and the board itself
    # School roles: their own schools, never the board itself.
    return Q(school__in=schools_for_user(user, board))


def _unit_objects(model, user, board: Board, view: str = Permission.VIEW_PICTURE) -> QuerySet:
    require(user, board, view)
    return model.objects.filter(board=board).filter(units_q(user, board))


def _unit_object(
    model,
    user,
    board: Board,
    pk,
    permission: str | None,
    related=("school",),
    view: str = Permission.VIEW_PICTURE,
):
    obj = _one(_unit_objects(model, user, board, view).select_related(*related), pk)
    if permission:
        require_unit(user, board, permission, obj.school)
    return obj


def pictures_for_user(user, board: Board):
    from stelsel.picture.models import Picture

    return _unit_objects(Picture, user, board)


def get_picture_for_user(user, board: Board, picture_id, *, permission: str | None = None):
    from stelsel.picture.models import Picture

    return _unit_object(
        Picture, user, board, picture_id, permission, ("school", "framework_version")
    )


def get_entry_for_user(user, board: Board, entry_id, *, permission: str | None = None):
    """An entry of a picture the user may see; `permission` is checked on the picture's unit."""
    from stelsel.picture.models import Entry

    require(user, board, Permission.VIEW_PICTURE)
    entry = _one(
        Entry.objects.filter(
            board=board, picture__in=pictures_for_user(user, board)
        ).select_related(
            "picture__school",
            "picture__framework_version",
            "standard__scale",
            "standard__area",
            "indicator",
            "status",
            "judged_by",
            "updated_by",
        ),
        entry_id,
    )
    if permission:
        require_unit(user, board, permission, entry.picture.school)
    return entry


def evidence_for_user(user, board: Board):
    from stelsel.picture.models import Evidence

    return _unit_objects(Evidence, user, board)


def get_evidence_for_user(user, board: Board, evidence_id, *, write: bool = False):
    from stelsel.picture.models import Evidence

    permission = Permission.CONTRIBUTE_PICTURE if write else None
    return _unit_object(Evidence, user, board, evidence_id, permission)


def actions_for_user(user, board: Board):
    from stelsel.planning.models import Action

    return _unit_objects(Action, user, board)


def get_action_for_user(user, board: Board, action_id, *, write: bool = False):
    from stelsel.planning.models import Action

    permission = Permission.MANAGE_ACTIONS if write else None
    return _unit_object(Action, user, board, action_id, permission, ("school", "owner"))


def assignments_for_user(user, board: Board):
    from stelsel.picture.models import Assignment

    return _unit_objects(Assignment, user, board)


def get_assignment_for_user(user, board: Board, assignment_id, *, write: bool = False):
    from stelsel.picture.models import Assignment

    permission = Permission.MANAGE_ASSIGNMENTS if write else None
    return _unit_object(
        Assignment, user, board, assignment_id, permission, ("school", "standard", "requirement")
    )


def visits_for_user(user, board: Board):
    from stelsel.picture.models import Visit

    return _unit_objects(Visit, user, board)


def get_visit_for_user(user, board: Board, visit_id, *, permission: str | None = None):
    from stelsel.picture.models import Visit

    return _unit_object(Visit, user, board, visit_id, permission)


def inspector_links_for_user(user, board: Board):
    from stelsel.picture.models import InspectorLink

    require(user, board, Permission.SHARE_PICTURE)
    return _unit_objects(InspectorLink, user, board)


def get_inspector_link_for_user(user, board: Board, link_id):
    """A link of a unit the user sees (else 404); giving and revoking needs SHARE_PICTURE on
    that unit (else 403), like every other unit object."""
    from stelsel.picture.models import InspectorLink

    return _unit_object(InspectorLink, user, board, link_id, Permission.SHARE_PICTURE)


def get_indicator_for_user(user, board: Board, indicator_id):
    """A board's own indicator; indicators are board-wide, managed by the board office."""
    from stelsel.picture.models import Indicator

    require(user, board, Permission.MANAGE_PICTURE)
    return _one(Indicator.objects.filter(board=board), indicator_id)


# --- Plans and the quality calendar --------------------------------------------------------


def plans_for_user(user, board: Board):
    from stelsel.planning.models import Plan

    return _unit_objects(Plan, user, board, Permission.VIEW_PLANS)


def get_plan_for_user(user, board: Board, plan_id, *, write: bool = False):
    from stelsel.planning.models import Plan

    permission = Permission.MANAGE_PLANS if write else None
    return _unit_object(
        Plan, user, board, plan_id, permission, ("school", "owner"), Permission.VIEW_PLANS
    )


def goals_for_user(user, board: Board):
    """Goals of the plans the user may see."""
    from stelsel.planning.models import Goal

    return Goal.objects.filter(board=board, plan__in=plans_for_user(user, board))


def get_goal_for_user(user, board: Board, goal_id, *, permission: str | None = None):
    """A goal of a plan the user may see; `permission` is checked on the plan's unit."""
    goal = _one(
        goals_for_user(user, board).select_related(
            "plan__school", "theme", "owner", "serves__plan"
        ),
        goal_id,
    )
    if permission:
        require_unit(user, board, permission, goal.plan.school)
    return goal


def meeting_series_for_user(user, board: Board):
    """The tables of the units the user sees, and the board tables they sit at.

    A board table can bring levels together ("board and school leaders"): its members read it
    and its meetings, agenda, minutes and decisions even when their role is on a school.
    Setting it up and recording its meetings stays with the roles that may do so for its unit.
    """
    from stelsel.meetings.models import MeetingSeries

    require(user, board, Permission.VIEW_PLANS)
    tables = MeetingSeries.objects.filter(board=board)
    units = units_q(user, board)
    if not units:  # every unit of the board (an empty Q would swallow the "or" below)
        return tables
    # A seat opens the board's own tables only: a school's table takes the school's own people,
    # so a seat kept there after someone moved to another school opens nothing.
    seat = MeetingSeries.members.through.objects.filter(meetingseries=OuterRef("pk"), user=user)
    return tables.filter(units | Q(Exists(seat), school__isnull=True))


def get_meeting_series_for_user(user, board: Board, series_id, *, write: bool = False):
    series = _one(meeting_series_for_user(user, board).select_related("school"), series_id)
    if write:
        require_unit(user, board, Permission.MANAGE_CALENDAR, series.school)
    return series


def get_meeting_for_user(user, board: Board, meeting_id, *, permission: str | None = None):
    from stelsel.meetings.models import Meeting

    meeting = _one(
        Meeting.objects.filter(
            board=board, series__in=meeting_series_for_user(user, board)
        ).select_related("series__school"),
        meeting_id,
    )
    if permission:
        require_unit(user, board, permission, meeting.series.school)
    return meeting


def get_theme_for_user(user, board: Board, plan, theme_id):
    """A theme of `plan`, a plan the caller reached through `get_plan_for_user` (which checked
    reading or writing it on its unit), else 404.

    Themes have no reach of their own: they are parts of their plan. Any other plan's theme, an
    id that is not a number or one beyond a bigint answers the same 404.
    """
    from stelsel.planning.models import Theme

    require(user, board, Permission.VIEW_PLANS)
    return _one(Theme.objects.filter(board=board, plan=plan), theme_id)


def board_goals_for_user(user, board: Board):
    """Goals of the board's own strategic and year plans, for every role that sees plans.

    School goals are written to serve these, so a school leader reads them (to choose one, and
    on the alignment page) even though the board's plans themselves stay out of their reach.
    """
    from stelsel.planning.models import Goal, PlanKind

    require(user, board, Permission.VIEW_PLANS)
    return Goal.objects.filter(
        board=board,
        plan__board=board,
        plan__school__isnull=True,
        plan__kind__in=(PlanKind.STRATEGIC, PlanKind.YEAR),
    )


def board_plans_for_user(user, board: Board):
    """The board's own strategic and year plans, to read beside their goals.

    The same reach as `board_goals_for_user`: the alignment page names the strategic plan whose
    goals it shows (title and period), also to a school leader. Opening such a plan, and
    everything else about it, still goes through `get_plan_for_user`, which keeps the board's
    plans to board roles.
    """
    from stelsel.planning.models import Plan, PlanKind

    require(user, board, Permission.VIEW_PLANS)
    return Plan.objects.filter(
        board=board, school__isnull=True, kind__in=(PlanKind.STRATEGIC, PlanKind.YEAR)
    )


# --- Who does what --------------------------------------------------------------------------


def quality_processes_for_user(user, board: Board):
    """The board's quality processes: board-wide, so every role on the board reads them."""
    from stelsel.organisations.models import QualityProcess

    require(user, board, Permission.VIEW_BOARD)
    return QualityProcess.objects.filter(board=board)


def get_quality_process_for_user(user, board: Board, process_id, *, write: bool = False):
    """A process of the board (else 404); changing it is for the board office (else 403)."""
    process = _one(quality_processes_for_user(user, board), process_id)
    if write:
        require(user, board, Permission.MANAGE_RESPONSIBILITIES)
    return process
