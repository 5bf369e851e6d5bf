"""Pages for actions and herstelopdrachten: the action list and forms, and the coverage view
that shows, per opdracht, whether actions that move are covering it.

Views are thin: objects come through access.py, writes go through the services, the coverage
figures through coverage.py.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.frameworks.models import Standard
from stelsel.organisations import access
from stelsel.organisations.models import Board
from stelsel.organisations.roles import Permission
from stelsel.organisations.units import (
    BOARD_UNIT,
    parse_id,
    unit_from_value,
    unit_value,
    units_with,
)
from stelsel.organisations.views import board_view
from stelsel.picture import assignments as assignment_services
from stelsel.picture.coverage import STATES, coverage_rows, coverage_summary
from stelsel.picture.forms_actions import ActionForm, AssignmentForm, FollowUpForm
from stelsel.picture.models import Assignment
from stelsel.planning import services as action_services
from stelsel.planning.models import Action, ActionStatus
from stelsel.web.forms import add_service_errors

# Every badge has its text; the tone only repeats it in colour.
STATE_DISPLAY = {
    "overdue": {"label": gettext_lazy("Deadline passed"), "tone": "negative"},
    "uncovered": {"label": gettext_lazy("Not covered by an action"), "tone": "negative"},
    "stalled": {"label": gettext_lazy("Actions stalled"), "tone": "warn"},
    "covered": {"label": gettext_lazy("Covered, actions under way"), "tone": "info"},
    "done": {"label": gettext_lazy("Actions done, awaiting follow-up"), "tone": "positive"},
    "resolved": {"label": gettext_lazy("Resolved"), "tone": "positive"},
}
ACTION_TONES = {
    ActionStatus.PLANNED: "",
    ActionStatus.IN_PROGRESS: "info",
    ActionStatus.STALLED: "warn",
    ActionStatus.DONE: "positive",
    ActionStatus.CANCELLED: "",
}
OUTCOME_TONES = {"": "", "sufficient": "positive", "insufficient": "negative"}


# --- Units --------------------------------------------------------------------------------


def _visible_units(user, board: Board) -> list[tuple[str, str]]:
    """The units whose objects the user sees, as (query value, name) for filters."""
    return units_with(user, board, Permission.VIEW_PICTURE)


def _choose_unit(request, board: Board, units, title: str, keep: tuple[str, ...]):
    """A first step that asks for the unit, keeping the other preselections."""
    return render(
        request,
        "picture/actions/unit_choice.html",
        {
            "board": board,
            "title": title,
            "units": units,
            "keep": [(name, request.GET[name]) for name in keep if request.GET.get(name)],
        },
    )


class UnitFilterForm(forms.Form):
    school = forms.ChoiceField(label=gettext_lazy("School"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", _("All"))] + units


def _filter_unit(queryset, value: str):
    if value == BOARD_UNIT:
        return queryset.filter(school__isnull=True)
    if value:
        return queryset.filter(school_id=int(value))
    return queryset


# --- Actions ------------------------------------------------------------------------------


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


OPEN_STATES = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.STALLED]


@board_view(Permission.VIEW_PICTURE)
def action_list(request, board):
    user = request.user
    today = timezone.localdate()
    form = ActionFilterForm(request.GET or None, units=_visible_units(user, board))
    actions = access.actions_for_user(user, board)
    if form.is_valid():
        data = form.cleaned_data
        actions = _filter_unit(actions, data["school"])
        if data["status"]:
            actions = actions.filter(status=data["status"])
        if data["overdue"]:
            actions = actions.filter(status__in=OPEN_STATES, due_on__lt=today)
        if data["owner"]:
            actions = actions.filter(owner=user)
    actions = actions.select_related("school", "owner").prefetch_related(
        Prefetch("standards", queryset=Standard.objects.order_by("position"))
    )
    return render(
        request,
        "picture/actions/list.html",
        {
            "board": board,
            "form": form,
            "actions": list(actions),
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
        return access.get_assignment_for_user(user, board, value)
    except Http404:
        return None


def _preselect_visit(user, board: Board, value):
    if not parse_id(value):
        return None
    try:
        return access.get_visit_for_user(user, board, value)
    except Http404:
        return None


@board_view(Permission.MANAGE_ACTIONS)
def action_create(request, board):
    user = request.user
    assignment = _preselect_assignment(user, board, request.GET.get("assignment"))
    visit = _preselect_visit(user, board, request.GET.get("visit"))
    value = request.GET.get("school", "")
    if not value and assignment is not None:
        value = unit_value(assignment.school)  # the covering action belongs to its unit
    if not value and visit is not None:
        value = unit_value(visit.school)  # and a follow-up action to the visited unit
    if not value:
        units = units_with(user, board, Permission.MANAGE_ACTIONS)
        if len(units) != 1:
            return _choose_unit(
                request, board, units, _("New action"), ("assignment", "standard", "visit")
            )
        value = units[0][0]
    school = unit_from_value(user, board, value, Permission.MANAGE_ACTIONS)
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
            action = action_services.action_create(
                board=board, school=school, user=user, **_action_fields(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Action recorded."))
            return redirect("picture:action_detail", board_id=board.pk, action_id=action.pk)
    return render(
        request,
        "picture/actions/form.html",
        {
            "board": board,
            "form": form,
            "school": school,
            "unit_name": school.name if school else board.name,
            "change_unit": len(units_with(user, board, Permission.MANAGE_ACTIONS)) > 1,
        },
    )


@board_view(Permission.VIEW_PICTURE)
def action_detail(request, board, action_id):
    action = access.get_action_for_user(request.user, board, action_id)
    today = timezone.localdate()
    rows = coverage_rows(action.assignments.all(), today)
    history = action.history.select_related("history_user").order_by("-history_date")[:20]
    return render(
        request,
        "picture/actions/detail.html",
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
            "can_edit": access.has_unit_permission(
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


def _shown(value) -> str:
    """A value of either version of an action, as the conflict table shows it."""
    if value is None or value == "":
        return "—"
    if hasattr(value, "year"):
        return formats.date_format(value, "j F Y")
    if isinstance(value, list | tuple):
        return ", ".join(_short(v) for v in value) or "—"
    return str(value)


def _short(obj) -> str:
    return getattr(obj, "code", None) or str(obj)


def _compare(theirs: Action, mine: dict) -> list[dict]:
    """Field by field: the saved version beside the one that was refused."""
    status_label = dict(ActionStatus.choices)
    pairs = [
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
    rows = []
    for label, a, b in pairs:
        shown_a, shown_b = _shown(a), _shown(b)
        rows.append(
            {"label": label, "theirs": shown_a, "mine": shown_b, "differs": shown_a != shown_b}
        )
    return rows


@board_view(Permission.VIEW_PICTURE)  # the action is looked up first: 404 before 403
def action_edit(request, board, action_id):
    action = access.get_action_for_user(request.user, board, action_id, write=True)
    context = {"board": board, "action": action, "school": action.school}
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, board=board, school=action.school, action=action)
        if form.is_valid():
            try:
                updated = action_services.action_update(
                    action=action,
                    revision=form.cleaned_data["revision"],
                    user=request.user,
                    **_action_fields(form.cleaned_data),
                )
            except action_services.ActionConflict as exc:
                current = exc.current
                # The form keeps what this editor typed; saving it again now is a deliberate
                # choice made with both versions in view.
                data = request.POST.copy()
                data["revision"] = str(current.revision)
                form = ActionForm(data, board=board, school=action.school, action=action)
                form.is_valid()
                last = current.history.select_related("history_user").first()
                context |= {
                    "conflict": current,
                    "conflict_by": last.history_user if last else None,
                    "comparison": _compare(current, form.cleaned_data),
                }
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Action saved."))
                return redirect("picture:action_detail", board_id=board.pk, action_id=updated.pk)
    else:
        form = ActionForm(
            initial=_action_initial(action), board=board, school=action.school, action=action
        )
    context |= {"form": form, "unit_name": action.school.name if action.school else board.name}
    return render(request, "picture/actions/form.html", context, status=status)


# --- Herstelopdrachten and their coverage ---------------------------------------------------


class AssignmentFilterForm(UnitFilterForm):
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All"))] + [
            (s, STATE_DISPLAY[s]["label"]) for s in STATES
        ]


@board_view(Permission.VIEW_PICTURE)
def assignment_list(request, board):
    """The coverage view: every opdracht with the actions covering it and its state."""
    user = request.user
    form = AssignmentFilterForm(request.GET or None, units=_visible_units(user, board))
    assignments = access.assignments_for_user(user, board)
    unit, state = "", ""
    if form.is_valid():
        unit, state = form.cleaned_data["school"], form.cleaned_data["state"]
        assignments = _filter_unit(assignments, unit)
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
            "tones": ACTION_TONES,
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
def assignment_create(request, board):
    user = request.user
    value = request.GET.get("school", "")
    if not value:
        units = units_with(user, board, Permission.MANAGE_ASSIGNMENTS)
        if len(units) != 1:
            return _choose_unit(request, board, units, _("New herstelopdracht"), ("visit",))
        value = units[0][0]
    school = unit_from_value(user, board, value, Permission.MANAGE_ASSIGNMENTS)
    initial = {}
    if parse_id(request.GET.get("visit")):
        initial["visit"] = int(request.GET["visit"])
    form = AssignmentForm(request.POST or None, board=board, school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = assignment_services.assignment_create(
                board=board, school=school, user=user, **_assignment_fields(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Herstelopdracht recorded."))
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
            "unit_name": school.name if school else board.name,
            "change_unit": len(units_with(user, board, Permission.MANAGE_ASSIGNMENTS)) > 1,
        },
    )


def _detail_context(request, board: Board, assignment: Assignment) -> dict:
    user = request.user
    (row,) = coverage_rows(Assignment.objects.filter(pk=assignment.pk), timezone.localdate())
    add_action = None
    if access.has_unit_permission(user, board, Permission.MANAGE_ACTIONS, assignment.school):
        query = {"school": unit_value(assignment.school), "assignment": assignment.pk}
        add_action = (
            reverse("picture:action_create", kwargs={"board_id": board.pk}) + "?" + urlencode(query)
        )
    return {
        "board": board,
        "assignment": row.assignment,
        "row": row,
        "states": STATE_DISPLAY,
        "tones": ACTION_TONES,
        "outcome_tones": OUTCOME_TONES,
        "add_action": add_action,
        "can_edit": access.has_unit_permission(
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
    assignment = access.get_assignment_for_user(request.user, board, assignment_id)
    context = _detail_context(request, board, assignment)
    if context["can_edit"]:
        context["follow_up_form"] = FollowUpForm(initial=_follow_up_initial(assignment))
    return render(request, "picture/assignments/detail.html", context)


@board_view(Permission.VIEW_PICTURE)  # the opdracht is looked up first: 404 before 403
def assignment_edit(request, board, assignment_id):
    assignment = access.get_assignment_for_user(request.user, board, assignment_id, write=True)
    school = assignment.school
    if request.method == "POST":
        form = AssignmentForm(request.POST, board=board, school=school, assignment=assignment)
        if form.is_valid():
            try:
                assignment_services.assignment_update(
                    assignment=assignment,
                    user=request.user,
                    **_assignment_fields(form.cleaned_data),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Herstelopdracht saved."))
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
            "unit_name": school.name if school else board.name,
        },
    )


@board_view(Permission.VIEW_PICTURE)  # the opdracht is looked up first: 404 before 403
def assignment_follow_up(request, board, assignment_id):
    """Record the follow-up investigation; its form is also on the opdracht's page."""
    assignment = access.get_assignment_for_user(request.user, board, assignment_id, write=True)
    form = FollowUpForm(request.POST or None, initial=_follow_up_initial(assignment))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment_services.assignment_follow_up(
                assignment=assignment,
                follow_up_on=data["follow_up_on"],
                outcome=data["follow_up_outcome"],
                note=data["follow_up_note"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect(
                "picture:assignment_detail", board_id=board.pk, assignment_id=assignment.pk
            )
    return render(
        request,
        "picture/assignments/follow_up.html",
        {"board": board, "assignment": assignment, "form": form},
    )
