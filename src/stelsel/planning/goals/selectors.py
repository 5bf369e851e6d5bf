"""Reads of goals: one goal with its history, and how the schools' goals line up with the
board's.

Every function reads a fixed number of queries, whatever the number of goals, actions or
check-ins: rows are fetched in bulk and joined in Python.
"""

from collections import defaultdict
from dataclasses import dataclass

from stelsel.organisations.access import has_unit_permission
from stelsel.organisations.models import Board
from stelsel.organisations.roles import Permission
from stelsel.planning.access import board_goals_for_user, board_plans_for_user, plans_for_user
from stelsel.planning.coach.rules import coach_goal
from stelsel.planning.models import Action, CheckIn, Goal, Plan, PlanKind, PlanStatus


@dataclass
class GoalDetail:
    goal: Goal
    actions: list[Action]
    check_ins: list[CheckIn]  # newest first
    findings: list
    served_by: list[Goal]  # goals of other plans that serve this one (the user may see)


def goal_detail(user, board: Board, goal: Goal) -> GoalDetail:
    """A goal with its actions, its history of check-ins and the coach's findings on it."""
    check_ins = list(
        goal.check_ins.select_related("author")
        .prefetch_related("evidence")
        .order_by("-held_on", "-pk")
    )
    actions = list(goal.actions.select_related("owner").order_by("due_on", "pk"))
    served_by = list(
        Goal.objects.filter(serves=goal, plan__in=plans_for_user(user, board))
        .select_related("plan__school")
        .order_by("plan__school__name", "plan__title", "position")
    )
    return GoalDetail(
        goal=goal,
        actions=actions,
        check_ins=check_ins,
        findings=coach_goal(goal),
        served_by=served_by,
    )


# --- Alignment ----------------------------------------------------------------------------


@dataclass
class Column:
    """A board goal with the school goals that serve it (directly or through a board year
    goal)."""

    goal: Goal
    school_goals: list[Goal]


@dataclass
class AlignmentRow:
    school_goal: Goal
    serves: Goal | None  # the goal it names
    board_goal: Goal | None  # the strategic goal it serves in the end, if any


@dataclass
class Alignment:
    plans: list[Plan]  # the strategic plan(s) shown
    columns: list[Column]
    unserved: list[Goal]  # board goals no (visible) school works on
    loose: list[Goal]  # school goals that serve no board goal
    rows: list[AlignmentRow]
    sees_board_plans: bool  # board roles: every school, and the board's plans themselves
    schools: int = 0


def _strategic_plans(user, board: Board) -> list[Plan]:
    """The strategic plans that are not closed; when all are closed, the latest one."""
    plans = board_plans_for_user(user, board).filter(kind=PlanKind.STRATEGIC)
    open_ = list(plans.exclude(status=PlanStatus.CLOSED).order_by("starts_on", "pk"))
    if open_:
        return open_
    latest = plans.order_by("-starts_on", "-pk").first()
    return [latest] if latest else []


def alignment(user, board: Board) -> Alignment:
    """For the board's strategic plan(s): each board goal with the school goals that serve it,
    the board goals no school works on, and the school goals that serve no board goal.

    School goals are those of the schools' plans the user may see that are not closed; a
    school role sees its own school's goals beside the board's goals, and the gaps are then
    counted for that school only.
    """
    plans = _strategic_plans(user, board)
    board_goals = board_goals_for_user(user, board)
    chain = dict(board_goals.values_list("pk", "serves_id"))
    strategic = list(
        board_goals.filter(plan__in=plans)
        .select_related("plan", "owner")
        .order_by("plan__starts_on", "plan_id", "position", "pk")
    )
    strategic_ids = {g.pk for g in strategic}
    school_plans = (
        plans_for_user(user, board).filter(school__isnull=False).exclude(status=PlanStatus.CLOSED)
    )
    if plans:
        start = min(p.starts_on for p in plans)
        end = max(p.ends_on for p in plans)
        school_plans = school_plans.filter(starts_on__lte=end, ends_on__gte=start)
    school_goals = list(
        Goal.objects.filter(plan__in=school_plans)
        .select_related("plan__school", "serves", "owner")
        .order_by("plan__school__name", "plan__starts_on", "plan_id", "position", "pk")
    )
    by_board_goal: dict[int, list[Goal]] = defaultdict(list)
    rows, loose = [], []
    by_id = {g.pk: g for g in strategic}
    for goal in school_goals:
        reached = _reach(goal.serves_id, chain, strategic_ids)
        if reached is not None:
            by_board_goal[reached].append(goal)
        if goal.serves_id is None:
            loose.append(goal)
        rows.append(AlignmentRow(goal, goal.serves, by_id.get(reached)))
    columns = [Column(goal=g, school_goals=by_board_goal.get(g.pk, [])) for g in strategic]
    return Alignment(
        plans=plans,
        columns=columns,
        unserved=[c.goal for c in columns if not c.school_goals],
        loose=loose,
        rows=rows,
        sees_board_plans=has_unit_permission(user, board, Permission.VIEW_PLANS, None),
        schools=len({g.plan.school_id for g in school_goals}),
    )


def _reach(start: int | None, chain: dict[int, int | None], targets: set[int]) -> int | None:
    """The first goal in `targets` on the chain of served goals from `start`."""
    seen = set()
    step = start
    while step is not None and step not in seen:
        if step in targets:
            return step
        seen.add(step)
        step = chain.get(step)
    return None
