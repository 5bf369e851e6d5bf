"""The cockpit: for each school the user sees (and the board itself), what needs attention and
why; the results against the signalling values; and what is coming in the next weeks.

Each figure is read through the selector of the app whose page the reason links to, so the
cockpit counts as that page counts: open signals through `insight.access`, the picture's
*Eisen* figure through `picture_summaries`, herstelopdrachten through the coverage view's
`coverage_rows`, actions through the action list's `action_list`, missed meetings through the
calendar's `missed_meetings`, rounds through `rounds_for_user`, and results through
`outcomes.po_outcomes`, the one computation of the figures.

Everything is read in a fixed number of queries, whatever the number of schools, signals,
indicators or years: each source is read once for all units and grouped in memory.

Order of attention: a unit with a stronger signal comes first (below the norm before near it
before a band change or missing data), then the unit with the higher weighted total of all its
reasons (`WEIGHTS`), then by name. A signal weighs by its severity, and the other reasons by
how soon the inspectorate or the board would notice: a herstelopdracht past its deadline most,
one without a covering action next, then each standard not in order, each overdue action and
each meeting that was not recorded, and an open round only a little (it is work under way).
"""

import contextlib
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stelsel.insight import small_multiples
from stelsel.insight.access import signals_for_user
from stelsel.insight.models import Outcome, Signal, SignalKind
from stelsel.insight.outcomes import OvtOutcome, po_outcomes
from stelsel.insight.signals import signal_sentence
from stelsel.insight.vo_results import vo_signal_source
from stelsel.lib.date_formats import full_date, short_date
from stelsel.meetings.access import meeting_series_for_user
from stelsel.meetings.models import Meeting, MeetingState
from stelsel.meetings.selectors import local_midnight, missed_meetings
from stelsel.organisations.access import has_permission, has_unit_permission, schools_for_user
from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import Permission
from stelsel.organisations.units import BOARD_UNIT, unit_value
from stelsel.picture.access import assignments_for_user, pictures_for_user
from stelsel.picture.coverage import coverage_rows
from stelsel.picture.entries.selectors import picture_summaries
from stelsel.picture.models import AssignmentKind, Entry, PictureState
from stelsel.picture.rollups import CoveringAction, coverage
from stelsel.planning.access import goals_for_user
from stelsel.planning.actions.selectors import action_list
from stelsel.planning.actions.states import OPEN_STATES
from stelsel.planning.models import PlanStatus
from stelsel.planning.plans.selectors import plan_list
from stelsel.selfevaluation.access import rounds_for_user
from stelsel.selfevaluation.models import RoundState

# Actions, meetings and round closing dates in the next two weeks are "coming up"; an
# inspectorate's deadline needs more notice, so herstelopdrachten show six weeks ahead.
HORIZON_DAYS = 14
ASSIGNMENT_HORIZON_DAYS = 42

# The coming dates a home lists; the calendar and the action list have the rest.
UPCOMING_LIMIT = 15

# The standard of the inspectorate's framework that the results belong to (Resultaten).
RESULTS_STANDARD = "OR1"

WEIGHTS = {
    "signal": {3: 30, 2: 20, 1: 10},  # by the signal's severity
    "assignment_overdue": 25,
    "assignment_uncovered": 15,
    "not_in_order": 5,
    "action_overdue": 3,
    "meeting_missed": 3,
    "round_open": 1,
}

# Signals about the doorstroomtoets results: they belong to the school's results standard.
RESULT_SIGNALS = {
    SignalKind.BELOW_NORM,
    SignalKind.NEAR_NORM,
    SignalKind.FALLING,
    SignalKind.BAND_CHANGE,
    SignalKind.COMING_BELOW,
    SignalKind.MISSING_DATA,
}
SIGNAL_TONES = {3: "negative", 2: "warn", 1: "info"}


@dataclass(frozen=True)
class Reason:
    """One thing that needs attention in a unit, in words, with the page that shows it."""

    kind: str
    text: str
    url: str
    weight: int
    severity: int = 0  # a signal's; 0 for the other reasons
    signal: Signal | None = None
    label: str = ""  # a short name of the kind, for the badge
    follow_up: str = ""  # a signal's own page, where it becomes an action, goal or agenda point

    @property
    def tone(self) -> str:
        if self.signal is not None:
            return SIGNAL_TONES.get(self.severity, "")
        return "negative" if self.kind == "assignment_overdue" else "warn"


@dataclass
class UnitAttention:
    """A school (or the board itself, `school` None) with its reasons, strongest first."""

    school: School | None
    name: str
    url: str
    reasons: list[Reason] = field(default_factory=list)

    @property
    def severity(self) -> int:
        return max((r.severity for r in self.reasons), default=0)

    @property
    def score(self) -> int:
        return sum(r.weight for r in self.reasons)

    @property
    def signals(self) -> list[Reason]:
        return [r for r in self.reasons if r.signal is not None]

    def sort_key(self):
        return (-self.severity, -self.score, self.school is not None, self.name.casefold())


@dataclass(frozen=True)
class Upcoming:
    """Something with a date in the coming weeks: a meeting, an action's due date, a
    herstelopdracht's deadline, a round's closing date."""

    day: dt.date
    kind: str
    text: str
    unit: str
    url: str
    at: dt.datetime | None = None  # a meeting's start


@dataclass(frozen=True)
class IndicatorFigure:
    """One indicator of one OVT as `po_outcomes` computed it, with its chart and its figures
    written out for the table the chart stands in."""

    outcome: OvtOutcome
    chart: str
    written: small_multiples.Figures
    outcome_label: str

    @property
    def below(self) -> bool:
        return self.outcome.outcome == Outcome.BELOW

    @property
    def percentage(self) -> str:
        return self.written.percentage

    @property
    def norm(self) -> str:
        return self.written.norm

    @property
    def years(self) -> str:
        """Each year of the window with its percentage (* masked, – none), the school's own
        figures marked: the chart's bars, written out."""
        return self.written.years_text

    @property
    def tone(self) -> str:
        return {Outcome.ABOVE: "positive", Outcome.BELOW: "negative"}.get(self.outcome.outcome, "")


@dataclass
class SchoolResults:
    """A school's OVTs, each with its 1F and 1S/2F outcome and their small chart."""

    school_id: int
    name: str
    url: str
    ovts: list[tuple[str, list[IndicatorFigure]]] = field(default_factory=list)

    @property
    def below(self) -> bool:
        return any(f.below for _code, figures in self.ovts for f in figures)


@dataclass
class Cockpit:
    attention: list[UnitAttention]  # units with something to attend to, in order
    quiet: list[UnitAttention]  # units with nothing now, by name
    results: list[SchoolResults]
    upcoming: list[Upcoming]  # the first UPCOMING_LIMIT
    upcoming_more: bool = False  # the coming weeks hold more dates than are listed
    signals: int = 0  # open signals shown
    today: dt.date | None = None

    @property
    def below(self) -> int:
        """Schools with an indicator below its signalling value."""
        return sum(1 for r in self.results if r.below)


class _Links:
    """The addresses of the pages a reason links to, reversed once per page instead of per row
    (a board of sixty schools otherwise spends much of its time resolving the same patterns)."""

    def __init__(self, board: Board):
        self.board = board
        self._prefixes: dict[str, str] = {}
        self._pages: dict[str, str] = {}

    def __call__(self, name: str, pk: int, query: str = "") -> str:
        prefix = self._prefixes.get(name)
        if prefix is None:
            prefix = self._prefixes[name] = reverse(name, args=[self.board.pk, 0])[:-2]
        return f"{prefix}{pk}/{query}"

    def page(self, name: str, query: str = "") -> str:
        address = self._pages.get(name)
        if address is None:
            address = self._pages[name] = reverse(name, args=[self.board.pk])
        return address + query


@dataclass(frozen=True, slots=True)
class Opdracht:
    """A herstelopdracht as the cockpit needs it: its state on the coverage view."""

    pk: int
    school_id: int | None
    label: str
    deadline: dt.date
    state: str
    resolved: bool


def opdrachten(assignments, today: dt.date) -> list[Opdracht]:
    """The opdrachten of `assignments` with their coverage state, by `rollups.coverage` (the one
    definition the coverage view uses), read as plain values in one query (an opdracht with
    each of its covering actions): for a board of sixty schools, building a model object for
    every opdracht and action cost more than the rest of the cockpit together."""
    kinds = dict(AssignmentKind.choices)
    rows: dict[int, tuple] = {}
    covering: dict[int, list[CoveringAction]] = defaultdict(list)
    for (
        pk,
        school_id,
        kind,
        deadline,
        outcome,
        standard,
        requirement,
        *action,
    ) in assignments.order_by("deadline", "pk").values_list(
        "pk",
        "school_id",
        "kind",
        "deadline",
        "follow_up_outcome",
        "standard__code",
        "requirement__code",
        "actions__pk",
        "actions__status",
        "actions__progress",
        "actions__due_on",
        "actions__updated_at",
    ):
        rows.setdefault(pk, (school_id, kind, deadline, outcome, requirement or standard))
        action_id, status, progress, due_on, updated_at = action
        if action_id is not None:
            covering[pk].append(
                CoveringAction(status, progress, due_on, timezone.localdate(updated_at))
            )
    found = []
    for pk, (school_id, kind, deadline, outcome, code) in rows.items():
        state = coverage(deadline=deadline, outcome=outcome, actions=covering[pk], today=today)
        found.append(
            Opdracht(
                pk,
                school_id,
                f"{kinds.get(kind, kind)} {code}",
                deadline,
                state.state,
                state.resolved,
            )
        )
    return found


def _unit_query(school_id: int | None) -> str:
    return BOARD_UNIT if school_id is None else str(school_id)


def signal_source(signal: Signal) -> str:
    """Where a signal's figures come from, in a few words: the inspectorate's file (and the
    school's own results where they fill the window), or the board's own measurement."""
    f = signal.figures or {}
    if signal.kind == SignalKind.OWN_BELOW:
        measured = f.get("measured_on", "")
        with contextlib.suppress(TypeError, ValueError):
            measured = full_date(dt.date.fromisoformat(measured))
        return _("Own measurement of %(date)s%(source)s") % {
            "date": measured,
            "source": f" ({f['source']})" if f.get("source") else "",
        }
    if signal.kind == SignalKind.MISSING_DATA:
        return _("Results %(year)s") % {"year": f.get("year", "")}
    if f.get("sector") == "vo":
        return vo_signal_source(signal)
    own = f.get("own_years") or []
    if own:
        return _("Inspectorate's results and the school's own results for %(years)s") % {
            "years": ", ".join(str(y) for y in own)
        }
    if f.get("source") == "published":
        return _("Inspectorate's results file (its own figures: the years are masked)")
    return _("Inspectorate's results file, computed by Stelsel")


def _signal_reasons(signals, or1: dict, links: _Links) -> dict:
    labels = {kind: str(label) for kind, label in SignalKind.choices}
    found = defaultdict(list)
    for signal in signals:
        entry_id = or1.get(signal.school_id) if signal.kind in RESULT_SIGNALS else None
        url = links("picture:entry", entry_id) if entry_id else links("insight:signal", signal.pk)
        found[signal.school_id].append(
            Reason(
                kind="signal",
                text=signal_sentence(signal),
                url=url,
                weight=WEIGHTS["signal"].get(signal.severity, 10),
                severity=signal.severity,
                signal=signal,
                label=labels.get(signal.kind, signal.kind),
                follow_up=links("insight:signal", signal.pk),
            )
        )
    return found


def _picture_reasons(pictures: list[tuple], links: _Links) -> dict:
    """Standards not in order in the unit's current pictures, as the picture page counts them."""
    label = _("Quality picture")
    summaries = picture_summaries({pk: version for pk, _school, version in pictures})
    found = defaultdict(list)
    for pk, school_id, _version in pictures:
        summary = summaries[pk].requirements
        if summary.not_in_order:
            found[school_id].append(
                Reason(
                    kind="not_in_order",
                    text=ngettext(
                        "%(n)s of %(total)s requirements not in order in the quality picture",
                        "%(n)s of %(total)s requirements not in order in the quality picture",
                        summary.not_in_order,
                    )
                    % {"n": summary.not_in_order, "total": summary.total},
                    url=links("picture:picture", pk),
                    weight=WEIGHTS["not_in_order"] * summary.not_in_order,
                    label=label,
                )
            )
    return found


def _assignment_reasons(rows: list[Opdracht], links: _Links) -> dict:
    """Opdrachten past their deadline and without a covering action, by their state on the
    coverage view (a state names the most urgent thing, so each opdracht counts once), each
    linking to the view filtered on that state for the unit."""
    label = _("Herstelopdrachten")
    counts: dict[tuple, int] = defaultdict(int)
    for row in rows:
        if row.state in ("overdue", "uncovered"):
            counts[(row.school_id, row.state)] += 1
    found = defaultdict(list)
    texts = {
        "overdue": lambda n: ngettext(
            "%(n)s assignment past its deadline",
            "%(n)s assignments past their deadline",
            n,
        ),
        "uncovered": lambda n: ngettext(
            "%(n)s assignment not covered by an action",
            "%(n)s assignments not covered by an action",
            n,
        ),
    }
    for (school_id, state), n in sorted(counts.items(), key=lambda item: item[0][1]):
        found[school_id].append(
            Reason(
                kind=f"assignment_{state}",
                text=texts[state](n) % {"n": n},
                url=links.page(
                    "picture:assignments", f"?school={_unit_query(school_id)}&state={state}"
                ),
                weight=WEIGHTS[f"assignment_{state}"] * n,
                label=label,
            )
        )
    return found


def _action_reasons(actions, today: dt.date, links: _Links) -> dict:
    label = _("Actions")
    counts: dict[int | None, int] = defaultdict(int)
    for _pk, school_id, _title, due_on in actions:
        if due_on < today:
            counts[school_id] += 1
    return {
        school_id: [
            Reason(
                kind="action_overdue",
                text=ngettext(
                    "%(n)s action past its due date", "%(n)s actions past their due date", n
                )
                % {"n": n},
                url=links.page("planning:actions", f"?school={_unit_query(school_id)}&overdue=on"),
                weight=WEIGHTS["action_overdue"] * n,
                label=label,
            )
        ]
        for school_id, n in counts.items()
    }


def _meeting_reasons(missed, links: _Links) -> dict:
    """Per table, the meetings past their date that were not recorded as held or cancelled;
    the table's page lists the same ones."""
    label = _("Quality calendar")
    tables: dict[int, list] = defaultdict(list)
    for item in missed:
        tables[item.series.pk].append(item)
    found = defaultdict(list)
    for items in tables.values():
        series = items[0].series
        n = len(items)
        found[series.school_id].append(
            Reason(
                kind="meeting_missed",
                text=ngettext(
                    "%(n)s meeting of “%(table)s” not recorded as held (%(date)s)",
                    "%(n)s meetings of “%(table)s” not recorded as held (the last on %(date)s)",
                    n,
                )
                % {"table": series.name, "n": n, "date": short_date(items[-1].date)},
                url=links("meetings:series", series.pk),
                weight=WEIGHTS["meeting_missed"] * n,
                label=label,
            )
        )
    return found


def _round_reasons(rounds, links: _Links) -> dict:
    label = _("Self-evaluation")
    found = defaultdict(list)
    for pk, school_id, title, closes_on in rounds:
        found[school_id].append(
            Reason(
                kind="round_open",
                text=_("Self-evaluation “%(title)s” is open until %(date)s")
                % {"title": title, "date": short_date(closes_on)},
                url=links("selfevaluation:round", pk),
                weight=WEIGHTS["round_open"],
                label=label,
            )
        )
    return found


@dataclass
class _Sources:
    """Everything the cockpit reads, once, for the units in scope."""

    signals: list = field(default_factory=list)
    pictures: list = field(default_factory=list)  # (picture id, school id, version id)
    or1: dict = field(default_factory=dict)  # school id -> entry id of its results standard
    opdrachten: list[Opdracht] = field(default_factory=list)
    actions: list = field(default_factory=list)  # (id, school id, title, due) open, due soon
    missed: list = field(default_factory=list)
    meetings: list = field(default_factory=list)  # (id, start, table, school id), coming
    rounds: list = field(default_factory=list)  # (id, school id, title, closes on), open
    outcomes: list = field(default_factory=list)


def _read(user, board: Board, school: School | None, today: dt.date) -> _Sources:
    """One read of each source for every unit the user sees, or for one school."""
    sources = _Sources()

    def scoped(queryset):
        return queryset.filter(school=school) if school is not None else queryset

    if has_permission(user, board, Permission.VIEW_DATA):
        sources.signals = list(
            scoped(signals_for_user(user, board))
            .filter(resolved_at__isnull=True)
            .order_by("-severity", "kind", "indicator", "pk")
        )
        school_ids = (
            [school.pk] if school is not None else schools_for_user(user, board).values("pk")
        )
        sources.outcomes = po_outcomes(school_ids=school_ids)
    if has_permission(user, board, Permission.VIEW_PICTURE):
        pictures = scoped(pictures_for_user(user, board)).filter(state=PictureState.CURRENT)
        results_entry = Entry.objects.filter(
            picture=OuterRef("pk"), standard__code=RESULTS_STANDARD
        ).values("pk")[:1]
        for pk, school_id, version_id, entry_id in (
            pictures.annotate(results_entry=Subquery(results_entry))
            .order_by("pk")
            .values_list("pk", "school_id", "framework_version_id", "results_entry")
        ):
            sources.pictures.append((pk, school_id, version_id))
            if entry_id is not None and school_id is not None:
                sources.or1.setdefault(school_id, entry_id)
        sources.opdrachten = opdrachten(scoped(assignments_for_user(user, board)), today)
        sources.actions = list(
            action_list(user, board, unit=unit_value(school) if school else "", today=today)
            .filter(status__in=OPEN_STATES, due_on__lte=today + dt.timedelta(days=HORIZON_DAYS))
            .order_by("due_on", "pk")
            .values_list("pk", "school_id", "title", "due_on")
        )
    if has_permission(user, board, Permission.VIEW_PLANS):
        tables = meeting_series_for_user(user, board)
        if school is not None:
            tables = tables.filter(school=school)
        sources.missed = missed_meetings(board, today, series=tables)
        sources.meetings = list(
            Meeting.objects.filter(
                board=board,
                series__in=tables,
                starts_at__gte=local_midnight(today),
                starts_at__lt=local_midnight(today + dt.timedelta(days=HORIZON_DAYS + 1)),
            )
            .exclude(state=MeetingState.CANCELLED)
            .order_by("starts_at", "pk")
            .values_list("pk", "starts_at", "series__name", "series__school_id")[:UPCOMING_LIMIT]
        )
    if has_permission(user, board, Permission.VIEW_ROUNDS):
        sources.rounds = list(
            scoped(rounds_for_user(user, board))
            .filter(state=RoundState.OPEN)
            .order_by("closes_on", "pk")
            .values_list("pk", "school_id", "title", "closes_on")
        )
    return sources


def _reasons(sources: _Sources, today: dt.date, links: _Links) -> dict[int | None, list[Reason]]:
    by_unit: dict[int | None, list[Reason]] = defaultdict(list)
    for found in (
        _signal_reasons(sources.signals, sources.or1, links),
        _assignment_reasons(sources.opdrachten, links),
        _picture_reasons(sources.pictures, links),
        _action_reasons(sources.actions, today, links),
        _meeting_reasons(sources.missed, links),
        _round_reasons(sources.rounds, links),
    ):
        for school_id, reasons in found.items():
            by_unit[school_id].extend(reasons)
    return by_unit


def _upcoming(sources: _Sources, names: dict, today: dt.date, links: _Links) -> list[Upcoming]:
    """The dates of the coming weeks, soonest first, at most `UPCOMING_LIMIT`: a board of sixty
    schools has a few hundred, and the calendar and the action list show them all."""
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    items = [
        Upcoming(
            timezone.localdate(starts_at),
            "meeting",
            table,
            names.get(school_id, ""),
            links("meetings:meeting", pk),
            at=timezone.localtime(starts_at),
        )
        for pk, starts_at, table, school_id in sources.meetings
    ]
    items += [
        Upcoming(
            due_on, "action", title, names.get(school_id, ""), links("planning:action_detail", pk)
        )
        for pk, school_id, title, due_on in sources.actions
        if today <= due_on <= horizon
    ]
    assignment_horizon = today + dt.timedelta(days=ASSIGNMENT_HORIZON_DAYS)
    items += [
        Upcoming(
            row.deadline,
            "assignment",
            row.label,
            names.get(row.school_id, ""),
            links("picture:assignment_detail", row.pk),
        )
        for row in sources.opdrachten
        if not row.resolved and today <= row.deadline <= assignment_horizon
    ]
    items += [
        Upcoming(
            closes_on, "round", title, names.get(school_id, ""), links("selfevaluation:round", pk)
        )
        for pk, school_id, title, closes_on in sources.rounds
        if today <= closes_on <= horizon
    ]
    order = {"meeting": 0, "assignment": 1, "action": 2, "round": 3}
    items.sort(key=lambda u: (u.day, order[u.kind], u.at.isoformat() if u.at else "", u.text))
    return items


def _results(outcomes: list[OvtOutcome], schools: dict, links: _Links) -> list[SchoolResults]:
    """Per school, its OVTs with the two indicators as `po_outcomes` computed them."""
    by_school: dict[int, SchoolResults] = {}
    by_ovt: dict[tuple[int, str], list[IndicatorFigure]] = {}
    separator = small_multiples.decimal_separator()
    words = small_multiples.Words.current()
    labels = {value: str(label) for value, label in Outcome.choices}
    for outcome in outcomes:
        school = schools.get(outcome.school_id)
        if school is None:
            continue
        results = by_school.get(school.pk)
        if results is None:
            results = by_school[school.pk] = SchoolResults(
                school.pk, school.name, links("web:school_home", school.pk)
            )
        key = (school.pk, outcome.ovt)
        if key not in by_ovt:
            by_ovt[key] = []
            results.ovts.append((outcome.ovt, by_ovt[key]))
        written = small_multiples.figures(outcome, separator, words)
        by_ovt[key].append(
            IndicatorFigure(
                outcome,
                small_multiples.result_chart(outcome, written, words),
                written,
                labels.get(outcome.outcome, outcome.outcome),
            )
        )
    return sorted(by_school.values(), key=lambda r: r.name.casefold())


def _cockpit(
    user, board: Board, schools: list[School], school: School | None, today: dt.date
) -> Cockpit:
    links = _Links(board)
    sources = _read(user, board, school, today)
    by_id = {s.pk: s for s in schools}
    names = {s.pk: s.name for s in schools}
    names[None] = board.name
    by_unit = _reasons(sources, today, links)
    upcoming = _upcoming(sources, names, today, links)
    units = [
        UnitAttention(s, s.name, links("web:school_home", s.pk), by_unit.get(s.pk, []))
        for s in schools
    ]
    # The board itself is a unit for those with a role on the board; a school leader who sits
    # at a board table reads its meetings, but the board's own work is not theirs to watch.
    if (
        school is None
        and None in by_unit
        and has_unit_permission(user, board, Permission.VIEW_BOARD, None)
    ):
        units.append(
            UnitAttention(
                None,
                _("%(board)s (the board itself)") % {"board": board.name},
                "",
                by_unit[None],
            )
        )
    for unit in units:
        unit.reasons.sort(key=lambda r: (-r.severity, -r.weight, r.text))
    attention = sorted((u for u in units if u.reasons), key=UnitAttention.sort_key)
    quiet = sorted((u for u in units if not u.reasons), key=lambda u: u.name.casefold())
    return Cockpit(
        attention=attention,
        quiet=quiet,
        results=_results(sources.outcomes, by_id, links),
        upcoming=upcoming[:UPCOMING_LIMIT],
        upcoming_more=len(upcoming) > UPCOMING_LIMIT or len(sources.meetings) == UPCOMING_LIMIT,
        signals=len(sources.signals),
        today=today,
    )


def board_cockpit(user, board: Board, schools: list[School], *, today=None) -> Cockpit:
    """The board home's attention list, results and coming dates for `schools` (the schools
    the user sees, as the caller read them) and the board itself."""
    return _cockpit(user, board, schools, None, today or timezone.localdate())


def school_cockpit(user, board: Board, school: School, *, today=None) -> Cockpit:
    """The same for one school, reached through the access module by the caller."""
    return _cockpit(user, board, [school], school, today or timezone.localdate())


@dataclass(frozen=True)
class PlanGoals:
    plan: object
    goals: list


def school_plans(user, board: Board, school: School) -> list[PlanGoals]:
    """The school's plans that are not closed, as the plan list reads them, each with its
    goals (two queries, however many plans and goals)."""
    if not has_permission(user, board, Permission.VIEW_PLANS):
        return []
    plans = plan_list(user, board, unit=str(school.pk)).exclude(status=PlanStatus.CLOSED)
    goals: dict[int, list] = defaultdict(list)
    for goal in (
        goals_for_user(user, board)
        .filter(plan__in=plans.values("pk"))
        .order_by("plan_id", "position", "pk")
    ):
        goals[goal.plan_id].append(goal)
    return [PlanGoals(plan, goals.get(plan.pk, [])) for plan in plans]


def school_rounds(user, board: Board, school: School, *, limit: int = 5) -> list:
    """The school's newest self-evaluation rounds, as the rounds list reads them."""
    if not has_permission(user, board, Permission.VIEW_ROUNDS):
        return []
    return list(rounds_for_user(user, board).filter(school=school)[:limit])


def school_actions(user, board: Board, school: School) -> list:
    """The school's open actions with their owners, as the action list reads them."""
    if not has_permission(user, board, Permission.VIEW_PICTURE):
        return []
    return list(
        action_list(user, board, unit=str(school.pk))
        .filter(status__in=OPEN_STATES)
        .prefetch_related(None)
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def school_assignments(user, board: Board, school: School, *, today=None) -> list:
    """The school's opdrachten with their covering actions, as the coverage view reads them."""
    if not has_permission(user, board, Permission.VIEW_PICTURE):
        return []
    today = today or timezone.localdate()
    return coverage_rows(assignments_for_user(user, board).filter(school=school), today)
