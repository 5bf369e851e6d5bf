"""Pages for goals: the goal form, a goal with its check-ins, chart and the coach's findings, the
check-in form, and the alignment of the schools' goals with the board's.

Views are thin: objects come through `planning.access`, writes go through the goal services,
reads through the goal selectors; a refused save on top of someone else's is shown with
`lib.conflicts`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from stelsel.lib.conflicts import conflict_view
from stelsel.lib.forms import add_service_errors
from stelsel.lib.revisions import EditConflict
from stelsel.organisations.access import has_unit_permission, require_unit
from stelsel.organisations.decorators import board_view, kept_page
from stelsel.organisations.models import Board
from stelsel.organisations.roles import Permission
from stelsel.organisations.units import unit_name, unit_value
from stelsel.planning import charts, measures
from stelsel.planning.access import board_goals_for_user, get_goal_for_user, get_plan_for_user
from stelsel.planning.actions.states import ACTION_TONES
from stelsel.planning.goals import selectors, services
from stelsel.planning.goals.forms import CheckInForm, GoalForm
from stelsel.planning.models import Goal, Plan, PlanStatus
from stelsel.planning.plans.selectors import PROGRESS_TONES


def _goal_fields(data: dict) -> dict:
    names = (
        "title",
        "theme",
        "indicator",
        "baseline",
        "target",
        "unit",
        "target_date",
        "owner",
        "serves",
        "standards",
        "indicators",
    )
    return {name: data.get(name) for name in names}


def _goal_form_context(board: Board, plan: Plan, form, goal: Goal | None = None) -> dict:
    return {
        "board": board,
        "plan": plan,
        "goal": goal,
        "form": form,
        "unit_name": unit_name(board, plan.school),
    }


def _goal_saved(title: str) -> str:
    return _("Goal “%(title)s” saved. The coach's remarks are below.") % {
        "title": Truncator(title).chars(80)
    }


@board_view(Permission.VIEW_PLANS)
@kept_page
def goal_create(request, board, plan_id):
    user = request.user
    plan = get_plan_for_user(user, board, plan_id, write=True)
    serve_choices = board_goals_for_user(user, board)
    initial = {"owner": user.pk}
    theme = request.GET.get("theme", "")
    if (
        theme.isascii()
        and theme.isdigit()
        and len(theme) < 19
        and plan.themes.filter(pk=int(theme)).exists()
    ):
        initial["theme"] = int(theme)
    form = GoalForm(request.POST or None, plan=plan, serve_choices=serve_choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(plan=plan, user=user, **_goal_fields(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _goal_saved(form.cleaned_data["title"]))
            return redirect("planning:goal", board_id=board.pk, goal_id=goal.pk)
    return render(request, "planning/goal_form.html", _goal_form_context(board, plan, form))


def _number(value) -> str:
    return "" if value is None else formats.number_format(charts.plain(value))


def _goal_initial(goal: Goal) -> dict:
    return {
        "title": goal.title,
        "theme": goal.theme_id,
        "indicator": goal.indicator,
        "baseline": _number(goal.baseline),
        "target": _number(goal.target),
        "unit": goal.unit,
        "target_date": goal.target_date,
        "owner": goal.owner_id,
        "serves": goal.serves_id,
        "standards": list(goal.standards.values_list("pk", flat=True)),
        "indicators": list(goal.indicators.values_list("pk", flat=True)),
        "revision": goal.revision,
    }


def _goal_pairs(theirs: Goal, mine: dict) -> list:
    return [
        (_("What it yields for pupils"), theirs.title, mine.get("title")),
        (_("Theme"), theirs.theme, mine.get("theme")),
        (_("Indicator"), theirs.indicator, mine.get("indicator")),
        (_("Baseline"), _number(theirs.baseline), mine.get("baseline")),
        (_("Target value"), _number(theirs.target), mine.get("target")),
        (pgettext("measure", "Unit"), theirs.unit, mine.get("unit")),
        (_("Target date"), theirs.target_date, mine.get("target_date")),
        (_("Owner"), theirs.owner, mine.get("owner")),
        (_("Board goal it serves"), theirs.serves, mine.get("serves")),
        (_("Standards"), list(theirs.standards.all()), list(mine.get("standards") or [])),
        (
            _("Own ambitions and indicators"),
            list(theirs.indicators.all()),
            list(mine.get("indicators") or []),
        ),
    ]


@board_view(Permission.VIEW_PLANS)  # the goal is looked up first: 404 before 403
@kept_page
def goal_edit(request, board, goal_id):
    user = request.user
    goal = get_goal_for_user(user, board, goal_id, write=True)
    plan = goal.plan
    kwargs = {"plan": plan, "goal": goal, "serve_choices": board_goals_for_user(user, board)}
    context = _goal_form_context(board, plan, None, goal)
    status = 200
    if request.method == "POST":
        form = GoalForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.goal_update(
                    goal=goal,
                    revision=form.cleaned_data["revision"],
                    user=user,
                    **_goal_fields(form.cleaned_data),
                )
            except EditConflict as exc:
                conflict = conflict_view(
                    exc,
                    data=request.POST,
                    form_factory=lambda data: GoalForm(data, **kwargs),
                    pairs_of=_goal_pairs,
                )
                form = conflict.form
                context |= conflict.context()
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _goal_saved(form.cleaned_data["title"]))
                return redirect("planning:goal", board_id=board.pk, goal_id=goal.pk)
    else:
        form = GoalForm(initial=_goal_initial(goal), **kwargs)
    context["form"] = form
    return render(request, "planning/goal_form.html", context, status=status)


def _chart_context(goal: Goal, check_ins) -> dict:
    measured = [c for c in reversed(check_ins) if c.measured is not None]
    if not measured and goal.baseline is None and goal.target is None:
        return {"chart": None, "measurements": []}
    chart = charts.goal_chart(
        [charts.Point(c.held_on, c.measured) for c in measured],
        baseline=goal.baseline,
        target=goal.target,
        starts_on=goal.plan.starts_on,
        ends_on=goal.plan.ends_on,
        target_date=goal.target_date,
        unit=goal.unit,
        title=_("Measured values of “%(goal)s” against baseline and target")
        % {"goal": goal.title[:80]},
    )
    return {"chart": chart, "measurements": measured}


def _check_in_initial(measured: list[measures.MeasuredValue]) -> dict:
    """A new check-in starts today, with the value measured taken from the goal's own
    indicator when exactly one latest measurement is there to take it from."""
    initial = {"held_on": timezone.localdate()}
    if len(measured) == 1:
        initial["measured"] = _number(measured[0].value)
    return initial


def _goal_page(request, board: Board, goal: Goal, check_in_form=None, status: int = 200):
    user = request.user
    detail = selectors.goal_detail(user, board, goal)
    measured = measures.latest_for_goal(user, board, goal)
    is_open = goal.plan.status != PlanStatus.CLOSED
    can_check_in = is_open and has_unit_permission(
        user, board, Permission.CHECK_IN, goal.plan.school
    )
    if can_check_in and check_in_form is None:
        check_in_form = CheckInForm(
            user=user, board=board, plan=goal.plan, initial=_check_in_initial(measured)
        )
    return render(
        request,
        "planning/goal.html",
        {
            "board": board,
            "goal": goal,
            "plan": goal.plan,
            "detail": detail,
            "latest": detail.check_ins[0] if detail.check_ins else None,
            "progress_tones": PROGRESS_TONES,
            "action_tones": ACTION_TONES,
            "can_edit": is_open
            and has_unit_permission(user, board, Permission.MANAGE_PLANS, goal.plan.school),
            "unit_value": unit_value(goal.plan.school),
            "sees_plan_of_served": goal.serves_id is not None
            and has_unit_permission(user, board, Permission.VIEW_PLANS, None),
            "check_in_form": check_in_form if can_check_in else None,
            "indicator_values": [(m, measures.against_goal(goal, m)) for m in measured],
            **_chart_context(goal, detail.check_ins),
        },
        status=status,
    )


@board_view(Permission.VIEW_PLANS)
@kept_page
def goal_detail(request, board, goal_id):
    goal = get_goal_for_user(request.user, board, goal_id)
    return _goal_page(request, board, goal)


@board_view(Permission.VIEW_PLANS)  # the goal is looked up first: 404 before 403
def check_in_add(request, board, goal_id):
    """Record a check-in; the form is also on the goal's page."""
    user = request.user
    goal = get_goal_for_user(user, board, goal_id)
    require_unit(user, board, Permission.CHECK_IN, goal.plan.school)
    form = CheckInForm(
        request.POST or None,
        user=user,
        board=board,
        plan=goal.plan,
        initial=_check_in_initial(measures.latest_for_goal(user, board, goal)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_add(goal=goal, user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Check-in recorded on “%(goal)s”.") % {"goal": goal.title})
            url = reverse("planning:goal", kwargs={"board_id": board.pk, "goal_id": goal.pk})
            return redirect(f"{url}#check-ins")
    return render(
        request,
        "planning/check_in_form.html",
        {"board": board, "goal": goal, "plan": goal.plan, "form": form},
    )


@board_view(Permission.VIEW_PLANS)
@kept_page
def alignment(request, board):
    data = selectors.alignment(request.user, board)
    return render(request, "planning/alignment.html", {"board": board, "alignment": data})
