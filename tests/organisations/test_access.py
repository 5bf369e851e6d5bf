"""access.py: the only way to board-owned objects; 404 for other boards, 403 without a right."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from stelsel.organisations.access import (
    boards_for_user,
    forget_grants,
    get_board_for_user,
    get_school_for_user,
    has_permission,
    roles_on_board,
    schools_for_user,
)
from stelsel.organisations.roles import Permission, Role
from tests.factories import grant, make_school

pytestmark = pytest.mark.django_db


def test_it_lists_only_the_users_boards(world):
    assert list(boards_for_user(world.users[Role.STAFF])) == [world.board]
    assert list(boards_for_user(world.outsider)) == [world.other_board]
    assert list(boards_for_user(world.nobody)) == []


def test_it_answers_404_for_another_boards_board_and_for_missing_ids(world):
    for board_id in (world.other_board.pk, 987654, "abc", None, -1, 0, 10**30):
        with pytest.raises(Http404):
            get_board_for_user(world.users[Role.BOARD_EXECUTIVE], board_id)


def test_it_answers_403_for_a_visible_board_without_the_permission(world):
    with pytest.raises(PermissionDenied):
        get_board_for_user(
            world.users[Role.SUPERVISOR], world.board.pk, permission=Permission.MANAGE_PEOPLE
        )


def test_board_roles_see_every_school_and_school_roles_only_their_own(world):
    board_schools = set(schools_for_user(world.users[Role.QUALITY_OFFICER], world.board))
    assert board_schools == {world.school, world.other_school}
    assert list(schools_for_user(world.users[Role.STAFF], world.board)) == [world.school]
    with pytest.raises(Http404):
        get_school_for_user(world.users[Role.STAFF], world.board, world.other_school.pk)


def test_it_never_reaches_a_school_of_another_board_through_this_board(world):
    with pytest.raises(Http404):
        get_school_for_user(
            world.users[Role.BOARD_EXECUTIVE], world.board, world.other_board_school.pk
        )


def test_a_person_with_two_roles_gets_the_union(world):
    leader = world.users[Role.SCHOOL_LEADER]
    third = make_school(world.board)
    grant(leader, world.board, Role.SCHOOL_LEADER, third)
    assert set(schools_for_user(leader, world.board)) == {world.school, third}
    grant(leader, world.other_board, Role.ADVISOR)
    leader._stelsel_grants = None
    assert set(boards_for_user(leader)) == {world.board, world.other_board}
    assert has_permission(
        leader, world.other_board, Permission.VIEW_SCHOOL, school=world.other_board_school
    )


def test_a_rector_bestuurder_is_board_executive_and_school_leader(world):
    person = world.users[Role.SCHOOL_LEADER]
    grant(person, world.board, Role.BOARD_EXECUTIVE)
    forget_grants(person)
    assert has_permission(person, world.board, Permission.MANAGE_PEOPLE)
    assert roles_on_board(person, world.board) == {Role.SCHOOL_LEADER, Role.BOARD_EXECUTIVE}


def test_inactive_users_reach_nothing(world):
    user = world.users[Role.BOARD_EXECUTIVE]
    user.is_active = False
    user.save()
    assert not has_permission(user, world.board, Permission.VIEW_BOARD)
