"""Actions, plans with their themes and goals, and the board's own goals are reached only
through here, on top of the core in `organisations.access`: objects of another board, or of a
unit the user does not see, answer 404 like ids that do not exist."""

from stelsel.organisations.access import one, require, require_unit, unit_object, unit_objects
from stelsel.organisations.models import Board
from stelsel.organisations.roles import Permission
from stelsel.planning.models import Action, Goal, Plan, PlanKind, Theme


def actions_for_user(user, board: Board):
    return unit_objects(Action, user, board)


def get_action_for_user(user, board: Board, action_id, *, write: bool = False):
    permission = Permission.MANAGE_ACTIONS if write else None
    return unit_object(Action, user, board, action_id, permission, ("school", "owner"))


# --- Plans, their goals and themes ---------------------------------------------------------


def plans_for_user(user, board: Board):
    return unit_objects(Plan, user, board, Permission.VIEW_PLANS)


def get_plan_for_user(user, board: Board, plan_id, *, write: bool = False):
    permission = Permission.MANAGE_PLANS if write else None
    return unit_object(
        Plan, user, board, plan_id, permission, ("school", "owner"), Permission.VIEW_PLANS
    )


def goals_for_user(user, board: Board):
    """Goals of the plans the user may see."""
    return Goal.objects.filter(board=board, plan__in=plans_for_user(user, board))


def get_goal_for_user(user, board: Board, goal_id, *, write: bool = False):
    """A goal of a plan the user may see (else 404); `write` needs MANAGE_PLANS on the plan's
    unit (else 403). Recording a check-in (CHECK_IN) is checked by the caller with
    `require_unit` on `goal.plan.school` after this."""
    goal = one(
        goals_for_user(user, board).select_related(
            "plan__school", "theme", "owner", "serves__plan"
        ),
        goal_id,
    )
    if write:
        require_unit(user, board, Permission.MANAGE_PLANS, goal.plan.school)
    return goal


def get_theme_for_user(user, board: Board, theme_id, *, plan, write: bool = False):
    """A theme of `plan`, a plan the caller reached through `get_plan_for_user` (which checked
    reading or writing it on its unit), else 404; `write` needs MANAGE_PLANS on the plan's unit
    (else 403).

    Themes have no reach of their own: they are parts of their plan. Any other plan's theme, an
    id that is not a number or one beyond a bigint answers the same 404.
    """
    require(user, board, Permission.VIEW_PLANS)
    theme = one(Theme.objects.filter(board=board, plan=plan), theme_id)
    if write:
        require_unit(user, board, Permission.MANAGE_PLANS, plan.school)
    return theme


def board_goals_for_user(user, board: Board):
    """Goals of the board's own strategic and year plans, for every role that sees plans.

    School goals are written to serve these, so a school leader reads them (to choose one, and
    on the alignment page) even though the board's plans themselves stay out of their reach.
    """
    require(user, board, Permission.VIEW_PLANS)
    return Goal.objects.filter(
        board=board,
        plan__board=board,
        plan__school__isnull=True,
        plan__kind__in=(PlanKind.STRATEGIC, PlanKind.YEAR),
    )


def board_plans_for_user(user, board: Board):
    """The board's own strategic and year plans, to read beside their goals.

    The same reach as `board_goals_for_user`: the alignment page names the strategic plan whose
    goals it shows (title and period), also to a school leader. Opening such a plan, and
    everything else about it, still goes through `get_plan_for_user`, which keeps the board's
    plans to board roles.
    """
    require(user, board, Permission.VIEW_PLANS)
    return Plan.objects.filter(
        board=board, school__isnull=True, kind__in=(PlanKind.STRATEGIC, PlanKind.YEAR)
    )
