"""Planning's records on the board's activity page: actions, plans with their themes and goals,
and check-ins on goals (registered in `PlanningConfig.ready()`, see `organisations.activity`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from stelsel.organisations.activity import Source, register
from stelsel.organisations.roles import Permission
from stelsel.planning.models import Action, CheckIn, Goal, Plan, Progress, Theme


def _check_in(check_in) -> str:
    progress = Progress(check_in.progress).label if check_in.progress in Progress.values else ""
    return f"{check_in.goal}: {progress}" if progress else str(check_in.goal)


def _goal_page(goal_id, board_id) -> str:
    return reverse("planning:goal", args=[board_id, goal_id])


def register_sources() -> None:
    register(
        Source(
            key="action",
            group="actions",
            label=gettext_lazy("action"),
            records=lambda board: Action.history.filter(board_id=board.pk),
            describe=lambda r: r.title,
            link=lambda r: reverse("planning:action_detail", args=[r.board_id, r.id]),
            view=Permission.VIEW_PICTURE,
        ),
        Source(
            key="plan",
            group="plans",
            label=gettext_lazy("plan"),
            records=lambda board: Plan.history.filter(board_id=board.pk),
            describe=lambda r: r.title,
            link=lambda r: reverse("planning:plan", args=[r.board_id, r.id]),
            view=Permission.VIEW_PLANS,
        ),
        Source(
            key="theme",
            group="plans",
            label=gettext_lazy("theme"),
            records=lambda board: Theme.history.filter(board_id=board.pk),
            describe=lambda r: r.title,
            school="plan__school",
            link=lambda r: reverse("planning:plan", args=[r.board_id, r.plan_id]),
            view=Permission.VIEW_PLANS,
            hidden=frozenset({"plan"}),
        ),
        Source(
            key="goal",
            group="plans",
            label=gettext_lazy("goal"),
            records=lambda board: Goal.history.filter(board_id=board.pk),
            describe=lambda r: r.title,
            school="plan__school",
            link=lambda r: _goal_page(r.id, r.board_id),
            view=Permission.VIEW_PLANS,
            hidden=frozenset({"plan"}),
        ),
        Source(
            key="check_in",
            group="plans",
            label=gettext_lazy("check-in"),
            records=lambda board: CheckIn.objects.filter(board=board).select_related("goal"),
            describe=_check_in,
            school="goal__plan__school",
            link=lambda r: _goal_page(r.goal_id, r.board_id),
            view=Permission.VIEW_PLANS,
            history=False,
            when="created_at",
            who="author",
        ),
    )
