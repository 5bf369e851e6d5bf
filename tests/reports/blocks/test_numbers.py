"""The pupil numbers and own indicators block: the counts per school year and the latest values
of the own-indicators page, for the report's schools only, up to the period's end, in a fixed
number of queries."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stelsel.insight.duo_imports import pupils_indicator
from stelsel.insight.models import Measurement
from stelsel.insight.own_indicators import indicator_overview
from stelsel.organisations.roles import Role
from stelsel.picture.models import Direction, Indicator, IndicatorLevel, Perspective
from stelsel.reports.blocks import Scope, collect
from tests.factories import grant, make_board, make_school, make_user

pytestmark = pytest.mark.django_db

END = date(2026, 7, 31)
PUPILS = {
    "De Linde": {date(2023, 10, 1): 212, date(2024, 10, 1): 220, date(2025, 10, 1): 231},
    "De Beuk": {date(2024, 10, 1): 98, date(2025, 10, 1): 95},
    "De Eik": {date(2025, 10, 1): 140},
    "Buiten Beeld": {date(2024, 10, 1): 777, date(2025, 10, 1): 778},
}
ABSENCE = {  # absence (%), lower is better: norm 5, target 3
    "De Linde": {date(2025, 12, 1): "4.50", date(2026, 3, 1): "5.20", date(2026, 6, 1): "6.10"},
    "De Beuk": {date(2026, 3, 1): "2.50"},
    "Buiten Beeld": {date(2026, 3, 1): "9.99"},
}


class World:
    def __init__(self):
        self.board = make_board(name="Stichting Getal")
        names = [*PUPILS, "Lege School"]
        self.schools = {name: make_school(self.board, name=name) for name in names}
        self.pupils = pupils_indicator(self.board)
        self.absence = Indicator.objects.create(
            board=self.board,
            perspective=Perspective.EXPECTATIONS,
            level=IndicatorLevel.BOTH,
            code="VZ",
            title="Verzuim",
            unit="%",
            direction=Direction.LOWER,
            norm=Decimal(5),
            target=Decimal(3),
        )
        for name, counts in PUPILS.items():
            for day, n in counts.items():
                self.measure(self.pupils, name, day, n)
        for name, values in ABSENCE.items():
            for day, value in values.items():
                self.measure(self.absence, name, day, value)
        self.measure(self.absence, None, date(2026, 5, 1), "4.00")
        self.executive = make_user()
        grant(self.executive, self.board, Role.BOARD_EXECUTIVE)

    def measure(self, indicator, name, day, value):
        Measurement.objects.create(
            board=self.board,
            indicator=indicator,
            school=self.schools[name] if name else None,
            measured_on=day,
            value=Decimal(str(value)),
        )

    def scope(self, *names, board_level=False):
        schools = sorted((self.schools[n] for n in names), key=lambda s: s.name)
        return Scope(self.board, tuple(schools), board_level, date(2025, 8, 1), END)


@pytest.fixture
def w():
    return World()


def table_of(snapshot, caption):
    return next(t for t in snapshot["tables"] if t["caption"] == caption)


def page_lines(w, names, *, board=False) -> list[tuple]:
    """The own-indicators page's lines for these units, from its own selector."""
    overview = indicator_overview(w.executive, w.board)
    found = []
    for block in overview.blocks:
        if block.indicator.pk == w.pupils.pk:
            continue
        for line in block.lines():
            row = line["row"]
            if (row.school is None and board) or (row.school and row.school.name in names):
                latest = row.latest
                found.append(
                    (
                        f"{block.indicator.code} {block.indicator.title}",
                        row.name,
                        float(latest.value) if latest else None,
                        str(line["standing_label"]) or None,
                        str(line["trend_label"]) or None,
                    )
                )
    return found


def block_lines(snapshot) -> list[tuple]:
    rows = table_of(snapshot, "Own indicators: the latest value")["rows"]
    return [(r[0], r[1], r[2], r[5] if r[2] is not None else None, r[6]) for r in rows]


def test_one_school_shows_its_pupils_per_year_and_its_latest_values(w):
    snapshot = collect("numbers", w.scope("De Linde"))
    pupils = table_of(snapshot, "Pupils per school year")
    assert pupils["columns"] == ["School", "2023-2024", "2024-2025", "2025-2026"]
    assert pupils["rows"] == [["De Linde", 212, 220, 231]]
    assert block_lines(snapshot) == page_lines(w, {"De Linde"})
    row = table_of(snapshot, "Own indicators: the latest value")["rows"][0]
    assert row == [
        "VZ Verzuim",
        "De Linde",
        6.1,
        "%",
        "1 Jun 2026",
        "Worse than the norm",
        "worsening",
        5,
        3,
    ]
    assert snapshot["source"] == "Own indicators"
    assert snapshot["source_path"] == f"/besturen/{w.board.pk}/data/indicatoren/"
    assert snapshot["as_of"] == "2026-06-01"
    json.dumps(snapshot)


def test_several_schools_show_each_as_the_page_and_no_other_school(w):
    snapshot = collect("numbers", w.scope("De Beuk", "De Eik", "De Linde"))
    pupils = table_of(snapshot, "Pupils per school year")["rows"]
    assert pupils == [
        ["De Beuk", None, 98, 95],
        ["De Eik", None, None, 140],
        ["De Linde", 212, 220, 231],
    ]
    lines = block_lines(snapshot)
    assert lines == page_lines(w, {"De Beuk", "De Eik", "De Linde"})
    assert ("VZ Verzuim", "De Eik", None, None, None) in lines  # no value: shown as missing
    assert ("VZ Verzuim", "De Beuk", 2.5, "Target reached", None) in lines
    text = json.dumps(snapshot)
    assert "Buiten Beeld" not in text and "777" not in text and "9.99" not in text
    assert "Stichting Getal" not in text  # the board's own value is for a board report


def test_a_board_report_adds_the_boards_own_value(w):
    snapshot = collect("numbers", w.scope("De Beuk", "De Linde", board_level=True))
    lines = block_lines(snapshot)
    assert lines == page_lines(w, {"De Beuk", "De Linde"}, board=True)
    assert lines[0] == ("VZ Verzuim", "Stichting Getal", 4.0, "Short of the target", None)


def test_values_after_the_period_are_left_out(w):
    w.measure(w.absence, "De Beuk", date(2026, 9, 1), "7.77")
    w.measure(w.pupils, "De Beuk", date(2026, 10, 1), 101)
    snapshot = collect("numbers", w.scope("De Beuk"))
    assert table_of(snapshot, "Pupils per school year")["rows"] == [["De Beuk", 98, 95]]
    row = table_of(snapshot, "Own indicators: the latest value")["rows"][0]
    assert row[1:5] == ["De Beuk", 2.5, "%", "1 Mar 2026"]
    assert "Values measured up to 31 Jul 2026." in snapshot["notes"]


def test_a_school_without_values_is_empty(w):
    snapshot = collect("numbers", w.scope("Lege School"))
    assert snapshot["empty"]
    assert snapshot["tables"] == []
    json.dumps(snapshot)


def test_the_queries_do_not_grow_with_the_schools(w, django_assert_num_queries):
    one, three = w.scope("De Linde"), w.scope("De Beuk", "De Eik", "De Linde")
    collect("numbers", one)
    with CaptureQueriesContext(connection) as queries:
        collect("numbers", one)
    assert len(queries) == 2  # the indicators, and all their values
    with django_assert_num_queries(len(queries)):
        collect("numbers", three)
