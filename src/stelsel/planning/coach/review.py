"""The coach's review of a whole plan: its size (themes, ambitions, goals), the findings on each
goal and on each action under a goal, the unit's actions that serve no goal, and the unit's
herstelopdrachten that no action covers or whose covering actions hang under no improvement plan.

The plan page and the API show the review on every read, so it reads in a fixed number of
queries whatever the plan's size; whether a herstelopdracht is covered is the coverage view's
answer, so the coach and that view never disagree.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q
from django.utils import timezone

from stelsel.picture.coverage import coverage_rows
from stelsel.picture.models import Assignment, AssignmentKind, FollowUpOutcome
from stelsel.planning.coach.findings import Finding, finding
from stelsel.planning.coach.rules import coach_action, coach_goal
from stelsel.planning.models import FOUR_YEAR_KINDS, Action, ActionStatus, Goal, PlanKind, Theme

# DOMAIN §6: "two or three big themes a year"; "at most about four ambitions and ten goals per
# four years".
MAX_YEAR_THEMES = 3
MAX_FOUR_YEAR_THEMES = 4
MAX_FOUR_YEAR_GOALS = 10


@dataclass
class PlanReview:
    """A review of a whole plan: `findings` about the plan as a whole (its size, actions of its
    unit that serve no goal, herstelopdrachten not covered or covered outside an improvement
    plan), and per goal and per action under a goal the findings on that goal or action."""

    plan: object
    findings: list[Finding] = field(default_factory=list)
    goals: list = field(default_factory=list)  # [(goal, [Finding])] in the plan's order
    actions: list = field(default_factory=list)  # [(action, [Finding])] under those goals

    def for_goal(self, goal) -> list[Finding]:
        return next((found for g, found in self.goals if g.pk == goal.pk), [])

    def for_action(self, action) -> list[Finding]:
        return next((found for a, found in self.actions if a.pk == action.pk), [])

    @property
    def all_findings(self) -> list[Finding]:
        result = list(self.findings)
        for _subject, found in self.goals + self.actions:
            result.extend(found)
        return result

    @property
    def counts(self) -> Counter:
        """How often each rule fired, for a summary line."""
        return Counter(f.rule for f in self.all_findings)

    def __len__(self) -> int:
        return len(self.all_findings)


def coach_plan(plan) -> PlanReview:
    """Review a plan in six queries, whatever its size: themes, goals, their actions, the unit's
    actions without a goal in the period, and the unit's open herstelopdrachten with the
    actions that cover them.

    Scope of the unit rules: "the unit" is the plan's board and school (no school: the board's
    own actions and opdrachten). `action_without_goal` takes the unit's actions that are not
    cancelled and have no goal, whose dates (start to due date, or the one that is set) overlap
    the plan's period, or that have no dates and were created in it. The herstel rules take the
    unit's herstelopdrachten without a sufficient follow-up investigation. Whether one is
    covered is the coverage view's answer (`Coverage.covered`), so the coach never calls one
    uncovered that the coverage view calls covered: `herstel_uncovered` when no action covers
    it; `herstel_without_plan` when actions cover it but none (not cancelled) hangs under a goal
    of an improvement plan of the same unit.
    """
    review = PlanReview(plan=plan)
    themes = Theme.objects.filter(plan=plan).count()
    goals = list(
        Goal.objects.filter(plan=plan)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.order_by("due_on", "pk")))
    )
    if plan.kind == PlanKind.YEAR and themes > MAX_YEAR_THEMES:
        review.findings.append(finding("too_many_themes", subject=plan, count=themes))
    if plan.kind in FOUR_YEAR_KINDS:
        if themes > MAX_FOUR_YEAR_THEMES:
            review.findings.append(finding("too_many_ambitions", subject=plan, count=themes))
        if len(goals) > MAX_FOUR_YEAR_GOALS:
            review.findings.append(finding("too_many_goals", subject=plan, count=len(goals)))

    for goal in goals:
        review.goals.append((goal, coach_goal(goal)))
        for action in goal.actions.all():
            review.actions.append((action, coach_action(action)))

    unit = Q(board_id=plan.board_id, school_id=plan.school_id)
    start, end = plan.starts_on, plan.ends_on
    in_period = (
        Q(starts_on__isnull=False, due_on__isnull=False, starts_on__lte=end, due_on__gte=start)
        | Q(starts_on__isnull=True, due_on__gte=start, due_on__lte=end)
        | Q(due_on__isnull=True, starts_on__gte=start, starts_on__lte=end)
        | Q(
            starts_on__isnull=True,
            due_on__isnull=True,
            created_at__date__gte=start,
            created_at__date__lte=end,
        )
    )
    loose = (
        Action.objects.filter(unit, in_period, goal__isnull=True)
        .exclude(status=ActionStatus.CANCELLED)
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    for action in loose:
        review.findings.append(finding("action_without_goal", subject=action, action=action))

    def in_improvement_plan(action) -> bool:
        goal = action.goal
        return (
            action.status != ActionStatus.CANCELLED
            and goal is not None
            and goal.plan.kind == PlanKind.IMPROVEMENT
            and goal.plan.board_id == plan.board_id
            and goal.plan.school_id == plan.school_id
        )

    herstel = (
        Assignment.objects.filter(unit, kind=AssignmentKind.HERSTEL)
        .exclude(follow_up_outcome=FollowUpOutcome.SUFFICIENT)
        .order_by("deadline", "pk")
    )
    for row in coverage_rows(herstel, timezone.localdate()):
        assignment = row.assignment
        if not row.coverage.covered:
            rule = "herstel_uncovered"
        elif not any(in_improvement_plan(a) for a in row.actions):
            rule = "herstel_without_plan"
        else:
            continue
        review.findings.append(finding(rule, subject=assignment, assignment=assignment))
    return review
