"""Suppression across cohorts: the programme-wide figures minus one cohort's shown figures
never give away another cohort's small count."""

from hypothesis import given, settings
from hypothesis import strategies as st

from stelsel.trajectories import analytics
from stelsel.trajectories.analytics import Case, Catalogue

CATALOGUE = Catalogue(
    needs=("Zicht op de kwaliteit van de scholen", "De basis op orde"),
    interventions=(("Coaching", "B", "P"), ("Tegenspraak", "B", "P"), ("Desk research", "O", "I")),
)
K = analytics.K


def _cases(cohort: str, count: int, *, coaching: int, single: int = 0) -> list[Case]:
    return [
        Case(
            f"{cohort}-{n}",
            n < single,
            frozenset({"De basis op orde"}),
            ("Coaching",) if n < coaching else ("Desk research",),
            {
                "person_directing": 1,
                "person_executing": 1,
                "organisation_directing": 1,
                "organisation_executing": 1,
            },
            cohort,
        )
        for n in range(count)
    ]


def _programme_wide(cases):
    groups: dict[str, list[Case]] = {}
    for case in cases:
        groups.setdefault(case.cohort, []).append(case)
    hide = analytics.hidden_in_any(analytics.full(g, CATALOGUE) for g in groups.values())
    return analytics.suppress(analytics.full(cases, CATALOGUE), K, hide), groups


def _row(result, key, name):
    return next(row for row in result[key] if row["name"] == name)


def test_a_count_small_in_one_cohort_is_withheld_programme_wide():
    # Coaching: 5 cases in cohort A, 2 in B. Programme-wide 7 would give B's 2 away (7 - 5).
    cases = _cases("A", 10, coaching=5) + _cases("B", 10, coaching=2)
    wide, groups = _programme_wide(cases)
    assert _row(wide, "interventions", "Coaching")["cases"] == analytics.HIDDEN_ACROSS
    one = analytics.suppress(analytics.full(groups["A"], CATALOGUE))
    assert _row(one, "interventions", "Coaching")["cases"] == 5
    # Desk research is 5 + 8: no cohort is small, so it shows, and counts in the totals.
    assert _row(wide, "interventions", "Desk research")["cases"] == 13
    assert wide["totals"] == {"B": 0, "O": 13, "I": 13, "P": 0}
    assert wide["totals_partial"] is True


def test_a_small_split_cell_in_one_cohort_withholds_the_split_programme_wide():
    cases = _cases("A", 10, coaching=0, single=4) + _cases("B", 10, coaching=0, single=1)
    wide, _groups = _programme_wide(cases)
    row = _row(wide, "needs", "De basis op orde")
    assert row["cases"] == 20
    assert (row["single"], row["multi"]) == (analytics.HIDDEN_ACROSS, analytics.HIDDEN_ACROSS)


def test_attention_of_a_cohort_with_too_few_cases_with_points_hides_it_programme_wide():
    cases = _cases("A", 10, coaching=0) + [
        Case("B-1", False, frozenset(), (), None, "B"),
        *_cases("B", 2, coaching=0),
    ]
    wide, _groups = _programme_wide(cases)
    assert wide["attention"] is None and wide["quadrants"] is None


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 12), st.integers(0, 12)),  # per cohort: cases, with coaching
        min_size=2,
        max_size=4,
    )
)
def test_programme_wide_minus_one_cohort_never_reveals_a_small_count(sizes):
    cases = []
    for number, (count, coaching) in enumerate(sizes):
        cases += _cases(f"C{number}", count, coaching=min(coaching, count))
    if not cases:
        return
    wide, groups = _programme_wide(cases)
    shown_wide = _row(wide, "interventions", "Coaching")["cases"] if wide["interventions"] else None
    for name, group in groups.items():
        one = analytics.suppress(analytics.full(group, CATALOGUE))
        if one["too_few"] or not isinstance(shown_wide, int):
            continue
        mine = _row(one, "interventions", "Coaching")["cases"]
        if isinstance(mine, int):
            rest = shown_wide - mine
            others = [g for n, g in groups.items() if n != name]
            if len(others) == 1:
                # The rest is exactly the other cohort's count: it must not be small.
                assert not 0 < rest < K
