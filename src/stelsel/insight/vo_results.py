"""Reading VO results: the published norms that apply, a school's values per results period
with the computed judgement per afdeling, and DUO's exam results beside them.

The pages, the signals and the entry form all read through here, so the judgement a signal
names is the one the school's page shows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stelsel.insight import vo_model
from stelsel.insight.models import ExamResult, NormTable, Signal, SignalKind, VoNorm, VoValue
from stelsel.organisations.models import School

INDICATOR_LABELS = {
    vo_model.ONDERWIJSPOSITIE: _("Educational position against the primary school's advice"),
    vo_model.ONDERBOUWSNELHEID: _("Progress without delay in years 1 and 2"),
    vo_model.BOVENBOUWSUCCES: _("Progress without delay from year 3 on"),
    vo_model.EXAMENCIJFERS: _("Central exam grades"),
}
INDICATOR_HELP = {
    vo_model.ONDERWIJSPOSITIE: _(
        "Mean score of the pupils in year 3: +1 above the advice, 0 at it, −1 below it; "
        "a havo advice in a combined havo/vwo class scores 0.5. Between −1 and 1."
    ),
    vo_model.ONDERBOUWSNELHEID: _("Percentage of pupils in years 1 and 2 without delay."),
    vo_model.BOVENBOUWSUCCES: _("Percentage of pupils without delay from year 3 to the diploma."),
    vo_model.EXAMENCIJFERS: _(
        "Mean central exam grade of all subjects; a year counts with at least 30 subject grades."
    ),
}
AFDELING_LABELS = {
    "": _("the location as a whole"),
    "vmbo-b": _("vmbo basic"),
    "vmbo-k": _("vmbo kader"),
    "vmbo-gt": _("vmbo gemengd/theoretisch"),
    "havo": _("havo"),
    "vwo": _("vwo"),
}
JUDGEMENT_LABELS = {
    vo_model.VOLDOENDE: _("Sufficient"),
    vo_model.ONVOLDOENDE: _("Insufficient"),
    vo_model.ONVOLDOENDE_TENZIJ: _("Insufficient, unless accounted for"),
    vo_model.GEEN_OORDEEL: _("No judgement: too little data"),
}
JUDGEMENT_TONES = {
    vo_model.VOLDOENDE: "positive",
    vo_model.ONVOLDOENDE: "negative",
    vo_model.ONVOLDOENDE_TENZIJ: "warn",
    vo_model.GEEN_OORDEEL: "info",
}
CORRECTION_LABELS = {
    "apcg": _("pupils from poverty areas (apcg)"),
    "lateral_entry": _("lateral entrants"),
}


def period_label(last_year: int) -> str:
    return f"{last_year - 2}-{last_year}"


# --- published norms ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedNorm:
    norm: Decimal
    corrections: dict[str, Decimal]
    table: str  # the library table it comes from, for the page's source line


def published_norms(last_year: int) -> dict[tuple[str, str], PublishedNorm]:
    """The VO norms for a results period ending in `last_year`, per (indicator, afdeling).

    VO norms are fixed for several years: the newest library table of a period ending in or
    before `last_year` applies (the newest version of it); for earlier periods, the earliest
    table. Empty when no VO norms are loaded.
    """
    tables = list(NormTable.objects.filter(sector="vo").order_by("last_year", "version"))
    if not tables:
        return {}
    fitting = [t for t in tables if t.last_year <= last_year]
    table = fitting[-1] if fitting else tables[0]
    return {
        (n.indicator, n.afdeling): PublishedNorm(
            n.norm, {k: Decimal(v) for k, v in n.corrections.items()}, str(table)
        )
        for n in VoNorm.objects.filter(table=table)
    }


# --- a school's values and judgements ----------------------------------------------------------


@dataclass
class Period:
    """One results period of one school: what the board entered and what follows from it."""

    school_id: int
    last_year: int
    values: list[VoValue]
    judgements: list[vo_model.AfdelingJudgement]

    @property
    def label(self) -> str:
        return period_label(self.last_year)

    @property
    def updated_at(self):
        return max((v.updated_at for v in self.values), default=None)

    @property
    def entered_by(self):
        latest = max(self.values, key=lambda v: v.updated_at, default=None)
        return latest.entered_by if latest else None

    @property
    def worst(self) -> str:
        """The least favourable judgement over the afdelingen, for overviews."""
        order = [
            vo_model.ONVOLDOENDE,
            vo_model.ONVOLDOENDE_TENZIJ,
            vo_model.VOLDOENDE,
            vo_model.GEEN_OORDEEL,
        ]
        found = {j.judgement for j in self.judgements}
        return next(j for j in order if j in found)

    def value(self, indicator: str, afdeling: str = "") -> VoValue | None:
        return next(
            (v for v in self.values if v.indicator == indicator and v.afdeling == afdeling), None
        )


def period_of(school_id: int, last_year: int, values: list[VoValue]) -> Period:
    location: dict[str, vo_model.Value] = {}
    afdelingen: dict[str, dict[str, vo_model.Value]] = defaultdict(dict)
    for v in values:
        item = vo_model.Value(v.value, v.norm)
        if v.indicator in vo_model.LOCATION_INDICATORS:
            location[v.indicator] = item
        else:
            afdelingen[v.afdeling][v.indicator] = item
    return Period(school_id, last_year, values, vo_model.judgements(location, afdelingen))


def periods_for(values) -> dict[int, dict[int, Period]]:
    """Stored values grouped as periods: {school id: {last year: Period}}."""
    grouped: dict[tuple[int, int], list[VoValue]] = defaultdict(list)
    for v in values:
        grouped[(v.school_id, v.last_year)].append(v)
    found: dict[int, dict[int, Period]] = defaultdict(dict)
    for (school_id, last_year), items in grouped.items():
        found[school_id][last_year] = period_of(school_id, last_year, items)
    return found


def school_periods(school: School) -> dict[int, Period]:
    values = VoValue.objects.filter(school=school).select_related("entered_by")
    return periods_for(values).get(school.pk, {})


def latest_periods(schools) -> dict[int, Period]:
    """The newest period of each of `schools` that has one, in one query."""
    values = VoValue.objects.filter(school__in=schools).select_related("entered_by")
    return {school_id: periods[max(periods)] for school_id, periods in periods_for(values).items()}


# --- DUO's exam results ------------------------------------------------------------------------


@dataclass
class ExamSummary:
    """One afdeling in one year, added up over DUO's lines (profiles, programmes)."""

    year: int
    afdeling: str
    candidates: int = 0
    passed: int = 0
    hidden_lines: int = 0  # lines whose counts DUO hides (<5): the sums leave them out
    weighted_grades: Decimal = Decimal(0)
    weighted_candidates: int = 0
    lines: int = 0

    @property
    def afdeling_label(self) -> str:
        return str(AFDELING_LABELS.get(self.afdeling, self.afdeling))

    @property
    def pass_rate(self) -> Decimal | None:
        if not self.candidates:
            return None
        return vo_model.round2(Decimal(100) * self.passed / self.candidates)

    @property
    def central_exam_mean(self) -> Decimal | None:
        """The candidates' mean central exam grade, weighted by candidates."""
        if not self.weighted_candidates:
            return None
        return vo_model.round2(self.weighted_grades / self.weighted_candidates)


@dataclass
class ExamOverview:
    years: list[int] = field(default_factory=list)
    rows: list[ExamSummary] = field(default_factory=list)

    def cross_check(self, last_year: int) -> dict[str, Decimal | None]:
        """Per afdeling, DUO's central exam mean over the period's three years, weighted by
        candidates: a cross-check for the examencijfers the board entered, not the
        inspectorate's figure (which weighs subject grades and leaves out small years)."""
        sums: dict[str, list] = defaultdict(lambda: [Decimal(0), 0])
        for row in self.rows:
            if last_year - 2 <= row.year <= last_year and row.weighted_candidates:
                sums[row.afdeling][0] += row.weighted_grades
                sums[row.afdeling][1] += row.weighted_candidates
        return {a: vo_model.round2(g / n) for a, (g, n) in sums.items() if n}


def exam_overview(school: School) -> ExamOverview:
    summaries: dict[tuple[int, str], ExamSummary] = {}
    for result in ExamResult.objects.filter(school=school).order_by("year", "afdeling"):
        key = (result.year, result.afdeling)
        summary = summaries.setdefault(key, ExamSummary(result.year, result.afdeling))
        summary.lines += 1
        if result.candidates is None or result.passed is None:
            summary.hidden_lines += 1
            continue
        summary.candidates += result.candidates
        summary.passed += result.passed
        if result.central_exam_mean is not None:
            summary.weighted_grades += result.central_exam_mean * result.candidates
            summary.weighted_candidates += result.candidates
    rows = sorted(summaries.values(), key=lambda s: (-s.year, vo_model.afdeling_order(s.afdeling)))
    return ExamOverview(sorted({s.year for s in rows}, reverse=True), rows)


# --- VO signals, for the pages that show them and the goals made from them --------------------


def vo_signal_source(signal: Signal) -> str:
    """Where a VO signal's figures come from: what the board entered from the ISD, and when."""
    return gettext("Internet Schooldossier, as the board entered it on %(date)s") % {
        "date": (signal.figures or {}).get("entered_on", "")
    }


def vo_goal_figures(signal: Signal) -> dict:
    """What a goal made from a VO signal says: the indicator at or above the school's norm (the
    norm plus the board's margin when near it), in the indicator's own unit; for a computed
    judgement, the afdeling's results sufficient again, which has no number to aim at."""
    f = signal.figures or {}
    afdeling = str(AFDELING_LABELS.get(f.get("afdeling", ""), f.get("afdeling", "")))
    if "judgement" in f:
        return {
            "title": gettext(
                "The results of %(afdeling)s are sufficient by the inspectorate's decision rule"
            )
            % {"afdeling": afdeling},
            "indicator": gettext("Computed judgement (Internet Schooldossier)"),
            "baseline": None,
            "target": None,
            "unit": "",
        }
    code = f["code"]
    indicator = f"{f['r']} {INDICATOR_LABELS[code]}"
    if f.get("afdeling"):
        indicator = f"{indicator} ({afdeling})"
    target = Decimal(f["norm"])
    if signal.kind == SignalKind.NEAR_NORM:
        target += Decimal(f.get("margin") or 0)
    return {
        "title": gettext("%(indicator)s at or above %(target)s over three years")
        % {"indicator": indicator, "target": number_format(target, decimal_pos=2)},
        "indicator": indicator,
        "baseline": Decimal(f["value"]),
        "target": target,
        "unit": "%" if vo_model.RANGES[code][1] == 100 else "",
    }
