"""The inspectorate's results model for primary schools, as one pure computation.

The rules as the inspectorate's results file shows them (its README), checked on the published
excerpt in the tests:

- a year's percentage is reference levels reached in reading, spelling and maths together,
  divided by 3 × pupils. The file rounds it to two decimals; the number of levels reached is
  recovered exactly as round(% × 3 × pupils ÷ 100) (exact below 3,000 pupils a year), and the
  3-year value is Σ reached ÷ (3 × Σ pupils), rounded half up to two decimals. Averaging the
  rounded percentages instead is off by 0.01 for about one school in four;
- at or above the norm is "above" (85.00 against 85 is above);
- a missing year is too little data; then fewer than 15 pupils over three years is a small
  school (judged over five years); then, for 1S/2F, an unknown schoolweging is too little data;
- a masked year (`*`, fewer than 5 pupils in some year) cannot be recomputed: the file's own
  3-year value and outcome are all there is;
- the schoolweging applied is the unweighted mean of the available CBS values of the three
  school years before the period's last, rounded half up, clipped to [20, 40]; 40 falls in the
  top band [39, 40).

Nothing here reads the database: the callers pass the norms and the years.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
SCHOOLWEGING_MIN = Decimal(20)
SCHOOLWEGING_MAX = Decimal(40)
INDICATORS = ("1F", "1S/2F")

ABOVE = "above"
BELOW = "below"
SMALL_SCHOOL = "small_school"
INSUFFICIENT_DATA = "insufficient_data"


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Year:
    """One year of one school: pupils and the two percentages; `masked` is the file's `*`."""

    year: int
    pupils: int | None = None
    fundamental: Decimal | None = None
    target: Decimal | None = None
    masked: bool = False

    @property
    def present(self) -> bool:
        return self.masked or bool(self.pupils)  # 0 pupils: no results that year, as empty

    def percentage(self, indicator: str) -> Decimal | None:
        return self.fundamental if indicator == "1F" else self.target


@dataclass(frozen=True)
class Norms:
    """The norms of one results period: 1F everywhere, 1S/2F per schoolweging band."""

    fundamental: Decimal
    bands: tuple[tuple[Decimal, Decimal, Decimal], ...]  # (lower, upper, 1S/2F norm)
    small_school_pupils: int = 15

    def target_norm(self, schoolweging: Decimal) -> tuple[str, Decimal] | None:
        """The band label and the 1S/2F norm for a schoolweging, clipped to [20, 40] first as
        the inspectorate does; 40 is in the top band."""
        schoolweging = min(SCHOOLWEGING_MAX, max(SCHOOLWEGING_MIN, schoolweging))
        for lower, upper, norm in self.bands:
            if lower <= schoolweging < upper or (
                schoolweging == upper and upper == self.bands[-1][1]
            ):
                return f"[{lower.normalize():f},{upper.normalize():f})", norm
        return None


@dataclass(frozen=True)
class Result:
    indicator: str
    percentage: Decimal | None
    pupils: int | None
    schoolweging: Decimal | None
    band: str | None
    norm: Decimal | None
    outcome: str
    reached: int | None = None  # reference levels reached over the years counted
    masked: bool = False  # a masked year: only the inspectorate's own figures can be shown


def reached(percentage: Decimal, pupils: int) -> int:
    """The number of reference levels reached behind a rounded percentage of 3 × pupils."""
    return int((percentage * 3 * pupils / 100).to_integral_value(rounding=ROUND_HALF_UP))


def schoolweging_applied(values: list[Decimal | None]) -> Decimal | None:
    """The schoolweging for a results period from the yearly CBS values; None when none known."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    mean = round2(sum(known) / len(known))
    return min(SCHOOLWEGING_MAX, max(SCHOOLWEGING_MIN, mean))


def indicator_result(
    indicator: str, years: list[Year], schoolweging: Decimal | None, norms: Norms
) -> Result:
    """One indicator of one school over the three years of a period, as the inspectorate does."""
    norm, band = None, None
    if indicator == "1F":
        norm = norms.fundamental
    elif schoolweging is not None:
        found = norms.target_norm(schoolweging)
        if found:
            band, norm = found
    counted = [y for y in years if y.present]
    if any(y.masked for y in counted):
        return Result(
            indicator, None, None, schoolweging, band, norm, INSUFFICIENT_DATA, masked=True
        )
    pupils = sum(y.pupils for y in counted) if counted else None
    total = sum(reached(y.percentage(indicator) or Decimal(0), y.pupils) for y in counted)
    percentage = round2(Decimal(total) * 100 / (3 * pupils)) if pupils else None
    if len(counted) < len(years) or not pupils:
        outcome = INSUFFICIENT_DATA
    elif pupils < norms.small_school_pupils:
        outcome = SMALL_SCHOOL
    elif norm is None:
        outcome = INSUFFICIENT_DATA
    else:
        outcome = ABOVE if percentage >= norm else BELOW
    return Result(indicator, percentage, pupils, schoolweging, band, norm, outcome, total)


def school_results(years: list[Year], schoolweging: Decimal | None, norms: Norms) -> list[Result]:
    return [indicator_result(code, years, schoolweging, norms) for code in INDICATORS]


@dataclass(frozen=True)
class Needed:
    """What a school needs next year to stay at or above the norm over the coming window."""

    indicator: str
    norm: Decimal
    pupils_expected: int
    percentage: Decimal | None  # None: out of reach even at 100%
    pupils: int | None  # pupils reaching the level in all three subjects, equivalently
    already_safe: bool


def needed_next_year(
    indicator: str, kept: list[Year], pupils_expected: int, norm: Decimal
) -> Needed | None:
    """The lowest percentage next year that keeps the 3-year value at or above `norm`.

    `kept` are the two most recent years, which stay in the coming window. Percentages move in
    steps of one reference level (100 ÷ 3n) and the 3-year value is rounded half up, so the
    answer is the smallest whole number of levels whose rounded average reaches the norm.
    """
    if pupils_expected <= 0 or any(not y.present or y.masked for y in kept):
        return None
    have = sum(reached(y.percentage(indicator) or Decimal(0), y.pupils) for y in kept)
    all_pupils = sum(y.pupils for y in kept) + pupils_expected
    levels = 3 * pupils_expected
    # Smallest r with round2((have + r) * 100 / (3 * all_pupils)) >= norm.
    threshold = (norm - Decimal("0.005")) * 3 * all_pupils / 100 - have
    need = max(0, math.ceil(threshold))
    while need > 0 and round2(Decimal(have + need - 1) * 100 / (3 * all_pupils)) >= norm:
        need -= 1
    while need <= levels and round2(Decimal(have + need) * 100 / (3 * all_pupils)) < norm:
        need += 1
    if need > levels:
        return Needed(indicator, norm, pupils_expected, None, None, False)
    # Rounded up: a school that reaches the shown percentage reaches the norm.
    percentage = (Decimal(need) * 100 / levels).quantize(CENT, rounding=ROUND_CEILING)
    return Needed(
        indicator,
        norm,
        pupils_expected,
        percentage,
        math.ceil(need / 3),
        already_safe=need == 0,
    )
