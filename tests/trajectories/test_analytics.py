"""The analytics as pure functions: exact figures by hand, properties over random cases,
suppression, and the cases read from the database in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from stelsel.trajectories import analytics
from stelsel.trajectories.analytics import Case, Catalogue
from stelsel.trajectories.catalogues import defaults
from stelsel.trajectories.models import InterventionLog
from tests.factories.trajectories import make_cohort, make_programme, make_trajectory

CATALOGUE = Catalogue(
    needs=tuple(n["name"] for n in defaults()["needs"]),
    interventions=tuple((i["name"], i["aim"], i["kind"]) for i in defaults()["interventions"]),
)
NEEDS = list(CATALOGUE.needs)
INTERVENTIONS = [name for name, _aim, _kind in CATALOGUE.interventions]
KEYS = analytics.QUADRANTS


def points(pd, pe, od, oe):
    return dict(zip(KEYS, (pd, pe, od, oe), strict=True))


def test_percent_rounds_half_to_even_on_the_exact_fraction():
    assert analytics.percent(5, 8) == 62.5
    assert analytics.percent(1, 3) == 33.3
    assert analytics.percent(2, 3) == 66.7
    # 1/16 = 6.25 %: half way, to the even tenth; 3/16 = 18.75 % goes up to 18.8.
    assert analytics.percent(1, 16) == 6.2
    assert analytics.percent(3, 16) == 18.8
    assert analytics.percent(0, 0) == 0.0


def test_no_attention_at_all_gives_zero_shares():
    result = analytics.analyse([Case("a", False)], CATALOGUE)
    assert result["attention"] == {
        "person": 0.0,
        "organisation": 0.0,
        "directing": 0.0,
        "executing": 0.0,
    }


# A research-like table, built by hand: ten cases with known counts.
TEN = [
    Case(
        "1",
        False,
        frozenset({NEEDS[0], NEEDS[2]}),
        ("Coaching", "Coaching", "Tegenspraak"),
        points(2, 0, 1, 1),
    ),
    Case("2", True, frozenset({NEEDS[0]}), ("Coaching",), points(1, 1, 1, 1)),
    Case("3", False, frozenset({NEEDS[2], NEEDS[6]}), ("Gesprek met staf",), points(0, 0, 2, 2)),
    Case(
        "4", False, frozenset({NEEDS[2]}), ("Gesprek met staf", "Desk research"), points(2, 2, 0, 0)
    ),
    Case(
        "5", True, frozenset({NEEDS[7]}), ("Sparren over handelingsrepertoire",), points(4, 0, 0, 0)
    ),
    Case(
        "6",
        False,
        frozenset({NEEDS[6]}),
        ("Coaching", "Sparren over handelingsrepertoire"),
        points(1, 0, 3, 0),
    ),
    Case(
        "7",
        False,
        frozenset({NEEDS[0], NEEDS[6]}),
        ("Tegenlezen", "Tegenlezen"),
        points(0, 1, 1, 2),
    ),
    Case("8", True, frozenset({NEEDS[2]}), (), None),
    Case("9", False, frozenset(), ("Coaching",), points(1, 1, 1, 1)),
    Case("10", False, frozenset({NEEDS[6]}), ("Expertise inbrengen",), points(3, 0, 1, 0)),
]


def test_ten_cases_give_the_table_by_hand():
    result = analytics.analyse(TEN, CATALOGUE)
    assert list(result) == ["cases", "needs", "interventions", "totals", "attention"]
    assert result["cases"] == 10
    assert [(r["name"], r["cases"]) for r in result["needs"]] == [
        ("Expliciteren van de eigen rol", 3),
        ("Organiseren van de eigen ontwikkeling", 0),
        ("Kwaliteit van de dialoog met de schoolleiding", 4),
        ("Urgentie en pro-activiteit richting toezicht", 0),
        ("Kwaliteit van het directiecollectief", 0),
        ("Een cyclisch systeem van kwaliteitszorg", 0),
        ("Zicht op de kwaliteit van de scholen", 4),
        ("De basis op orde", 1),
    ]
    counted = {r["name"]: (r["cases"], r["aim"], r["kind"]) for r in result["interventions"]}
    assert counted["Coaching"] == (4, "B", "P")
    assert counted["Tegenspraak"] == (1, "B", "P")
    assert counted["Gesprek met staf"] == (2, "O", "I P")
    assert counted["Sparren over handelingsrepertoire"] == (2, "B", "I P")
    assert counted["Tegenlezen"] == (1, "O", "I")
    assert counted["Desk research"] == (1, "O", "I")
    assert counted["Expertise inbrengen"] == (1, "B", "I")
    assert sum(c for c, _a, _k in counted.values()) == 12
    # B: Coaching 4 + Tegenspraak 1 + Sparren 2 + Expertise 1; O: staf 2 + Tegenlezen 1 + desk 1
    # I: staf 2 + Sparren 2 + Tegenlezen 1 + desk 1 + Expertise 1; P: 4 + 1 + 2 + 2.
    assert result["totals"] == {"B": 8, "O": 4, "I": 7, "P": 9}
    # 36 points over 9 cases: person 14 + 5 = 19 of 36 = 52.8 %; directing 14 + 10 = 24 of 36.
    assert result["attention"] == {
        "person": 52.8,
        "organisation": 47.2,
        "directing": 66.7,
        "executing": 33.3,
    }


def test_the_split_and_quadrants_of_the_ten_cases():
    result = analytics.full(TEN, CATALOGUE)
    split = {r["name"]: (r["single"], r["multi"]) for r in result["split"]}
    assert split[NEEDS[2]] == (1, 3)
    assert split[NEEDS[0]] == (1, 2)
    assert result["attention_cases"] == 9
    assert result["quadrants"] == {
        "person_directing": 38.9,
        "person_executing": 13.9,
        "organisation_directing": 27.8,
        "organisation_executing": 19.4,
    }


def test_suppression_of_the_ten_cases():
    shown = analytics.suppress(analytics.full(TEN, CATALOGUE))
    needs = {r["name"]: r for r in shown["needs"]}
    # One cell small, the other not: both withheld, the larger one as "*".
    assert needs[NEEDS[2]]["cases"] == 4
    assert {needs[NEEDS[2]]["single"], needs[NEEDS[2]]["multi"]} <= {"< 3", "*"}
    assert needs[NEEDS[0]] == {"name": NEEDS[0], "cases": 3, "single": "< 3", "multi": "< 3"}
    assert needs[NEEDS[7]] == {"name": NEEDS[7], "cases": "< 3", "single": "< 3", "multi": 0}
    assert needs[NEEDS[1]] == {"name": NEEDS[1], "cases": 0, "single": 0, "multi": 0}
    interventions = {r["name"]: r["cases"] for r in shown["interventions"]}
    assert interventions["Coaching"] == 4 and interventions["Tegenspraak"] == "< 3"
    # Only Coaching (B, P) has 3 or more: the totals add up the shown rows and say so.
    assert shown["totals"] == {"B": 4, "O": 0, "I": 0, "P": 4}
    assert shown["totals_partial"] and shown["suppressed"]
    assert shown["attention"]["person"] == 52.8


def test_a_selection_of_fewer_than_three_cases_shows_only_its_count():
    shown = analytics.suppress(analytics.full(TEN[:2], CATALOGUE))
    assert shown["cases"] == "< 3" and shown["too_few"]
    assert shown["needs"] == shown["interventions"] == []
    assert shown["totals"] is None and shown["attention"] is None
    empty = analytics.suppress(analytics.full([], CATALOGUE))
    assert empty["cases"] == 0 and not empty["too_few"]


def test_attention_of_fewer_than_three_cases_is_hidden():
    cases = [Case(str(i), False, attention=points(4, 0, 0, 0) if i < 2 else None) for i in range(5)]
    shown = analytics.suppress(analytics.full(cases, CATALOGUE))
    assert shown["attention"] is None and shown["quadrants"] is None
    assert shown["attention_cases"] == "< 3"


def test_compare_aligns_rows_by_name():
    first = analytics.suppress(analytics.full(TEN, CATALOGUE))
    second = analytics.suppress(analytics.full(TEN[:5], CATALOGUE))
    both = analytics.compare(first, second)
    assert [r["name"] for r in both["needs"]] == NEEDS
    row = both["interventions"][INTERVENTIONS.index("Coaching")]
    assert (row["first"]["cases"], row["second"]["cases"]) == (4, "< 3")


# Properties over random cases.

attention_points = st.one_of(
    st.none(),
    st.lists(st.integers(0, 4), min_size=3, max_size=3)
    .filter(lambda values: sum(values) <= 4)
    .map(lambda values: points(*values, 4 - sum(values))),
)
cases_strategy = st.lists(
    st.builds(
        Case,
        label=st.text(min_size=1, max_size=5),
        single_school_board=st.booleans(),
        needs=st.frozensets(st.sampled_from(NEEDS)),
        interventions=st.lists(st.sampled_from(INTERVENTIONS), max_size=6).map(tuple),
        attention=attention_points,
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(cases_strategy, st.data())
def test_a_case_counts_once_however_often_an_intervention_is_logged(cases, data):
    doubled = [
        Case(
            c.label,
            c.single_school_board,
            c.needs,
            c.interventions
            + tuple(data.draw(st.lists(st.sampled_from(c.interventions), max_size=4)))
            if c.interventions
            else (),
            c.attention,
        )
        for c in cases
    ]
    assert analytics.analyse(doubled, CATALOGUE) == analytics.analyse(cases, CATALOGUE)
    for row in analytics.analyse(cases, CATALOGUE)["interventions"]:
        assert row["cases"] == sum(1 for c in cases if row["name"] in c.interventions)


@settings(max_examples=150, deadline=None)
@given(cases_strategy)
def test_totals_are_the_sum_over_the_rows_of_their_aim_and_kind(cases):
    result = analytics.analyse(cases, CATALOGUE)
    for letter in "BOIP":
        assert result["totals"][letter] == sum(
            row["cases"]
            for row in result["interventions"]
            if letter in row["aim"].split() or letter in row["kind"].split()
        )


@settings(max_examples=150, deadline=None)
@given(cases_strategy)
def test_shares_add_up_to_100_and_rows_follow_the_catalogue(cases):
    result = analytics.analyse(cases, CATALOGUE)
    shares = result["attention"]
    tenths = {key: Decimal(str(value)) for key, value in shares.items()}
    if any(c.attention for c in cases):
        assert tenths["person"] + tenths["organisation"] == Decimal("100.0")
        assert tenths["directing"] + tenths["executing"] == Decimal("100.0")
    else:
        assert set(shares.values()) == {0.0}
    assert [r["name"] for r in result["needs"]] == NEEDS
    assert [r["name"] for r in result["interventions"]] == INTERVENTIONS
    assert all(isinstance(value, float) for value in shares.values())


@settings(max_examples=200, deadline=None)
@given(cases_strategy, st.integers(2, 5))
def test_suppression_never_shows_a_count_below_k(cases, k):
    shown = analytics.suppress(analytics.full(cases, CATALOGUE), k=k)
    counts = [shown["cases"], shown["attention_cases"]]
    for row in shown["needs"]:
        counts += [row["cases"], row["single"], row["multi"]]
        # Both sides or neither: no hidden cell follows from the row minus the other.
        if isinstance(row["cases"], int) and row["cases"]:
            assert isinstance(row["single"], int) == isinstance(row["multi"], int)
    counts += [row["cases"] for row in shown["interventions"]]
    counts += list((shown["totals"] or {}).values())
    assert not [c for c in counts if isinstance(c, int) and 0 < c < k]
    if shown["totals"] is not None:
        visible = [r for r in shown["interventions"] if isinstance(r["cases"], int)]
        assert shown["totals"] == analytics.totals(visible)


# From the database.


def _cases(cohort, count):
    programme = cohort.programme
    needs = list(programme.needs.all())
    interventions = list(programme.interventions.all())
    for n in range(count):
        trajectory = make_trajectory(
            cohort,
            label=f"C{n}",
            single_school_board=n % 2 == 0,
            **(points(1, 1, 1, 1) if n % 3 else {}),
        )
        trajectory.needs.set(needs[n % 3 : n % 3 + 2])
        InterventionLog.objects.bulk_create(
            InterventionLog(
                trajectory=trajectory,
                intervention=interventions[(n + i) % 4],
                on=datetime.date(2026, 10, 1 + i),
            )
            for i in range(3)
        )


@pytest.mark.django_db
def test_cases_from_the_database_match_the_pure_count_and_take_fixed_queries():
    programme = make_programme()
    first, second = make_cohort(programme, "A"), make_cohort(programme, "B")
    _cases(first, 5)
    _cases(second, 12)
    counts = []
    for cohort in (first, second):
        with CaptureQueriesContext(connection) as captured:
            cases = analytics.cases_from_db(programme, cohort)
        counts.append(len(captured))
    assert counts[0] == counts[1] == 3
    assert len(cases) == 12
    c0 = next(c for c in cases if c.label == "C0")
    names = [i.name for i in programme.interventions.all()]
    assert c0.interventions == tuple(sorted(names[0:3]))
    assert c0.attention is None and c0.single_school_board
    assert next(c for c in cases if c.label == "C1").attention == points(1, 1, 1, 1)
    everything = analytics.programme_analytics(programme)
    assert everything["cases"] == 17
    assert everything["interventions"][0]["cases"] == sum(
        1 for n in [*range(5), *range(12)] if 0 in {(n + i) % 4 for i in range(3)}
    )
