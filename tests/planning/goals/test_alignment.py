"""Alignment: the board's goals with the school goals that serve them, and the gaps."""

import datetime

import pytest
from django.urls import reverse

from stelsel.organisations.roles import Role
from stelsel.planning.goals.selectors import alignment
from stelsel.planning.models import PlanKind, PlanStatus
from tests.factories.planning import make_goal, make_plan

D = datetime.date


@pytest.fixture
def plans(world):
    strategic = make_plan(world.board, None, title="Koersplan 2025-2029")
    reading = make_goal(strategic, "Alle scholen halen de leesnorm")
    maths = make_goal(strategic, "Rekenen boven het landelijk gemiddelde")
    citizenship = make_goal(strategic, "Burgerschap zichtbaar in elke klas")
    year = make_plan(world.board, None, kind=PlanKind.YEAR, ends_on=D(2026, 7, 31))
    year_maths = make_goal(year, "Dit jaar: rekenmethode ingevoerd", serves=maths, target_date=None)
    own = make_plan(world.board, world.school, title="Schoolplan Eigen")
    other = make_plan(world.board, world.other_school, title="Schoolplan Ander")
    make_goal(own, "80% van groep 4 leest op niveau", serves=reading)
    make_goal(own, "Meer leesplezier in groep 6", serves=None)
    make_goal(other, "Rekenscore groep 8 boven 205", serves=year_maths)
    make_goal(other, "Leesresultaten groep 5 omhoog", serves=reading)
    closed = make_plan(world.board, world.other_school, title="Oud", status=PlanStatus.CLOSED)
    make_goal(closed, "Oud doel", serves=citizenship)
    make_goal(make_plan(world.other_board, None), "Ander bestuur")
    return strategic


def _titles(goals):
    return [g.title for g in goals]


def test_each_board_goal_lists_the_school_goals_that_serve_it(world, plans):
    data = alignment(world.users[Role.QUALITY_OFFICER], world.board)
    assert data.plans == [plans]
    columns = {c.goal.title: _titles(c.school_goals) for c in data.columns}
    assert columns == {
        "Alle scholen halen de leesnorm": [
            "Leesresultaten groep 5 omhoog",
            "80% van groep 4 leest op niveau",
        ],
        # served through the board's year goal
        "Rekenen boven het landelijk gemiddelde": ["Rekenscore groep 8 boven 205"],
        "Burgerschap zichtbaar in elke klas": [],  # only a closed plan worked on it
    }


def test_the_gaps_are_named(world, plans):
    data = alignment(world.users[Role.QUALITY_OFFICER], world.board)
    assert _titles(data.unserved) == ["Burgerschap zichtbaar in elke klas"]
    assert _titles(data.loose) == ["Meer leesplezier in groep 6"]
    rows = {r.school_goal.title: r.board_goal.title if r.board_goal else None for r in data.rows}
    assert rows["Rekenscore groep 8 boven 205"] == "Rekenen boven het landelijk gemiddelde"
    assert rows["Meer leesplezier in groep 6"] is None


def test_a_school_leader_sees_the_board_goals_beside_their_own_schools_goals(world, plans):
    data = alignment(world.users[Role.SCHOOL_LEADER], world.board)
    assert not data.sees_board_plans
    columns = {c.goal.title: _titles(c.school_goals) for c in data.columns}
    assert columns["Alle scholen halen de leesnorm"] == ["80% van groep 4 leest op niveau"]
    assert columns["Rekenen boven het landelijk gemiddelde"] == []  # the other school's is hidden
    assert "Rekenscore groep 8 boven 205" not in _titles(g.school_goal for g in data.rows)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_same_strategic_plan_on_the_alignment_page(
    english, world, plans, role
):
    make_plan(
        world.board, None, title="Oude koers", status=PlanStatus.CLOSED, ends_on=D(2025, 7, 31)
    )
    make_plan(world.other_board, None, title="Koers van een ander bestuur")
    assert alignment(world.users[role], world.board).plans == [plans]
    english.force_login(world.users[role])
    text = english.get(reverse("planning:alignment", args=[world.board.pk])).content.decode()
    assert "Koersplan 2025-2029" in text
    assert "Oude koers" not in text and "Koers van een ander bestuur" not in text


def test_the_boards_own_plans_are_read_through_access(world, plans):
    from django.core.exceptions import PermissionDenied

    from stelsel.planning.access import board_plans_for_user

    year = make_plan(world.board, None, kind=PlanKind.YEAR, title="Jaarplan bestuur")
    improvement = make_plan(world.board, None, kind=PlanKind.IMPROVEMENT, title="Verbeterplan")
    for role in (Role.BOARD_EXECUTIVE, Role.SCHOOL_LEADER, Role.STAFF):
        reached = set(board_plans_for_user(world.users[role], world.board))
        assert plans in reached and year in reached  # the school plans and others' are not
        assert improvement not in reached
        assert all(p.board_id == world.board.pk and p.school_id is None for p in reached)
    for user in (world.nobody, world.outsider):
        with pytest.raises(PermissionDenied):
            board_plans_for_user(user, world.board)


def test_without_a_strategic_plan_there_is_nothing_to_align(world):
    data = alignment(world.users[Role.QUALITY_OFFICER], world.board)
    assert data.plans == [] and data.columns == []


def test_the_alignment_page_shows_a_map_a_table_and_the_gaps_in_words(english, world, plans):
    english.force_login(world.users[Role.BOARD_EXECUTIVE])
    response = english.get(reverse("planning:alignment", args=[world.board.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "alignment-map" in text and "<table" in text
    assert "Board goals no school works on" in text
    assert "School goals that serve no board goal" in text
    assert "No school goal serves this yet." in text
    assert "Ander bestuur" not in text


def test_a_school_leader_reads_the_alignment_without_links_to_the_boards_plans(
    english, world, plans
):
    english.force_login(world.users[Role.SCHOOL_LEADER])
    text = english.get(reverse("planning:alignment", args=[world.board.pk])).content.decode()
    assert "Alle scholen halen de leesnorm" in text
    assert reverse("planning:plan", args=[world.board.pk, plans.pk]) not in text
    assert "Board goals your school does not work on" in text
