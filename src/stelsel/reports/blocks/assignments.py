"""Herstelopdrachten and their coverage: the opdrachten of the report's units with their
deadline, state and the actions covering them, as the coverage view shows them.

The rows and their states come from the coverage view's own functions (`coverage_rows`,
`coverage_summary`), over the opdrachten of the report's schools (and the board's own, for a
report about the board) in two queries, whatever the number of schools. Every open opdracht is
listed; a resolved one (a sufficient follow-up investigation) only when its follow-up falls in
the report's period or later, so a report does not repeat what was settled long before.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.lib.date_formats import short_date
from stelsel.organisations.units import unit_name
from stelsel.picture.coverage import STATE_DISPLAY, STATES, coverage_rows, coverage_summary
from stelsel.picture.models import Assignment, FollowUpOutcome
from stelsel.reports.blocks import BlockKind, Scope, register, table


def scope_assignments(scope: Scope):
    """The opdrachten of the report's units, without those resolved before its period."""
    unit = Q(school_id__in=scope.school_ids)
    if scope.board_level:
        unit |= Q(school__isnull=True)
    settled_before = Q(follow_up_outcome=FollowUpOutcome.SUFFICIENT, follow_up_on__lt=scope.start)
    return Assignment.objects.filter(unit, board=scope.board).exclude(settled_before)


def _state(row) -> str:
    """The state on the row's badge, and what else needs attention (as the page lists it)."""
    names = [str(STATE_DISPLAY[row.state]["label"])]
    names += [str(STATE_DISPLAY[flag]["label"]) for flag in row.other_flags]
    return "; ".join(names)


def _follow_up(assignment) -> str | None:
    if assignment.follow_up_outcome:
        outcome = assignment.get_follow_up_outcome_display()
        if assignment.follow_up_on:
            return f"{outcome} ({short_date(assignment.follow_up_on)})"
        return str(outcome)
    if assignment.follow_up_on:
        return _("planned %(when)s") % {"when": short_date(assignment.follow_up_on)}
    return None


def collect(scope: Scope) -> dict:
    board = scope.board
    today = timezone.localdate()
    source_path = reverse("picture:assignments", args=[board.pk])
    if len(scope.schools) == 1 and not scope.board_level:
        source_path += f"?school={scope.schools[0].pk}"
    snapshot = {
        "source": _("Herstelopdrachten and their coverage"),
        "source_path": source_path,
        "as_of": today.isoformat(),
    }
    rows = coverage_rows(scope_assignments(scope), today)
    if not rows:
        snapshot["empty"] = (
            _(
                "The board and the schools of this report have no herstelopdrachten or "
                "ontwikkelopdrachten, open or resolved in its period."
            )
            if scope.board_level
            else _(
                "The schools of this report have no herstelopdrachten or ontwikkelopdrachten, "
                "open or resolved in its period."
            )
        )
        return snapshot
    summary = coverage_summary(rows)
    counts = [[str(STATE_DISPLAY[state]["label"]), summary.counts[state]] for state in STATES]
    counts += [
        [_("Open, covered by an action"), summary.covered],
        [_("Open, not covered by an action"), summary.uncovered],
        [_("In all"), summary.total],
    ]
    listed = []
    for row in rows:
        a = row.assignment
        code = a.standard.code + (f" · {a.requirement.code}" if a.requirement_id else "")
        counted = [action for action in row.actions if action.status != "cancelled"]
        listed.append(
            [
                unit_name(board, a.school),
                f"{a.get_kind_display()} {code}",
                f"{a.standard.code} {a.standard.name}",
                a.text,
                short_date(a.deadline),
                len(counted),
                row.coverage.done,
                row.coverage.progress,
                _state(row),
                _follow_up(a),
            ]
        )
    snapshot["tables"] = [
        table(
            _("Herstelopdrachten by state"),
            [_("State"), _("Number")],
            counts,
            _(
                "An opdracht counts under its most urgent state; covered means that at least "
                "one action that is not cancelled works on it."
            ),
        ),
        table(
            _("Herstelopdrachten and the actions covering them"),
            [
                _("Unit"),
                _("Assignment"),
                _("Standard"),
                _("Text of the assignment"),
                _("Deadline"),
                _("Covering actions"),
                _("Actions done"),
                _("Progress (%)"),
                _("State"),
                _("Follow-up"),
            ],
            listed,
            _(
                "Progress is the mean progress of the covering actions that are not "
                "cancelled, a done action counting as 100%."
            ),
        ),
    ]
    return snapshot


register(
    BlockKind(
        key="assignments",
        label=gettext_lazy("Herstelopdrachten and their coverage"),
        description=gettext_lazy(
            "The open and resolved herstelopdrachten of the schools (and the board), their "
            "deadlines and states, and the actions covering them."
        ),
        collect=collect,
    )
)
