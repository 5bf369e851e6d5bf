"""The programme office's pages: the user's programmes, a programme's home, cohorts, deciding
applications, advisors, people, catalogues, and the office's records on a trajectory (start
conversation, matching and agreement, triangle conversations).

Every page reaches its programme through `trajectories.access` (404 when it is not the user's,
403 without the permission); the office reads trajectory records, never a board's quality data.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stelsel.lib import date_formats
from stelsel.lib.forms import add_service_errors
from stelsel.organisations.access import one
from stelsel.trajectories import (
    admission,
    catalogue_edits,
    cohorts,
    matching,
    members,
    selectors,
    triangle,
)
from stelsel.trajectories.access import (
    get_application_for_office,
    get_programme_for_user,
    get_trajectory_for_user,
    has_programme_permission,
    programme_roles,
)
from stelsel.trajectories.forms_office import (
    CohortForm,
    DecisionForm,
    IntakeForm,
    InterventionForm,
    MatchForm,
    NeedForm,
    PersonForm,
    QuadrantForm,
    QuestionsForm,
    TriangleForm,
)
from stelsel.trajectories.models import (
    AttentionQuadrant,
    Cohort,
    Intervention,
    ProgrammeMembership,
    ProgrammeRole,
    SupportNeed,
    TriangleConversation,
)
from stelsel.trajectories.roles import ProgrammePermission as P

PROGRAMMES = "programmas/"
PROGRAMME = PROGRAMMES + "<slug:slug>/"
TRAJECTORY = PROGRAMME + "trajecten/<int:trajectory_id>/"


def programme_view(permission: str = P.VIEW_PROGRAMME):
    """Load the programme through access (404 if the user has no role on it, 403 without
    `permission`) and pass it to the view after the request."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            programme = get_programme_for_user(request.user, slug, permission=permission)
            return view(request, programme, *args, **kwargs)

        return wrapper

    return decorator


def _url(name: str, programme, *args) -> str:
    return reverse(f"trajectories:{name}", args=[programme.slug, *args])


def _optional_url(name: str, programme) -> str | None:
    """A page another part of the programme side provides, if it is there."""
    try:
        return _url(name, programme)
    except NoReverseMatch:
        return None


def _trajectory_url(programme, trajectory) -> str:
    return _url("trajectory", programme, trajectory.pk)


def _error_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@login_required
@require_GET
def programme_list(request):
    return render(
        request,
        "trajectories/office_programmes.html",
        {"rows": selectors.programme_rows(request.user)},
    )


@programme_view()
@require_GET
def programme_home(request, programme):
    user = request.user
    is_office = has_programme_permission(user, programme, P.VIEW_ALL_TRAJECTORIES)
    is_advisor = has_programme_permission(user, programme, P.WORK_IN_TRAJECTORY)
    context = {
        "programme": programme,
        "is_office": is_office,
        "is_advisor": is_advisor,
        "roles": programme_roles(user, programme),
        "analytics_url": _optional_url("analytics", programme)
        if has_programme_permission(user, programme, P.VIEW_ANALYTICS)
        else None,
    }
    if is_office:
        context["cohorts"] = selectors.cohort_rows(programme)
        context["applications"] = selectors.applications_to_decide(user, programme)
    if is_office or is_advisor:
        context["trajectories"] = selectors.trajectory_rows(user, programme)
    return render(request, "trajectories/office_programme.html", context)


@programme_view(P.MANAGE_PROGRAMME)
def cohort_list(request, programme):
    form = CohortForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            form = CohortForm(request.POST)
            if form.is_valid():
                try:
                    cohort = cohorts.cohort_create(programme=programme, **form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(
                        request, _("Cohort %(name)s is added.") % {"name": cohort.name}
                    )
                    return redirect(_url("cohorts", programme))
        elif action in ("open", "close"):
            cohort = one(Cohort.objects.filter(programme=programme), request.POST.get("cohort"))
            cohorts.cohort_set_open(cohort=cohort, open_for_applications=action == "open")
            if action == "open":
                messages.success(request, _("Boards can apply to %(name)s.") % {"name": cohort})
            else:
                messages.success(
                    request, _("%(name)s is closed for applications.") % {"name": cohort}
                )
            return redirect(_url("cohorts", programme))
        else:
            messages.error(request, _("That action is unknown."))
    return render(
        request,
        "trajectories/office_cohorts.html",
        {"programme": programme, "cohorts": selectors.cohort_rows(programme), "form": form},
    )


@programme_view(P.DECIDE_APPLICATIONS)
@require_GET
def application_detail(request, programme, application_id):
    application = get_application_for_office(request.user, programme, application_id)
    rows = admission.eligibility_rows(application)
    return render(
        request,
        "trajectories/office_application.html",
        {
            "programme": programme,
            "application": application,
            "criteria": rows,
            "form": DecisionForm(criteria=rows),
            "places_taken": admission.places_taken(application.cohort),
        },
    )


@programme_view(P.DECIDE_APPLICATIONS)
@require_POST
def application_decide(request, programme, application_id):
    application = get_application_for_office(request.user, programme, application_id)
    rows = admission.eligibility_rows(application)
    form = DecisionForm(request.POST, criteria=rows)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == DecisionForm.ADMIT:
                trajectory = admission.application_admit(
                    application=application, by=request.user, confirmed=data["confirmed"]
                )
            else:
                admission.application_refuse(
                    application=application, by=request.user, note=data["note"]
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if data["decision"] == DecisionForm.ADMIT:
                messages.success(
                    request,
                    _("%(board)s is admitted as %(label)s.")
                    % {"board": application.board.name, "label": trajectory.label},
                )
            else:
                messages.success(request, _("The application is refused."))
            return redirect(_url("programme", programme))
    return render(
        request,
        "trajectories/office_application.html",
        {
            "programme": programme,
            "application": application,
            "criteria": rows,
            "form": form,
            "places_taken": admission.places_taken(application.cohort),
        },
        status=400,
    )


@programme_view(P.MANAGE_TRAJECTORIES)
@require_GET
def advisor_list(request, programme):
    return render(
        request,
        "trajectories/office_advisors.html",
        {"programme": programme, "advisors": selectors.advisor_rows(programme)},
    )


@programme_view(P.MANAGE_PEOPLE)
def people(request, programme):
    form = PersonForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            form = PersonForm(request.POST)
            if form.is_valid():
                try:
                    membership = members.programme_member_add(
                        programme=programme, **form.cleaned_data
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(
                        request,
                        _("%(person)s is added as %(role)s.")
                        % {"person": membership.user, "role": membership.get_role_display()},
                    )
                    return redirect(_url("people", programme))
            status = 400
        elif action == "remove":
            membership = one(
                ProgrammeMembership.objects.filter(programme=programme).select_related("user"),
                request.POST.get("membership"),
            )
            try:
                members.programme_member_remove(membership=membership)
            except ValidationError as exc:
                _error_messages(request, exc)
            else:
                messages.success(
                    request,
                    _("%(person)s no longer has the role %(role)s.")
                    % {"person": membership.user, "role": membership.get_role_display()},
                )
            return redirect(_url("people", programme))
        else:
            messages.error(request, _("That action is unknown."))
    return render(
        request,
        "trajectories/office_people.html",
        {
            "programme": programme,
            "members": selectors.member_rows(programme),
            "form": form,
            "roles": ProgrammeRole,
        },
        status=status,
    )


def _catalogue_post(request, programme):
    """One change to a catalogue; returns the form to show again when it failed, else None."""
    action = request.POST.get("action", "")
    kind, _sep, verb = action.partition("_")
    if kind == "need":
        need = None
        if request.POST.get("item"):
            need = one(SupportNeed.objects.filter(programme=programme), request.POST["item"])
        if verb == "delete" and need is not None:
            catalogue_edits.need_delete(need=need)
            return None
        form = NeedForm(request.POST, prefix=f"need-{need.pk if need else 'new'}")
        if form.is_valid():
            catalogue_edits.need_save(programme=programme, need=need, **form.cleaned_data)
            return None
        return form
    if kind == "intervention":
        item = None
        if request.POST.get("item"):
            item = one(Intervention.objects.filter(programme=programme), request.POST["item"])
        if verb == "delete" and item is not None:
            catalogue_edits.intervention_delete(intervention=item)
            return None
        form = InterventionForm(request.POST, prefix=f"intervention-{item.pk if item else 'new'}")
        if form.is_valid():
            catalogue_edits.intervention_save(
                programme=programme, intervention=item, **form.cleaned_data
            )
            return None
        return form
    if kind == "quadrant":
        quadrant = one(
            AttentionQuadrant.objects.filter(programme=programme), request.POST.get("item")
        )
        form = QuadrantForm(request.POST, prefix=f"quadrant-{quadrant.pk}")
        if form.is_valid():
            catalogue_edits.quadrant_rename(quadrant=quadrant, **form.cleaned_data)
            return None
        return form
    if kind == "questions":
        form = QuestionsForm(request.POST)
        if form.is_valid():
            catalogue_edits.triangle_questions_update(
                programme=programme, questions=form.question_list()
            )
            return None
        return form
    raise Http404


def _initial(entry, form_class) -> dict:
    """A catalogue entry's values for its edit form: the fields the form has."""
    return model_to_dict(entry, fields=list(form_class.base_fields))


@programme_view(P.MANAGE_PROGRAMME)
def catalogue_page(request, programme):
    if request.method == "POST":
        try:
            failed = _catalogue_post(request, programme)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            if failed is None:
                messages.success(request, _("The catalogue is saved."))
            else:
                _form_errors(request, failed)
        return redirect(_url("catalogues", programme))
    data = selectors.catalogue(programme)
    return render(
        request,
        "trajectories/office_catalogues.html",
        {
            "programme": programme,
            "needs": [
                (
                    need,
                    NeedForm(prefix=f"need-{need.pk}", initial=_initial(need, NeedForm)),
                )
                for need in data["needs"]
            ],
            "interventions": [
                (
                    item,
                    InterventionForm(
                        prefix=f"intervention-{item.pk}", initial=_initial(item, InterventionForm)
                    ),
                )
                for item in data["interventions"]
            ],
            "quadrants": [
                (
                    quadrant,
                    QuadrantForm(
                        prefix=f"quadrant-{quadrant.pk}", initial=_initial(quadrant, QuadrantForm)
                    ),
                )
                for quadrant in data["quadrants"]
            ],
            "new_need": NeedForm(prefix="need-new"),
            "new_intervention": InterventionForm(prefix="intervention-new"),
            "questions": QuestionsForm(initial={"questions": "\n".join(data["questions"])}),
        },
    )


# The office's records on a trajectory; the forms are shown on the trajectory's page.


def _office_trajectory(request, programme, trajectory_id):
    return get_trajectory_for_user(request.user, programme, trajectory_id)


@programme_view(P.MANAGE_TRAJECTORIES)
@require_POST
def trajectory_intake(request, programme, trajectory_id):
    trajectory = _office_trajectory(request, programme, trajectory_id)
    form = IntakeForm(request.POST, programme=programme)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_trajectory_url(programme, trajectory))
    try:
        admission.trajectory_intake(trajectory=trajectory, **form.cleaned_data)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("The start conversation is recorded."))
    return redirect(_trajectory_url(programme, trajectory))


@programme_view(P.MANAGE_TRAJECTORIES)
@require_POST
def trajectory_match(request, programme, trajectory_id):
    trajectory = _office_trajectory(request, programme, trajectory_id)
    form = MatchForm(request.POST, programme=programme)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_trajectory_url(programme, trajectory))
    try:
        trajectory = matching.trajectory_match(trajectory=trajectory, **form.cleaned_data)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(
            request,
            _("%(advisor)s is matched; the agreement runs until %(end)s.")
            % {"advisor": trajectory.advisor, "end": date_formats.full_date(trajectory.ends_on)},
        )
    return redirect(_trajectory_url(programme, trajectory))


@programme_view(P.MANAGE_TRAJECTORIES)
def trajectory_triangle(request, programme, trajectory_id, number):
    if number not in triangle.NUMBERS:
        raise Http404
    trajectory = _office_trajectory(request, programme, trajectory_id)
    conversation = TriangleConversation.objects.filter(trajectory=trajectory, number=number).first()
    form_kwargs = {
        "programme": programme,
        "trajectory": trajectory,
        "number": number,
        "conversation": conversation,
    }
    form = TriangleForm(request.POST or None, **form_kwargs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                triangle.triangle_record(
                    trajectory=trajectory,
                    number=number,
                    held_on=form.cleaned_data["held_on"],
                    answers=form.answers(),
                    lead=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Triangle conversation %(number)s is recorded.") % {"number": number},
                )
                return redirect(_trajectory_url(programme, trajectory))
        status = 400
    return render(
        request,
        "trajectories/office_triangle.html",
        {
            "programme": programme,
            "trajectory": trajectory,
            "number": number,
            "conversation": conversation,
            "form": form,
        },
        status=status,
    )


urlpatterns = [
    path(PROGRAMMES, programme_list, name="programmes"),
    path(PROGRAMME, programme_home, name="programme"),
    path(PROGRAMME + "jaargangen/", cohort_list, name="cohorts"),
    path(
        PROGRAMME + "aanmeldingen/<int:application_id>/",
        application_detail,
        name="application",
    ),
    path(
        PROGRAMME + "aanmeldingen/<int:application_id>/besluit/",
        application_decide,
        name="application_decide",
    ),
    path(PROGRAMME + "adviseurs/", advisor_list, name="advisors"),
    path(PROGRAMME + "mensen/", people, name="people"),
    path(PROGRAMME + "catalogi/", catalogue_page, name="catalogues"),
    path(TRAJECTORY + "intake/", trajectory_intake, name="trajectory_intake"),
    path(TRAJECTORY + "koppelen/", trajectory_match, name="trajectory_match"),
    path(
        TRAJECTORY + "driehoeksgesprek/<int:number>/",
        trajectory_triangle,
        name="trajectory_triangle",
    ),
]
