"""The plans block: the plans of the report's units that ran in its period, their goals as the
plan page shows them (latest check-in, actions), the measured value against the target, for the
report's schools only, in a fixed number of queries."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stelsel.lib.date_formats import short_date
from stelsel.picture.models import Indicator
from stelsel.planning.models import PlanKind, PlanStatus, Progress
from stelsel.planning.plans.selectors import plan_detail
from stelsel.reports.blocks import Scope, collect
from tests.factories import make_action, make_board, make_school
from tests.factories.planning import make_check_in, make_goal, make_plan, make_theme

pytestmark = pytest.mark.django_db

START, END = date(2025, 8, 1), date(2026, 7, 31)


class World:
    """Three schools with plans (a draft and one of an earlier period among them), a school
    outside every scope, a school without plans, and the board's strategic plan."""

    def __init__(self):
        today = timezone.localdate()
        self.board = make_board(name="Stichting Plan")
        names = ("De Akker", "De Beemd", "De Dijk")
        self.schools = {name: make_school(self.board, name=name) for name in names}
        self.outside = make_school(self.board, name="Buiten de Rapportage")
        self.empty = make_school(self.board, name="Zonder Plan")
        akker, beemd, dijk = self.schools.values()
        self.akker = make_plan(self.board, akker, title="Schoolplan Akker", status="active")
        reading = make_theme(self.akker, "Lezen", position=2)
        sums = make_theme(self.akker, "Rekenen", position=1)
        # Made first, but under the second theme: the page shows it after the arithmetic goal.
        self.reading = make_goal(
            self.akker,
            "In juni leest 80% op niveau",
            theme=reading,
            baseline=Decimal("40"),
            unit="%",
            target_date=date(2027, 6, 30),
        )
        self.sums = make_goal(self.akker, "Rekenen op niveau", theme=sums, target=None)
        self.loose = make_goal(self.akker, "Zonder thema", target=Decimal("12.5"))
        make_check_in(self.reading, held_on=date(2025, 10, 1), measured=Decimal("50"))
        make_check_in(self.reading, held_on=date(2026, 1, 15), progress=Progress.AT_RISK)
        make_action(self.board, akker, goal=self.reading, status="done", progress=100)
        make_action(
            self.board,
            akker,
            goal=self.reading,
            status="in_progress",
            due_on=today - timedelta(days=5),
        )
        make_action(self.board, akker, goal=self.reading, status="cancelled")
        make_action(
            self.board,
            akker,
            goal=self.reading,
            status="planned",
            due_on=today + timedelta(days=30),
        )
        make_plan(self.board, akker, title="CONCEPTPLAN", status=PlanStatus.DRAFT)
        make_plan(
            self.board,
            beemd,
            kind=PlanKind.YEAR,
            title="VORIG-JAARPLAN",
            status="closed",
            starts_on=date(2024, 8, 1),
            ends_on=date(2025, 7, 31),
        )
        self.beemd = make_plan(
            self.board,
            beemd,
            kind=PlanKind.YEAR,
            title="Jaarplan Beemd",
            status="active",
            starts_on=START,
            ends_on=END,
        )
        incidents = Indicator.objects.create(
            board=self.board,
            perspective="expectations",
            code="INC",
            title="Incidenten",
            unit="aantal",
            direction="lower",
        )
        self.fewer = make_goal(self.beemd, "Minder incidenten", target=Decimal("10"))
        self.fewer.indicators.set([incidents])
        make_check_in(self.fewer, held_on=date(2026, 3, 1), measured=Decimal("8"))
        self.dijk = make_plan(
            self.board,
            dijk,
            kind=PlanKind.IMPROVEMENT,
            title="Verbeterplan Dijk",
            status="closed",
            starts_on=date(2025, 9, 1),
            ends_on=date(2026, 3, 1),
        )
        make_goal(self.dijk, "Zicht op ontwikkeling")
        outside = make_plan(self.board, self.outside, title="GEHEIM-BUITEN-SCOPE", status="active")
        make_goal(outside, "GEHEIM-DOEL")
        self.strategic = make_plan(self.board, None, title="Koersplan", status="active")
        make_goal(self.strategic, "Elke school leest beter")

    def scope(self, *schools, board_level=False):
        return Scope(
            self.board, tuple(sorted(schools, key=lambda s: s.name)), board_level, START, END
        )


@pytest.fixture
def w():
    return World()


def goal_table(snapshot, plan_title):
    return next(t for t in snapshot["tables"] if f", {plan_title}:" in t["caption"])


def page_goals(plan) -> list[list]:
    """The plan page's goals in its order, each with its latest check-in and its actions."""
    today = timezone.localdate()
    rows = []
    for block in plan_detail(plan).themes:
        for row in block.goals:
            actions = [a.action for a in row.actions if a.action.status != "cancelled"]
            rows.append(
                [
                    row.goal.title,
                    short_date(row.latest.held_on) if row.latest else None,
                    row.latest.get_progress_display() if row.latest else None,
                    len(actions),
                    sum(1 for a in actions if a.status == "done"),
                    sum(1 for a in actions if a.is_overdue(today)),
                ]
            )
    return rows


def test_one_school_shows_the_plan_page(w):
    snapshot = collect("plans", w.scope(w.schools["De Akker"]))
    assert snapshot["source"] == "Plans"
    assert snapshot["source_path"] == reverse("planning:plan", args=[w.board.pk, w.akker.pk])
    assert snapshot["as_of"] == timezone.localdate().isoformat()
    plans = snapshot["tables"][0]
    assert plans["rows"] == [
        [
            "De Akker",
            "Schoolplan Akker",
            "School plan",
            "1 Aug 2025 – 31 Jul 2029",
            "Active",
            3,
            3,
            1,
            1,
        ]
    ]
    goals = goal_table(snapshot, "Schoolplan Akker")
    assert [[r[0], r[5], r[6], r[7], r[8], r[9]] for r in goals["rows"]] == page_goals(w.akker)
    by_title = {row[0]: row for row in goals["rows"]}
    assert [row[0] for row in goals["rows"]] == [
        "Rekenen op niveau",
        "In juni leest 80% op niveau",
        "Zonder thema",
    ]
    reading = by_title["In juni leest 80% op niveau"]
    assert reading[1] == "40 → 80 % by 30 Jun 2027"
    # Measured at the October check-in; the latest check-in (January) measured nothing.
    assert reading[2:7] == [50, "1 Oct 2025", "30 short of the target", "15 Jan 2026", "At risk"]
    assert by_title["Rekenen op niveau"][1] == "no target value · by 31 Jul 2029"
    assert by_title["Rekenen op niveau"][2:7] == [None, None, None, None, None]
    assert by_title["Zonder thema"][1] == "? → 12.5 by 31 Jul 2029"
    text = json.dumps(snapshot)
    assert "CONCEPTPLAN" not in text  # a draft is not running


def test_which_way_is_better_comes_from_the_goals_indicator(w):
    snapshot = collect("plans", w.scope(w.schools["De Beemd"]))
    (row,) = goal_table(snapshot, "Jaarplan Beemd")["rows"]
    assert row[2] == 8 and row[4] == "target reached"  # fewer incidents is better
    assert "VORIG-JAARPLAN" not in json.dumps(snapshot)  # ended before the period


def test_several_schools(w):
    snapshot = collect("plans", w.scope(*w.schools.values()))
    assert [row[1] for row in snapshot["tables"][0]["rows"]] == [
        "Schoolplan Akker",
        "Jaarplan Beemd",
        "Verbeterplan Dijk",
    ]
    for plan in (w.akker, w.beemd, w.dijk):
        goals = goal_table(snapshot, plan.title)
        assert [[r[0], r[5], r[6], r[7], r[8], r[9]] for r in goals["rows"]] == page_goals(plan)
    assert snapshot["source_path"] == reverse("planning:plans", args=[w.board.pk])


def test_a_school_outside_the_scope_never_appears(w):
    for scope in (w.scope(w.schools["De Akker"]), w.scope(*w.schools.values())):
        text = json.dumps(collect("plans", scope))
        assert "Buiten de Rapportage" not in text and "GEHEIM" not in text
        assert "Koersplan" not in text


def test_the_board_itself_at_board_level(w):
    snapshot = collect("plans", w.scope(w.schools["De Dijk"], board_level=True))
    assert [row[:2] for row in snapshot["tables"][0]["rows"]] == [
        ["Stichting Plan", "Koersplan"],
        ["De Dijk", "Verbeterplan Dijk"],
    ]


def test_a_school_without_plans(w):
    snapshot = collect("plans", w.scope(w.empty))
    assert snapshot["tables"] == []
    assert snapshot["empty"] == "No plan of the units of this report ran in its period."
    assert snapshot["source_path"] == (
        reverse("planning:plans", args=[w.board.pk]) + f"?school={w.empty.pk}"
    )


def test_queries_do_not_grow_with_the_schools(w, django_assert_num_queries):
    with CaptureQueriesContext(connection) as one:
        collect("plans", w.scope(w.schools["De Akker"]))
    with django_assert_num_queries(len(one.captured_queries)):
        collect("plans", w.scope(*w.schools.values(), board_level=True))


def test_the_snapshot_is_plain_json(w):
    snapshot = collect("plans", w.scope(*w.schools.values(), board_level=True))
    assert json.loads(json.dumps(snapshot)) == snapshot
