"""The inspectorate's results model for secondary schools (VO), as pure computation.

Four indicators, each over three school years together (DOMAIN.md §8, and the inspectorate's
pages on its Onderwijsresultatenmodel):

- R1 *onderwijspositie t.o.v. het advies po*: per pupil in year 3, the position against the
  primary school's advice scores +1 (above), 0 (at) or −1 (below); a pupil with a havo advice in
  a combined havo/vwo-3 class scores 0.5. The school's value is the mean score (−1 … +1). It is
  one value for the whole location, whatever afdelingen it offers; its norm depends on the kind
  of school and is not public here, so the board enters it from its Internet Schooldossier;
- R2 *onderbouwsnelheid*: % of pupils in years 1–2 without delay, one value for the location;
  norm 95.50, lowered for pupils from poverty areas (apcg, −3.0) and for lateral entrants
  (−2.5): see `corrected_norm`;
- R3 *bovenbouwsucces*: % without delay from year 3 on, per afdeling (havo norm 82.00 since
  2020, with corrections that include an opstroom correction);
- R4 *examencijfers*: the mean central-exam grade per afdeling; a year counts only with at
  least 30 subject grades, and the counted years are weighted by their subject grades.

The judgement is per afdeling: the location's R1 and R2 with the afdeling's R3 and R4. The
decision rule (the inspectorate's *beslisregel*, "balanced score": one indicator below the norm
is allowed): with three or four indicators qualified, two or more below the norm is
"onvoldoende", except exactly R1 and R2 below, which is "onvoldoende, tenzij" (insufficient
unless the school accounts for it); otherwise "voldoende". With fewer than three, no judgement
("te weinig gegevens"). At or above the norm counts as above, as in the primary model.

The computed judgement is what boards see in their Internet Schooldossier; it is never
published, and an inspector may still judge otherwise. Nothing here reads the database.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

ONDERWIJSPOSITIE = "onderwijspositie"
ONDERBOUWSNELHEID = "onderbouwsnelheid"
BOVENBOUWSUCCES = "bovenbouwsucces"
EXAMENCIJFERS = "examencijfers"
INDICATORS = (ONDERWIJSPOSITIE, ONDERBOUWSNELHEID, BOVENBOUWSUCCES, EXAMENCIJFERS)
R_NUMBER = {code: f"R{n}" for n, code in enumerate(INDICATORS, start=1)}
# R1 and R2 belong to the location; R3 and R4 to each afdeling.
LOCATION_INDICATORS = (ONDERWIJSPOSITIE, ONDERBOUWSNELHEID)
AFDELING_INDICATORS = (BOVENBOUWSUCCES, EXAMENCIJFERS)
AFDELINGEN = ("vmbo-b", "vmbo-k", "vmbo-gt", "havo", "vwo")
# What a value can be: a mean score, a percentage, a grade.
RANGES: dict[str, tuple[Decimal, Decimal]] = {
    ONDERWIJSPOSITIE: (Decimal(-1), Decimal(1)),
    ONDERBOUWSNELHEID: (Decimal(0), Decimal(100)),
    BOVENBOUWSUCCES: (Decimal(0), Decimal(100)),
    EXAMENCIJFERS: (Decimal(1), Decimal(10)),
}
MIN_SUBJECT_GRADES = 30

ABOVE = "above"
BELOW = "below"

VOLDOENDE = "voldoende"
ONVOLDOENDE = "onvoldoende"
ONVOLDOENDE_TENZIJ = "onvoldoende_tenzij"
GEEN_OORDEEL = "geen_oordeel"


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- norms -------------------------------------------------------------------------------


def corrected_norm(
    norm: Decimal, corrections: Mapping[str, Decimal], shares: Mapping[str, Decimal]
) -> Decimal:
    """The school's own norm: the published norm lowered by its pupil population.

    Reading of DOMAIN.md ("−3.0 per pupil" from apcg areas, "−2.5" per lateral entrant) and the
    inspectorate's worked example: over the three years, count the pupils with each
    characteristic, multiply by its correction and divide by all pupils (77 apcg and 28 lateral
    entrants among 1,000 pupils: (77 × −3.0 + 28 × −2.5) ÷ 1,000 = −0.30). That is the
    correction times the *share* of pupils with the characteristic, so a school where every
    pupil comes from an apcg area has a norm 3.0 points lower. `shares` are fractions (0 … 1),
    each on its own: a pupil can be both. A characteristic without a share counts as none; a
    share for a characteristic the norm has no correction for is a mistake and refused.
    Rounded half up to two decimals, as the norms are published.
    """
    unknown = set(shares) - set(corrections)
    if unknown:
        raise ValueError(f"no correction for {', '.join(sorted(unknown))}")
    total = Decimal(norm)
    for name, correction in corrections.items():
        share = Decimal(shares.get(name, 0))
        if not 0 <= share <= 1:
            raise ValueError(f"the share of {name} must lie between 0 and 1, not {share}")
        total += Decimal(correction) * share
    return round2(total)


def corrected_norm_from_counts(
    norm: Decimal,
    corrections: Mapping[str, Decimal],
    counts: Mapping[str, int],
    pupils: int,
) -> Decimal:
    """`corrected_norm` from the counts the inspectorate's example uses: pupils with each
    characteristic over three years, out of `pupils` in total."""
    if pupils <= 0:
        raise ValueError("the number of pupils must be positive")
    if any(not 0 <= count <= pupils for count in counts.values()):
        raise ValueError("a count lies between 0 and the number of pupils")
    return corrected_norm(
        norm, corrections, {name: Decimal(count) / pupils for name, count in counts.items()}
    )


# --- indicator values ----------------------------------------------------------------------


def onderwijspositie(above: int, at: int, below: int, havo_in_havo_vwo: int = 0) -> Decimal | None:
    """R1 from counts of pupils in year 3: above the advice (+1), at it (0), below it (−1),
    and pupils with a havo advice in a combined havo/vwo-3 class (+0.5); the mean, two
    decimals. None without pupils."""
    counts = (above, at, below, havo_in_havo_vwo)
    if any(c < 0 for c in counts):
        raise ValueError("counts cannot be negative")
    pupils = sum(counts)
    if not pupils:
        return None
    score = Decimal(above) - Decimal(below) + Decimal(havo_in_havo_vwo) / 2
    return round2(score / pupils)


@dataclass(frozen=True)
class Share:
    """One year of a percentage indicator: pupils without delay out of pupils counted."""

    year: int
    without_delay: int
    pupils: int


def pooled_percentage(years: Iterable[Share]) -> Decimal | None:
    """R2 or R3 over three years: Σ without delay ÷ Σ pupils, as a percentage, two decimals."""
    years = list(years)
    if any(y.pupils < 0 or not 0 <= y.without_delay <= y.pupils for y in years):
        raise ValueError("pupils without delay lie between 0 and the pupils counted")
    pupils = sum(y.pupils for y in years)
    if not pupils:
        return None
    return round2(Decimal(100) * sum(y.without_delay for y in years) / pupils)


@dataclass(frozen=True)
class ExamYear:
    """One year of an afdeling's central exams: the mean grade and how many grades it holds."""

    year: int
    mean: Decimal
    subject_grades: int

    @property
    def counts(self) -> bool:
        return self.subject_grades >= MIN_SUBJECT_GRADES


def exam_grades(years: Iterable[ExamYear]) -> Decimal | None:
    """R4: the mean of the years with at least 30 subject grades, weighted by their subject
    grades, two decimals; None when no year counts."""
    counted = [y for y in years if y.counts]
    grades = sum(y.subject_grades for y in counted)
    if not grades:
        return None
    return round2(sum(y.mean * y.subject_grades for y in counted) / grades)


# --- qualification and the decision rule ---------------------------------------------------


def qualify(value: Decimal | None, norm: Decimal | None) -> str | None:
    """ABOVE when the value is at or above the norm, BELOW under it, None when either is
    unknown (the indicator then has no qualification and does not count for the rule)."""
    if value is None or norm is None:
        return None
    return ABOVE if value >= norm else BELOW


def judgement(qualifications: Mapping[str, str | None]) -> str:
    """The decision rule, from the qualification (ABOVE, BELOW or None) of each indicator."""
    unknown = set(qualifications) - set(INDICATORS)
    if unknown:
        raise ValueError(f"unknown indicators: {', '.join(sorted(unknown))}")
    known = {code: q for code, q in qualifications.items() if q is not None}
    if len(known) < 3:
        return GEEN_OORDEEL
    below = {code for code, q in known.items() if q == BELOW}
    if below == {ONDERWIJSPOSITIE, ONDERBOUWSNELHEID}:
        return ONVOLDOENDE_TENZIJ
    if len(below) >= 2:
        return ONVOLDOENDE
    return VOLDOENDE


@dataclass(frozen=True)
class Value:
    """An indicator's value and the norm that applies to this school."""

    value: Decimal
    norm: Decimal | None

    @property
    def qualification(self) -> str | None:
        return qualify(self.value, self.norm)


@dataclass(frozen=True)
class AfdelingJudgement:
    afdeling: str
    values: dict[str, Value | None]  # every indicator, None when not known
    judgement: str

    @property
    def below(self) -> list[str]:
        return [c for c in INDICATORS if (v := self.values[c]) and v.qualification == BELOW]


def judgements(
    location: Mapping[str, Value], afdelingen: Mapping[str, Mapping[str, Value]]
) -> list[AfdelingJudgement]:
    """The judgement per afdeling: the location's R1 and R2 with each afdeling's R3 and R4.

    A location with no afdeling values is judged on R1 and R2 alone, which is too little for a
    judgement; it comes back as one row with afdeling "".
    """
    misplaced = set(location) - set(LOCATION_INDICATORS)
    misplaced |= {c for values in afdelingen.values() for c in values} - set(AFDELING_INDICATORS)
    if misplaced:
        raise ValueError(f"indicators in the wrong place: {', '.join(sorted(misplaced))}")
    rows = []
    for afdeling in sorted(afdelingen, key=afdeling_order) or [""]:
        values = {
            code: location.get(code) or afdelingen.get(afdeling, {}).get(code)
            for code in INDICATORS
        }
        rows.append(
            AfdelingJudgement(
                afdeling,
                values,
                judgement({c: v.qualification if v else None for c, v in values.items()}),
            )
        )
    return rows


def afdeling_order(afdeling: str) -> tuple[int, str]:
    return (AFDELINGEN.index(afdeling) if afdeling in AFDELINGEN else len(AFDELINGEN), afdeling)
