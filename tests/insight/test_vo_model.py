"""The secondary results model (vo_model): the norms and their corrections, the four indicators,
and the inspectorate's decision rule, with examples from its own pages and properties."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stelsel.insight import vo_model
from stelsel.insight.library import library_files, parse_norms_file
from stelsel.insight.vo_model import (
    ABOVE,
    AFDELINGEN,
    BELOW,
    BOVENBOUWSUCCES,
    EXAMENCIJFERS,
    GEEN_OORDEEL,
    INDICATORS,
    ONDERBOUWSNELHEID,
    ONDERWIJSPOSITIE,
    ONVOLDOENDE,
    ONVOLDOENDE_TENZIJ,
    VOLDOENDE,
    ExamYear,
    Share,
    Value,
    corrected_norm,
    corrected_norm_from_counts,
    exam_grades,
    judgement,
    judgements,
    onderwijspositie,
    pooled_percentage,
    qualify,
)

PROPERTY = settings(max_examples=300, deadline=None)
R1, R2, R3, R4 = INDICATORS
ONDERBOUW = {"apcg": Decimal("-3.0"), "lateral_entry": Decimal("-2.5")}
D = Decimal


# --- norms and corrections ----------------------------------------------------------------------


def test_the_correction_is_the_inspectorates_worked_example():
    """77 apcg pupils and 28 lateral entrants out of 1,000: (77 × −3.0 + 28 × −2.5) ÷ 1,000."""
    norm = corrected_norm_from_counts(
        D("95.50"), ONDERBOUW, {"apcg": 77, "lateral_entry": 28}, 1000
    )
    assert norm == D("95.20")  # 95.50 − 0.301, rounded half up


def test_a_school_whose_pupils_all_have_a_characteristic_gets_the_full_correction():
    assert corrected_norm(D("95.50"), ONDERBOUW, {"apcg": D(1)}) == D("92.50")
    assert corrected_norm(D("95.50"), ONDERBOUW, {"lateral_entry": D(1)}) == D("93.00")
    assert corrected_norm(D("95.50"), ONDERBOUW, {"apcg": D(1), "lateral_entry": D(1)}) == D(
        "90.00"
    )


def test_without_shares_the_norm_is_the_published_one():
    assert corrected_norm(D("95.50"), ONDERBOUW, {}) == D("95.50")
    assert corrected_norm(D("82"), {}, {}) == D("82.00")


def test_rounding_is_half_up_to_two_decimals():
    # 95.50 − 3.0 × 0.12 − 2.5 × 0.05 = 95.015
    assert corrected_norm(
        D("95.50"), ONDERBOUW, {"apcg": D("0.12"), "lateral_entry": D("0.05")}
    ) == D("95.02")


@pytest.mark.parametrize(
    "shares",
    [{"lwoo": D("0.1")}, {"apcg": D("-0.1")}, {"apcg": D("1.5")}],
    ids=["no such correction", "negative share", "share above one"],
)
def test_impossible_shares_are_refused(shares):
    with pytest.raises(ValueError):
        corrected_norm(D("95.50"), ONDERBOUW, shares)


def test_counts_beyond_the_pupils_are_refused():
    with pytest.raises(ValueError):
        corrected_norm_from_counts(D("95.50"), ONDERBOUW, {"apcg": 11}, 10)
    with pytest.raises(ValueError):
        corrected_norm_from_counts(D("95.50"), ONDERBOUW, {"apcg": 1}, 0)


shares_st = st.fixed_dictionaries(
    {
        "apcg": st.decimals(min_value=0, max_value=1, places=3),
        "lateral_entry": st.decimals(min_value=0, max_value=1, places=3),
    }
)


@PROPERTY
@given(shares_st, shares_st)
def test_more_pupils_with_a_characteristic_never_raise_the_norm(a, b):
    low = {k: max(a[k], b[k]) for k in a}
    high = {k: min(a[k], b[k]) for k in a}
    assert corrected_norm(D("95.50"), ONDERBOUW, low) <= corrected_norm(D("95.50"), ONDERBOUW, high)


@PROPERTY
@given(shares_st)
def test_the_corrected_norm_lies_between_the_full_correction_and_the_norm(shares):
    norm = corrected_norm(D("95.50"), ONDERBOUW, shares)
    assert D("90.00") <= norm <= D("95.50")


# --- the indicators -----------------------------------------------------------------------------


def test_onderwijspositie_is_the_mean_score_with_half_for_havo_in_havo_vwo():
    # 10 above (+1), 70 at (0), 15 below (−1), 5 havo-advice pupils in havo/vwo-3 (+0.5)
    assert onderwijspositie(10, 70, 15, 5) == D("-0.03")  # (10 − 15 + 2.5) ÷ 100 = −0.025
    assert onderwijspositie(0, 0, 0) is None
    with pytest.raises(ValueError):
        onderwijspositie(-1, 5, 0)


@PROPERTY
@given(*(st.integers(min_value=0, max_value=500) for _ in range(4)))
def test_onderwijspositie_lies_between_minus_one_and_one(above, at, below, half):
    score = onderwijspositie(above, at, below, half)
    if above + at + below + half == 0:
        assert score is None
    else:
        assert D(-1) <= score <= D(1)


def test_a_percentage_over_three_years_is_weighted_by_pupils():
    years = [Share(2022, 190, 200), Share(2023, 95, 100), Share(2024, 300, 300)]
    assert pooled_percentage(years) == D("97.50")  # 585 ÷ 600
    assert pooled_percentage([]) is None
    with pytest.raises(ValueError):
        pooled_percentage([Share(2022, 11, 10)])


def test_exam_years_with_fewer_than_30_subject_grades_do_not_count():
    years = [
        ExamYear(2022, D("6.00"), 29),  # does not count
        ExamYear(2023, D("6.40"), 30),
        ExamYear(2024, D("6.10"), 60),
    ]
    assert exam_grades(years) == D("6.20")  # (6.40 × 30 + 6.10 × 60) ÷ 90
    assert exam_grades([ExamYear(2024, D("7"), 29)]) is None


exam_year_st = st.builds(
    ExamYear,
    year=st.integers(min_value=2020, max_value=2025),
    mean=st.decimals(min_value=1, max_value=10, places=2),
    subject_grades=st.integers(min_value=0, max_value=2000),
)


@PROPERTY
@given(st.lists(exam_year_st, max_size=3))
def test_the_exam_mean_lies_within_its_counted_years(years):
    counted = [y.mean for y in years if y.subject_grades >= 30]
    result = exam_grades(years)
    if not counted:
        assert result is None
    else:
        assert min(counted) <= result <= max(counted)


def test_at_the_norm_is_above():
    assert qualify(D("6.23"), D("6.23")) == ABOVE
    assert qualify(D("6.22"), D("6.23")) == BELOW
    assert qualify(None, D("6.23")) is None
    assert qualify(D("6.22"), None) is None


# --- the decision rule ---------------------------------------------------------------------


def q(below=(), unknown=()) -> dict:
    return {c: None if c in unknown else BELOW if c in below else ABOVE for c in INDICATORS}


@pytest.mark.parametrize(
    ("below", "unknown", "expected"),
    [
        ((), (), VOLDOENDE),
        ((R3,), (), VOLDOENDE),
        ((R1, R2), (), ONVOLDOENDE_TENZIJ),
        ((R1, R3), (), ONVOLDOENDE),
        ((R2, R4), (), ONVOLDOENDE),
        ((R3, R4), (), ONVOLDOENDE),
        ((R1, R2, R3), (), ONVOLDOENDE),
        ((R1, R2, R3, R4), (), ONVOLDOENDE),
        ((R1, R2), (R4,), ONVOLDOENDE_TENZIJ),  # three known: the same rule
        ((R1,), (R4,), VOLDOENDE),
        ((R2, R3), (R4,), ONVOLDOENDE),
        ((R1, R2), (R3, R4), GEEN_OORDEEL),  # two known: no judgement, however low
        ((), (R1, R2), GEEN_OORDEEL),
    ],
)
def test_the_decision_rule(below, unknown, expected):
    assert judgement(q(below, unknown)) == expected


def test_a_missing_indicator_is_the_same_as_an_unknown_one():
    assert judgement({R1: BELOW, R2: BELOW, R3: ABOVE}) == ONVOLDOENDE_TENZIJ
    assert judgement({R1: BELOW, R2: BELOW}) == GEEN_OORDEEL


def test_unknown_indicators_are_refused():
    with pytest.raises(ValueError):
        judgement({"slagingspercentage": BELOW, R1: BELOW, R2: ABOVE, R3: ABOVE})


qualifications_st = st.fixed_dictionaries(
    {code: st.sampled_from([ABOVE, BELOW, None]) for code in INDICATORS}
)
WORSE = {VOLDOENDE: 0, ONVOLDOENDE_TENZIJ: 1, ONVOLDOENDE: 2}


@PROPERTY
@given(qualifications_st)
def test_the_rule_follows_from_the_number_known_and_below(qs):
    known = [c for c, v in qs.items() if v is not None]
    below = {c for c, v in qs.items() if v == BELOW}
    result = judgement(qs)
    if len(known) < 3:
        assert result == GEEN_OORDEEL
    elif below == {R1, R2}:
        assert result == ONVOLDOENDE_TENZIJ
    elif len(below) >= 2:
        assert result == ONVOLDOENDE
    else:
        assert result == VOLDOENDE


@PROPERTY
@given(qualifications_st, st.sampled_from(INDICATORS))
def test_one_more_indicator_below_never_makes_the_judgement_better(qs, code):
    if qs[code] != ABOVE or judgement(qs) == GEEN_OORDEEL:
        return
    worse = {**qs, code: BELOW}
    assert WORSE[judgement(worse)] >= WORSE[judgement(qs)]


@PROPERTY
@given(qualifications_st)
def test_r3_and_r4_play_the_same_part(qs):
    swapped = {**qs, R3: qs[R4], R4: qs[R3]}
    assert judgement(swapped) == judgement(qs)


@PROPERTY
@given(qualifications_st)
def test_r1_and_r2_play_the_same_part(qs):
    swapped = {**qs, R1: qs[R2], R2: qs[R1]}
    assert judgement(swapped) == judgement(qs)


@PROPERTY
@given(qualifications_st)
def test_with_three_known_one_below_is_sufficient(qs):
    known = [c for c, v in qs.items() if v is not None]
    if len(known) >= 3 and sum(v == BELOW for v in qs.values()) <= 1:
        assert judgement(qs) == VOLDOENDE


# --- per afdeling --------------------------------------------------------------------------


def test_each_afdeling_is_judged_with_the_locations_r1_and_r2():
    location = {
        ONDERWIJSPOSITIE: Value(D("-0.20"), D("-0.10")),
        ONDERBOUWSNELHEID: Value(D(96), D("95.5")),
    }
    afdelingen = {
        "havo": {BOVENBOUWSUCCES: Value(D(80), D(82)), EXAMENCIJFERS: Value(D("6.3"), D("6.1"))},
        "vmbo-k": {BOVENBOUWSUCCES: Value(D(80), D(82)), EXAMENCIJFERS: Value(D("6.1"), D("6.23"))},
    }
    rows = judgements(location, afdelingen)
    assert [r.afdeling for r in rows] == ["vmbo-k", "havo"]  # the inspectorate's order
    by = {r.afdeling: r for r in rows}
    assert by["havo"].judgement == ONVOLDOENDE  # R1 and R3 below
    assert by["havo"].below == [R1, R3]
    assert by["vmbo-k"].judgement == ONVOLDOENDE  # R1, R3 and R4 below
    assert by["havo"].values[R1] is location[R1]


def test_a_location_without_afdelingen_has_no_judgement():
    rows = judgements(
        {ONDERWIJSPOSITIE: Value(D(0), D("-0.1")), ONDERBOUWSNELHEID: Value(D(90), D(95))}, {}
    )
    assert [(r.afdeling, r.judgement) for r in rows] == [("", GEEN_OORDEEL)]


def test_an_indicator_in_the_wrong_place_is_refused():
    with pytest.raises(ValueError):
        judgements({BOVENBOUWSUCCES: Value(D(80), D(82))}, {})
    with pytest.raises(ValueError):
        judgements({}, {"havo": {ONDERWIJSPOSITIE: Value(D(0), D(0))}})


def test_a_value_without_norm_is_not_qualified():
    row = judgements({ONDERWIJSPOSITIE: Value(D(0), None)}, {"havo": {}})[0]
    assert row.values[R1].qualification is None
    assert row.judgement == GEEN_OORDEEL


# --- the library file ----------------------------------------------------------------------


def test_the_library_holds_the_published_vo_norms_and_nothing_guessed():
    (path,) = [p for p in library_files() if Path(p).name.startswith("vo-")]
    spec = parse_norms_file(path)
    norms = {(n.indicator, n.afdeling): n for n in spec.vo_norms}
    assert norms[(ONDERBOUWSNELHEID, "")].norm == D("95.50")
    assert norms[(ONDERBOUWSNELHEID, "")].corrections == ONDERBOUW
    assert norms[(BOVENBOUWSUCCES, "havo")].norm == D("82.00")
    assert norms[(EXAMENCIJFERS, "vmbo-b")].norm == D("6.50")
    assert norms[(EXAMENCIJFERS, "vmbo-k")].norm == D("6.23")
    for (indicator, afdeling), norm in norms.items():
        assert indicator in INDICATORS
        assert (
            afdeling == "" if indicator in vo_model.LOCATION_INDICATORS else afdeling in AFDELINGEN
        )
        low, high = vo_model.RANGES[indicator]
        assert low <= norm.norm <= high
        assert all(c < 0 for c in norm.corrections.values()), "a correction lowers the norm"
