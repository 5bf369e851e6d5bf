"""Reads for the data pages: the board's overview of results and one school's results.

Every figure comes from `outcomes` (`ovt_data`, `official_last_year`, `outcomes_for`), the
functions `po_outcomes`, the signals and `signals --json` use, so a page never shows another
number than the rest of Stelsel. What is added here is presentation and the look ahead: the
coming window once a school has entered the year after the official period, and what the school
needs next year to stay at or above the norm. Both are estimates where the inspectorate has not
decided yet (its norms for that period, the schoolweging), and say so.

The overview reads a fixed number of queries whatever the number of schools and OVTs.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from stelsel.insight import po_model
from stelsel.insight.access import ovts_for_user, signals_for_user
from stelsel.insight.library import po_norms_by_period
from stelsel.insight.models import DataImport, ImportKind, Outcome, PoResult, ResultSource
from stelsel.insight.outcomes import (
    OvtData,
    OvtOutcome,
    coming_schoolweging,
    norms_for_period,
    official_last_year,
    outcomes_for,
    ovt_data,
    with_schoolweging,
)
from stelsel.insight.results_chart import Bar, NormLine, years_chart
from stelsel.insight.results_entry import school_year_label
from stelsel.insight.signals import signal_sentence
from stelsel.organisations.access import grants, schools_for_user
from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import ROLES_SEEING_ALL_SCHOOLS

OUTCOME_LABELS = dict(Outcome.choices)
OUTCOME_TONES = {
    po_model.ABOVE: "positive",
    po_model.BELOW: "negative",
    po_model.SMALL_SCHOOL: "info",
    po_model.INSUFFICIENT_DATA: "warn",
}


def _sees_whole_board(user, board: Board) -> bool:
    return any(
        g.board_id == board.pk and g.school_id is None and g.role in ROLES_SEEING_ALL_SCHOOLS
        for g in grants(user)
    )


def _visible_data(user, board: Board, schools: list[School]) -> list[OvtData]:
    """The OVTs the user may see, with everything about them (the board's for board roles,
    their own school's confirmed ones for school roles)."""
    if _sees_whole_board(user, board):
        found = ovt_data(board=board)
    else:
        found = ovt_data(board=board, school_ids=[s.pk for s in schools])
    visible = {s.pk for s in schools}
    return [d for d in found if d.school_id is None or d.school_id in visible]


def _outcomes(data: OvtData, norms) -> tuple[int | None, dict[str, OvtOutcome]]:
    last_year = official_last_year(data)
    if last_year is None:
        return None, {}
    return last_year, {o.indicator: o for o in outcomes_for(data, last_year, norms)}


def source_date(board: Board):
    """When the inspectorate's results Stelsel holds for this board were last imported."""
    latest = (
        DataImport.objects.filter(Q(board=board) | Q(board__isnull=True))
        .filter(kind=ImportKind.INSPECTIE_RESULTS)
        .order_by("-imported_at")
        .values_list("imported_at", flat=True)
        .first()
    )
    return latest


# --- The board's overview -------------------------------------------------------------------


@dataclass
class OvtLine:
    """One OVT on the overview: its official outcomes and whether a coming year is entered."""

    id: int
    code: str
    name: str
    last_year: int | None
    outcomes: dict[str, OvtOutcome]
    coming_year: int | None = None

    @property
    def coming_label(self) -> str:
        return school_year_label(self.coming_year) if self.coming_year else ""

    @property
    def fundamental(self) -> OvtOutcome | None:
        return self.outcomes.get("1F")

    @property
    def target(self) -> OvtOutcome | None:
        return self.outcomes.get("1S/2F")

    @property
    def schoolweging(self) -> Decimal | None:
        outcome = self.fundamental or self.target
        return outcome.schoolweging if outcome else None

    @property
    def period(self) -> str:
        outcome = self.fundamental or self.target
        return outcome.period if outcome else ""

    @property
    def source(self) -> str:
        published = any(o.source == "published" for o in self.outcomes.values())
        return "published" if published else "computed"

    @property
    def own_figures(self) -> bool:
        return any(o.own_years for o in self.outcomes.values())


@dataclass
class SchoolLine:
    school: School
    ovts: list[OvtLine] = field(default_factory=list)


@dataclass
class Overview:
    schools: list[SchoolLine]
    unlinked: list[OvtLine]
    counts: dict[str, dict[str, int]]
    imported_at: object = None

    @property
    def any_results(self) -> bool:
        return any(line.ovts for line in self.schools) or bool(self.unlinked)


def data_overview(user, board: Board) -> Overview:
    """The official period's outcomes per school the user sees, and the unlinked OVTs."""
    schools = list(schools_for_user(user, board).order_by("name"))
    names = dict(ovts_for_user(user, board).values_list("pk", "name"))
    norms = po_norms_by_period()
    lines: dict[int, SchoolLine] = {s.pk: SchoolLine(s) for s in schools}
    unlinked: list[OvtLine] = []
    counts = {indicator: dict.fromkeys(OUTCOME_TONES, 0) for indicator in po_model.INDICATORS}
    for data in _visible_data(user, board, schools):
        if data.id not in names:
            continue
        last_year, outcomes = _outcomes(data, norms)
        coming = max((y for y in data.own_years if last_year and y > last_year), default=None)
        line = OvtLine(data.id, data.code, names[data.id], last_year, outcomes, coming)
        if data.school_id is None:
            unlinked.append(line)
            continue
        lines[data.school_id].ovts.append(line)
        for indicator, outcome in outcomes.items():
            counts[indicator][outcome.outcome] += 1
    return Overview(list(lines.values()), unlinked, counts, source_date(board))


# --- One school -----------------------------------------------------------------------------


@dataclass
class YearLine:
    year: int
    pupils: int | None
    fundamental: Decimal | None
    target: Decimal | None
    masked: bool
    source: str  # "inspectorate" or "school"

    @property
    def label(self) -> str:
        return school_year_label(self.year)


@dataclass
class Window:
    """A three-year window with its outcomes; `coming` windows rest on own figures and may use
    provisional norms (the library has none for that period yet) or an estimated schoolweging."""

    last_year: int
    outcomes: list[OvtOutcome]
    coming: bool = False
    provisional_norms: bool = False
    estimated_schoolweging: bool = False

    @property
    def first_year(self) -> int:
        return self.last_year - 2

    @property
    def period(self) -> str:
        return f"{self.first_year}-{self.last_year}"

    @property
    def schoolweging(self) -> Decimal | None:
        return self.outcomes[0].schoolweging if self.outcomes else None

    @property
    def band(self) -> str | None:
        return next((o.band for o in self.outcomes if o.band), None)

    @property
    def masked(self) -> bool:
        return any(o.source == "published" for o in self.outcomes)

    @property
    def own(self) -> bool:
        return any(o.own_years for o in self.outcomes)


@dataclass
class NeededLine:
    indicator: str
    norm: Decimal | None
    needed: po_model.Needed | None
    reason: str = ""


@dataclass
class Needed:
    """What the school needs in `year` to keep the window ending then at or above the norms."""

    year: int
    kept: list[int]
    pupils_expected: int | None
    pupils_default: int | None
    lines: list[NeededLine]
    reason: str = ""
    provisional_norms: bool = False
    schoolweging: Decimal | None = None
    estimated_schoolweging: bool = False

    @property
    def period(self) -> str:
        return f"{self.year - 2}-{self.year}"

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)

    @property
    def kept_labels(self) -> list[str]:
        return [school_year_label(y) for y in self.kept]


@dataclass
class OwnEntry:
    result: PoResult
    replaced: bool  # the inspectorate has published this year: the entry no longer counts

    @property
    def label(self) -> str:
        return school_year_label(self.result.year)


@dataclass
class OvtResults:
    id: int
    code: str
    name: str
    years: list[YearLine]
    official: Window | None
    coming: list[Window]
    needed: Needed | None
    charts: list
    own_entries: list[OwnEntry]

    @property
    def any_masked(self) -> bool:
        return any(y.masked for y in self.years)

    @property
    def any_own(self) -> bool:
        return any(y.source == ResultSource.SCHOOL for y in self.years)


def _coming_windows(data: OvtData, official: int, norms: dict) -> list[Window]:
    windows = []
    for last_year in sorted(y for y in data.own_years if y > official):
        use, provisional = norms_for_period(last_year, norms)
        schoolweging, estimated = coming_schoolweging(data, last_year)
        period_norms = dict(norms)
        if use is not None:
            period_norms[last_year] = use
        outcomes = outcomes_for(
            with_schoolweging(data, last_year, schoolweging), last_year, period_norms
        )
        windows.append(Window(last_year, outcomes, True, provisional, estimated))
    return windows


def _needed(data: OvtData, base: int, norms: dict, expected: int | None) -> Needed:
    """What is needed in the year after `base`, the newest year held."""
    year = base + 1
    kept_years = [base - 1, base]
    kept = [data.years.get(y, po_model.Year(y)) for y in kept_years]
    default = kept[-1].pupils if kept[-1].present and not kept[-1].masked else None
    pupils = expected or default
    use, provisional = norms_for_period(year, norms)
    schoolweging, estimated = coming_schoolweging(data, year)
    needed = Needed(
        year,
        kept_years,
        pupils,
        default,
        [],
        provisional_norms=provisional,
        schoolweging=schoolweging,
        estimated_schoolweging=estimated,
    )
    if any(y.masked for y in kept):
        needed.reason = _(
            "A year that stays in the window is masked (*): the inspectorate does not publish "
            "its figures, so what is needed cannot be computed."
        )
    elif any(not y.present for y in kept):
        needed.reason = _(
            "What is needed rests on the results of %(first)s and %(second)s, which stay in the "
            "window; one of them is missing or had no pupils."
        ) % {"first": school_year_label(base - 1), "second": school_year_label(base)}
    elif use is None:
        needed.reason = _("Stelsel's library holds no signalling values yet.")
    elif not pupils:
        needed.reason = _("Enter the number of pupils you expect next year.")
    if needed.reason:
        return needed
    for indicator in po_model.INDICATORS:
        if indicator == "1F":
            norm = use.fundamental
        else:
            found = use.target_norm(schoolweging) if schoolweging is not None else None
            if found is None:
                needed.lines.append(
                    NeededLine(
                        indicator,
                        None,
                        None,
                        _(
                            "No schoolweging is known for this school, so its 1S/2F signalling "
                            "value is not known either."
                        ),
                    )
                )
                continue
            norm = found[1]
        result = po_model.needed_next_year(indicator, kept, pupils, norm)
        needed.lines.append(NeededLine(indicator, norm, result))
    return needed


def _year_lines(data: OvtData) -> list[YearLine]:
    return [
        YearLine(
            year,
            data.years[year].pupils,
            data.years[year].fundamental,
            data.years[year].target,
            data.years[year].masked,
            ResultSource.SCHOOL if year in data.own_years else ResultSource.INSPECTORATE,
        )
        for year in sorted(data.years)
    ]


def _charts(code: str, years: list[YearLine], official, coming: list[Window]) -> list[dict]:
    charts = []
    shown = years[-5:]
    for number, indicator in enumerate(po_model.INDICATORS):
        bars = [
            Bar(
                y.year,
                f"{(y.year - 1) % 100:02d}-{y.year % 100:02d}",
                y.fundamental if indicator == "1F" else y.target,
                own=y.source == ResultSource.SCHOOL,
                masked=y.masked,
            )
            for y in shown
        ]
        lines = []
        for window in [w for w in [official, *coming] if w is not None]:
            outcome = next(o for o in window.outcomes if o.indicator == indicator)
            if outcome.norm is not None and all(line.value != outcome.norm for line in lines):
                lines.append(NormLine(window.period, outcome.norm))
        title = _("%(indicator)s per school year of %(ovt)s against the signalling value") % {
            "indicator": indicator,
            "ovt": code,
        }
        chart_id = f"chart-{code.replace('|', '-').lower()}-{number}"
        charts.append(
            {
                "indicator": indicator,
                "svg": years_chart(bars, lines, title=title, chart_id=chart_id),
            }
        )
    return charts


def ovt_results(data: OvtData, name: str, norms: dict, own: list[PoResult], expected=None):
    """Everything the school page shows about one OVT."""
    official = official_last_year(data)
    window = None
    coming: list[Window] = []
    if official is not None:
        # Without any of the inspectorate's figures the official window is the school's own,
        # as `po_outcomes` shows it; the page says it rests on own figures.
        window = Window(official, outcomes_for(data, official, norms))
        coming = _coming_windows(data, official, norms)
    years = _year_lines(data)
    base = max(data.years) if data.years else None
    needed = _needed(data, base, norms, expected) if base is not None else None
    entries = [OwnEntry(r, r.year in data.inspectorate_years) for r in own if r.ovt_id == data.id]
    return OvtResults(
        data.id,
        data.code,
        name,
        years,
        window,
        coming,
        needed,
        _charts(data.code, years, window, coming),
        entries,
    )


@dataclass
class SchoolResults:
    school: School
    ovts: list[OvtResults]
    signals: list[tuple]
    imported_at: object = None
    small_school_pupils: int = 15


def school_results(user, board: Board, school: School, expected: dict | None = None):
    """One school's OVTs with their years, windows and what is needed; its active signals.

    `expected` maps an OVT id to the number of pupils the school expects next year."""
    expected = expected or {}
    names = dict(
        ovts_for_user(user, board)
        .filter(school=school, linked_at__isnull=False)
        .values_list("pk", "name")
    )
    norms = po_norms_by_period()
    own = list(
        PoResult.objects.filter(ovt_id__in=names, source=ResultSource.SCHOOL)
        .select_related("entered_by")
        .order_by("ovt_id", "-year")
    )
    ovts = [
        ovt_results(data, names[data.id], norms, own, expected.get(data.id))
        for data in ovt_data(board=board, school_ids=[school.pk])
        if data.id in names
    ]
    signals = [
        (signal, signal_sentence(signal))
        for signal in signals_for_user(user, board).filter(school=school, resolved_at__isnull=True)
    ]
    small = norms[max(norms)].small_school_pupils if norms else 15
    return SchoolResults(school, ovts, signals, source_date(board), small)
