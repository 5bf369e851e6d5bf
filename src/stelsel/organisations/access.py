"""The core of reaching board-owned objects: who holds which role where, and the checks.

Every view, API route and export fetches a board-owned object through a `get_<thing>_for_user`
function, or filters through a `<things>_for_user` queryset: boards, schools, people and quality
processes here, every other app's objects in that app's own `access.py`, built on the helpers
here (`one`, `unit_objects`, `unit_object`, `require_unit`). Objects that do not exist and
objects of another board answer the same 404, so ids cannot be probed. An object the user can
see but may not change answers 403. Querysets are filtered in SQL, never by lists of ids.

One signature throughout: `get_<thing>_for_user(user, board, <thing>_id, *, write=False)` for
one object (`write=True` checks the permission that changing it needs, on its unit) and
`<things>_for_user(user, board)` for querysets. The exceptions say so in their names or
arguments: a part of another object names it (`get_theme_for_user(..., plan=)`,
`get_agenda_point_for_user(..., round_=)`, `get_agenda_item_for_user(..., meeting=)`); a board
or school is reached for what the caller will do there (`permission=`); a person's calendar
feed belongs to no board; and indicators, inspector links and agenda points need the managing
permission to be read at all, so `write` adds nothing there.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from stelsel.lib.ids import MAX_ID
from stelsel.organisations.models import Board, Invitation, Membership, QualityProcess, School
from stelsel.organisations.roles import (
    BOARD_SWITCHED,
    GRANTS,
    ROLES_SEEING_ALL_SCHOOLS,
    SCHOOL_NARROWED,
    Permission,
)


@dataclass(frozen=True)
class Grant:
    board_id: int
    school_id: int | None
    role: str


def grants(user) -> tuple[Grant, ...]:
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
    return {g.role for g in grants(user) if g.board_id == board.pk}


def has_permission(user, board: Board, permission: str, *, school: School | None = None) -> bool:
    """Whether the user may do `permission` on the board, or on `school` of that board.

    Board-scoped memberships count everywhere in the board; school-scoped ones only for their
    own school (and, for viewing the board, for the board's pages that list what they may see).
    A permission the board switches on in its settings is held only while it is on.
    """
    switch = BOARD_SWITCHED.get(permission)
    if switch is not None and not getattr(board, switch):
        return False
    allowed_roles = GRANTS[permission]
    for grant in grants(user):
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


def one(queryset: QuerySet, pk):
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
    grants(user)
    board = getattr(user, "_stelsel_boards", {}).get(pk)
    if board is None:
        raise Http404
    require(user, board, permission)
    return board


def schools_for_user(user, board: Board) -> QuerySet[School]:
    """The schools of `board` the user may see: all for board roles, else their own."""
    board_grants = [g for g in grants(user) if g.board_id == board.pk]
    if any(g.school_id is None and g.role in ROLES_SEEING_ALL_SCHOOLS for g in board_grants):
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
    """A school of the board the user sees (else 404) where they have `permission` (else 403).

    A school is a unit: `permission` names what the caller is about to do in it (share its
    picture, prepare its visits), not a change to the school, which only the DUO import makes.
    """
    school = one(schools_for_user(user, board), school_id)
    require(user, board, permission, school=school)
    return school


def memberships_for_user(user, board: Board) -> QuerySet[Membership]:
    require(user, board, Permission.VIEW_PEOPLE)
    return Membership.objects.filter(board=board)


def get_membership_for_user(
    user, board: Board, membership_id, *, write: bool = False
) -> Membership:
    require(user, board, Permission.MANAGE_PEOPLE if write else Permission.VIEW_PEOPLE)
    return one(
        Membership.objects.select_related("user", "school").filter(board=board), membership_id
    )


def invitations_for_user(user, board: Board) -> QuerySet[Invitation]:
    require(user, board, Permission.VIEW_PEOPLE)
    return Invitation.objects.filter(board=board)


def get_invitation_for_user(
    user, board: Board, invitation_id, *, write: bool = False
) -> Invitation:
    require(user, board, Permission.MANAGE_PEOPLE if write else Permission.VIEW_PEOPLE)
    return one(Invitation.objects.filter(board=board), invitation_id)


def people_on_board(board: Board) -> QuerySet:
    """Everyone with a role on the board (as user records), to be named as an owner: whether
    they fit the unit is the service's to say. The caller has checked the user's own access."""
    return get_user_model().objects.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), board=board))
    )


def get_person_for_user(user, board: Board, person_id, *, write: bool = False):
    """Someone with a role on the board (as a user record), for managing their roles."""
    require(user, board, Permission.MANAGE_PEOPLE if write else Permission.VIEW_PEOPLE)
    return one(people_on_board(board), person_id)


# --- Units: a school, or the board itself -------------------------------------------------
# The quality picture, evidence, actions, herstelopdrachten, visits and inspector's links all
# belong to a unit: `school` set for a school, empty for the board itself. School roles reach
# their own school's objects; only board-scoped roles reach the board's own.


def has_unit_permission(user, board: Board, permission: str, school: School | None) -> bool:
    """`permission` on one unit. For the board itself a board-scoped grant is needed: a school
    leader may list the board's pages narrowed to their school, not judge the board."""
    if school is not None:
        return has_permission(user, board, permission, school=school)
    switch = BOARD_SWITCHED.get(permission)
    if switch is not None and not getattr(board, switch):
        return False
    allowed = GRANTS[permission]
    return any(
        g.board_id == board.pk and g.school_id is None and g.role in allowed for g in grants(user)
    )


def require_unit(user, board: Board, permission: str, school: School | None) -> None:
    if not has_unit_permission(user, board, permission, school):
        raise PermissionDenied


def units_q(user, board: Board) -> Q:
    """The filter for unit-owned rows of `board` the user may see, in SQL (to be combined with
    a filter on the board)."""
    board_grants = [g for g in grants(user) if g.board_id == board.pk]
    if any(g.school_id is None and g.role in ROLES_SEEING_ALL_SCHOOLS for g in board_grants):
        return Q()  # every school of the board and the board itself
    # School roles: their own schools, never the board itself.
    return Q(school__in=schools_for_user(user, board))


def unit_objects(model, user, board: Board, view: str = Permission.VIEW_PICTURE) -> QuerySet:
    """The rows of a unit-owned `model` of the board in the units the user sees, for those
    with `view` on the board (else 403)."""
    require(user, board, view)
    return model.objects.filter(board=board).filter(units_q(user, board))


def unit_object(
    model,
    user,
    board: Board,
    pk,
    permission: str | None,
    related=("school",),
    view: str = Permission.VIEW_PICTURE,
):
    """One row of `unit_objects` by id (else 404), with `permission` on its unit when given
    (else 403)."""
    obj = one(unit_objects(model, user, board, view).select_related(*related), pk)
    if permission:
        require_unit(user, board, permission, obj.school)
    return obj


# --- Who does what --------------------------------------------------------------------------


def quality_processes_for_user(user, board: Board):
    """The board's quality processes: board-wide, so every role on the board reads them."""
    require(user, board, Permission.VIEW_BOARD)
    return QualityProcess.objects.filter(board=board)


def get_quality_process_for_user(user, board: Board, process_id, *, write: bool = False):
    """A process of the board (else 404); changing it is for the board office (else 403)."""
    process = one(quality_processes_for_user(user, board), process_id)
    if write:
        require(user, board, Permission.MANAGE_RESPONSIBILITIES)
    return process
