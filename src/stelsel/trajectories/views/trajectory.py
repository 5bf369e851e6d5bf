"""The trajectory page on the programme's side, and the advisor's casework on it.

The office and the trajectory's own advisor read the trajectory record (never the board's
quality data: an advisor reaches that only as an advisor on the board, while the board's
consent stands). Only the trajectory's advisor writes the casework: `access` answers 403 to the
office and 404 to any other advisor. A form with errors shows the page again with them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.lib.forms import add_service_errors
from stelsel.lib.revisions import EditConflict
from stelsel.trajectories import access, casework
from stelsel.trajectories.consent import standing_consent
from stelsel.trajectories.forms_casework import (
    AttentionForm,
    InsightsForm,
    LogForm,
    NeedsForm,
    PhaseForm,
    RecontractForm,
)
from stelsel.trajectories.forms_office import IntakeForm, MatchForm, TriangleForm
from stelsel.trajectories.models import PHASE_ORDER, Phase, PlayingField, QuadrantKey
from stelsel.trajectories.roles import ProgrammePermission

PREFIX = "programmas/<slug:slug>/trajecten/<int:trajectory_id>/"


def _url(programme, trajectory) -> str:
    return reverse("trajectories:trajectory", args=[programme.slug, trajectory.pk])


def _reach(request, slug, trajectory_id, *, write: bool):
    programme = access.get_programme_for_user(request.user, slug)
    trajectory = access.get_trajectory_for_user(request.user, programme, trajectory_id, write=write)
    return programme, trajectory


def _attention_rows(programme, trajectory) -> list[dict]:
    names = {q.key: q.name for q in programme.quadrants.all()}
    return [
        {"key": key, "name": names.get(key, label), "points": getattr(trajectory, key)}
        for key, label in QuadrantKey.choices
    ]


def _needs_by_field(trajectory) -> list[dict]:
    needs = list(trajectory.needs.all())
    return [
        {"field": label, "needs": [n for n in needs if n.field == field]}
        for field, label in PlayingField.choices
        if any(n.field == field for n in needs)
    ]


def _page(request, programme, trajectory, status=200, **forms):
    """The trajectory page; `forms` replaces the empty forms by bound ones with errors."""
    user = request.user
    is_advisor = trajectory.advisor_id == user.pk and access.has_programme_permission(
        user, programme, ProgrammePermission.WORK_IN_TRAJECTORY
    )
    is_office = access.has_programme_permission(
        user, programme, ProgrammePermission.MANAGE_TRAJECTORIES
    )
    consent = standing_consent(trajectory)
    context = {
        "programme": programme,
        "trajectory": trajectory,
        "phases": [
            {"value": value, "label": Phase(value).label, "current": value == trajectory.phase}
            for value in PHASE_ORDER
        ],
        "needs_by_field": _needs_by_field(trajectory),
        "log": trajectory.log.select_related("intervention", "recorded_by"),
        "attention": _attention_rows(programme, trajectory),
        "recontracts": trajectory.recontracts.all(),
        "triangles": trajectory.triangle_conversations.select_related("lead"),
        "consent": consent,
        "consent_withdrawn": consent is None and trajectory.consents.exists(),
        "is_advisor": is_advisor,
        "is_office": is_office,
        "board_home": reverse("web:board_home", args=[trajectory.board_id])
        if is_advisor and consent is not None and trajectory.board_id
        else None,
    }
    if is_advisor:
        context.update(
            log_form=LogForm(programme=programme),
            attention_form=AttentionForm(
                quadrants=programme.quadrants.all(), trajectory=trajectory
            ),
            recontract_form=RecontractForm(initial={"revision": trajectory.revision}),
            phase_form=PhaseForm(initial={"phase": trajectory.phase}),
            needs_form=NeedsForm(programme=programme, trajectory=trajectory),
            insights_form=InsightsForm(initial={"insights": trajectory.insights}),
        )
    if is_office:
        held = {t.number: t for t in context["triangles"]}
        context.update(
            intake_form=IntakeForm(programme=programme, trajectory=trajectory),
            match_form=MatchForm(programme=programme, trajectory=trajectory),
            triangle_forms=[
                {
                    "number": number,
                    "form": TriangleForm(
                        programme=programme,
                        trajectory=trajectory,
                        number=number,
                        conversation=held.get(number),
                    ),
                }
                for number in (1, 2)
            ],
        )
    context.update(forms)
    return render(request, "trajectories/trajectory.html", context, status=status)


@login_required
def trajectory_detail(request, slug, trajectory_id):
    programme, trajectory = _reach(request, slug, trajectory_id, write=False)
    return _page(request, programme, trajectory)


def _done(request, programme, trajectory, message: str):
    messages.success(request, message)
    return redirect(_url(programme, trajectory))


def _casework(request, slug, trajectory_id, *, name: str, form_for, save, message: str):
    """One of the advisor's forms posted: checked, saved through the service, back to the page
    with `message`; or the page again with the form and its errors (400), nothing saved.
    `form_for(programme)` makes the bound form, `save(trajectory, form)` calls the service."""
    programme, trajectory = _reach(request, slug, trajectory_id, write=True)
    form = form_for(programme)
    if form.is_valid():
        try:
            save(trajectory, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, programme, trajectory, message)
    return _page(request, programme, trajectory, status=400, **{name: form})


@require_POST
@login_required
def trajectory_log(request, slug, trajectory_id):
    return _casework(
        request,
        slug,
        trajectory_id,
        name="log_form",
        form_for=lambda programme: LogForm(request.POST, programme=programme),
        save=lambda trajectory, form: casework.intervention_log(
            trajectory=trajectory, user=request.user, **form.cleaned_data
        ),
        message=_("The intervention has been logged."),
    )


@require_POST
@login_required
def trajectory_attention(request, slug, trajectory_id):
    return _casework(
        request,
        slug,
        trajectory_id,
        name="attention_form",
        form_for=lambda programme: AttentionForm(request.POST, quadrants=programme.quadrants.all()),
        save=lambda trajectory, form: casework.attention_set(
            trajectory=trajectory, points=form.points()
        ),
        message=_("The attention points have been saved."),
    )


@require_POST
@login_required
def trajectory_recontract(request, slug, trajectory_id):
    programme, trajectory = _reach(request, slug, trajectory_id, write=True)
    form = RecontractForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            casework.recontract_record(
                trajectory=trajectory,
                user=request.user,
                question=data["question"],
                reason=data["reason"],
                revision=data["revision"],
            )
        except EditConflict as conflict:
            return _page(
                request,
                programme,
                trajectory,
                status=409,
                recontract_form=_conflicted(form, conflict),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, programme, trajectory, _("The new support question is recorded."))
    return _page(request, programme, trajectory, status=400, recontract_form=form)


def _conflicted(form, conflict: EditConflict) -> RecontractForm:
    """The form as typed, on the current revision, with a note that the question changed."""
    data = form.data.copy()
    data["revision"] = conflict.revision
    fresh = RecontractForm(data)
    fresh.is_valid()
    fresh.add_error(
        None,
        _(
            "Someone changed this trajectory after you opened it; its question is now “%(q)s”. "
            "Check your new question and save again."
        )
        % {"q": conflict.current.question if conflict.current else ""},
    )
    return fresh


@require_POST
@login_required
def trajectory_phase(request, slug, trajectory_id):
    return _casework(
        request,
        slug,
        trajectory_id,
        name="phase_form",
        form_for=lambda programme: PhaseForm(request.POST),
        save=lambda trajectory, form: casework.phase_set(
            trajectory=trajectory, phase=form.cleaned_data["phase"]
        ),
        message=_("The phase has been changed."),
    )


@require_POST
@login_required
def trajectory_needs(request, slug, trajectory_id):
    return _casework(
        request,
        slug,
        trajectory_id,
        name="needs_form",
        form_for=lambda programme: NeedsForm(request.POST, programme=programme),
        save=lambda trajectory, form: casework.needs_set(trajectory=trajectory, needs=form.needs()),
        message=_("The support needs have been saved."),
    )


@require_POST
@login_required
def trajectory_insights(request, slug, trajectory_id):
    return _casework(
        request,
        slug,
        trajectory_id,
        name="insights_form",
        form_for=lambda programme: InsightsForm(request.POST),
        save=lambda trajectory, form: casework.insights_set(
            trajectory=trajectory, insights=form.cleaned_data["insights"]
        ),
        message=_("The insights have been saved."),
    )


urlpatterns = [
    path(PREFIX, trajectory_detail, name="trajectory"),
    path(PREFIX + "logboek/", trajectory_log, name="trajectory_log"),
    path(PREFIX + "aandacht/", trajectory_attention, name="trajectory_attention"),
    path(PREFIX + "herijken/", trajectory_recontract, name="trajectory_recontract"),
    path(PREFIX + "fase/", trajectory_phase, name="trajectory_phase"),
    path(PREFIX + "behoeften/", trajectory_needs, name="trajectory_needs"),
    path(PREFIX + "inzichten/", trajectory_insights, name="trajectory_insights"),
]
