"""Reads for boards, schools and people: scoped through access.py and free of N+1 queries."""

from dataclasses import dataclass

from django.db.models import Count, Q

from stelsel.frameworks.models import FrameworkVersion
from stelsel.organisations import activity
from stelsel.organisations.access import (
    boards_for_user,
    invitations_for_user,
    memberships_for_user,
    people_on_board,
    require,
    schools_for_user,
    visible_schools,
)
from stelsel.organisations.models import Board, Invitation, Membership, School, Sector
from stelsel.organisations.roles import Permission, Role


def boards_overview(user) -> list[Board]:
    """The user's boards with the number of schools the user can see on each."""
    boards = list(boards_for_user(user).annotate(total_schools=Count("schools")))
    visible = dict(
        visible_schools(user)
        .values_list("board_id")
        .annotate(n=Count("pk"))
        .values_list("board_id", "n")
    )
    for board in boards:
        board.school_count = visible.get(board.pk, 0)
    return boards


def board_schools(user, board: Board) -> list[School]:
    """The schools the user may see, with how many people have a role there."""
    return list(
        schools_for_user(user, board).annotate(
            people_count=Count(
                "memberships__user", distinct=True, filter=Q(memberships__board=board)
            )
        )
    )


def school_leaders(school: School) -> list[Membership]:
    return list(
        Membership.objects.filter(
            board_id=school.board_id, school=school, role=Role.SCHOOL_LEADER
        ).select_related("user")
    )


def frameworks_for_school(school: School) -> list[FrameworkVersion]:
    """The newest version of each school-level framework that fits the school's sector."""
    sectors = {school.sector, "all"}
    if school.sector == Sector.SO:
        sectors.add("po")
    return _newest(FrameworkVersion.objects.filter(level="school", sector__in=sectors))


def frameworks_for_board(board: Board) -> list[FrameworkVersion]:
    return _newest(FrameworkVersion.objects.filter(level="board"))


def _newest(versions) -> list[FrameworkVersion]:
    newest: dict[int, FrameworkVersion] = {}
    for version in versions.select_related("framework").order_by("framework_id", "-version"):
        newest.setdefault(version.framework_id, version)
    return sorted(newest.values(), key=lambda v: v.name)


@dataclass(frozen=True)
class Person:
    user: object
    memberships: list[Membership]


def board_people(user, board: Board) -> list[Person]:
    """Everyone with a role on the board, each once, with all their roles."""
    memberships = (
        memberships_for_user(user, board)
        .select_related("user", "school")
        .order_by("user__name", "user__email", "role")
    )
    people: dict[int, Person] = {}
    for membership in memberships:
        people.setdefault(membership.user_id, Person(membership.user, [])).memberships.append(
            membership
        )
    return list(people.values())


def open_invitations(user, board: Board) -> list[Invitation]:
    return list(
        invitations_for_user(user, board)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("school", "invited_by")
    )


def board_activity(user, board: Board, filters: activity.Filters) -> activity.ActivityPage:
    """One page of who changed what and when on the board's records, newest first."""
    require(user, board, Permission.VIEW_ACTIVITY)
    return activity.read(user, board, filters)


def activity_choices(user, board: Board) -> tuple[list[School], list]:
    """What the activity filter offers: the board's schools and everyone with a role on it."""
    require(user, board, Permission.VIEW_ACTIVITY)
    return (
        list(schools_for_user(user, board).order_by("name")),
        list(people_on_board(board).order_by("name", "email")),
    )
