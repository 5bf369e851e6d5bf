"""Small builders for test data; every test module builds its own world from these."""

import itertools
from dataclasses import dataclass, field

from stelsel.accounts.models import User
from stelsel.accounts.services import user_create
from stelsel.organisations.models import Board, Membership, School
from stelsel.organisations.roles import Role

PASSWORD = "correct-horse-battery-9"
_counter = itertools.count(1)


def make_board(*, name: str | None = None, number: str | None = None, **fields) -> Board:
    n = next(_counter)
    return Board.objects.create(
        name=name or f"Stichting Test {n}", number=number or f"{80000 + n:05d}", **fields
    )


def _brin(n: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return f"{n % 100:02d}{letters[(n // 100) % 26]}{letters[(n // 2600) % 26]}"


def make_school(board: Board, *, name: str | None = None, kind: str = "bo", **fields) -> School:
    n = next(_counter)
    brin = fields.pop("instellingscode", None) or _brin(n)
    return School.objects.create(
        board=board,
        name=name or f"School {n}",
        instellingscode=brin,
        vestigingscode=fields.pop("vestigingscode", None) or f"{brin}00",
        kind=kind,
        **fields,
    )


def make_user(*, email: str | None = None, name: str = "", password: str = PASSWORD) -> User:
    n = next(_counter)
    return user_create(
        email=email or f"person{n}@example.org", password=password, name=name or f"Person {n}"
    )


def grant(user: User, board: Board, role: str, school: School | None = None) -> Membership:
    return Membership.objects.create(user=user, board=board, role=role, school=school)


BOARD_ROLES = [
    Role.BOARD_EXECUTIVE,
    Role.QUALITY_OFFICER,
    Role.SUPERVISOR,
    Role.COUNCIL,
    Role.ADVISOR,
]
SCHOOL_ROLES = [Role.SCHOOL_LEADER, Role.STAFF]


@dataclass
class World:
    """Two boards. `board` has `school` and `other_school`; `other_board` has its own school.

    `users[role]` holds one user per role on `board` (school roles on `school`); `outsider` is
    the board executive of `other_board`; `nobody` has no role anywhere.
    """

    board: Board
    school: School
    other_school: School
    other_board: Board
    other_board_school: School
    users: dict[str, User] = field(default_factory=dict)
    outsider: User | None = None
    nobody: User | None = None


def make_world() -> World:
    board = make_board(name="Stichting Eigen")
    world = World(
        board=board,
        school=make_school(board, name="De Eigen School"),
        other_school=make_school(board, name="De Andere School"),
        other_board=(other := make_board(name="Stichting Ander")),
        other_board_school=make_school(other, name="School van een ander bestuur"),
    )
    for role in BOARD_ROLES:
        world.users[role] = make_user(name=f"{role} user")
        grant(world.users[role], board, role)
    for role in SCHOOL_ROLES:
        world.users[role] = make_user(name=f"{role} user")
        grant(world.users[role], board, role, world.school)
    world.outsider = make_user(name="Outsider")
    grant(world.outsider, other, Role.BOARD_EXECUTIVE)
    world.nobody = make_user(name="Nobody")
    return world
