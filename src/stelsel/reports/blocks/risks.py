"""Open risks: per school of the report, what stands in the way of the quality the board
accounts for, and where in Stelsel it comes from.

A risk is what the cockpit already treats as needing attention because the inspectorate or the
board would notice it, read through the same functions:

- an open signal of at least medium weight (`signals.SEVERITY` 2 or 3: results below or near
  the signalling value, falling three years, a coming window below it, an own indicator worse
  than its norm or short of its target). Band changes and missing data are information, not
  risks, and stay with the results block;
- a standard (or the board's own requirement) judged not in order in the unit's current quality
  picture, counted as `picture_summaries` counts it (`counted_tone`), the *Eisen* figure;
- a herstel- or ontwikkelopdracht past its deadline or not covered by an action, as the
  coverage view and the cockpit judge it (`cockpit.opdrachten`, on `rollups.coverage`);
- a goal of a plan that is not closed whose latest check-in says it is at risk or off track.

Within a unit the risks follow the cockpit's order of attention (`cockpit.WEIGHTS`); the goals,
which the cockpit does not weigh, come last. Everything is read once for all units of the report:
a fixed number of queries, whatever the number of schools.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.insight.cockpit import WEIGHTS, opdrachten
from stelsel.insight.models import SignalKind
from stelsel.insight.signals import signal_sentence
from stelsel.lib.date_formats import short_date
from stelsel.picture.coverage import STATE_DISPLAY
from stelsel.picture.entries.selectors import counted_tone
from stelsel.picture.models import Assignment, Entry, Picture, PictureState
from stelsel.picture.rollups import NEGATIVE, REQUIREMENTS
from stelsel.planning.models import CheckIn, PlanStatus, Progress
from stelsel.reports.blocks import BlockKind, Scope, register, table
from stelsel.reports.blocks.results import open_signals

KEY = "risks"
RISK_SEVERITY = 2  # signals of this weight and stronger are risks
RISK_STATES = ("overdue", "uncovered")  # the opdrachten the cockpit names
RISK_PROGRESS = (Progress.OFF_TRACK, Progress.AT_RISK)


@dataclass(frozen=True)
class Risk:
    school_id: int | None
    weight: int
    text: str
    origin: str
    day: object  # a date or datetime, shown as a short date

    def row(self, name: str) -> list:
        return [name, self.text, self.origin, short_date(self.day) or None]


def _units(scope: Scope, field: str = "school") -> Q:
    units = Q(**{f"{field}_id__in": scope.school_ids})
    if scope.board_level:
        units |= Q(**{f"{field}__isnull": True})
    return units


def signal_risks(scope: Scope) -> list[Risk]:
    kinds = dict(SignalKind.choices)
    return [
        Risk(
            signal.school_id,
            WEIGHTS["signal"].get(signal.severity, 10),
            signal_sentence(signal),
            _("Signal: %(kind)s") % {"kind": kinds.get(signal.kind, signal.kind)},
            signal.first_seen,
        )
        for signal in open_signals(scope)
        if signal.severity >= RISK_SEVERITY
    ]


def picture_risks(scope: Scope) -> list[Risk]:
    """The standards and own requirements not in order in the units' current pictures."""
    pictures = Picture.objects.filter(board=scope.board, state=PictureState.CURRENT).filter(
        _units(scope)
    )
    found = []
    for (
        picture_version,
        period,
        school_id,
        standard_version,
        standard,
        indicator,
        tone,
        label,
        level_version,
        judged_at,
    ) in (
        Entry.objects.filter(picture__in=pictures)
        .filter(Q(standard__isnull=False) | Q(indicator__perspective=REQUIREMENTS))
        .order_by("picture_id", "standard__position", "indicator__position", "pk")
        .values_list(
            "picture__framework_version_id",
            "picture__period",
            "picture__school_id",
            "standard__framework_version_id",
            "standard__code",
            "indicator__code",
            "status__tone",
            "status__label",
            "status__scale__framework_version_id",
            "judged_at",
        )
    ):
        if indicator is None and standard_version != picture_version:
            continue  # a standard of an earlier version, not counted in the picture
        if counted_tone(tone, level_version, picture_version) != NEGATIVE:
            continue
        found.append(
            Risk(
                school_id,
                WEIGHTS["not_in_order"],
                _("%(code)s judged “%(status)s”")
                % {"code": standard or indicator, "status": label},
                _("Quality picture %(period)s") % {"period": period},
                judged_at,
            )
        )
    return found


def assignment_risks(scope: Scope, today) -> list[Risk]:
    """The opdrachten past their deadline or not covered, by their state on the coverage view."""
    assignments = Assignment.objects.filter(board=scope.board).filter(_units(scope))
    return [
        Risk(
            row.school_id,
            WEIGHTS[f"assignment_{row.state}"],
            row.label,
            _("Herstelopdrachten: %(state)s") % {"state": STATE_DISPLAY[row.state]["label"]},
            row.deadline,
        )
        for row in opdrachten(assignments, today)
        if row.state in RISK_STATES
    ]


def goal_risks(scope: Scope) -> list[Risk]:
    """Goals of plans that are not closed whose latest check-in is at risk or off track."""
    labels = dict(Progress.choices)
    latest: dict[int, tuple] = {}
    for goal_id, *row in (
        CheckIn.objects.filter(board=scope.board)
        .filter(_units(scope, "goal__plan__school"))
        .exclude(goal__plan__status=PlanStatus.CLOSED)
        .order_by("goal__plan_id", "goal__position", "goal_id", "-held_on", "-pk")
        .values_list(
            "goal_id",
            "progress",
            "held_on",
            "goal__title",
            "goal__plan__title",
            "goal__plan__school_id",
        )
    ):
        latest.setdefault(goal_id, tuple(row))
    return [
        Risk(
            school_id,
            0,
            _("%(goal)s: %(progress)s") % {"goal": title, "progress": labels[progress]},
            _("Plan “%(plan)s”") % {"plan": plan},
            held_on,
        )
        for progress, held_on, title, plan, school_id in latest.values()
        if progress in RISK_PROGRESS
    ]


def open_risks(scope: Scope, today) -> list[Risk]:
    """Every open risk of the scope's units, per unit (the schools in the report's order, then
    the board itself), the heaviest first."""
    risks = [
        *signal_risks(scope),
        *assignment_risks(scope, today),
        *picture_risks(scope),
        *goal_risks(scope),
    ]
    order = {pk: n for n, pk in enumerate(scope.school_ids)}
    # A stable sort keeps each source's own order among risks of the same weight.
    risks.sort(key=lambda r: (order.get(r.school_id, len(order)), -r.weight))
    return risks


def collect(scope: Scope) -> dict:
    today = timezone.localdate()
    board = scope.board
    if len(scope.schools) == 1 and not scope.board_level:
        source_path = reverse("web:school_home", args=[board.pk, scope.schools[0].pk])
    else:
        source_path = reverse("web:board_home", args=[board.pk])
    snapshot = {
        "source": _("What needs attention"),
        "source_path": source_path,
        "as_of": today.isoformat(),
    }
    risks = open_risks(scope, today)
    if not risks:
        snapshot["empty"] = _(
            "No open risks: no signal below or near a signalling value, no standard judged not "
            "in order, no herstelopdracht past its deadline or without an action, and no goal "
            "at risk."
        )
        return snapshot
    names = {s.pk: s.name for s in scope.schools}
    snapshot["tables"] = [
        table(
            _("Open risks"),
            [_("School"), _("Risk"), _("Comes from"), _("Date")],
            [r.row(names.get(r.school_id, board.name)) for r in risks],
            _(
                "Date: since when a signal stands, when a standard was judged, the deadline of "
                "a herstelopdracht, the last check-in on a goal."
            ),
        )
    ]
    return snapshot


register(
    BlockKind(
        key=KEY,
        label=gettext_lazy("Open risks"),
        description=gettext_lazy(
            "Per school the open risks and where they come from: strong signals, standards "
            "not in order, herstelopdrachten past their deadline or without an action, goals "
            "at risk."
        ),
        collect=collect,
    )
)
