"""The registry through which a goal reads its own indicators' measurements, and how a measured
value reads against the goal's baseline and target."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from stelsel.organisations.roles import Role
from stelsel.planning import measures
from stelsel.planning.measures import HIGHER, LOWER, MeasuredValue, against_goal
from stelsel.planning.models import Goal
from tests.factories.planning import make_goal, make_plan


def value(number, *, unit="%", direction=HIGHER) -> MeasuredValue:
    return MeasuredValue(
        indicator="VERZ Verzuim",
        unit_name="De Eigen School",
        measured_on=datetime.date(2025, 10, 1),
        value=Decimal(str(number)),
        unit=unit,
        direction=direction,
        source="",
        url="/",
    )


def goal(baseline=None, target=None, unit="%") -> Goal:
    return Goal(
        baseline=None if baseline is None else Decimal(str(baseline)),
        target=None if target is None else Decimal(str(target)),
        unit=unit,
    )


@pytest.mark.parametrize(
    ("baseline", "target", "measured", "direction", "words"),
    [
        (60, 80, 82, HIGHER, "target reached"),
        (60, 80, 70, HIGHER, "10 short of the target"),
        (60, 80, 55, HIGHER, "worse than the baseline"),
        # Baseline above target: lower is better for this goal, whatever the indicator says.
        (8, 5, 4.5, HIGHER, "target reached"),
        (8, 5, 6.25, HIGHER, "1.25 short of the target"),
        (8, 5, 9, HIGHER, "worse than the baseline"),
        # Without a baseline the indicator's direction decides.
        (None, 5, 4, LOWER, "target reached"),
        (None, 5, 6, LOWER, "1 short of the target"),
        (6, None, 5, LOWER, "better than the baseline"),
        (6, None, 6, LOWER, "at the baseline"),
        (6, None, 7, LOWER, "worse than the baseline"),
        (None, None, 7, LOWER, ""),
    ],
)
def test_a_value_reads_against_the_goals_baseline_and_target(
    baseline, target, measured, direction, words
):
    assert against_goal(goal(baseline, target), value(measured, direction=direction)) == words


def test_a_goal_in_another_unit_is_not_compared():
    assert against_goal(goal(60, 80, unit="leerlingen"), value(70)) == ""
    assert against_goal(goal(60, 80, unit=""), value(70)) == "10 short of the target"


@pytest.mark.django_db
def test_without_a_reader_goals_show_no_measurements_and_planning_works(client, world, monkeypatch):
    monkeypatch.setattr(measures, "_latest_for_goal", None)
    plan_goal = make_goal(make_plan(world.board, world.school))
    assert measures.latest_for_goal(None, world.board, plan_goal) == []
    client.force_login(world.users[Role.SCHOOL_LEADER])
    page = client.get(reverse("planning:goal", args=[world.board.pk, plan_goal.pk]))
    assert page.status_code == 200
    assert page.context["indicator_values"] == []
