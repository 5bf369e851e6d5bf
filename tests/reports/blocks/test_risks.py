"""The open risks block: strong signals, standards not in order, herstelopdrachten past their
deadline or without an action, goals at risk, each as the page it comes from counts it, for the
report's schools only, in a fixed number of queries."""

import datetime as dt
import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stelsel.insight.cockpit import school_cockpit
from stelsel.insight.models import Signal, SignalKind
from stelsel.insight.signals import signals_refresh
from stelsel.lib.date_formats import short_date
from stelsel.organisations.roles import Role
from stelsel.picture.coverage import coverage_rows
from stelsel.picture.entries.selectors import picture_summaries
from stelsel.picture.entries.services import EntryChange, entry_update
from stelsel.picture.models import Assignment
from stelsel.planning.models import Progress
from stelsel.planning.plans.selectors import plan_detail
from stelsel.reports.blocks import Scope, collect
from tests.factories import (
    grant,
    make_action,
    make_assignment,
    make_board,
    make_picture,
    make_school,
    make_user,
)
from tests.factories.insight import add_results, add_schoolweging, make_ovt
from tests.factories.planning import make_check_in, make_goal, make_plan

pytestmark = pytest.mark.django_db

BELOW = {2023: (20, 90, 40), 2024: (20, 90, 40), 2025: (20, 90, 40)}  # 1S/2F below 43.5


def days(n: int) -> date:
    return timezone.localdate() + dt.timedelta(days=n)


class World:
    """Three schools with one risk of each kind, a school with none (its opdracht covered, its
    goal on track, its picture in order), and a school outside every scope with all of them."""

    def __init__(self):
        self.board = make_board(name="Stichting Risico")
        self.user = make_user()
        grant(self.user, self.board, Role.BOARD_EXECUTIVE)
        names = ["De Beuk", "De Eik", "De Linde", "Buiten Beeld"]
        self.schools = {name: make_school(self.board, name=name) for name in names}
        self.quiet = make_school(self.board, name="Rustige School")
        self.plans = {}
        for name, school in self.schools.items():
            ovt = make_ovt(self.board, school)
            add_results(ovt, BELOW)
            add_schoolweging(ovt, 31.5)
            picture = make_picture(self.board, school)
            self.judge(picture, "KL1", "nok")
            self.judge(picture, "KL2", "ok")
            make_assignment(self.board, school, deadline=days(-10), text=f"Te laat {name}")
            make_assignment(self.board, school, deadline=days(30), text=f"Open {name}")
            plan = self.plans[name] = make_plan(self.board, school, status="active")
            goal = make_goal(plan, title=f"Lezen in {name}")
            make_check_in(goal, held_on=days(-60), progress=Progress.ON_TRACK)
            make_check_in(goal, held_on=days(-5), progress=Progress.OFF_TRACK)
        # Rustige School: in order, covered, on track; a weak signal only.
        picture = make_picture(self.board, self.quiet)
        self.judge(picture, "KL1", "ok")
        covered = make_assignment(self.board, self.quiet, deadline=days(30))
        make_action(self.board, self.quiet, assignments=[covered], due_on=days(20))
        goal = make_goal(make_plan(self.board, self.quiet, status="active"))
        make_check_in(goal, held_on=days(-60), progress=Progress.AT_RISK)
        make_check_in(goal, held_on=days(-5), progress=Progress.ON_TRACK)
        signals_refresh(self.board)
        Signal.objects.create(
            board=self.board,
            school=self.quiet,
            key="missing-quiet",
            kind=SignalKind.MISSING_DATA,
            indicator="1F",
            severity=1,
            figures={"year": 2025},
        )

    def judge(self, picture, code, status):
        entry = picture.entries.get(standard__code=code)
        entry_update(
            entry=entry, revision=entry.revision, change=EntryChange(status=status), user=self.user
        )

    def scope(self, *names, board_level=False):
        schools = [self.schools.get(n) or self.quiet for n in names]
        schools.sort(key=lambda s: s.name)
        return Scope(self.board, tuple(schools), board_level, date(2025, 8, 1), date(2026, 7, 31))


@pytest.fixture
def w():
    return World()


def rows_of(snapshot, school=None):
    rows = snapshot["tables"][0]["rows"]
    return [r for r in rows if school is None or r[0] == school]


def expected_counts(w, school) -> dict:
    """What the school's pages count: the cockpit's signals of medium weight and more, the
    picture's *Eisen* not in order, the coverage view's opdrachten overdue or not covered, the
    plan's goals whose latest check-in is at risk or off track."""
    cockpit = school_cockpit(w.user, w.board, school)
    signals = [r.text for u in cockpit.attention for r in u.signals if r.severity >= 2]
    pictures = {p.pk: p.framework_version_id for p in school.pictures.all()}
    not_in_order = sum(s.requirements.not_in_order for s in picture_summaries(pictures).values())
    states = [
        row.state
        for row in coverage_rows(Assignment.objects.filter(school=school), timezone.localdate())
    ]
    goals = [
        g
        for plan in school.plans.all()
        for theme in plan_detail(plan).themes
        for g in theme.goals
        if g.latest and g.latest.progress in (Progress.AT_RISK, Progress.OFF_TRACK)
    ]
    return {
        "signals": signals,
        "picture": not_in_order,
        "overdue": states.count("overdue"),
        "uncovered": states.count("uncovered"),
        "goals": len(goals),
    }


def block_counts(snapshot, school) -> dict:
    rows = rows_of(snapshot, school.name)
    return {
        "signals": [r[1] for r in rows if r[2].startswith("Signal: ")],
        "picture": sum(1 for r in rows if r[2].startswith("Quality picture")),
        "overdue": sum(1 for r in rows if r[2] == "Herstelopdrachten: Deadline passed"),
        "uncovered": sum(1 for r in rows if r[2] == "Herstelopdrachten: Not covered by an action"),
        "goals": sum(1 for r in rows if r[2].startswith("Plan ")),
    }


def test_one_school_lists_its_risks_as_its_pages_count_them(w):
    school = w.schools["De Linde"]
    snapshot = collect("risks", w.scope("De Linde"))
    counts = block_counts(snapshot, school)
    assert counts == expected_counts(w, school)
    assert counts["signals"] and counts["picture"] == 1 and counts["overdue"] == 1
    assert counts["uncovered"] == 1 and counts["goals"] == 1
    rows = rows_of(snapshot)
    # The cockpit's order of attention: the strong signal, the opdracht past its deadline,
    # the one not covered, the standard not in order; the goal last.
    assert [r[2].split(":")[0] for r in rows] == [
        "Signal",
        "Herstelopdrachten",
        "Herstelopdrachten",
        "Quality picture 2026-2027",
        "Plan “Plan school”",
    ]
    assert rows[1][1] == "Herstelopdracht KL1"
    assert rows[1][3] == short_date(days(-10))  # its deadline
    assert rows[-1][1] == "Lezen in De Linde: Off track"
    assert rows[3][1] == "KL1 judged “Nog niet in orde”"
    assert snapshot["source"] == "What needs attention"
    assert snapshot["source_path"] == f"/besturen/{w.board.pk}/scholen/{school.pk}/"
    assert snapshot["as_of"] == timezone.localdate().isoformat()
    json.dumps(snapshot)


def test_several_schools_list_each_schools_risks_and_no_other_school(w):
    scope = w.scope("De Beuk", "De Eik", "De Linde", "Rustige School")
    snapshot = collect("risks", scope)
    for school in scope.schools:
        assert block_counts(snapshot, school) == expected_counts(w, school)
    assert [r[0] for r in rows_of(snapshot)] == sorted(r[0] for r in rows_of(snapshot))
    assert not rows_of(snapshot, "Rustige School")  # a weak signal is no risk
    text = json.dumps(snapshot)
    assert "Buiten Beeld" not in text
    assert snapshot["source_path"] == f"/besturen/{w.board.pk}/"


def test_a_board_report_adds_the_boards_own_risks(w):
    make_assignment(w.board, None, deadline=days(-3))
    snapshot = collect("risks", w.scope("De Linde", board_level=True))
    board_rows = rows_of(snapshot, "Stichting Risico")
    assert [r[2] for r in board_rows] == ["Herstelopdrachten: Deadline passed"]
    assert rows_of(snapshot)[-1][0] == "Stichting Risico"  # after the schools


def test_a_resolved_opdracht_and_a_resolved_signal_are_no_risks(w):
    school = w.schools["De Linde"]
    Assignment.objects.filter(school=school).update(follow_up_outcome="sufficient")
    Signal.objects.filter(school=school).update(resolved_at=timezone.now())
    rows = rows_of(collect("risks", w.scope("De Linde")))
    assert not [r for r in rows if r[2].startswith(("Signal", "Herstelopdrachten"))]


def test_a_school_without_risks_is_empty(w):
    snapshot = collect("risks", w.scope("Rustige School"))
    assert snapshot["empty"]
    assert snapshot["tables"] == []
    json.dumps(snapshot)


def test_the_queries_do_not_grow_with_the_schools(w, django_assert_num_queries):
    one, three = w.scope("De Linde"), w.scope("De Beuk", "De Eik", "De Linde")
    collect("risks", one)
    with CaptureQueriesContext(connection) as queries:
        collect("risks", one)
    assert len(queries) <= 6
    with django_assert_num_queries(len(queries)):
        collect("risks", three)
