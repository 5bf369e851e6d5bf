"""Pages for plans: the list, a plan with its themes, goals and the coach's review, the plan's
forms (start, edit, carry on into the next plan) and its themes.

Views are thin: objects come through `planning.access`, writes go through the plan services, reads
through the plan selectors; a refused save on top of someone else's is shown with
`lib.conflicts`.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.lib.conflicts import conflict_view
from stelsel.lib.forms import add_service_errors
from stelsel.lib.revisions import EditConflict
from stelsel.organisations.access import has_unit_permission
from stelsel.organisations.decorators import board_view, kept_page
from stelsel.organisations.models import Board
from stelsel.organisations.roles import Permission
from stelsel.organisations.unit_choice import unit_step
from stelsel.organisations.units import unit_name, unit_value, units_with
from stelsel.planning.access import get_plan_for_user, get_theme_for_user
from stelsel.planning.actions.states import ACTION_TONES
from stelsel.planning.models import Plan, PlanKind, PlanStatus
from stelsel.planning.periods import add_months, months_between
from stelsel.planning.plans import selectors, services
from stelsel.planning.plans.forms import DeriveForm, PlanFilterForm, PlanForm, ThemeForm


@board_view(Permission.VIEW_PLANS)
@kept_page
def plan_list(request, board):
    user = request.user
    form = PlanFilterForm(request.GET or None, units=units_with(user, board, Permission.VIEW_PLANS))
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"unit": data["school"], "kind": data["kind"], "status": data["status"]}
    return render(
        request,
        "planning/plans.html",
        {
            "board": board,
            "form": form,
            "plans": list(selectors.plan_list(user, board, **filters)),
            "status_tones": selectors.STATUS_TONES,
            "can_create": bool(units_with(user, board, Permission.MANAGE_PLANS)),
        },
    )


def _plan_fields(data: dict) -> dict:
    return {name: data.get(name) for name in services.PLAN_FIELDS}


@board_view(Permission.MANAGE_PLANS)
def plan_create(request, board):
    user = request.user
    step = unit_step(request, board, Permission.MANAGE_PLANS, _("New plan"))
    if step.asks:
        return step.asks
    school = step.school
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
            messages.success(
                request,
                _("Plan “%(title)s” started. Add its themes and goals.") % {"title": plan.title},
            )
            return redirect("planning:plan", board_id=board.pk, plan_id=plan.pk)
    return render(
        request,
        "planning/plan_form.html",
        {
            "board": board,
            "form": form,
            "unit_name": unit_name(board, school),
            "change_unit": step.choices > 1,
        },
    )


@board_view(Permission.VIEW_PLANS)
@kept_page
def plan_detail(request, board, plan_id):
    user = request.user
    plan = get_plan_for_user(user, board, plan_id)
    detail = selectors.plan_detail(plan)
    can_manage = has_unit_permission(user, board, Permission.MANAGE_PLANS, plan.school)
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
    plan = get_plan_for_user(request.user, board, plan_id, write=True)
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
            except EditConflict as exc:
                conflict = conflict_view(
                    exc,
                    data=request.POST,
                    form_factory=lambda data: PlanForm(data, **kwargs),
                    pairs_of=_plan_pairs,
                )
                form = conflict.form
                context |= conflict.context()
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Plan “%(title)s” saved.") % {"title": form.cleaned_data["title"]}
                )
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
    plan = get_plan_for_user(request.user, board, plan_id, write=True)
    starts_on = plan.ends_on + timedelta(days=1)
    length_months = months_between(plan.starts_on, plan.ends_on + timedelta(days=1))
    initial = {
        "title": plan.title,
        "starts_on": starts_on,
        "ends_on": add_months(starts_on, length_months) - timedelta(days=1),
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
    plan = get_plan_for_user(request.user, board, plan_id, write=True)
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_add(plan=plan, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Theme “%(title)s” added.") % {"title": theme.title})
            return redirect(_plan_url(board, plan, f"theme-{theme.pk}"))
    return render(request, "planning/theme_form.html", {"board": board, "plan": plan, "form": form})


@board_view(Permission.VIEW_PLANS)
def theme_edit(request, board, plan_id, theme_id):
    plan = get_plan_for_user(request.user, board, plan_id, write=True)
    theme = get_theme_for_user(request.user, board, theme_id, plan=plan, write=True)
    initial = {"title": theme.title, "description": theme.description}
    form = ThemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(theme=theme, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Theme “%(title)s” saved.") % {"title": form.cleaned_data["title"]}
            )
            return redirect(_plan_url(board, plan, f"theme-{theme.pk}"))
    return render(
        request,
        "planning/theme_form.html",
        {"board": board, "plan": plan, "theme": theme, "form": form},
    )


@board_view(Permission.VIEW_PLANS)
def theme_remove(request, board, plan_id, theme_id):
    """Ask first; on POST remove the theme and keep its goals in the plan."""
    plan = get_plan_for_user(request.user, board, plan_id, write=True)
    theme = get_theme_for_user(request.user, board, theme_id, plan=plan, write=True)
    if request.method == "POST":
        try:
            services.theme_remove(theme=theme, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Theme “%(title)s” removed; its goals stay in the plan.")
                % {"title": theme.title},
            )
        return redirect(_plan_url(board, plan))
    return render(
        request,
        "planning/theme_remove.html",
        {"board": board, "plan": plan, "theme": theme, "goal_count": theme.goals.count()},
    )
