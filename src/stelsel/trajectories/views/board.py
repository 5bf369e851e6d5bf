"""The board's side of support programmes: its applications and trajectories, applying,
consent for the advisor, the end evaluation, and linking the reflection round and the plan of
approach. Every page is a board page (`board_view`); trajectories are reached through
`trajectories.access`, so another board's answer 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.lib.forms import add_service_errors
from stelsel.organisations.access import has_permission
from stelsel.organisations.decorators import board_view
from stelsel.organisations.roles import Permission
from stelsel.planning.access import plans_for_user
from stelsel.trajectories import access, applications, casework, eligibility
from stelsel.trajectories.consent import consent_grant, consent_withdraw, standing_consent
from stelsel.trajectories.forms_board import ApplicationForm, EndEvaluationForm, PlanLinkForm
from stelsel.trajectories.models import Consent, Phase

PREFIX = "besturen/<int:board_id>/ondersteuning/"


def _support_url(board) -> str:
    return reverse("trajectories:board_support", args=[board.pk])


def _trajectory_url(board, trajectory) -> str:
    return reverse("trajectories:board_trajectory", args=[board.pk, trajectory.pk])


def _service_error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@board_view(Permission.VIEW_SUPPORT)
def board_support(request, board):
    user = request.user
    may_apply = has_permission(user, board, Permission.APPLY_FOR_SUPPORT)
    cohorts = []
    if may_apply:
        cohorts = [
            {"cohort": cohort, "full": applications.is_full(cohort.capacity, cohort.admitted)}
            for cohort in applications.with_admitted(
                access.open_cohorts_for_board(user, board)
            ).order_by("programme__name", "name")
        ]
    return render(
        request,
        "trajectories/board_support.html",
        {
            "board": board,
            "applications": access.board_applications_for_user(user, board)
            .select_related("cohort__programme")
            .order_by("-created_at"),
            "trajectories": access.board_trajectories_for_user(user, board)
            .select_related("programme", "cohort", "advisor")
            .order_by("-created_at"),
            "cohorts": cohorts,
            "may_apply": may_apply,
        },
    )


@board_view(Permission.APPLY_FOR_SUPPORT)
def board_apply(request, board, cohort_id):
    cohort = access.get_open_cohort_for_board(request.user, board, cohort_id)
    programme = cohort.programme
    criteria = eligibility.criteria_for(programme, single_school=board.is_single_school)
    form = ApplicationForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            applications.application_submit(
                cohort=cohort,
                board=board,
                applicant=request.user,
                question=form.cleaned_data["question"],
                motivation=form.cleaned_data["motivation"],
                claimed=form.claimed(),
                today=timezone.localdate(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"criteria": "criteria_any"})
        else:
            messages.success(
                request,
                _("Your application has been sent to the programme office of %(programme)s.")
                % {"programme": programme.name},
            )
            return redirect(_support_url(board))
    return render(
        request,
        "trajectories/board_apply.html",
        {
            "board": board,
            "cohort": cohort,
            "programme": programme,
            "form": form,
            "full": applications.cohort_is_full(cohort),
        },
    )


@require_POST
@board_view(Permission.APPLY_FOR_SUPPORT)
def board_application_withdraw(request, board, application_id):
    application = access.get_board_application_for_user(request.user, board, application_id)
    try:
        applications.application_withdraw(application=application, user=request.user)
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("The application has been withdrawn."))
    return redirect(_support_url(board))


@board_view(Permission.VIEW_SUPPORT)
def board_trajectory(request, board, trajectory_id):
    user = request.user
    trajectory = access.get_board_trajectory_for_user(user, board, trajectory_id)
    may_act = has_permission(user, board, Permission.APPLY_FOR_SUPPORT)
    may_plan = has_permission(user, board, Permission.MANAGE_PLANS)
    board_plans = plans_for_user(user, board).filter(school__isnull=True) if may_plan else None
    return render(
        request,
        "trajectories/board_trajectory.html",
        {
            "board": board,
            "trajectory": trajectory,
            "programme": trajectory.programme,
            "log": trajectory.log.select_related("intervention"),
            "recontracts": trajectory.recontracts.all(),
            "triangles": trajectory.triangle_conversations.all(),
            "needs": trajectory.needs.all(),
            "consent": standing_consent(trajectory),
            "past_consents": Consent.objects.filter(
                trajectory=trajectory, withdrawn_at__isnull=False
            ).select_related("advisor"),
            "may_act": may_act,
            "may_start_round": has_permission(user, board, Permission.MANAGE_ROUNDS)
            and trajectory.round_id is None,
            "may_plan": may_plan,
            "evaluation_form": EndEvaluationForm(initial={"text": trajectory.end_evaluation})
            if may_act
            else None,
            "plan_form": PlanLinkForm(plans=board_plans) if may_plan else None,
            "closed": trajectory.phase == Phase.CLOSED,
        },
    )


@require_POST
@board_view(Permission.APPLY_FOR_SUPPORT)
def board_consent(request, board, trajectory_id):
    trajectory = access.get_board_trajectory_for_user(
        request.user, board, trajectory_id, write=True
    )
    action = request.POST.get("action")
    try:
        if action == "grant":
            consent_grant(trajectory=trajectory, user=request.user)
            messages.success(request, _("Your advisor can now read the board's data in Stelsel."))
        elif action == "withdraw":
            consent_withdraw(trajectory=trajectory, user=request.user)
            messages.success(
                request,
                _("Consent withdrawn: the advisor no longer reads the board's data in Stelsel."),
            )
        else:
            messages.error(request, _("Choose to give or to withdraw consent."))
    except ValidationError as exc:
        _service_error(request, exc)
    return redirect(_trajectory_url(board, trajectory))


@require_POST
@board_view(Permission.APPLY_FOR_SUPPORT)
def board_evaluation(request, board, trajectory_id):
    trajectory = access.get_board_trajectory_for_user(
        request.user, board, trajectory_id, write=True
    )
    form = EndEvaluationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_trajectory_url(board, trajectory))
    try:
        casework.end_evaluation_record(trajectory=trajectory, text=form.cleaned_data["text"])
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("The end evaluation has been saved."))
    return redirect(_trajectory_url(board, trajectory))


@require_POST
@board_view(Permission.MANAGE_ROUNDS)
def board_round(request, board, trajectory_id):
    trajectory = access.get_board_trajectory_for_user(request.user, board, trajectory_id)
    try:
        round_ = casework.reflection_round_start(trajectory=trajectory, user=request.user)
    except ValidationError as exc:
        _service_error(request, exc)
        return redirect(_trajectory_url(board, trajectory))
    messages.success(
        request,
        _(
            "The reflection round has been created as a draft; "
            "set its dates and groups, then open it."
        ),
    )
    return redirect(reverse("selfevaluation:round", args=[board.pk, round_.pk]))


@require_POST
@board_view(Permission.MANAGE_PLANS)
def board_plan(request, board, trajectory_id):
    trajectory = access.get_board_trajectory_for_user(request.user, board, trajectory_id)
    form = PlanLinkForm(
        request.POST, plans=plans_for_user(request.user, board).filter(school__isnull=True)
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of your board's plans."))
        return redirect(_trajectory_url(board, trajectory))
    try:
        plan = casework.plan_link(
            trajectory=trajectory, user=request.user, plan=form.cleaned_data["plan"]
        )
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(
            request, _("“%(plan)s” is now the plan of approach.") % {"plan": plan.title}
        )
    return redirect(_trajectory_url(board, trajectory))


urlpatterns = [
    path(PREFIX, board_support, name="board_support"),
    path(PREFIX + "aanmelden/<int:cohort_id>/", board_apply, name="board_apply"),
    path(
        PREFIX + "aanmeldingen/<int:application_id>/intrekken/",
        board_application_withdraw,
        name="board_application_withdraw",
    ),
    path(PREFIX + "<int:trajectory_id>/", board_trajectory, name="board_trajectory"),
    path(PREFIX + "<int:trajectory_id>/toestemming/", board_consent, name="board_consent"),
    path(PREFIX + "<int:trajectory_id>/evaluatie/", board_evaluation, name="board_evaluation"),
    path(PREFIX + "<int:trajectory_id>/zelfevaluatie/", board_round, name="board_round"),
    path(PREFIX + "<int:trajectory_id>/plan/", board_plan, name="board_plan"),
]
