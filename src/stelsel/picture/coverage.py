"""Which herstelopdrachten are covered by actions that move, read for the coverage view.

The arithmetic is in `rollups.coverage`; this module only fetches the opdrachten with their
covering actions in a fixed number of queries, whatever the number of opdrachten or actions,
and counts them (`coverage_summary`) for the coverage view, the school page, the board
overview and the API, so each says the same of how many are covered.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from stelsel.picture import work
from stelsel.picture.models import Assignment
from stelsel.picture.rollups import Coverage, CoveringAction, coverage

# Most urgent first: the order of the summary and of the state filter.
STATES = ("overdue", "uncovered", "stalled", "covered", "done", "resolved")

# How pages show a state: every badge has its text; the tone only repeats it in colour.
STATE_DISPLAY = {
    "overdue": {"label": gettext_lazy("Deadline passed"), "tone": "negative"},
    "uncovered": {"label": gettext_lazy("Not covered by an action"), "tone": "negative"},
    "stalled": {"label": gettext_lazy("Actions stalled"), "tone": "warn"},
    "covered": {"label": gettext_lazy("Covered, actions under way"), "tone": "info"},
    "done": {"label": gettext_lazy("Actions done, awaiting follow-up"), "tone": "positive"},
    "resolved": {"label": gettext_lazy("Resolved"), "tone": "positive"},
}
# The tone of a follow-up investigation's outcome.
OUTCOME_TONES = {"": "", "sufficient": "positive", "insufficient": "negative"}


@dataclass(frozen=True)
class CoverageRow:
    assignment: Assignment
    actions: list  # every linked action, cancelled ones included (shown, never counted)
    coverage: Coverage

    @property
    def state(self) -> str:
        return self.coverage.state

    @property
    def other_flags(self) -> list[str]:
        """What else needs attention besides the state on the badge (overdue and uncovered
        can hold at once), most urgent first."""
        return [s for s in STATES if s in self.coverage.flags and s != self.state]


@dataclass(frozen=True)
class CoverageSummary:
    """How many opdrachten are in each state, and, of the open ones (no sufficient follow-up),
    how many are covered by an action (`Coverage.covered`) and how many are not. A state names
    the most urgent thing only (an overdue opdracht without actions is "overdue"), so the
    uncovered ones are counted apart, not read from the states."""

    counts: dict[str, int]
    covered: int = 0
    uncovered: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def open(self) -> int:
        return self.covered + self.uncovered

    @property
    def resolved(self) -> int:
        return self.counts.get("resolved", 0)

    def items(self):
        return [(state, self.counts[state]) for state in STATES]


def covering_actions_queryset():
    # The goal and its plan come along for the plan coach, which asks whether a covering
    # action hangs under an improvement plan.
    return (
        work.action_model().objects.select_related("owner", "goal__plan").order_by("due_on", "pk")
    )


def with_actions(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """The opdrachten with what their rows show, loaded in one go (no query per row)."""
    return assignments.select_related(
        "school", "standard", "requirement", "visit"
    ).prefetch_related(Prefetch("actions", queryset=covering_actions_queryset()))


def covering(action) -> CoveringAction:
    return CoveringAction(
        status=action.status,
        progress=action.progress,
        due_on=action.due_on,
        updated_on=timezone.localdate(action.updated_at),
    )


def coverage_row(assignment: Assignment, today: date) -> CoverageRow:
    """One opdracht's row; its actions must have been prefetched (see `with_actions`)."""
    actions = list(assignment.actions.all())
    return CoverageRow(
        assignment=assignment,
        actions=actions,
        coverage=coverage(
            deadline=assignment.deadline,
            outcome=assignment.follow_up_outcome,
            actions=[covering(a) for a in actions],
            today=today,
        ),
    )


def coverage_rows(assignments: QuerySet[Assignment], today: date) -> list[CoverageRow]:
    """Each opdracht with its covering actions and its coverage, in two queries."""
    return [coverage_row(a, today) for a in with_actions(assignments)]


def coverage_summary(rows) -> CoverageSummary:
    """How many opdrachten are in each state (every state is present, zero or not), and how
    many open ones are covered and not covered. The only count of covered opdrachten."""
    rows = list(rows)
    counted = Counter(row.state for row in rows)
    open_rows = [row.coverage for row in rows if not row.coverage.resolved]
    covered = sum(1 for c in open_rows if c.covered)
    return CoverageSummary(
        {state: counted.get(state, 0) for state in STATES},
        covered=covered,
        uncovered=len(open_rows) - covered,
    )
