"""The action list that the action list page and the API both read: its filters and its reach."""

import datetime

import pytest

from stelsel.organisations.roles import Role
from stelsel.planning.actions.selectors import action_list
from stelsel.planning.models import ActionStatus
from tests.factories import make_action

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 1)


@pytest.fixture
def actions(world):
    leader = world.users[Role.SCHOOL_LEADER]
    return {
        "board": make_action(world.board, None, title="Bestuur"),
        "own": make_action(
            world.board, world.school, owner=leader, due_on=TODAY - datetime.timedelta(days=1)
        ),
        "done": make_action(
            world.board,
            world.school,
            status=ActionStatus.DONE,
            due_on=TODAY - datetime.timedelta(days=9),
        ),
        "other": make_action(world.board, world.other_school, status=ActionStatus.STALLED),
        "elsewhere": make_action(world.other_board, None),
    }


def _titles(found, actions) -> set[str]:
    names = {a.pk: name for name, a in actions.items()}
    return {names[a.pk] for a in found}


def test_the_filters_keep_the_unit_status_overdue_and_own_actions(world, actions):
    user = world.users[Role.QUALITY_OFFICER]
    assert _titles(action_list(user, world.board), actions) == {"board", "own", "done", "other"}
    assert _titles(action_list(user, world.board, unit="bestuur"), actions) == {"board"}
    school = str(world.school.pk)
    assert _titles(action_list(user, world.board, unit=school), actions) == {"own", "done"}
    stalled = action_list(user, world.board, status=ActionStatus.STALLED)
    assert _titles(stalled, actions) == {"other"}
    overdue = action_list(user, world.board, overdue=True, today=TODAY)
    assert _titles(overdue, actions) == {"own"}  # a finished action is never overdue
    leader = world.users[Role.SCHOOL_LEADER]
    assert _titles(action_list(leader, world.board, mine=True), actions) == {"own"}


def test_a_school_role_reads_only_its_own_schools_actions(world, actions):
    leader = world.users[Role.SCHOOL_LEADER]
    assert _titles(action_list(leader, world.board), actions) == {"own", "done"}
