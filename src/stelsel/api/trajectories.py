"""API routes for support programmes: the user's programmes, a programme's analytics, its
trajectory records, the advisor's log, and a board's own trajectories.

Everything is reached through `trajectories.access`, so the API answers exactly as the pages:
a programme the user has no role on, a trajectory that is not theirs (another advisor's, or any
for a researcher) and another board answer 404; a role without the permission answers 403.
The analytics are always shown with small categories suppressed, as on the analytics page: the
API is a door for researchers too. Only the trajectory's own advisor writes in its log.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Router, Status

from stelsel.api import bodies
from stelsel.api.picture import board_for, person_name
from stelsel.api.schemas import ErrorOut
from stelsel.api.trajectories_schemas import (
    AnalyticsOut,
    BoardRefOut,
    BoardTrajectoryOut,
    CohortRefOut,
    ConsentOut,
    LogIn,
    LogOut,
    ProgrammeOut,
    ProgrammeRefOut,
    RecontractOut,
    TrajectoryDetailOut,
    TrajectoryOut,
    TriangleOut,
)
from stelsel.trajectories import access, analytics, casework
from stelsel.trajectories.models import Consent, Intervention, InterventionLog, Trajectory
from stelsel.trajectories.roles import ProgrammePermission

router = Router(tags=["support programmes"])

PROGRAMME = "/programmes/{slug}"
TRAJECTORY = PROGRAMME + "/trajectories/{trajectory_id}"

# Categories with fewer cases than this are suppressed, as in every research output.
THRESHOLD = analytics.K


def _standing(consents) -> ConsentOut:
    """The newest consent of a trajectory (prefetched, newest first), if any."""
    latest = consents[0] if consents else None
    return ConsentOut(
        standing=latest is not None and latest.withdrawn_at is None,
        granted_at=latest.granted_at if latest else None,
        withdrawn_at=latest.withdrawn_at if latest else None,
    )


def _trajectory_out(trajectory) -> dict:
    board = trajectory.board
    return {
        "id": trajectory.pk,
        "label": trajectory.label,
        "cohort": CohortRefOut(id=trajectory.cohort_id, name=trajectory.cohort.name),
        "board": BoardRefOut(id=board.pk, name=board.name) if board else None,
        "single_school_board": trajectory.single_school_board,
        "advisor": person_name(trajectory.advisor),
        "phase": trajectory.phase,
        "starts_on": trajectory.starts_on,
        "ends_on": trajectory.ends_on,
        "imported": trajectory.imported,
    }


def _log_out(entry) -> LogOut:
    return LogOut(
        id=entry.pk,
        on=entry.on,
        intervention_id=entry.intervention_id,
        intervention=entry.intervention.name,
        with_whom=entry.with_whom,
        note=entry.note,
    )


@router.get(
    "/programmes",
    response={200: list[ProgrammeOut]},
    summary="The programmes the user has a role on",
    url_name="programmes",
)
def programmes(request):
    """Each with the user's roles on it (office, advisor, researcher); an empty list for
    someone with no programme role."""
    user = request.auth
    listed = list(access.programmes_for_user(user).order_by("name"))
    return [
        ProgrammeOut(
            slug=p.slug,
            name=p.name,
            organiser=p.organiser,
            sector=p.sector,
            roles=sorted(access.programme_roles(user, p)),
        )
        for p in listed
    ]


@router.get(
    PROGRAMME + "/analytics",
    response={200: AnalyticsOut, 403: ErrorOut, 404: ErrorOut},
    summary="The programme's analytics, small categories suppressed",
    url_name="programme_analytics",
)
def programme_analytics(request, slug: str, cohort: int | None = None):
    """For the programme office and researchers (advisors 403). Needs × cases, interventions ×
    cases with their aim and kind, the totals per B, O, I and P and the attention
    distribution, over all cases or one cohort (`cohort`, its id; another programme's answers
    404), with the needs split by single- and multi-school boards. Any category of 1 or 2
    cases is shown as "< 3" (`analytics.suppress`), as on the analytics page; the operator's
    command line gives the full figures."""
    user = request.auth
    programme = access.get_programme_for_user(
        user, slug, permission=ProgrammePermission.VIEW_ANALYTICS
    )
    chosen = None
    if cohort is not None:
        chosen = access.get_cohort_for_user(
            user, programme, cohort, permission=ProgrammePermission.VIEW_ANALYTICS
        )
    return AnalyticsOut(
        programme=programme.slug,
        cohort=CohortRefOut(id=chosen.pk, name=chosen.name) if chosen else None,
        threshold=THRESHOLD,
        figures=analytics.research_figures(programme, chosen, k=THRESHOLD),
    )


def _readable(user, programme):
    """The trajectories the user reads on the programme: a researcher reads none (403)."""
    if not (
        access.has_programme_permission(user, programme, ProgrammePermission.VIEW_ALL_TRAJECTORIES)
        or access.has_programme_permission(user, programme, ProgrammePermission.WORK_IN_TRAJECTORY)
    ):
        return None
    return access.trajectories_for_user(user, programme)


@router.get(
    PROGRAMME + "/trajectories",
    response={200: list[TrajectoryOut], 403: ErrorOut, 404: ErrorOut},
    summary="The programme's trajectories the user reads",
    url_name="programme_trajectories",
)
def programme_trajectories(request, slug: str, cohort: int | None = None):
    """Every trajectory for the programme office, their own for an advisor; researchers read
    analytics only (403). `cohort` (an id) narrows to one cohort."""
    user = request.auth
    programme = access.get_programme_for_user(user, slug)
    readable = _readable(user, programme)
    if readable is None:
        return Status(403, ErrorOut(detail=_("Researchers read the programme's analytics only.")))
    if cohort is not None:
        readable = readable.filter(cohort=access.get_cohort_for_user(user, programme, cohort))
    rows = readable.select_related("cohort", "board", "advisor").order_by("cohort__name", "label")
    return [TrajectoryOut(**_trajectory_out(t)) for t in rows]


@router.get(
    TRAJECTORY,
    response={200: TrajectoryDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="One trajectory's record",
    url_name="programme_trajectory",
)
def programme_trajectory(request, slug: str, trajectory_id: int):
    """The programme office and the trajectory's own advisor (another advisor and researchers
    404). The trajectory's record only: the question, the agreement, needs, the log,
    re-contracts, triangle conversations, attention, insights and the consent's state; never
    the board's quality data."""
    user = request.auth
    programme = access.get_programme_for_user(user, slug)
    found = access.get_trajectory_for_user(user, programme, trajectory_id)
    trajectory = (
        Trajectory.objects.filter(pk=found.pk)
        .select_related("cohort", "board", "advisor")
        .prefetch_related(
            "needs",
            "recontracts",
            "triangle_conversations",
            Prefetch(
                "log",
                queryset=InterventionLog.objects.select_related("intervention").order_by(
                    "on", "pk"
                ),
            ),
            Prefetch("consents", queryset=Consent.objects.order_by("-granted_at", "-pk")),
        )
        .get()
    )
    return TrajectoryDetailOut(
        **_trajectory_out(trajectory),
        question=trajectory.question,
        intake_on=trajectory.intake_on,
        intake_notes=trajectory.intake_notes,
        commitment=trajectory.commitment,
        needs=[n.name for n in sorted(trajectory.needs.all(), key=lambda n: (n.position, n.name))],
        attention=trajectory.attention,
        insights=trajectory.insights,
        end_evaluation=trajectory.end_evaluation,
        log=[_log_out(entry) for entry in trajectory.log.all()],
        recontracts=[
            RecontractOut(
                on=r.on, previous_question=r.previous_question, question=r.question, reason=r.reason
            )
            for r in trajectory.recontracts.all()
        ],
        triangle_conversations=[
            TriangleOut(number=c.number, held_on=c.held_on, report=c.report)
            for c in trajectory.triangle_conversations.all()
        ],
        consent=_standing(list(trajectory.consents.all())),
    )


@router.post(
    TRAJECTORY + "/log",
    response={201: LogOut, **bodies.WRITE_ERRORS},
    summary="Log an intervention in the advisor's own trajectory",
    url_name="programme_trajectory_log",
    openapi_extra=bodies.body_schema(LogIn),
)
def programme_trajectory_log(request, slug: str, trajectory_id: int):
    """Only the trajectory's own advisor (the programme office 403; another advisor and
    researchers 404). The intervention is one of this programme's catalogue, by id; the day
    lies inside the trajectory and not in the future. A body that is not JSON answers 400, one
    that does not fit 422, as does an intervention of another programme or a day outside."""
    user = request.auth
    programme = access.get_programme_for_user(user, slug)
    trajectory = access.get_trajectory_for_user(user, programme, trajectory_id, write=True)
    data = bodies.read_body(
        request,
        LogIn,
        '{"intervention_id": <number>, "on": "YYYY-MM-DD", "with_whom": "…", "note": "…"}',
    )
    intervention = Intervention.objects.filter(programme=programme, pk=data.intervention_id).first()
    if intervention is None:
        return bodies.invalid(
            {
                "intervention_id": [
                    _("There is no intervention with this id in the programme's catalogue.")
                ]
            }
        )
    try:
        entry = casework.intervention_log(
            trajectory=trajectory,
            user=user,
            intervention=intervention,
            on=data.on,
            with_whom=data.with_whom,
            note=data.note,
        )
    except ValidationError as exc:
        return bodies.service_errors(exc, {"intervention": "intervention_id"})
    entry.intervention = intervention
    return Status(201, _log_out(entry))


@router.get(
    "/boards/{board_id}/trajectories",
    response={200: list[BoardTrajectoryOut], 403: ErrorOut, 404: ErrorOut},
    summary="The board's support trajectories",
    url_name="board_trajectories",
)
def board_trajectories(request, board_id: int):
    """For the board executive and the quality officer (VIEW_SUPPORT; others on the board
    403, another board 404): each trajectory with its programme, cohort, advisor, phase and
    whether the board's consent for the advisor stands."""
    user = request.auth
    board = board_for(request, board_id)
    rows = (
        access.board_trajectories_for_user(user, board)
        .select_related("programme", "cohort", "advisor")
        .prefetch_related(
            Prefetch("consents", queryset=Consent.objects.order_by("-granted_at", "-pk"))
        )
        .order_by("-starts_on", "pk")
    )
    return [
        BoardTrajectoryOut(
            id=t.pk,
            programme=ProgrammeRefOut(slug=t.programme.slug, name=t.programme.name),
            cohort=CohortRefOut(id=t.cohort_id, name=t.cohort.name),
            label=t.label,
            advisor=person_name(t.advisor),
            phase=t.phase,
            starts_on=t.starts_on,
            ends_on=t.ends_on,
            consent=_standing(list(t.consents.all())),
        )
        for t in rows
    ]
