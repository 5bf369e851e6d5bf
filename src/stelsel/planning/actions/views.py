"""Pages for actions: the list with its filters, recording and changing an action, and one
action with the herstelopdrachten it covers.

Views are thin: objects come through access.py, the list through the actions' selectors (as the
API reads it), writes through the services, the coverage figures through the picture's
coverage module. A refused save (someone else saved in between) shows both versions.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.lib.conflicts import conflict_view
from stelsel.lib.forms import add_service_errors
from stelsel.lib.ids import parse_id
from stelsel.lib.revisions import EditConflict
from stelsel.organisations.access import has_unit_permission
from stelsel.organisations.decorators import board_view, kept_page
from stelsel.organisations.models import Board
from stelsel.organisations.roles import Permission
from stelsel.organisations.unit_choice import UnitFilterForm, unit_step, visible_units
from stelsel.organisations.units import unit_name, unit_value, units_with
from stelsel.picture.access import get_assignment_for_user, get_visit_for_user
from stelsel.picture.coverage import STATE_DISPLAY, coverage_rows
from stelsel.picture.models import Assignment
from stelsel.planning.access import get_action_for_user
from stelsel.planning.actions import selectors, services
from stelsel.planning.actions.forms import ActionForm
from stelsel.planning.actions.states import ACTION_TONES
from stelsel.planning.models import Action, ActionStatus


class ActionFilterForm(UnitFilterForm):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    overdue = forms.BooleanField(label=gettext_lazy("Only overdue"), required=False)
    owner = forms.BooleanField(
        label=gettext_lazy("Only mine"),
        required=False,
        widget=forms.CheckboxInput(attrs={"value": "me"}),  # reads as ?owner=me
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + list(ActionStatus.choices)


@board_view(Permission.VIEW_PICTURE)
def action_list(request, board):
    user = request.user
    today = timezone.localdate()
    form = ActionFilterForm(request.GET or None, units=visible_units(user, board))
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "unit": data["school"],
            "status": data["status"],
            "overdue": data["overdue"],
            "mine": data["owner"],
        }
    return render(
        request,
        "planning/actions/list.html",
        {
            "board": board,
            "form": form,
            "actions": list(selectors.action_list(user, board, today=today, **filters)),
            "today": today,
            "tones": ACTION_TONES,
            "can_create": bool(units_with(user, board, Permission.MANAGE_ACTIONS)),
        },
    )


def _action_fields(data: dict) -> dict:
    names = (
        "title",
        "description",
        "owner",
        "starts_on",
        "due_on",
        "status",
        "progress",
        "standards",
        "requirements",
        "indicators",
        "assignments",
        "visit",
        "goal",
    )
    return {name: data.get(name) for name in names}


def _preselect_assignment(user, board: Board, value) -> Assignment | None:
    """An opdracht named in the query, if the user sees it; a wrong id simply selects nothing."""
    if not parse_id(value):
        return None
    try:
        return get_assignment_for_user(user, board, value)
    except Http404:
        return None


def _preselect_visit(user, board: Board, value):
    if not parse_id(value):
        return None
    try:
        return get_visit_for_user(user, board, value)
    except Http404:
        return None


@board_view(Permission.MANAGE_ACTIONS)
@kept_page
def action_create(request, board):
    user = request.user
    assignment = _preselect_assignment(user, board, request.GET.get("assignment"))
    visit = _preselect_visit(user, board, request.GET.get("visit"))
    value = request.GET.get("school", "")
    if not value and assignment is not None:
        value = unit_value(assignment.school)  # the covering action belongs to its unit
    if not value and visit is not None:
        value = unit_value(visit.school)  # and a follow-up action to the visited unit
    step = unit_step(
        request,
        board,
        Permission.MANAGE_ACTIONS,
        _("New action"),
        value=value,
        keep=("assignment", "standard", "visit"),
    )
    if step.asks:
        return step.asks
    school = step.school
    if assignment is not None and assignment.school_id != (school.pk if school else None):
        assignment = None
    initial = {"owner": user.pk, "status": ActionStatus.PLANNED, "progress": 0}
    if assignment is not None:
        initial["assignments"] = [assignment.pk]
        initial["standards"] = [assignment.standard_id]
        if assignment.requirement_id:
            initial["requirements"] = [assignment.requirement_id]
        if assignment.visit_id:
            initial["visit"] = assignment.visit_id
    if parse_id(request.GET.get("standard")):
        initial["standards"] = [int(request.GET["standard"])]
    if visit is not None:
        initial["visit"] = visit.pk
    if parse_id(request.GET.get("goal")):
        initial["goal"] = int(request.GET["goal"])  # the form offers only the unit's goals
    form = ActionForm(request.POST or None, board=board, school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                board=board, school=school, user=user, **_action_fields(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Action “%(title)s” recorded.") % {"title": action.title})
            return redirect("planning:action_detail", board_id=board.pk, action_id=action.pk)
    return render(
        request,
        "planning/actions/form.html",
        {
            "board": board,
            "form": form,
            "school": school,
            "unit_name": unit_name(board, school),
            "change_unit": step.choices > 1,
        },
    )


@board_view(Permission.VIEW_PICTURE)
def action_detail(request, board, action_id):
    action = get_action_for_user(request.user, board, action_id)
    today = timezone.localdate()
    rows = coverage_rows(action.assignments.all(), today)
    history = action.history.select_related("history_user").order_by("-history_date")[:20]
    return render(
        request,
        "planning/actions/detail.html",
        {
            "board": board,
            "action": action,
            "standards": action.standards.select_related("framework_version").order_by("position"),
            "requirements": action.requirements.select_related("standard").order_by(
                "standard__position", "position"
            ),
            "indicators": action.indicators.all(),
            "rows": rows,
            "states": STATE_DISPLAY,
            "tones": ACTION_TONES,
            "overdue": action.is_overdue(today),
            "history": list(history),
            "can_edit": has_unit_permission(
                request.user, board, Permission.MANAGE_ACTIONS, action.school
            ),
        },
    )


def _action_initial(action: Action) -> dict:
    return {
        "title": action.title,
        "description": action.description,
        "owner": action.owner_id,
        "starts_on": action.starts_on,
        "due_on": action.due_on,
        "status": action.status,
        "progress": action.progress,
        "standards": list(action.standards.values_list("pk", flat=True)),
        "requirements": list(action.requirements.values_list("pk", flat=True)),
        "indicators": list(action.indicators.values_list("pk", flat=True)),
        "assignments": list(action.assignments.values_list("pk", flat=True)),
        "visit": action.visit_id,
        "goal": action.goal_id,
        "revision": action.revision,
    }


def _action_pairs(theirs: Action, mine: dict) -> list[tuple]:
    """Field by field: the saved version beside the one that was refused."""
    status_label = dict(ActionStatus.choices)
    return [
        (_("What will be done"), theirs.title, mine.get("title")),
        (_("Description"), theirs.description, mine.get("description")),
        (_("Owner"), theirs.owner, mine.get("owner")),
        (_("Start"), theirs.starts_on, mine.get("starts_on")),
        (_("Due date"), theirs.due_on, mine.get("due_on")),
        (
            _("Status"),
            status_label.get(theirs.status),
            status_label.get(mine.get("status"), mine.get("status")),
        ),
        (_("Progress (%)"), theirs.progress, mine.get("progress")),
        (_("Standards"), list(theirs.standards.all()), list(mine.get("standards") or [])),
        (_("Requirements"), list(theirs.requirements.all()), list(mine.get("requirements") or [])),
        (_("Own indicators"), list(theirs.indicators.all()), list(mine.get("indicators") or [])),
        (
            _("Herstelopdrachten"),
            list(theirs.assignments.all()),
            list(mine.get("assignments") or []),
        ),
        (_("Follow-up of visit"), theirs.visit, mine.get("visit")),
        (_("Goal"), theirs.goal, mine.get("goal")),
    ]


@board_view(Permission.VIEW_PICTURE)  # the action is looked up first: 404 before 403
@kept_page
def action_edit(request, board, action_id):
    action = get_action_for_user(request.user, board, action_id, write=True)
    context = {"board": board, "action": action, "school": action.school}
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, board=board, school=action.school, action=action)
        if form.is_valid():
            try:
                updated = services.action_update(
                    action=action,
                    revision=form.cleaned_data["revision"],
                    user=request.user,
                    **_action_fields(form.cleaned_data),
                )
            except EditConflict as exc:
                conflict = conflict_view(
                    exc,
                    data=request.POST,
                    form_factory=lambda data: ActionForm(
                        data, board=board, school=action.school, action=action
                    ),
                    pairs_of=_action_pairs,
                )
                form = conflict.form
                context |= conflict.context()
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Action “%(title)s” saved.") % {"title": updated.title})
                return redirect("planning:action_detail", board_id=board.pk, action_id=updated.pk)
    else:
        form = ActionForm(
            initial=_action_initial(action), board=board, school=action.school, action=action
        )
    context |= {"form": form, "unit_name": unit_name(board, action.school)}
    return render(request, "planning/actions/form.html", context, status=status)
