"""The results block: the figures, charts and signals of the school's results page, for the
report's schools only, in a fixed number of queries."""

import json
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stelsel.insight import selectors
from stelsel.insight.models import DataImport, ImportKind, Outcome, VoValue
from stelsel.insight.signals import signals_refresh
from stelsel.insight.vo_model import R_NUMBER
from stelsel.insight.vo_results import JUDGEMENT_LABELS, latest_periods
from stelsel.organisations.roles import Role
from stelsel.reports.blocks import Scope, collect
from tests.factories import grant, make_board, make_school, make_user
from tests.factories.insight import add_results, add_schoolweging, make_ovt

pytestmark = pytest.mark.django_db

# 1S/2F below the norm at De Linde (a signal), above both at the others; 2025 own at De Eik.
YEARS = {
    "De Linde": {2023: (20, 90, 40), 2024: (20, 90, 40), 2025: (20, 90, 40)},
    "De Beuk": {2022: (25, 96, 60), 2023: (25, 95, 62), 2024: (24, 97, 64), 2025: "*"},
    "De Eik": {2023: (30, 92, 55), 2024: (30, 91, 57)},
    "Buiten Beeld": {2023: (20, 70, 20), 2024: (20, 70, 20), 2025: (20, 70, 20)},
}


class World:
    def __init__(self):
        self.board = make_board(name="Stichting Resultaat")
        self.schools = {name: make_school(self.board, name=name) for name in YEARS}
        self.empty = make_school(self.board, name="Lege School")
        for name, years in YEARS.items():
            ovt = make_ovt(self.board, self.schools[name])
            add_results(ovt, years)
            add_schoolweging(ovt, 31.5)
            if name == "De Eik":
                add_results(ovt, {2025: (31, 93, 58)}, source="school")
        signals_refresh(self.board)
        self.executive = make_user()
        grant(self.executive, self.board, Role.BOARD_EXECUTIVE)

    def scope(self, *names, board_level=False):
        schools = [self.schools.get(n) or self.empty for n in names]
        schools.sort(key=lambda s: s.name)
        return Scope(self.board, tuple(schools), board_level, date(2025, 8, 1), date(2026, 7, 31))


@pytest.fixture
def w():
    return World()


def table_of(snapshot, caption):
    return next(t for t in snapshot["tables"] if t["caption"] == caption)


def number(value: Decimal | None):
    return None if value is None else float(value)


def page_outcomes(w, school) -> list[tuple]:
    """The outcome rows the school's results page shows, from its own selector."""
    labels = {v: str(label) for v, label in Outcome.choices}
    page = selectors.school_results(w.executive, w.board, school)
    return [
        (
            school.name,
            ovt.code,
            window.period,
            o.indicator,
            number(o.percentage),
            o.pupils,
            number(o.norm),
            labels[o.outcome],
        )
        for ovt in page.ovts
        for window in [ovt.official, *ovt.coming]
        if window
        for o in window.outcomes
    ]


def block_outcomes(snapshot) -> list[tuple]:
    rows = table_of(snapshot, "Results against the signalling values")["rows"]
    return [(*row[:7], row[8]) for row in rows]


def test_one_school_shows_the_figures_signals_and_charts_of_its_results_page(w):
    school = w.schools["De Linde"]
    snapshot = collect("results", w.scope("De Linde"))
    assert block_outcomes(snapshot) == page_outcomes(w, school)
    assert (
        "De Linde",
        school.ovts.get().code,
        "2023-2025",
        "1S/2F",
        40.0,
        60,
        43.5,
        "Below the signalling value",
    ) in block_outcomes(snapshot)
    page = selectors.school_results(w.executive, w.board, school)
    signals = table_of(snapshot, "Open signals")["rows"]
    assert [row[2] for row in signals] == [sentence for _signal, sentence in page.signals]
    assert all(row[0] == "De Linde" for row in signals)
    assert snapshot["svg"] == "".join(str(c["svg"]) for ovt in page.ovts for c in ovt.charts)
    assert snapshot["source"] == "Results"
    assert snapshot["source_path"] == f"/besturen/{w.board.pk}/scholen/{school.pk}/data/"
    assert snapshot["as_of"] == timezone.localdate().isoformat()  # no import of results here
    json.dumps(snapshot)


def test_the_table_of_school_years_carries_every_bar_of_the_charts(w):
    snapshot = collect("results", w.scope("De Beuk", "De Eik", "De Linde"))
    years = {(row[1], row[2]): row for row in table_of(snapshot, "Results per school year")["rows"]}
    charts = snapshot["svg"].split("</svg>")[:-1]
    codes = list(dict.fromkeys(code for code, _year in years))  # in the table's order
    assert len(charts) == 2 * len(codes)  # 1F and 1S/2F per OVT
    bars = 0
    for n, chart in enumerate(charts):
        code, column = codes[n // 2], 4 + n % 2
        for first, last, value in re.findall(r"<title>(\d\d)-(\d\d): ([0-9.]+)%</title>", chart):
            label = f"20{first}-20{last}"
            assert years[(code, label)][column] == float(value)
            bars += 1
    assert bars == 2 * (3 + 3 + 3)  # De Beuk's masked 2025 has no bar
    beuk = next(row for row in years.values() if row[0] == "De Beuk" and row[2] == "2024-2025")
    assert beuk[3:6] == [None, None, None]
    assert beuk[6] == "Inspectorate: not published (*)"
    eik = next(row for row in years.values() if row[0] == "De Eik" and row[2] == "2024-2025")
    assert eik[3:] == [31, 93.0, 58.0, "own entry"]


def test_several_schools_show_each_school_as_its_page_and_no_other_school(w):
    scope = w.scope("De Beuk", "De Eik", "De Linde")
    snapshot = collect("results", scope)
    expected = [row for school in scope.schools for row in page_outcomes(w, school)]
    assert block_outcomes(snapshot) == expected
    coming = [
        row
        for row in table_of(snapshot, "Results against the signalling values")["rows"]
        if row[0] == "De Eik" and row[2] == "2023-2025"
    ]
    assert coming and all(row[9].startswith("Coming period") for row in coming)
    signals = table_of(snapshot, "Open signals")["rows"]
    page_signals = [
        sentence
        for school in scope.schools
        for _signal, sentence in selectors.school_results(w.executive, w.board, school).signals
    ]
    assert [row[2] for row in signals] == page_signals
    text = json.dumps(snapshot)
    assert "Buiten Beeld" not in text
    outside = w.schools["Buiten Beeld"].ovts.get().code
    assert outside not in text
    assert snapshot["source"] == "Data: results per school"
    assert snapshot["source_path"] == f"/besturen/{w.board.pk}/data/"


def test_a_school_without_results_or_signals_is_empty(w):
    snapshot = collect("results", w.scope("Lege School"))
    assert snapshot["empty"]
    assert snapshot["tables"] == [] and snapshot["svg"] == ""
    json.dumps(snapshot)


def test_a_school_without_results_beside_others_is_named(w):
    snapshot = collect("results", w.scope("De Linde", "Lege School"))
    assert "No results are held for: Lege School." in snapshot["notes"]


def test_a_secondary_school_shows_the_judgement_of_its_newest_period(w):
    school = make_school(w.board, name="Het Lyceum", kind="vo")
    values = [
        ("onderwijspositie", "", "0.10", "-0.10"),
        ("onderbouwsnelheid", "", "95.00", "93.00"),
        ("bovenbouwsucces", "havo", "80.00", "85.00"),
        ("examencijfers", "havo", "6.30", "6.10"),
    ]
    for indicator, afdeling, value, norm in values:
        VoValue.objects.create(
            board=w.board,
            school=school,
            last_year=2025,
            indicator=indicator,
            afdeling=afdeling,
            value=Decimal(value),
            norm=Decimal(norm),
            source="entry",
        )
    snapshot = collect(
        "results", Scope(w.board, (school,), False, date(2025, 8, 1), date(2026, 7, 31))
    )
    period = latest_periods([school])[school.pk]
    rows = table_of(snapshot, "Secondary schools: the judgement of the newest period")["rows"]
    assert [(r[1], r[3], r[4]) for r in rows] == [
        ("2023-2025", str(JUDGEMENT_LABELS[j.judgement]), ", ".join(R_NUMBER[c] for c in j.below))
        for j in period.judgements
    ]
    assert any(r[4] == "R3" for r in rows)  # havo's bovenbouwsucces is below its norm
    assert snapshot["source"] == "Secondary school results"
    assert snapshot["as_of"] == timezone.localdate().isoformat()


def test_the_queries_do_not_grow_with_the_schools(w, django_assert_num_queries):
    one, three = w.scope("De Linde"), w.scope("De Beuk", "De Eik", "De Linde")
    collect("results", one)  # warm: translations and anything kept per process
    with CaptureQueriesContext(connection) as queries:
        collect("results", one)
    with django_assert_num_queries(len(queries)):
        collect("results", three)
    assert len(queries) <= 10


def test_the_figures_stand_at_the_last_import_of_the_results(w):
    moment = timezone.make_aware(datetime(2026, 10, 1, 9, 30))
    DataImport.objects.create(
        board=w.board, kind=ImportKind.INSPECTIE_RESULTS, file_name="po.ods", imported_at=moment
    )
    assert collect("results", w.scope("De Linde"))["as_of"] == "2026-10-01"
