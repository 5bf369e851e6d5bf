"""Pages for plans: the list, a plan with its themes, goals and the coach's review, the forms,
a goal with its check-ins and chart, and the alignment of school goals with the board's.

Views are thin: objects come through access.py, writes go through plans.py, reads through
selectors.py, and the coach's findings from coach.py.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.organisations import access
from stelsel.organisations.models import Board
from stelsel.organisations.roles import Permission
from stelsel.organisations.units import (
    BOARD_UNIT,
    unit_from_value,
    unit_name,
    unit_value,
    units_with,
)
from stelsel.organisations.views import board_view
from stelsel.planning import charts, selectors
from stelsel.planning import plans as services
from stelsel.planning.coach import GOAL, coach_text
from stelsel.planning.forms import (
    CheckInForm,
    DeriveForm,
    GoalForm,
    PlanFilterForm,
    PlanForm,
    ThemeForm,
)
from stelsel.planning.models import ActionStatus, Goal, Plan, PlanKind, PlanStatus
from stelsel.web.forms import add_service_errors

ACTION_TONES = {
    ActionStatus.PLANNED: "",
    ActionStatus.IN_PROGRESS: "info",
    ActionStatus.STALLED: "warn",
    ActionStatus.DONE: "positive",
    ActionStatus.CANCELLED: "",
}
COACH_TEXT_MAX = 2_000


# --- Units --------------------------------------------------------------------------------


# --- Plans --------------------------------------------------------------------------------


@board_view(Permission.VIEW_PLANS)
def plan_list(request, board):
    user = request.user
    form = PlanFilterForm(request.GET or None, units=units_with(user, board, Permission.VIEW_PLANS))
    plans = access.plans_for_user(user, board)
    if form.is_valid():
        data = form.cleaned_data
        if data["school"] == BOARD_UNIT:
            plans = plans.filter(school__isnull=True)
        elif data["school"]:
            plans = plans.filter(school_id=int(data["school"]))
        if data["kind"]:
            plans = plans.filter(kind=data["kind"])
        if data["status"]:
            plans = plans.filter(status=data["status"])
    plans = plans.select_related("school", "owner").annotate(goal_count=Count("goals"))
    return render(
        request,
        "planning/plans.html",
        {
            "board": board,
            "form": form,
            "plans": list(plans.order_by("school__name", "-starts_on", "title")),
            "status_tones": selectors.STATUS_TONES,
            "can_create": bool(units_with(user, board, Permission.MANAGE_PLANS)),
        },
    )


def _plan_fields(data: dict) -> dict:
    names = ("kind", "title", "description", "starts_on", "ends_on", "owner", "status")
    return {name: data.get(name) for name in names}


@board_view(Permission.MANAGE_PLANS)
def plan_create(request, board):
    user = request.user
    value = request.GET.get("school", "")
    if not value:
        units = units_with(user, board, Permission.MANAGE_PLANS)
        if len(units) != 1:
            return render(
                request,
                "picture/actions/unit_choice.html",
                {"board": board, "title": _("New plan"), "units": units, "keep": []},
            )
        value = units[0][0]
    school = unit_from_value(user, board, value, Permission.MANAGE_PLANS)
    today = timezone.localdate()
    initial = {
        "kind": PlanKind.STRATEGIC if school is None else PlanKind.SCHOOL,
        "owner": user.pk,
        "status": PlanStatus.DRAFT,
        "starts_on": today,
    }
    form = PlanForm(request.POST or None, board=board, school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                board=board, school=school, user=user, **_plan_fields(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Plan started. Add its themes and goals."))
            return redirect("planning:plan", board_id=board.pk, plan_id=plan.pk)
    return render(
        request,
        "planning/plan_form.html",
        {
            "board": board,
            "form": form,
            "unit_name": unit_name(board, school),
            "change_unit": len(units_with(user, board, Permission.MANAGE_PLANS)) > 1,
        },
    )


@board_view(Permission.VIEW_PLANS)
def plan_detail(request, board, plan_id):
    user = request.user
    plan = access.get_plan_for_user(user, board, plan_id)
    detail = selectors.plan_detail(plan)
    can_manage = access.has_unit_permission(user, board, Permission.MANAGE_PLANS, plan.school)
    return render(
        request,
        "planning/plan.html",
        {
            "board": board,
            "plan": plan,
            "detail": detail,
            "status_tones": selectors.STATUS_TONES,
            "progress_tones": selectors.PROGRESS_TONES,
            "action_tones": ACTION_TONES,
            "today": timezone.localdate(),
            "can_manage": can_manage,
            "can_edit": can_manage and plan.status != PlanStatus.CLOSED,
            "unit_value": unit_value(plan.school),
        },
    )


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "year"):
        return formats.date_format(value, "j F Y")
    if isinstance(value, list | tuple):
        return ", ".join(getattr(v, "code", None) or str(v) for v in value) or "—"
    return str(value)


def _compare(pairs) -> list[dict]:
    """Field by field: the saved version beside the one that was refused."""
    rows = []
    for label, theirs, mine in pairs:
        a, b = _shown(theirs), _shown(mine)
        rows.append({"label": label, "theirs": a, "mine": b, "differs": a != b})
    return rows


def _conflict(form_class, request, current, pairs_of, **form_kwargs) -> tuple:
    """The form as this editor typed it, now on the current revision, and the comparison."""
    data = request.POST.copy()
    data["revision"] = str(current.revision)
    form = form_class(data, **form_kwargs)
    form.is_valid()
    last = current.history.select_related("history_user").first()
    return form, {
        "conflict": current,
        "conflict_by": last.history_user if last else None,
        "comparison": _compare(pairs_of(current, getattr(form, "cleaned_data", {}))),
    }


def _plan_pairs(theirs: Plan, mine: dict) -> list:
    kinds, states = dict(PlanKind.choices), dict(PlanStatus.choices)
    return [
        (_("Kind of plan"), kinds.get(theirs.kind), kinds.get(mine.get("kind"))),
        (_("Title"), theirs.title, mine.get("title")),
        (_("Description"), theirs.description, mine.get("description")),
        (_("Start of the period"), theirs.starts_on, mine.get("starts_on")),
        (_("End of the period"), theirs.ends_on, mine.get("ends_on")),
        (_("Owner"), theirs.owner, mine.get("owner")),
        (_("Status"), states.get(theirs.status), states.get(mine.get("status"))),
    ]


@board_view(Permission.VIEW_PLANS)  # the plan is looked up first: 404 before 403
def plan_edit(request, board, plan_id):
    plan = access.get_plan_for_user(request.user, board, plan_id, write=True)
    kwargs = {"board": board, "school": plan.school, "plan": plan}
    context = {"board": board, "plan": plan, "unit_name": unit_name(board, plan.school)}
    status = 200
    if request.method == "POST":
        form = PlanForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.plan_update(
                    plan=plan,
                    revision=form.cleaned_data["revision"],
                    user=request.user,
                    **_plan_fields(form.cleaned_data),
                )
            except services.PlanConflict as exc:
                form, extra = _conflict(PlanForm, request, exc.current, _plan_pairs, **kwargs)
                context |= extra
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Plan saved."))
                return redirect("planning:plan", board_id=board.pk, plan_id=plan.pk)
    else:
        initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS}
        initial |= {"owner": plan.owner_id, "revision": plan.revision}
        form = PlanForm(initial=initial, **kwargs)
    context["form"] = form
    return render(request, "planning/plan_form.html", context, status=status)


@board_view(Permission.VIEW_PLANS)  # the plan is looked up first: 404 before 403
def plan_derive(request, board, plan_id):
    """Start the next plan from this one: its themes and goals carry over."""
    plan = access.get_plan_for_user(request.user, board, plan_id, write=True)
    starts_on = plan.ends_on + timedelta(days=1)
    length_months = services.months_between(plan.starts_on, plan.ends_on + timedelta(days=1))
    initial = {
        "title": plan.title,
        "starts_on": starts_on,
        "ends_on": services.add_months(starts_on, length_months) - timedelta(days=1),
    }
    form = DeriveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.plan_derive(
                previous=plan,
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("New plan started from “%(plan)s”. Check the goals' baselines and dates.")
                % {"plan": plan.title},
            )
            return redirect("planning:plan", board_id=board.pk, plan_id=new.pk)
    return render(
        request,
        "planning/plan_derive.html",
        {
            "board": board,
            "plan": plan,
            "form": form,
            "goal_count": plan.goals.count(),
            "theme_count": plan.themes.count(),
        },
    )


# --- Themes -------------------------------------------------------------------------------


def _plan_url(board: Board, plan: Plan, anchor: str = "") -> str:
    url = reverse("planning:plan", kwargs={"board_id": board.pk, "plan_id": plan.pk})
    return f"{url}#{anchor}" if anchor else url


@board_view(Permission.VIEW_PLANS)
def theme_add(request, board, plan_id):
    plan = access.get_plan_for_user(request.user, board, plan_id, write=True)
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_add(plan=plan, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Theme added."))
            return redirect(_plan_url(board, plan, f"theme-{theme.pk}"))
    return render(request, "planning/theme_form.html", {"board": board, "plan": plan, "form": form})


@board_view(Permission.VIEW_PLANS)
def theme_edit(request, board, plan_id, theme_id):
    plan = access.get_plan_for_user(request.user, board, plan_id, write=True)
    theme = access.get_theme_for_user(request.user, board, plan, theme_id)
    initial = {"title": theme.title, "description": theme.description}
    form = ThemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(theme=theme, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Theme saved."))
            return redirect(_plan_url(board, plan, f"theme-{theme.pk}"))
    return render(
        request,
        "planning/theme_form.html",
        {"board": board, "plan": plan, "theme": theme, "form": form},
    )


@board_view(Permission.VIEW_PLANS)
def theme_remove(request, board, plan_id, theme_id):
    """Ask first; on POST remove the theme and keep its goals in the plan."""
    plan = access.get_plan_for_user(request.user, board, plan_id, write=True)
    theme = access.get_theme_for_user(request.user, board, plan, theme_id)
    if request.method == "POST":
        try:
            services.theme_remove(theme=theme, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Theme removed; its goals stay in the plan."))
        return redirect(_plan_url(board, plan))
    return render(
        request,
        "planning/theme_remove.html",
        {"board": board, "plan": plan, "theme": theme, "goal_count": theme.goals.count()},
    )


# --- Goals --------------------------------------------------------------------------------


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


@board_view(Permission.VIEW_PLANS)
def goal_create(request, board, plan_id):
    user = request.user
    plan = access.get_plan_for_user(user, board, plan_id, write=True)
    serve_choices = access.board_goals_for_user(user, board)
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
            messages.success(request, _("Goal saved. The coach's remarks are below."))
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
        (_("Unit"), theirs.unit, mine.get("unit")),
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
def goal_edit(request, board, goal_id):
    user = request.user
    goal = access.get_goal_for_user(user, board, goal_id, permission=Permission.MANAGE_PLANS)
    plan = goal.plan
    kwargs = {"plan": plan, "goal": goal, "serve_choices": access.board_goals_for_user(user, board)}
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
            except services.GoalConflict as exc:
                form, extra = _conflict(GoalForm, request, exc.current, _goal_pairs, **kwargs)
                context |= extra
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Goal saved. The coach's remarks are below."))
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


def _goal_page(request, board: Board, goal: Goal, check_in_form=None, status: int = 200):
    user = request.user
    detail = selectors.goal_detail(user, board, goal)
    is_open = goal.plan.status != PlanStatus.CLOSED
    can_check_in = is_open and access.has_unit_permission(
        user, board, Permission.CHECK_IN, goal.plan.school
    )
    if can_check_in and check_in_form is None:
        check_in_form = CheckInForm(
            user=user, board=board, plan=goal.plan, initial={"held_on": timezone.localdate()}
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
            "progress_tones": selectors.PROGRESS_TONES,
            "action_tones": ACTION_TONES,
            "can_edit": is_open
            and access.has_unit_permission(user, board, Permission.MANAGE_PLANS, goal.plan.school),
            "unit_value": unit_value(goal.plan.school),
            "sees_plan_of_served": goal.serves_id is not None
            and access.has_unit_permission(user, board, Permission.VIEW_PLANS, None),
            "check_in_form": check_in_form if can_check_in else None,
            **_chart_context(goal, detail.check_ins),
        },
        status=status,
    )


@board_view(Permission.VIEW_PLANS)
def goal_detail(request, board, goal_id):
    goal = access.get_goal_for_user(request.user, board, goal_id)
    return _goal_page(request, board, goal)


@board_view(Permission.VIEW_PLANS)  # the goal is looked up first: 404 before 403
def check_in_add(request, board, goal_id):
    """Record a check-in; the form is also on the goal's page."""
    user = request.user
    goal = access.get_goal_for_user(user, board, goal_id, permission=Permission.CHECK_IN)
    form = CheckInForm(
        request.POST or None,
        user=user,
        board=board,
        plan=goal.plan,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_add(goal=goal, user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Check-in recorded."))
            url = reverse("planning:goal", kwargs={"board_id": board.pk, "goal_id": goal.pk})
            return redirect(f"{url}#check-ins")
    return render(
        request,
        "planning/check_in_form.html",
        {"board": board, "goal": goal, "plan": goal.plan, "form": form},
    )


@require_POST
@board_view(Permission.MANAGE_PLANS)
def goal_coach(request, board):
    """The coach on a goal's text while it is being written: a fragment of findings."""
    text = (request.POST.get("title") or request.POST.get("text") or "")[:COACH_TEXT_MAX]
    # The form's target and date stand in for a number or date the title lacks, as after saving.
    target, _message = services.parse_number(request.POST.get("target"), label="")
    try:
        target_date = date.fromisoformat(request.POST.get("target_date") or "")
    except ValueError:
        target_date = None
    findings = (
        coach_text(text, kind=GOAL, target=target, target_date=target_date) if text.strip() else []
    )
    return render(
        request,
        "planning/_coach_findings.html",
        {"findings": findings, "written": bool(text.strip()), "live": True},
    )


# --- Alignment ----------------------------------------------------------------------------


@board_view(Permission.VIEW_PLANS)
def alignment(request, board):
    data = selectors.alignment(request.user, board)
    return render(request, "planning/alignment.html", {"board": board, "alignment": data})
