"""The quality calendar block: the period's meetings, missed meetings and decisions of the
report's tables, as the calendar's own selectors read them, for the report's schools only, in a
fixed number of queries."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stelsel.lib.date_formats import short_date
from stelsel.meetings.access import meeting_series_for_user
from stelsel.meetings.archive import past_meetings
from stelsel.meetings.models import Decision
from stelsel.meetings.selectors import meeting_detail, missed_meetings
from stelsel.organisations.roles import Role
from stelsel.reports.blocks import Scope, collect
from tests.factories import grant, make_action, make_board, make_school, make_user
from tests.factories.meetings import make_meeting, make_series

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


START, END = days(-120), days(30)


class World:
    """Every table meets every four weeks from 84 days ago: held then (with two decisions),
    nothing recorded 56 days ago, a cancelled meeting 40 days ago, a planned one 28 days ago
    nobody recorded, and one planned in three days. De Eik's table also met before the period."""

    def __init__(self):
        self.board = make_board(name="Stichting Kalender")
        self.user = make_user()
        grant(self.user, self.board, Role.BOARD_EXECUTIVE)
        names = ["De Beuk", "De Eik", "De Linde", "Buiten Beeld"]
        self.schools = {name: make_school(self.board, name=name) for name in names}
        self.empty = make_school(self.board, name="Lege School")
        self.tables = {}
        for name, school in [*self.schools.items(), (None, None)]:
            table = make_series(
                self.board,
                school,
                name=f"Tafel {name or 'bestuur'}",
                first_date=days(-84),
                created_at=timezone.now() - dt.timedelta(days=90),
                interval=4,
            )
            self.tables[name] = table
            held = make_meeting(self.board, school, series=table, day=days(-84), state="held")
            action = make_action(self.board, school, title=f"Actie {name}")
            for text, linked in ((f"Besluit een {name}", action), (f"Besluit twee {name}", None)):
                Decision.objects.create(board=self.board, meeting=held, text=text, action=linked)
            make_meeting(self.board, school, series=table, day=days(-40), state="cancelled")
            make_meeting(self.board, school, series=table, day=days(-28))
            make_meeting(self.board, school, series=table, day=days(3))
        before = make_meeting(
            self.board, series=self.tables["De Eik"], day=days(-200), state="held"
        )
        Decision.objects.create(board=self.board, meeting=before, text="Besluit van vroeger")

    def scope(self, *names, board_level=False):
        schools = [self.schools.get(n) or self.empty for n in names]
        schools.sort(key=lambda s: s.name)
        return Scope(self.board, tuple(schools), board_level, START, END)


@pytest.fixture
def w():
    return World()


def table_of(snapshot, caption):
    return next(t for t in snapshot["tables"] if t["caption"] == caption)


def page_figures(w, school) -> dict:
    """What the calendar's pages show of the school's tables in the period: the archive's past
    meetings, the calendar's missed ones, the meeting pages' decisions."""
    today = timezone.localdate()
    tables = meeting_series_for_user(w.user, w.board).filter(school=school)
    past = [
        m
        for m in past_meetings(tables, today, table=None, school_year="")
        if timezone.localdate(m.starts_at) >= START
    ]
    missed = [
        (m.series.name, short_date(m.date))
        for m in missed_meetings(w.board, today, series=tables)
        if START <= m.date <= END
    ]
    decisions = [d.text for m in reversed(past) for d in meeting_detail(m)[1]]
    states = {"held": "Held", "cancelled": "Cancelled", "planned": "Not recorded"}
    return {
        "past": [(short_date(m.starts_at), m.series.name, states[m.state]) for m in reversed(past)],
        "missed": missed,
        "decisions": decisions,
    }


def block_figures(snapshot, school) -> dict:
    meetings = [r for r in table_of(snapshot, "Meetings")["rows"] if r[2] == school.name]
    missed = [r for r in table_of(snapshot, "Missed meetings")["rows"] if r[2] == school.name]
    decisions = [r for r in table_of(snapshot, "Decisions taken")["rows"] if r[2] == school.name]
    return {
        "past": [(r[0], r[1], r[3]) for r in meetings if r[3] != "Planned"],
        "missed": [(r[1], r[0]) for r in missed],
        "decisions": [r[3] for r in decisions],
    }


def test_one_school_shows_its_meetings_missed_and_decisions_as_the_calendar(w):
    school = w.schools["De Linde"]
    snapshot = collect("calendar", w.scope("De Linde"))
    assert block_figures(snapshot, school) == page_figures(w, school)
    meetings = table_of(snapshot, "Meetings")["rows"]
    assert [r[3] for r in meetings] == ["Held", "Cancelled", "Not recorded", "Planned"]
    assert meetings[0] == [short_date(days(-84)), "Tafel De Linde", "De Linde", "Held", 2]
    missed = table_of(snapshot, "Missed meetings")["rows"]
    assert missed == [
        [short_date(days(-56)), "Tafel De Linde", "De Linde", "Not planned in Stelsel"],
        [short_date(days(-28)), "Tafel De Linde", "De Linde", "Planned, not recorded"],
    ]
    decisions = table_of(snapshot, "Decisions taken")["rows"]
    assert [r[3:] for r in decisions] == [
        ["Besluit een De Linde", "Actie De Linde"],
        ["Besluit twee De Linde", None],
    ]
    summary = snapshot["tables"][0]
    assert summary["rows"] == [["De Linde", 1, 1, 2, 2]]
    assert snapshot["source"] == "Quality calendar"
    assert snapshot["source_path"] == f"/besturen/{w.board.pk}/kalender/?school={school.pk}"
    assert snapshot["as_of"] == timezone.localdate().isoformat()
    json.dumps(snapshot)


def test_several_schools_show_each_as_the_calendar_and_no_other_school(w):
    scope = w.scope("De Beuk", "De Eik", "De Linde")
    snapshot = collect("calendar", scope)
    for school in scope.schools:
        assert block_figures(snapshot, school) == page_figures(w, school)
    assert [r[0] for r in snapshot["tables"][0]["rows"]] == ["De Beuk", "De Eik", "De Linde"]
    text = json.dumps(snapshot)
    assert "Buiten Beeld" not in text and "bestuur" not in text
    assert "Besluit van vroeger" not in text  # before the period
    assert snapshot["source_path"] == f"/besturen/{w.board.pk}/kalender/"


def test_a_board_report_adds_the_boards_own_tables(w):
    snapshot = collect("calendar", w.scope("De Linde", board_level=True))
    summary = snapshot["tables"][0]["rows"]
    assert summary == [["De Linde", 1, 1, 2, 2], ["Stichting Kalender", 1, 1, 2, 2]]
    assert "Tafel bestuur" in json.dumps(snapshot)


def test_a_period_that_ended_reads_missed_meetings_as_on_its_last_day(w):
    end = days(-50)
    scope = Scope(w.board, (w.schools["De Linde"],), False, START, end)
    snapshot = collect("calendar", scope)
    missed = table_of(snapshot, "Missed meetings")["rows"]
    assert [r[0] for r in missed] == [short_date(days(-56))]
    meetings = table_of(snapshot, "Meetings")["rows"]
    assert [r[3] for r in meetings] == ["Held"]


def test_a_school_without_tables_is_empty(w):
    snapshot = collect("calendar", w.scope("Lege School"))
    assert snapshot["empty"]
    assert snapshot["tables"] == []
    json.dumps(snapshot)


def test_the_queries_do_not_grow_with_the_schools(w, django_assert_num_queries):
    one, three = w.scope("De Linde"), w.scope("De Beuk", "De Eik", "De Linde")
    collect("calendar", one)
    with CaptureQueriesContext(connection) as queries:
        collect("calendar", one)
    assert len(queries) <= 7
    with django_assert_num_queries(len(queries)):
        collect("calendar", three)
