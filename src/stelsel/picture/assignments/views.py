"""Pages for herstelopdrachten and ontwikkelopdrachten: the coverage view that shows, per
opdracht, whether actions that move are covering it, recording and correcting an opdracht, and
the outcome of its follow-up investigation.

Views are thin: objects come through access.py, writes go through the services, the coverage
figures through coverage.py. The covering actions are planning's; they are read and shown
through `picture.work`, and adding one links to planning's action form.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.lib.forms import add_service_errors
from stelsel.lib.ids import parse_id
from stelsel.organisations.access import has_unit_permission
from stelsel.organisations.decorators import board_view, kept_page
from stelsel.organisations.models import Board
from stelsel.organisations.roles import Permission
from stelsel.organisations.unit_choice import filter_unit, unit_step, visible_units
from stelsel.organisations.units import unit_name, unit_value, units_with
from stelsel.picture.access import assignments_for_user, get_assignment_for_user
from stelsel.picture.assignments import services
from stelsel.picture.assignments.forms import AssignmentFilterForm, AssignmentForm, FollowUpForm
from stelsel.picture.coverage import OUTCOME_TONES, STATE_DISPLAY, coverage_rows, coverage_summary
from stelsel.picture.models import Assignment
from stelsel.picture.work import status_tones


@board_view(Permission.VIEW_PICTURE)
def assignment_list(request, board):
    """The coverage view: every opdracht with the actions covering it and its state."""
    user = request.user
    form = AssignmentFilterForm(request.GET or None, units=visible_units(user, board))
    assignments = assignments_for_user(user, board)
    unit, state = "", ""
    if form.is_valid():
        unit, state = form.cleaned_data["school"], form.cleaned_data["state"]
        assignments = filter_unit(assignments, unit)
    rows = coverage_rows(assignments, timezone.localdate())
    summary = coverage_summary(rows)
    if state:
        rows = [row for row in rows if row.state == state]
    base = reverse("picture:assignments", kwargs={"board_id": board.pk})
    counts = [
        {
            "state": s,
            "count": n,
            "display": STATE_DISPLAY[s],
            "url": _query(base, school=unit, state=s),
            "current": s == state,
        }
        for s, n in summary.items()
    ]
    return render(
        request,
        "picture/assignments/list.html",
        {
            "board": board,
            "form": form,
            "rows": rows,
            "summary": summary,
            "counts": counts,
            "all_url": _query(base, school=unit),
            "state": state,
            "states": STATE_DISPLAY,
            "tones": status_tones(),
            "outcome_tones": OUTCOME_TONES,
            "can_create": bool(units_with(user, board, Permission.MANAGE_ASSIGNMENTS)),
        },
    )


def _query(base: str, **params) -> str:
    params = {k: v for k, v in params.items() if v}
    return f"{base}?{urlencode(params)}" if params else base


def _assignment_fields(data: dict) -> dict:
    return {
        name: data.get(name)
        for name in ("kind", "standard", "requirement", "text", "deadline", "visit")
    }


@board_view(Permission.MANAGE_ASSIGNMENTS)
@kept_page
def assignment_create(request, board):
    user = request.user
    step = unit_step(
        request, board, Permission.MANAGE_ASSIGNMENTS, _("New herstelopdracht"), keep=("visit",)
    )
    if step.asks:
        return step.asks
    school = step.school
    initial = {}
    if parse_id(request.GET.get("visit")):
        initial["visit"] = int(request.GET["visit"])
    form = AssignmentForm(request.POST or None, board=board, school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_create(
                board=board, school=school, user=user, **_assignment_fields(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s recorded.") % {"name": assignment})
            return redirect(
                "picture:assignment_detail", board_id=board.pk, assignment_id=assignment.pk
            )
    return render(
        request,
        "picture/assignments/form.html",
        {
            "board": board,
            "form": form,
            "school": school,
            "unit_name": unit_name(board, school),
            "change_unit": step.choices > 1,
        },
    )


def _detail_context(request, board: Board, assignment: Assignment) -> dict:
    user = request.user
    (row,) = coverage_rows(Assignment.objects.filter(pk=assignment.pk), timezone.localdate())
    add_action = None
    if has_unit_permission(user, board, Permission.MANAGE_ACTIONS, assignment.school):
        query = {"school": unit_value(assignment.school), "assignment": assignment.pk}
        add_action = (
            reverse("planning:action_create", kwargs={"board_id": board.pk})
            + "?"
            + urlencode(query)
        )
    return {
        "board": board,
        "assignment": row.assignment,
        "row": row,
        "states": STATE_DISPLAY,
        "tones": status_tones(),
        "outcome_tones": OUTCOME_TONES,
        "add_action": add_action,
        "can_edit": has_unit_permission(
            user, board, Permission.MANAGE_ASSIGNMENTS, assignment.school
        ),
    }


def _follow_up_initial(assignment: Assignment) -> dict:
    return {
        "follow_up_on": assignment.follow_up_on,
        "follow_up_outcome": assignment.follow_up_outcome,
        "follow_up_note": assignment.follow_up_note,
    }


@board_view(Permission.VIEW_PICTURE)
def assignment_detail(request, board, assignment_id):
    assignment = get_assignment_for_user(request.user, board, assignment_id)
    context = _detail_context(request, board, assignment)
    if context["can_edit"]:
        context["follow_up_form"] = FollowUpForm(initial=_follow_up_initial(assignment))
    return render(request, "picture/assignments/detail.html", context)


@board_view(Permission.VIEW_PICTURE)  # the opdracht is looked up first: 404 before 403
@kept_page
def assignment_edit(request, board, assignment_id):
    assignment = get_assignment_for_user(request.user, board, assignment_id, write=True)
    school = assignment.school
    if request.method == "POST":
        form = AssignmentForm(request.POST, board=board, school=school, assignment=assignment)
        if form.is_valid():
            try:
                services.assignment_update(
                    assignment=assignment,
                    user=request.user,
                    **_assignment_fields(form.cleaned_data),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(name)s saved.") % {"name": assignment})
                return redirect(
                    "picture:assignment_detail", board_id=board.pk, assignment_id=assignment.pk
                )
    else:
        form = AssignmentForm(
            initial={
                "kind": assignment.kind,
                "standard": assignment.standard_id,
                "requirement": assignment.requirement_id,
                "text": assignment.text,
                "deadline": assignment.deadline,
                "visit": assignment.visit_id,
            },
            board=board,
            school=school,
            assignment=assignment,
        )
    return render(
        request,
        "picture/assignments/form.html",
        {
            "board": board,
            "form": form,
            "assignment": assignment,
            "school": school,
            "unit_name": unit_name(board, school),
        },
    )


@board_view(Permission.VIEW_PICTURE)  # the opdracht is looked up first: 404 before 403
def assignment_follow_up(request, board, assignment_id):
    """Record the follow-up investigation; its form is also on the opdracht's page."""
    assignment = get_assignment_for_user(request.user, board, assignment_id, write=True)
    form = FollowUpForm(request.POST or None, initial=_follow_up_initial(assignment))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assignment_follow_up(
                assignment=assignment,
                follow_up_on=data["follow_up_on"],
                outcome=data["follow_up_outcome"],
                note=data["follow_up_note"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Follow-up of %(name)s recorded.") % {"name": assignment})
            return redirect(
                "picture:assignment_detail", board_id=board.pk, assignment_id=assignment.pk
            )
    return render(
        request,
        "picture/assignments/follow_up.html",
        {"board": board, "assignment": assignment, "form": form},
    )
