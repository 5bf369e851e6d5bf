"""The small charts of the cockpit: one bar per year on the indicator's fixed scale, the school's
own figures outlined, a masked year without a bar, the signalling value as a dashed line, and
a label that says all of it in the reader's language."""

import re
from decimal import Decimal

from django.utils import translation

from stelsel.insight.outcomes import OvtOutcome
from stelsel.insight.po_model import Year
from stelsel.insight.small_multiples import HEIGHT, PAD, figures, percent, result_chart


def _outcome(indicator="1S/2F", years=None, own=(), norm=Decimal("45.50")):
    years = years or [
        Year(2023, 8, Decimal("100"), Decimal("41.67")),
        Year(2024, 5, Decimal("100"), Decimal("40.00")),
        Year(2025, 10, Decimal("90"), Decimal("33.33")),
    ]
    return OvtOutcome(
        ovt="00AV|C1",
        ovt_id=1,
        board_id=1,
        board_number="41646",
        school_id=1,
        indicator=indicator,
        first_year=years[0].year,
        last_year=years[-1].year,
        percentage=Decimal("37.68"),
        pupils=23,
        schoolweging=Decimal("30.61"),
        band="[30,31)",
        norm=norm,
        outcome="below",
        published_outcome="below",
        source="computed",
        years=years,
        own_years=set(own),
    )


def _chart(outcome, separator="."):
    return str(result_chart(outcome, figures(outcome, separator)))


def test_each_year_is_a_bar_on_a_fixed_scale_with_the_norm_dashed():
    svg = _chart(_outcome())
    bars = re.findall(r'<rect x="[\d.]+" y="([\d.]+)"', svg)
    assert len(bars) == 3
    plot = HEIGHT - 2 * PAD
    # 1S/2F runs from 0% to 100%: 41.67% stands at 41.67% of the height from the bottom.
    assert float(bars[0]) == round(PAD + plot * (1 - 0.4167), 1)
    norm_y = re.search(r'<line [^>]*y1="([\d.]+)"[^>]*stroke-dasharray="4 2"', svg).group(1)
    assert float(norm_y) == round(PAD + plot * (1 - 0.455), 1)
    assert "style=" not in svg and "<script" not in svg


def test_1f_uses_its_own_scale_and_clips_below_it():
    outcome = _outcome(
        "1F",
        years=[
            Year(2023, 20, Decimal("50"), Decimal("30")),
            Year(2024, 20, Decimal("80"), Decimal("30")),
            Year(2025, 20, Decimal("100"), Decimal("30")),
        ],
        norm=Decimal("85"),
    )
    bars = [float(y) for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)"', _chart(outcome))]
    plot = HEIGHT - 2 * PAD
    assert bars == [
        round(PAD + plot * 1.0, 1),  # 50% is below 60%: a stub at the bottom
        round(PAD + plot * 0.5, 1),  # 80% is halfway from 60% to 100%
        float(PAD),
    ]


def test_a_masked_year_has_no_bar_and_the_schools_own_year_is_outlined():
    outcome = _outcome(
        years=[
            Year(2024, None, None, None, masked=True),
            Year(2025, 10, Decimal("90"), Decimal("33.33")),
            Year(2026, 12, Decimal("80"), Decimal("50")),
        ],
        own=[2026],
    )
    svg = _chart(outcome)
    rects = re.findall(r"<rect [^>]*>", svg)
    assert len(rects) == 2
    assert 'fill="#ffffff"' in rects[1] and 'stroke-width="1.5"' in rects[1]
    assert ">*</text>" in svg
    written = figures(outcome, ",")
    assert written.years_text == "2024: * · 2025: 33,33% · 2026: 50% (own)"


def test_the_label_says_the_figures_in_the_readers_language():
    with translation.override("nl"):
        svg = _chart(_outcome(), separator=",")
    label = re.search(r'aria-label="([^"]*)"', svg).group(1)
    assert "41,67%" in label and "33,33%" in label and "45,5%" in label
    assert "1S/2F" in label


def test_percentages_lose_trailing_zeros_and_take_the_decimal_sign():
    assert percent(Decimal("85.00"), ".") == "85%"
    assert percent(Decimal("100"), ",") == "100%"
    assert percent(Decimal("47.20"), ",") == "47,2%"
    assert percent(None) == "–"
    with translation.override("nl"):
        assert percent(Decimal("37.68")) == "37,68%"
    with translation.override("en"):
        assert percent(Decimal("37.68")) == "37.68%"
