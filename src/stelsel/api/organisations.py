"""API routes for the signed-in user, boards and schools, through the same access rules."""

from ninja import Router

from stelsel.api.schemas import BoardOut, ErrorOut, MembershipOut, MeOut, SchoolOut
from stelsel.organisations import selectors
from stelsel.organisations.access import get_board_for_user, get_school_for_user, schools_for_user
from stelsel.organisations.models import Membership

router = Router(tags=["organisations"])


def _board_out(board) -> BoardOut:
    """`school_count` counts the schools the user may see; `is_single_school` is the public
    fact that the board runs one school (an eenpitter)."""
    return BoardOut(
        id=board.pk,
        name=board.name,
        number=board.number,
        sector=board.sector,
        is_single_school=board.total_schools == 1,
        school_count=board.school_count,
    )


def _school_out(school) -> SchoolOut:
    return SchoolOut(
        id=school.pk,
        board_id=school.board_id,
        name=school.name,
        instellingscode=school.instellingscode,
        vestigingscode=school.vestigingscode,
        kind=school.kind,
        municipality=school.municipality,
        city=school.city,
        denomination=school.denomination,
    )


@router.get("/me", response=MeOut, summary="The signed-in user and their memberships")
def me(request):
    user = request.auth
    memberships = Membership.objects.filter(user=user).select_related("board", "school")
    return MeOut(
        id=user.pk,
        email=user.email,
        name=user.name,
        memberships=[
            MembershipOut(
                board_id=m.board_id,
                board_name=m.board.name,
                school_id=m.school_id,
                school_name=m.school.name if m.school else None,
                role=m.role,
            )
            for m in memberships
        ],
    )


@router.get("/boards", response=list[BoardOut], summary="Boards the user has a role on")
def boards(request):
    return [_board_out(b) for b in selectors.boards_overview(request.auth)]


@router.get("/boards/{board_id}", response={200: BoardOut, 404: ErrorOut})
def board(request, board_id: int):
    board = get_board_for_user(request.auth, board_id)
    board.total_schools = board.schools.count()
    board.school_count = schools_for_user(request.auth, board).count()
    return _board_out(board)


@router.get(
    "/boards/{board_id}/schools",
    response={200: list[SchoolOut], 404: ErrorOut},
    summary="Schools of the board the user may see",
)
def schools(request, board_id: int):
    board = get_board_for_user(request.auth, board_id)
    return [_school_out(s) for s in schools_for_user(request.auth, board)]


@router.get("/boards/{board_id}/schools/{school_id}", response={200: SchoolOut, 404: ErrorOut})
def school(request, board_id: int, school_id: int):
    board = get_board_for_user(request.auth, board_id)
    return _school_out(get_school_for_user(request.auth, board, school_id))
