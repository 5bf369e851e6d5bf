"""Self-evaluation rounds, their results and their conversation agendas are reached only
through here, on top of the core in `organisations.access`: another board's rounds and rounds of
schools the user does not see answer 404, like ids that do not exist.

Rounds are run by the board office (MANAGE_ROUNDS); a board may let its school leaders run
their own school's rounds too (RUN_SCHOOL_ROUNDS, switched on in the board's settings): the
rounds they start for their school, never the board's own rounds, another school's, or those
the board office started for their school."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from stelsel.organisations.access import grants, has_permission, one, require, schools_for_user
from stelsel.organisations.models import Board, Membership, School
from stelsel.organisations.roles import GRANTS, Permission
from stelsel.selfevaluation.models import AgendaPoint, Round, RoundState


def rounds_for_user(user, board: Board):
    """Self-evaluation rounds of the board the user may see: the board's own rounds and those
    of the schools the user sees."""
    require(user, board, Permission.VIEW_ROUNDS)
    return Round.objects.filter(board=board).filter(
        Q(school__isnull=True) | Q(school__in=schools_for_user(user, board))
    )


def may_run_round(user, board: Board, round_) -> bool:
    """Whether the user organises `round_` (a round of `board`): the board office every round,
    a school leader whose board allows it the rounds their school started itself (not those
    the board office started for the school: when and with whom those are shared stays the
    board office's)."""
    if has_permission(user, board, Permission.MANAGE_ROUNDS):
        return True
    return (
        round_.run_by_school
        and round_.school_id is not None
        and has_permission(user, board, Permission.RUN_SCHOOL_ROUNDS, school=round_.school)
    )


def may_create_rounds(user, board: Board) -> bool:
    """Whether the user may start a round at all (for the board, or for a school of theirs)."""
    return has_permission(user, board, Permission.MANAGE_ROUNDS) or has_permission(
        user, board, Permission.RUN_SCHOOL_ROUNDS
    )


def may_run_board_rounds(user, board: Board) -> bool:
    """Rounds of the board itself are for the board office only."""
    return has_permission(user, board, Permission.MANAGE_ROUNDS)


def round_schools_for_user(user, board: Board) -> QuerySet[School]:
    """The schools the user may run rounds for (403 when none may be): every school they see
    for the board office, their own schools for a school leader whose board allows it."""
    if has_permission(user, board, Permission.MANAGE_ROUNDS):
        return schools_for_user(user, board)
    require(user, board, Permission.RUN_SCHOOL_ROUNDS)
    return School.objects.filter(
        board=board,
        pk__in=Membership.objects.filter(
            user=user,
            board=board,
            school__isnull=False,
            role__in=GRANTS[Permission.RUN_SCHOOL_ROUNDS],
        ).values("school_id"),
    )


def get_round_for_user(user, board: Board, round_id, *, write: bool = False):
    """A round the user sees (else 404); `write` needs the user to run it (`may_run_round`,
    else 403)."""
    round_ = one(
        rounds_for_user(user, board).select_related("school", "questionnaire_version"), round_id
    )
    if write and not may_run_round(user, board, round_):
        raise PermissionDenied
    return round_


def may_see_results(user, round_) -> bool:
    """Organisers see results once a round is closed; others when they are shared with a role
    the user holds on the board (or on the round's school)."""
    if round_.state not in (RoundState.CLOSED, RoundState.SHARED):
        return False
    board = round_.board
    if may_run_round(user, board, round_):
        return True
    if round_.state != RoundState.SHARED:
        return False
    for grant in grants(user):
        if grant.board_id != board.pk or grant.role not in round_.shared_with:
            continue
        if grant.school_id is None or grant.school_id == round_.school_id:
            return True
    return False


def agenda_points_for_user(user, board: Board):
    """Points of the conversation agendas of the rounds the user sees, for those who organise
    rounds: they put them on a meeting's agenda."""
    require(user, board, Permission.MANAGE_ROUNDS)
    return AgendaPoint.objects.filter(board=board, round__in=rounds_for_user(user, board))


def get_agenda_point_for_user(user, board: Board, point_id, *, round_, write: bool = False):
    """A point of the agenda of `round_`, a round the caller reached through
    `get_round_for_user`, else 404.

    Agenda points are for those who organise the round: reading one needs that as changing
    it does, checked first (403), so `write` adds no further check.
    """
    if not may_run_round(user, board, round_):
        raise PermissionDenied
    return one(AgendaPoint.objects.filter(round=round_, board=board), point_id)
