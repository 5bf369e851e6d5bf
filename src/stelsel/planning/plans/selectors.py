"""Reads of plans: the list the page and the API filter alike, and one plan with everything
under it.

Every function reads a fixed number of queries, whatever the number of plans, themes, goals,
actions or check-ins: rows are fetched in bulk and joined in Python.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Subquery

from stelsel.organisations.models import Board
from stelsel.organisations.unit_choice import filter_unit
from stelsel.planning.access import plans_for_user
from stelsel.planning.coach.review import coach_plan
from stelsel.planning.models import Action, CheckIn, Goal, Plan, PlanStatus, Progress, Theme

# Every badge has its text; the tone only repeats it in colour.
PROGRESS_TONES = {
    Progress.ON_TRACK: "positive",
    Progress.AT_RISK: "warn",
    Progress.OFF_TRACK: "negative",
    Progress.ACHIEVED: "positive",
}
STATUS_TONES = {PlanStatus.DRAFT: "", PlanStatus.ACTIVE: "info", PlanStatus.CLOSED: ""}


def plan_list(
    user, board: Board, *, unit: str = "", kind: str | None = None, status: str | None = None
):
    """The plans the user may see, each with its school, owner and `goal_count`, in the order of
    the list (by school, the newest first). The plan list page and the API both read it here, so
    a filter means the same on both.

    `unit` is a unit's query value: "" for every unit, `BOARD_UNIT` for the board's own plans, a
    school's id (as text) for that school's; the caller has checked that the user sees it.
    `kind` and `status` keep plans of that kind or status; empty keeps all.
    """
    plans = plans_for_user(user, board)
    plans = filter_unit(plans, unit)
    if kind:
        plans = plans.filter(kind=kind)
    if status:
        plans = plans.filter(status=status)
    return (
        plans.select_related("school", "owner")
        .annotate(goal_count=Count("goals"))
        .order_by("school__name", "-starts_on", "title", "pk")
    )


@dataclass
class ActionRow:
    action: Action
    findings: list = field(default_factory=list)


@dataclass
class GoalRow:
    goal: Goal
    latest: CheckIn | None
    actions: list[ActionRow]
    findings: list = field(default_factory=list)


@dataclass
class ThemeBlock:
    theme: Theme | None  # None: the goals that have no theme
    goals: list[GoalRow]


@dataclass
class PlanDetail:
    plan: Plan
    themes: list[ThemeBlock]
    findings: list  # the coach's findings on the plan as a whole
    goal_count: int = 0
    action_count: int = 0
    finding_count: int = 0


def _latest_check_in_id():
    return Subquery(
        CheckIn.objects.filter(goal=OuterRef("pk")).order_by("-held_on", "-pk").values("pk")[:1]
    )


def _goal_rows(goals):
    return (
        goals.select_related("owner", "theme", "serves__plan")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner").order_by("due_on", "pk"),
            )
        )
        .annotate(latest_check_in_id=_latest_check_in_id())
    )


def plan_goals(plan: Plan):
    """The plan's goals with what their rows show: owner, theme, served goal and the id of the
    latest check-in in one query, their actions (with owners) in one more."""
    return _goal_rows(Goal.objects.filter(plan=plan)).order_by("position", "pk")


def plans_goals(plans):
    """The goals of several plans, each as `plan_goals` reads it for its plan's page, in the
    same two queries whatever the number of plans (a report about many schools); by plan,
    then in each plan's order."""
    return _goal_rows(Goal.objects.filter(plan__in=plans)).order_by("plan_id", "position", "pk")


def plan_detail(plan: Plan) -> PlanDetail:
    """A plan's themes, each with its goals, their actions and latest check-in, and the coach's
    review of the whole plan (which reads in a fixed number of queries of its own)."""
    themes = list(plan.themes.all())
    goals = list(plan_goals(plan))
    latest = CheckIn.objects.in_bulk([g.latest_check_in_id for g in goals if g.latest_check_in_id])
    review = coach_plan(plan)
    rows: dict[int | None, list[GoalRow]] = defaultdict(list)
    action_count = 0
    for goal in goals:
        actions = [ActionRow(a, review.for_action(a)) for a in goal.actions.all()]
        action_count += len(actions)
        rows[goal.theme_id].append(
            GoalRow(
                goal=goal,
                latest=latest.get(goal.latest_check_in_id),
                actions=actions,
                findings=review.for_goal(goal),
            )
        )
    blocks = [ThemeBlock(theme=t, goals=rows.get(t.pk, [])) for t in themes]
    if rows.get(None):
        blocks.append(ThemeBlock(theme=None, goals=rows[None]))
    return PlanDetail(
        plan=plan,
        themes=blocks,
        findings=list(review.findings),
        goal_count=len(goals),
        action_count=action_count,
        finding_count=len(review),
    )
