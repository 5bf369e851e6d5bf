"""Self-evaluation rounds, their results and their conversation agendas are reached only
through here, on top of the core in `organisations.access`: another board's rounds and rounds of
schools the user does not see answer 404, like ids that do not exist."""

from django.db.models import Q

from stelsel.organisations.access import grants, has_permission, one, require, schools_for_user
from stelsel.organisations.models import Board
from stelsel.organisations.roles import Permission
from stelsel.selfevaluation.models import AgendaPoint, Round, RoundState


def rounds_for_user(user, board: Board):
    """Self-evaluation rounds of the board the user may see: the board's own rounds and those
    of the schools the user sees."""
    require(user, board, Permission.VIEW_ROUNDS)
    return Round.objects.filter(board=board).filter(
        Q(school__isnull=True) | Q(school__in=schools_for_user(user, board))
    )


def get_round_for_user(user, board: Board, round_id, *, write: bool = False):
    """A round the user sees (else 404); `write` needs MANAGE_ROUNDS on the board (else 403)."""
    round_ = one(
        rounds_for_user(user, board).select_related("school", "questionnaire_version"), round_id
    )
    if write:
        require(user, board, Permission.MANAGE_ROUNDS)
    return round_


def may_see_results(user, round_) -> bool:
    """Organisers see results once a round is closed; others when they are shared with a role
    the user holds on the board (or on the round's school)."""
    if round_.state not in (RoundState.CLOSED, RoundState.SHARED):
        return False
    board = round_.board
    if has_permission(user, board, Permission.MANAGE_ROUNDS):
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

    Agenda points are for those who organise rounds: reading one needs MANAGE_ROUNDS as
    changing it does, checked first (403), so `write` adds no further check.
    """
    require(user, board, Permission.MANAGE_ROUNDS)
    return one(AgendaPoint.objects.filter(round=round_, board=board), point_id)
