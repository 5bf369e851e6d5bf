"""The herstelopdrachten block: the opdrachten of the report's units with the states and coverage
the coverage view shows, for the report's schools only, in a fixed number of queries."""

import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stelsel.lib.date_formats import short_date
from stelsel.picture.coverage import STATE_DISPLAY, STATES, coverage_rows, coverage_summary
from stelsel.picture.models import Assignment
from stelsel.reports.blocks import Scope, collect
from tests.factories import make_action, make_assignment, make_board, make_school

pytestmark = pytest.mark.django_db

START, END = date(2025, 8, 1), date(2026, 7, 31)


class World:
    """Three schools with opdrachten in every state, one school outside every scope, a school
    without opdrachten, and an opdracht of the board itself."""

    def __init__(self):
        today = timezone.localdate()
        self.board = make_board(name="Stichting Opdracht")
        self.schools = {
            name: make_school(self.board, name=name) for name in ("De Akker", "De Beemd", "De Dijk")
        }
        self.outside = make_school(self.board, name="Buiten de Rapportage")
        self.empty = make_school(self.board, name="Zonder Opdrachten")
        akker, beemd, dijk = self.schools.values()
        # De Akker: one covered and moving, one overdue and uncovered.
        covered = make_assignment(self.board, akker, text="Zicht op ontwikkeling op orde.")
        make_action(self.board, akker, assignments=[covered], status="in_progress", progress=40)
        make_action(self.board, akker, assignments=[covered], status="done", progress=100)
        make_action(self.board, akker, assignments=[covered], status="cancelled")
        make_assignment(self.board, akker, code="KL2", deadline=today - timedelta(days=3))
        # De Beemd: resolved in the period (kept), resolved before it (left out), stalled.
        make_assignment(
            self.board,
            beemd,
            follow_up_outcome="sufficient",
            follow_up_on=date(2025, 10, 1),
            text="Opgelost in de periode.",
        )
        make_assignment(
            self.board,
            beemd,
            follow_up_outcome="sufficient",
            follow_up_on=date(2024, 5, 1),
            text="LANG-GELEDEN-OPGELOST",
        )
        stalled = make_assignment(self.board, beemd, text="Vastgelopen.")
        make_action(self.board, beemd, assignments=[stalled], status="stalled", progress=10)
        # De Dijk: every covering action done, awaiting the follow-up.
        done = make_assignment(self.board, dijk, kind="ontwikkel", follow_up_on=date(2026, 9, 1))
        make_action(self.board, dijk, assignments=[done], status="done", progress=100)
        make_assignment(self.board, self.outside, text="GEHEIM-BUITEN-SCOPE")
        make_assignment(self.board, None, text="Opdracht aan het bestuur.")

    def scope(self, *schools, board_level=False):
        return Scope(
            self.board, tuple(sorted(schools, key=lambda s: s.name)), board_level, START, END
        )


@pytest.fixture
def w():
    return World()


def page_rows(assignments) -> list:
    """The coverage view's rows, by its own selector."""
    return coverage_rows(assignments, timezone.localdate())


def listed(snapshot):
    return snapshot["tables"][1]["rows"]


def test_one_school_shows_the_coverage_views_rows(w):
    school = w.schools["De Akker"]
    snapshot = collect("assignments", w.scope(school))
    assert snapshot["source"] == "Herstelopdrachten and their coverage"
    assert snapshot["source_path"] == (
        reverse("picture:assignments", args=[w.board.pk]) + f"?school={school.pk}"
    )
    assert snapshot["as_of"] == timezone.localdate().isoformat()
    page = page_rows(Assignment.objects.filter(school=school))
    rows = listed(snapshot)
    assert len(rows) == len(page) == 2
    for row, item in zip(rows, page, strict=True):
        a = item.assignment
        assert row[0] == "De Akker"
        assert row[1] == f"Herstelopdracht {a.standard.code}"
        assert row[3] == a.text
        assert row[4] == short_date(a.deadline)
        assert row[5] == item.coverage.actions
        assert row[6] == item.coverage.done
        assert row[7] == item.coverage.progress
        assert row[8].split("; ")[0] == str(STATE_DISPLAY[item.state]["label"])
    overdue, covered = rows  # by deadline, as on the page
    assert covered[5:8] == [2, 1, 70]  # the cancelled action does not count
    assert covered[8] == "Covered, actions under way"
    assert overdue[5:8] == [0, 0, None]
    assert overdue[8] == "Deadline passed; Not covered by an action"


def test_the_counts_are_the_coverage_views(w):
    schools = list(w.schools.values())
    snapshot = collect("assignments", w.scope(*schools))
    in_scope = Assignment.objects.filter(school__in=schools).exclude(text="LANG-GELEDEN-OPGELOST")
    summary = coverage_summary(page_rows(in_scope))
    counts = dict(snapshot["tables"][0]["rows"])
    for state in STATES:
        assert counts[str(STATE_DISPLAY[state]["label"])] == summary.counts[state]
    assert counts["Open, covered by an action"] == summary.covered == 3
    assert counts["Open, not covered by an action"] == summary.uncovered == 1
    assert counts["In all"] == summary.total == 5
    assert sorted(row[9] or "" for row in listed(snapshot)) == sorted(
        ["", "", "", "planned " + short_date(date(2026, 9, 1)), "Sufficient (1 Oct 2025)"]
    )
    assert snapshot["source_path"] == reverse("picture:assignments", args=[w.board.pk])


def test_resolved_before_the_period_is_left_out(w):
    text = json.dumps(collect("assignments", w.scope(w.schools["De Beemd"])))
    assert "Opgelost in de periode." in text
    assert "LANG-GELEDEN-OPGELOST" not in text


def test_a_school_outside_the_scope_never_appears(w):
    for scope in (w.scope(w.schools["De Akker"]), w.scope(*w.schools.values())):
        text = json.dumps(collect("assignments", scope))
        assert "Buiten de Rapportage" not in text and "GEHEIM-BUITEN-SCOPE" not in text
        assert "Opdracht aan het bestuur." not in text


def test_the_board_itself_at_board_level(w):
    snapshot = collect("assignments", w.scope(w.schools["De Dijk"], board_level=True))
    units = [row[0] for row in listed(snapshot)]
    assert sorted(units) == ["De Dijk", "Stichting Opdracht"]
    assert "Opdracht aan het bestuur." in json.dumps(snapshot)


def test_a_school_without_opdrachten(w):
    snapshot = collect("assignments", w.scope(w.empty))
    assert snapshot["tables"] == []
    assert snapshot["empty"].startswith("The schools of this report have no herstelopdrachten")


def test_queries_do_not_grow_with_the_schools(w, django_assert_num_queries):
    with CaptureQueriesContext(connection) as one:
        collect("assignments", w.scope(w.schools["De Akker"]))
    with django_assert_num_queries(len(one.captured_queries)):
        collect("assignments", w.scope(*w.schools.values(), board_level=True))


def test_the_snapshot_is_plain_json(w):
    snapshot = collect("assignments", w.scope(*w.schools.values(), board_level=True))
    assert json.loads(json.dumps(snapshot)) == snapshot
