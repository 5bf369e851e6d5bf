"""Self-evaluation results: per unit of the report the rounds closed in its period (or, when
none did, the latest one closed before its end), with the mean per standard and perspective,
the number of answers behind each figure and the gaps between the perspectives.

The figures are the results page's, made by the same functions from the same frozen counts and
the round's latest release (`selectors.rounds_results`, which reads many rounds at once): a
group the release does not show is None here and in no total, exactly as on the page and in its
exports, and nothing is added that the page does not show (no sum over groups or schools,
nothing of the answers given while a round was open). A report goes beyond the people who run
a round, so only rounds whose results have been shared are shown; a closed round that is not
shared yet is named, without figures. Comments and the trend against an earlier round are left
out: the page shows them to one reader at a time.
"""

from collections import defaultdict

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.lib.date_formats import short_date
from stelsel.organisations.units import unit_name
from stelsel.reports.blocks import BlockKind, Scope, register, table
from stelsel.selfevaluation import charts
from stelsel.selfevaluation.aggregation import gaps
from stelsel.selfevaluation.models import Round, RoundState
from stelsel.selfevaluation.selectors import CLOSED_STATES, Results, rounds_results

GAP_KINDS = {
    "blind_spot": gettext_lazy("blind spot"),
    "hidden_strength": gettext_lazy("hidden strength"),
}


def scope_rounds(scope: Scope) -> list[Round]:
    """The closed rounds of the report's units to report on, with `closed_on` (the day of
    their latest release): per unit those closed in the period, else its latest closed before
    the period's end. By unit (the board first), then by closing day."""
    unit = Q(school_id__in=scope.school_ids)
    if scope.board_level:
        unit |= Q(school__isnull=True)
    rounds = (
        Round.objects.filter(unit, board=scope.board, state__in=CLOSED_STATES)
        .annotate(closed_on=Max("releases__made_on"))
        .filter(closed_on__lte=scope.end)
        .select_related("questionnaire_version")
        .order_by("closed_on", "pk")
    )
    by_unit: dict[int | None, list[Round]] = defaultdict(list)
    for round_ in rounds:
        by_unit[round_.school_id].append(round_)
    order = [None, *scope.school_ids] if scope.board_level else scope.school_ids
    chosen = []
    for unit_id in order:
        found = by_unit.get(unit_id, [])
        within = [r for r in found if r.closed_on >= scope.start]
        chosen += within or found[-1:]
    return chosen


def _group_rows(results: Results, section, names: dict) -> list[list]:
    """A standard's lines: each group, then the total of the groups shown."""
    row = section.row
    own = row.cells.get(results.self_key)
    own_mean = own.mean if own is not None and own.published else None
    notable = {
        gap.other: GAP_KINDS.get(gap.kind, gap.kind)
        for gap in gaps(
            row,
            self_key=results.self_key,
            scale_min=results.scale_min,
            scale_max=results.scale_max,
        )
    }
    standard = f"{section.section.standard.code} {section.section.standard.name}"
    lines = []
    for perspective in results.perspectives:
        cell = row.cells[perspective.pk]
        mean = cell.mean if cell.published else None
        difference = None
        if perspective.pk != results.self_key and own_mean is not None and mean is not None:
            difference = round(own_mean - mean, 2)
        lines.append(
            [
                standard,
                names[perspective.pk],
                None if mean is None else round(mean, 2),
                cell.n if cell.published else None,
                difference,
                notable.get(perspective.pk),
            ]
        )
    total = row.total
    lines.append(
        [
            standard,
            results.total_label,
            round(total.mean, 2) if total.published and total.mean is not None else None,
            total.n if total.published else None,
            None,
            None,
        ]
    )
    return lines


def _round_tables(results: Results, unit: str) -> list[dict]:
    round_ = results.round
    names = {p.pk: str(p) for p in results.perspectives}
    if results.self_key in names:
        names[results.self_key] = _("%(group)s (self-view)") % {"group": names[results.self_key]}
    heading = {"unit": unit, "round": round_.title}
    lines = [line for s in results.sections for line in _group_rows(results, s, names)]
    threshold = _(
        "A group’s figures are shown when at least %(k)s of them gave an answer other than "
        "“don’t know”. A group that is not shown is left out of every figure, the total "
        "included (“all groups shown”), so it cannot be worked out from the others."
    ) % {"k": round_.k}
    tables = [
        table(
            _("%(unit)s, %(round)s: mean per standard and perspective") % heading,
            [
                _("Standard"),
                _("Group"),
                _("Mean"),
                _("n"),
                _("Difference from the self-view"),
                _("Gap"),
            ],
            lines,
            " ".join(
                [
                    threshold,
                    _("“—”: too few answers to show."),
                    _(
                        "The scale runs from %(low)s to %(high)s; a difference of more than a "
                        "third of it is named as a gap."
                    )
                    % {"low": results.scale_min, "high": results.scale_max},
                ]
            ),
        )
    ]
    statement_gaps = [
        [
            section.section.standard.code,
            f"{item.item.code} {item.item.text}",
            names[gap.other],
            round(gap.difference, 2),
            GAP_KINDS.get(gap.kind, gap.kind),
        ]
        for section in results.sections
        for item in section.items
        for gap in item.gaps
    ]
    if statement_gaps:
        tables.append(
            table(
                _("%(unit)s, %(round)s: statements on which the perspectives differ") % heading,
                [_("Standard"), _("Statement"), _("Group"), _("Difference"), _("Gap")],
                statement_gaps,
                _(
                    "The self-view's mean minus the group's: above zero the self-view is the "
                    "higher (a blind spot), below zero the lower (a hidden strength)."
                ),
            )
        )
    return tables


def collect(scope: Scope) -> dict:
    board = scope.board
    rounds = scope_rounds(scope)
    shared = [r for r in rounds if r.state == RoundState.SHARED]
    results = rounds_results(shared)
    schools = {s.pk: s for s in scope.schools}

    def unit(round_) -> str:
        return unit_name(board, schools.get(round_.school_id))

    source_path = reverse("selfevaluation:rounds", args=[board.pk])
    if len(shared) == 1:
        source_path = reverse("selfevaluation:results", args=[board.pk, shared[0].pk])
    closed = [r.closed_on for r in shared]
    snapshot = {
        "source": _("Self-evaluation results"),
        "source_path": source_path,
        "as_of": (max(closed) if closed else timezone.localdate()).isoformat(),
    }
    notes = []
    for round_ in rounds:
        if round_.state != RoundState.SHARED:
            notes.append(
                _(
                    "%(unit)s, %(round)s: closed on %(day)s, but its results have not been "
                    "shared yet, so they are not in this report."
                )
                % {"unit": unit(round_), "round": round_.title, "day": short_date(round_.closed_on)}
            )
    reported = {r.school_id for r in rounds}
    without = [s.name for s in scope.schools if s.pk not in reported]
    if scope.board_level and None not in reported:
        without.insert(0, board.name)
    if without and rounds:
        notes.append(
            _("No self-evaluation round closed by the end of the period for: %(units)s.")
            % {"units": ", ".join(without)}
        )
    if not shared:
        snapshot["empty"] = _(
            "No self-evaluation results of the units of this report have been shared for "
            "this period."
        )
        snapshot["notes"] = notes
        return snapshot
    overview = [
        [
            unit(round_),
            round_.title,
            round_.questionnaire_version.name,
            short_date(round_.closed_on),
            results[round_.pk].responses,
            round_.k,
        ]
        for round_ in shared
    ]
    tables = [
        table(
            _("Self-evaluation rounds in this report"),
            [
                _("Unit"),
                _("Round"),
                _("Questionnaire"),
                _("Closed on"),
                _("Respondents"),
                _("Anonymity threshold (k)"),
            ],
            overview,
            _("Respondents counts the people in the groups whose figures are shown."),
        )
    ]
    for round_ in shared:
        tables += _round_tables(results[round_.pk], unit(round_))
        prefix = f"{unit(round_)}, {round_.title}: " if len(shared) > 1 else ""
        notes += [prefix + note for note in results[round_.pk].notes()]
        if results[round_.pk].reopened:
            notes.append(
                prefix
                + _(
                    "This round was reopened. A group shown at the first close keeps the "
                    "statements it showed then, and counts the answers given afterwards only "
                    "when at least %(k)s people gave an answer other than “don’t know” to each "
                    "of them; otherwise its first figures stand, so that the two results "
                    "cannot be compared to find the late answers."
                )
                % {"k": round_.k}
            )
    snapshot["tables"] = tables
    snapshot["notes"] = notes
    if len(shared) == 1:
        snapshot["svg"] = str(charts.results_radar(results[shared[0].pk]))
    return snapshot


register(
    BlockKind(
        key="selfevaluation",
        label=gettext_lazy("Self-evaluation results"),
        description=gettext_lazy(
            "The shared results of the self-evaluation rounds closed in the period: the mean "
            "per standard and perspective, the answers behind them and the gaps between the "
            "perspectives, with small groups left out as on the results page."
        ),
        collect=collect,
    )
)
