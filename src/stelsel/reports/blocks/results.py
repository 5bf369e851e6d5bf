"""Results against the norms and the signals: per school of the report, its doorstroomtoets
results against the inspectorate's signalling values, the computed judgement of a secondary
school's newest period, and the open signals.

The figures are the school's results page's: `selectors.ovt_results` on `outcomes.ovt_data`,
the one computation the data overview, the cockpit and the signals use, so a report never shows
another number than the page. The charts are the page's own (`results_chart.years_chart`, made
by `ovt_results`), and the table of school years carries every bar they draw. A secondary
school's judgement is `vo_results.latest_periods`, as the overview of secondary schools reads it.

Everything is read once for all schools of the report: a fixed number of queries, whatever the
number of schools, OVTs or signals.
"""

from collections import defaultdict
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.insight.library import po_norms_by_period
from stelsel.insight.models import Outcome, ResultSource, Signal, SignalKind, board_ovts
from stelsel.insight.outcomes import ovt_data
from stelsel.insight.selectors import OvtResults, Window, ovt_results, source_date
from stelsel.insight.signals import signal_sentence
from stelsel.insight.vo_model import R_NUMBER
from stelsel.insight.vo_results import AFDELING_LABELS, JUDGEMENT_LABELS, latest_periods
from stelsel.lib.date_formats import short_date
from stelsel.organisations.models import SchoolKind
from stelsel.reports.blocks import BlockKind, Scope, register, table

KEY = "results"


def _number(value: Decimal | None) -> float | None:
    """A stored decimal as a number cell (None stays None: the value is missing)."""
    return None if value is None else float(value)


def _source(scope: Scope) -> tuple[str, str]:
    """The page the figures come from: the school's results page for one school (a secondary
    school's own page), the data overview for several or for the board."""
    board = scope.board
    if len(scope.schools) == 1 and not scope.board_level:
        school = scope.schools[0]
        if school.kind == SchoolKind.VO:
            return _("Secondary school results"), reverse(
                "insight:vo_school", args=[board.pk, school.pk]
            )
        return _("Results"), reverse("insight:school_results", args=[board.pk, school.pk])
    return _("Data: results per school"), reverse("insight:data", args=[board.pk])


def school_ovts(scope: Scope) -> dict[int, list[OvtResults]]:
    """Per school of the scope, its confirmed OVTs as its results page shows them, by code."""
    ids = scope.school_ids
    names = dict(
        board_ovts(scope.board)
        .filter(school_id__in=ids, linked_at__isnull=False)
        .values_list("pk", "name")
    )
    norms = po_norms_by_period()
    found: dict[int, list[OvtResults]] = defaultdict(list)
    for data in ovt_data(board=scope.board, school_ids=ids):
        if data.id in names:
            found[data.school_id].append(ovt_results(data, names[data.id], norms, []))
    return found


def open_signals(scope: Scope) -> list[Signal]:
    """The open signals of the scope's schools (and the board's own, for a board report), per
    school in the report's order, the strongest first as on the cockpit."""
    signals = Signal.objects.filter(board=scope.board, resolved_at__isnull=True)
    if scope.board_level:
        signals = signals.filter(school_id__in=scope.school_ids) | signals.filter(
            school__isnull=True
        )
    else:
        signals = signals.filter(school_id__in=scope.school_ids)
    order = {pk: n for n, pk in enumerate(scope.school_ids)}
    found = list(signals.order_by("-severity", "kind", "indicator", "pk"))
    found.sort(key=lambda s: order.get(s.school_id, len(order)))
    return found


def _basis(window: Window) -> str:
    """What a window rests on, in words, as the page says it under the window's table."""
    parts = [
        _("Coming period, with the school's own figures")
        if window.coming
        else _("The inspectorate's period")
    ]
    if window.masked:
        parts.append(_("the inspectorate's own figures (the years are not published)"))
    elif window.own and not window.coming:
        parts.append(_("rests on the school's own figures"))
    if window.provisional_norms:
        parts.append(_("provisional signalling value"))
    if window.estimated_schoolweging and window.schoolweging is not None:
        parts.append(_("estimated schoolweging"))
    return "; ".join(parts)


def _outcome_rows(name: str, ovt: OvtResults, labels: dict) -> list[list]:
    rows = []
    for window in [w for w in [ovt.official, *ovt.coming] if w is not None]:
        basis = _basis(window)
        for outcome in window.outcomes:
            rows.append(
                [
                    name,
                    ovt.code,
                    window.period,
                    outcome.indicator,
                    _number(outcome.percentage),
                    outcome.pupils,
                    _number(outcome.norm),
                    _number(window.schoolweging),
                    labels.get(outcome.outcome, outcome.outcome),
                    basis,
                ]
            )
    return rows


def _year_rows(name: str, ovt: OvtResults) -> list[list]:
    rows = []
    for year in ovt.years:
        if year.masked:
            source = _("Inspectorate: not published (*)")
        elif year.source == ResultSource.SCHOOL:
            source = _("own entry")
        else:
            source = _("Inspectorate")
        masked = year.masked
        rows.append(
            [
                name,
                ovt.code,
                year.label,
                None if masked else year.pupils,
                None if masked else _number(year.fundamental),
                None if masked else _number(year.target),
                source,
            ]
        )
    return rows


def _vo_rows(scope: Scope) -> tuple[list[list], list]:
    """The newest period of each secondary school: the judgement per afdeling."""
    secondary = [s for s in scope.schools if s.kind == SchoolKind.VO]
    if not secondary:
        return [], []
    periods = latest_periods(secondary)
    rows = []
    for school in secondary:
        period = periods.get(school.pk)
        if period is None:
            continue
        for judgement in period.judgements:
            rows.append(
                [
                    school.name,
                    period.label,
                    str(AFDELING_LABELS.get(judgement.afdeling, judgement.afdeling)),
                    str(JUDGEMENT_LABELS[judgement.judgement]),
                    ", ".join(R_NUMBER[c] for c in judgement.below),
                ]
            )
    return rows, list(periods.values())


def _signal_rows(scope: Scope, signals: list[Signal]) -> list[list]:
    names = {s.pk: s.name for s in scope.schools}
    kinds = dict(SignalKind.choices)
    return [
        [
            names.get(signal.school_id, scope.board.name),
            str(kinds.get(signal.kind, signal.kind)),
            signal_sentence(signal),
            short_date(signal.first_seen),
        ]
        for signal in signals
    ]


def _as_of(scope: Scope, vo_periods: list) -> str:
    """The date the figures stand at: the last import of the inspectorate's results, or the
    last change to a secondary school's values, whichever is later; else today."""
    moments = [m for m in [source_date(scope.board), *(p.updated_at for p in vo_periods)] if m]
    if not moments:
        return timezone.localdate().isoformat()
    return max(timezone.localdate(m) for m in moments).isoformat()


def collect(scope: Scope) -> dict:
    source, path = _source(scope)
    ovts = school_ovts(scope)
    signals = open_signals(scope)
    vo_rows, vo_periods = _vo_rows(scope)
    labels = {value: str(label) for value, label in Outcome.choices}
    outcome_rows, year_rows, charts = [], [], []
    masked = False
    for school in scope.schools:
        for ovt in ovts.get(school.pk, []):
            outcome_rows += _outcome_rows(school.name, ovt, labels)
            year_rows += _year_rows(school.name, ovt)
            charts += [str(chart["svg"]) for chart in ovt.charts]
            masked = masked or ovt.any_masked
    snapshot = {
        "source": source,
        "source_path": path,
        "as_of": _as_of(scope, vo_periods),
        "tables": [],
        "notes": [],
    }
    if not (outcome_rows or vo_rows or signals):
        snapshot["empty"] = _(
            "No results of the inspectorate are held for these schools, and there are no open "
            "signals."
        )
        return snapshot
    tables = snapshot["tables"]
    if outcome_rows:
        tables.append(
            table(
                _("Results against the signalling values"),
                [
                    _("School"),
                    _("Inspectorate school"),
                    _("Period"),
                    _("Indicator"),
                    _("Three-year value (%)"),
                    _("Pupils over three years"),
                    _("Signalling value (%)"),
                    _("Schoolweging"),
                    _("Outcome"),
                    _("Basis"),
                ],
                outcome_rows,
                _(
                    "The three-year value is the share of reference levels reached in reading, "
                    "spelling and maths over the three years together; at or above the "
                    "signalling value counts as above."
                ),
            )
        )
        tables.append(
            table(
                _("Results per school year"),
                [
                    _("School"),
                    _("Inspectorate school"),
                    _("School year"),
                    _("Pupils"),
                    "%1F",
                    "%1S/2F",
                    _("Source"),
                ],
                year_rows,
                _(
                    "Not published (*): when any year of a period has fewer than 5 pupils, the "
                    "inspectorate shows all its years as *, and publishes only the three-year "
                    "figures and the outcome."
                )
                if masked
                else "",
            )
        )
        snapshot["svg"] = "".join(charts)
        snapshot["notes"].append(
            _(
                "Years are named by the year in which the school year ends, as the "
                "inspectorate does: 2025 is 2024-2025."
            )
        )
    if vo_rows:
        tables.append(
            table(
                _("Secondary schools: the judgement of the newest period"),
                [_("School"), _("Period"), _("Department"), _("Judgement"), _("Below the norm")],
                vo_rows,
            )
        )
    without = [
        s.name
        for s in scope.schools
        if s.pk not in ovts and not any(p.school_id == s.pk for p in vo_periods)
    ]
    if without:
        snapshot["notes"].append(
            _("No results are held for: %(schools)s.") % {"schools": ", ".join(without)}
        )
    if signals:
        tables.append(
            table(
                _("Open signals"),
                [_("School"), _("Kind"), _("Signal"), _("Since")],
                _signal_rows(scope, signals),
            )
        )
    else:
        snapshot["notes"].append(_("There are no open signals."))
    return snapshot


register(
    BlockKind(
        key=KEY,
        label=gettext_lazy("Results against the norms and signals"),
        description=gettext_lazy(
            "Per school the doorstroomtoets results against the inspectorate's signalling "
            "values with the chart of the results page, a secondary school's judgement, and "
            "the open signals (early warnings)."
        ),
        collect=collect,
    )
)
