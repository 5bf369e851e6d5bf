"""The primary results model (po_model) against the inspectorate's own file, and its properties.

The data in tests/insight/data are copies of the inspectorate's open data (Bron: Inspectie van het
Onderwijs): an excerpt of "Leerresultaten primair onderwijs 2023-2024-2025" (61 schools, the
original bytes) and the 1S/2F signaleringswaarden per schoolweging band derived from the full
file. Every school whose years are not masked must come out exactly as the file has it.
"""

import csv
import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from stelsel.insight.po_model import (
    ABOVE,
    BELOW,
    INSUFFICIENT_DATA,
    SMALL_SCHOOL,
    Norms,
    Year,
    indicator_result,
    needed_next_year,
    round2,
    school_results,
    schoolweging_applied,
)

DATA = Path(__file__).resolve().parent / "data"
EXCERPT = DATA / "leerresultaten-po-excerpt.ods"
NORMS_CSV = DATA / "signaleringswaarden-po-1s2f-2023-2025.csv"

YEARS = {"2223": 2023, "2324": 2024, "2425": 2025}
OUTCOMES = {
    "Boven de signaleringswaarde": ABOVE,
    "Onder de signaleringswaarde": BELOW,
    "Kleine school - Beoordeling over 5 jaar": SMALL_SCHOOL,
    "Te weinig gegevens": INSUFFICIENT_DATA,
}
PROPERTY = settings(max_examples=200, deadline=None)


# --- the data --------------------------------------------------------------------------------


def load_norms() -> Norms:
    with NORMS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert {row["signaleringswaarde_1F"] for row in rows} == {"85"}
    bands = tuple(
        (
            Decimal(row["ondergrens"]),
            Decimal(row["bovengrens"]),
            Decimal(row["signaleringswaarde_1S2F"]),
        )
        for row in rows
    )
    return Norms(fundamental=Decimal(85), bands=bands)


def load_rows() -> list[dict[str, object]]:
    sheet = CalamineWorkbook.from_path(str(EXCERPT)).get_sheet_by_name("Data").to_python()
    header = [str(cell) for cell in sheet[0]]
    return [dict(zip(header, row, strict=True)) for row in sheet[1:]]


NORMS = load_norms()
ROWS = load_rows()


def text(cell: object) -> str:
    """A cell as text: calamine gives the decimal-point columns as floats, the rest as text."""
    return "" if cell is None else str(cell).strip()


def percent(cell: object) -> Decimal | None:
    """A percentage or other number as the file writes it: decimal comma or point; empty → None."""
    value = text(cell)
    return Decimal(value.replace(",", ".")) if value else None


def is_masked(row: dict[str, object]) -> bool:
    return any(text(row[f"Aantal leerlingen {code}"]) == "*" for code in YEARS)


def years_of(row: dict[str, object]) -> list[Year]:
    years = []
    for code, year in YEARS.items():
        pupils = text(row[f"Aantal leerlingen {code}"])
        if pupils == "*":
            years.append(Year(year, masked=True))
        elif not pupils:
            years.append(Year(year))
        else:
            years.append(
                Year(
                    year,
                    int(pupils),
                    percent(row[f"Gemiddelde %1F {code}"]),
                    percent(row[f"Gemiddelde %1S/2F {code}"]),
                )
            )
    return years


def results_of(row: dict[str, object]):
    return school_results(years_of(row), percent(row["Schoolweging"]), NORMS)


def row_of(ovt: str) -> dict[str, object]:
    (row,) = [row for row in ROWS if row["ovt"] == ovt]
    return row


UNMASKED = [row for row in ROWS if not is_masked(row)]
MASKED = [row for row in ROWS if is_masked(row)]


def test_the_excerpt_is_the_one_described():
    assert len(ROWS) == 61
    assert len(MASKED) == 5
    assert len(NORMS.bands) == 20
    assert NORMS.bands[0][:2] == (Decimal(20), Decimal(21))
    assert NORMS.bands[-1] == (Decimal(39), Decimal(40), Decimal("30.3"))


# --- 1. the real excerpt, reproduced ----------------------------------------------------------


@pytest.mark.parametrize("row", UNMASKED, ids=[str(row["ovt"]) for row in UNMASKED])
def test_every_unmasked_school_is_reproduced_exactly(row):
    fundamental, target = results_of(row)
    assert (fundamental.indicator, target.indicator) == ("1F", "1S/2F")

    assert fundamental.percentage == percent(row["Gewogen driejaarsgemiddelde %1F"])
    assert target.percentage == percent(row["Gewogen driejaarsgemiddelde %1S/2F"])
    for result in (fundamental, target):
        assert result.pupils == int(text(row["Totaal aantal leerlingen 3 jaar"]))
        assert not result.masked

    assert fundamental.norm == percent(row["Signaleringswaarde 1F"])
    assert target.norm == percent(row["Signaleringswaarde 1S/2F"])
    assert target.band == (text(row["Schoolwegingscategorie"]) or None)

    assert fundamental.outcome == OUTCOMES[text(row["Uitkomst indicator 1F"])]
    assert target.outcome == OUTCOMES[text(row["Uitkomst indicator 1S/2F"])]


@pytest.mark.parametrize("row", MASKED, ids=[str(row["ovt"]) for row in MASKED])
def test_a_masked_school_is_not_recomputed(row):
    for result in results_of(row):
        assert result.masked
        assert result.percentage is None and result.pupils is None
        assert result.outcome == INSUFFICIENT_DATA
    assert results_of(row)[1].band == (text(row["Schoolwegingscategorie"]) or None)


def test_11HH_C1_exactly_at_the_norm_is_above():
    fundamental, target = results_of(row_of("11HH|C1"))
    assert fundamental.percentage == Decimal("85.00") == fundamental.norm
    assert fundamental.outcome == ABOVE
    assert (target.percentage, target.norm, target.band) == (
        Decimal("43.33"),
        Decimal("48.6"),
        "[28,29)",
    )
    assert target.outcome == BELOW


def test_11EL_C2_a_missing_year_is_too_little_data_but_still_computed():
    row = row_of("11EL|C2")
    assert years_of(row)[0] == Year(2023)
    assert percent(row["Schoolweging"]) is None
    fundamental, target = results_of(row)
    assert fundamental.outcome == target.outcome == INSUFFICIENT_DATA
    assert fundamental.percentage == Decimal("94.44")
    assert target.percentage == Decimal("50.79")
    assert fundamental.pupils == target.pupils == 42
    assert target.band is None and target.norm is None
    assert fundamental.norm == Decimal(85)


def test_03GP_C1_is_masked():
    row = row_of("03GP|C1")
    assert all(year.masked for year in years_of(row))
    fundamental, target = results_of(row)
    assert fundamental.masked and target.masked
    assert fundamental.percentage is None and target.percentage is None
    # The band still follows from the schoolweging (32.89); the file's own figures are all else.
    assert (target.band, target.norm) == ("[32,33)", Decimal("41.2"))


# --- 2. properties -----------------------------------------------------------------------------


def pct(levels: int, pupils: int) -> Decimal:
    """A year's percentage as the file publishes it: levels ÷ (3 × pupils), two decimals."""
    return round2(Decimal(levels) * 100 / (3 * pupils))


def half_up2(value: Fraction) -> Decimal:
    """Exact rounding half up to two decimals of a non-negative fraction (the oracle)."""
    return Decimal(math.floor(value * 100 + Fraction(1, 2))).scaleb(-2)


@st.composite
def counts(draw):
    """One year: pupils, levels reached for 1F and for 1S/2F (never more than 1F)."""
    pupils = draw(st.integers(1, 300))
    fundamental = draw(st.integers(0, 3 * pupils))
    target = draw(st.integers(0, fundamental))
    return pupils, fundamental, target


def year_of(year: int, pupils: int, fundamental: int, target: int) -> Year:
    return Year(year, pupils, pct(fundamental, pupils), pct(target, pupils))


def years_from(window: list[tuple[int, int, int]]) -> list[Year]:
    return [year_of(2023 + i, *c) for i, c in enumerate(window)]


schoolwegingen = st.one_of(
    st.none(),
    st.decimals(min_value=15, max_value=45, places=2, allow_nan=False, allow_infinity=False),
)


@PROPERTY
@given(st.lists(counts(), min_size=3, max_size=3))
def test_levels_are_recovered_exactly_from_the_rounded_percentages(window):
    results = school_results(years_from(window), Decimal(30), NORMS)
    pupils = sum(n for n, _, _ in window)
    for index, result in enumerate(results, start=1):
        levels = sum(c[index] for c in window)
        assert result.reached == levels
        assert result.pupils == pupils
        assert result.percentage == half_up2(Fraction(levels * 100, 3 * pupils))


@PROPERTY
@given(
    st.lists(counts(), min_size=3, max_size=3),
    schoolwegingen,
    st.sampled_from([1, 2]),
    st.integers(0, 2),
    st.integers(1, 900),
)
def test_more_levels_reached_never_turn_above_into_below(window, schoolweging, index, which, more):
    before = school_results(years_from(window), schoolweging, NORMS)[index - 1]
    raised = [list(c) for c in window]
    pupils, fundamental, target = raised[which]
    if index == 1:
        raised[which][1] = min(3 * pupils, fundamental + more)
    else:
        raised[which][2] = min(fundamental, target + more)
    after = school_results(years_from([tuple(c) for c in raised]), schoolweging, NORMS)[index - 1]

    assert after.percentage >= before.percentage
    if before.outcome == ABOVE:
        assert after.outcome == ABOVE
    elif before.outcome == BELOW:
        assert after.outcome in (ABOVE, BELOW)
    else:
        assert after.outcome == before.outcome


@PROPERTY
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.decimals(min_value=0, max_value=60, places=2, allow_nan=False, allow_infinity=False),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_the_schoolweging_applied_is_the_clipped_rounded_mean(values):
    applied = schoolweging_applied(values)
    known = [v for v in values if v is not None]
    if not known:
        assert applied is None
        return
    mean = half_up2(sum((Fraction(v) for v in known), Fraction(0)) / len(known))
    assert applied == min(Decimal(40), max(Decimal(20), mean))
    assert Decimal(20) <= applied <= Decimal(40)
    band, _norm = NORMS.target_norm(applied)
    lower, upper = (Decimal(x) for x in band.strip("[)").split(","))
    assert lower <= applied < upper or applied == upper == Decimal(40)


def test_a_schoolweging_of_40_is_in_the_top_band():
    assert NORMS.target_norm(Decimal(40)) == ("[39,40)", Decimal("30.3"))
    assert NORMS.target_norm(Decimal("39.99")) == ("[39,40)", Decimal("30.3"))
    assert NORMS.target_norm(Decimal(39)) == ("[39,40)", Decimal("30.3"))
    assert NORMS.target_norm(Decimal("38.99")) == ("[38,39)", Decimal("31.7"))
    assert NORMS.target_norm(Decimal(20)) == ("[20,21)", Decimal("68.3"))
    assert schoolweging_applied([Decimal(41), Decimal(42), None]) == Decimal(40)


norms_to_reach = st.one_of(
    st.just(Decimal(85)),
    st.sampled_from([norm for _, _, norm in NORMS.bands]),
    st.decimals(min_value=1, max_value=100, places=2, allow_nan=False, allow_infinity=False),
)


@PROPERTY
@given(
    st.lists(counts(), min_size=2, max_size=2),
    st.integers(1, 300),
    st.sampled_from(["1F", "1S/2F"]),
    norms_to_reach,
)
def test_needed_next_year_is_the_least_that_reaches_the_norm(kept_counts, expected, code, norm):
    kept = years_from(kept_counts)
    levels = 3 * expected

    def three_year_value(reached: int) -> Decimal:
        coming = Year(2025, expected, pct(reached, expected), pct(reached, expected))
        return indicator_result(code, [*kept, coming], None, NORMS).percentage

    needed = needed_next_year(code, kept, expected, norm)
    assert needed is not None
    assert (needed.indicator, needed.norm, needed.pupils_expected) == (code, norm, expected)
    if needed.percentage is None:
        assert needed.pupils is None and not needed.already_safe
        assert three_year_value(levels) < norm
        return
    need = int((needed.percentage * levels / 100).to_integral_value(rounding=ROUND_HALF_UP))
    assert 0 <= need <= levels
    assert needed.percentage * levels / 100 >= need  # reaching the percentage is enough
    assert three_year_value(need) >= norm
    if need > 0:
        assert three_year_value(need - 1) < norm
    assert needed.already_safe == (need == 0)
    assert needed.pupils == math.ceil(need / 3)


def test_nothing_is_needed_without_pupils_or_with_a_kept_year_missing_or_masked():
    full = Year(2024, 20, Decimal(90), Decimal(50))
    assert needed_next_year("1F", [full, full], 0, Decimal(85)) is None
    assert needed_next_year("1F", [Year(2024), full], 20, Decimal(85)) is None
    assert needed_next_year("1F", [Year(2024, masked=True), full], 20, Decimal(85)) is None


# --- 3. edge cases -----------------------------------------------------------------------------


def test_all_empty_years_are_too_little_data():
    for result in school_results([Year(2023), Year(2024), Year(2025)], Decimal(30), NORMS):
        assert result.outcome == INSUFFICIENT_DATA
        assert result.percentage is None
        assert result.pupils is None


def test_a_year_with_0_pupils_is_a_missing_year():
    full = [Year(2024, 20, Decimal(90), Decimal(50)), Year(2025, 20, Decimal(90), Decimal(50))]
    empty = school_results([Year(2023), *full], Decimal(30), NORMS)
    zero = school_results([Year(2023, 0, Decimal(0), Decimal(0)), *full], Decimal(30), NORMS)
    assert zero == empty
    for result in zero:
        assert result.outcome == INSUFFICIENT_DATA
        assert result.pupils == 40
    assert (zero[0].percentage, zero[1].percentage) == (Decimal("90.00"), Decimal("50.00"))


def test_three_years_of_0_pupils_divide_by_nothing():
    zeros = [Year(year, 0, Decimal(0), Decimal(0)) for year in (2023, 2024, 2025)]
    for result in school_results(zeros, Decimal(30), NORMS):
        assert result.outcome == INSUFFICIENT_DATA
        assert result.percentage is None


@pytest.mark.parametrize(
    ("pupils", "outcome"),
    [
        ((5, 5, 5), ABOVE),
        ((5, 5, 4), SMALL_SCHOOL),
        ((1, 1, 12), SMALL_SCHOOL),
        ((1, 1, 13), ABOVE),
    ],
)
def test_the_small_school_threshold_is_15_pupils_over_three_years(pupils, outcome):
    years = [Year(2023 + i, n, Decimal(100), Decimal(100)) for i, n in enumerate(pupils)]
    fundamental, target = school_results(years, Decimal(30), NORMS)
    assert fundamental.outcome == target.outcome == outcome
    assert fundamental.pupils == sum(pupils)


def test_a_small_school_comes_before_an_unknown_schoolweging():
    years = [Year(2023 + i, 4, Decimal(100), Decimal(100)) for i in range(3)]
    fundamental, target = school_results(years, None, NORMS)
    assert fundamental.outcome == target.outcome == SMALL_SCHOOL
    years = [Year(2023 + i, 5, Decimal(100), Decimal(100)) for i in range(3)]
    fundamental, target = school_results(years, None, NORMS)
    assert (fundamental.outcome, target.outcome) == (ABOVE, INSUFFICIENT_DATA)


@pytest.mark.parametrize(
    ("schoolweging", "band", "norm"),
    [
        (Decimal("12.5"), "[20,21)", Decimal("68.3")),
        (Decimal("19.99"), "[20,21)", Decimal("68.3")),
        (Decimal(20), "[20,21)", Decimal("68.3")),
        (Decimal(40), "[39,40)", Decimal("30.3")),
        (Decimal("40.01"), "[39,40)", Decimal("30.3")),
        (Decimal("47.3"), "[39,40)", Decimal("30.3")),
    ],
)
def test_a_schoolweging_outside_20_40_is_clipped_for_the_band(schoolweging, band, norm):
    years = [Year(2023 + i, 20, Decimal(90), Decimal(50)) for i in range(3)]
    _fundamental, target = school_results(years, schoolweging, NORMS)
    assert (target.band, target.norm) == (band, norm)
    assert target.outcome == (ABOVE if Decimal(50) >= norm else BELOW)
