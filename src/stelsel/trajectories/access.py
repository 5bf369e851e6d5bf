"""Programmes, applications and trajectories are reached only through here.

Two doors, each answering 404 alike for what does not exist and what is not the user's:
- the programme's door: a person with a role on the programme (`ProgrammeMembership`) opens it;
  the office reads every trajectory, an advisor only the trajectories they advise (another
  advisor's trajectory answers 404), a researcher no trajectory at all (404), only analytics;
  a role without the permission answers 403;
- the board's door: a board role holding `VIEW_SUPPORT` reads its own board's applications and
  trajectories (through `organisations.access`), never another board's.
The board's quality data is not reached through here at all: an advisor reads it as an advisor
on the board, a membership that exists only while the board's consent stands.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from stelsel.organisations.access import one, require
from stelsel.organisations.models import Board, Sector
from stelsel.organisations.roles import Permission
from stelsel.trajectories.models import (
    Application,
    Cohort,
    Programme,
    ProgrammeMembership,
    Trajectory,
)
from stelsel.trajectories.roles import PROGRAMME_GRANTS, ProgrammePermission


def programme_roles(user, programme: Programme) -> set[str]:
    """The user's roles on the programme, read once per request and kept on the user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_stelsel_programme_roles", None)
    if cached is None:
        cached = {}
        for programme_id, role in ProgrammeMembership.objects.filter(user=user).values_list(
            "programme_id", "role"
        ):
            cached.setdefault(programme_id, set()).add(role)
        user._stelsel_programme_roles = cached
    return cached.get(programme.pk, set())


def forget_programme_roles(user) -> None:
    if hasattr(user, "_stelsel_programme_roles"):
        delattr(user, "_stelsel_programme_roles")


def has_programme_permission(user, programme: Programme, permission: str) -> bool:
    return bool(programme_roles(user, programme) & PROGRAMME_GRANTS[permission])


def require_programme(user, programme: Programme, permission: str) -> None:
    if not has_programme_permission(user, programme, permission):
        raise PermissionDenied


# Whether the signed-in person has a role on a programme, kept in their session for the menu.
PROGRAMMES_SESSION_KEY = "stelsel_has_programmes"


def remember_programmes(sender, request, user, **kwargs) -> None:
    """At sign-in (`user_logged_in`): note in the session whether the person has a programme
    role, so a board's pages can offer the programmes without a query of their own."""
    if request is not None and hasattr(request, "session"):
        request.session[PROGRAMMES_SESSION_KEY] = programmes_for_user(user).exists()


def programmes_for_user(user) -> QuerySet[Programme]:
    if not getattr(user, "is_authenticated", False):
        return Programme.objects.none()
    return Programme.objects.filter(memberships__user=user).distinct()


def get_programme_for_user(
    user, slug, *, permission: str = ProgrammePermission.VIEW_PROGRAMME
) -> Programme:
    """The programme if the user has a role on it (else 404) and the permission (else 403)."""
    if not isinstance(slug, str) or len(slug) > 80:
        raise Http404
    programme = programmes_for_user(user).filter(slug=slug).first()
    if programme is None:
        raise Http404
    require_programme(user, programme, permission)
    return programme


def trajectories_for_user(user, programme: Programme) -> QuerySet[Trajectory]:
    """The programme's trajectories the user reads: all for the office, their own for an
    advisor, none for a researcher."""
    trajectories = Trajectory.objects.filter(programme=programme)
    if has_programme_permission(user, programme, ProgrammePermission.VIEW_ALL_TRAJECTORIES):
        return trajectories
    if has_programme_permission(user, programme, ProgrammePermission.WORK_IN_TRAJECTORY):
        return trajectories.filter(advisor=user)
    return trajectories.none()


def get_trajectory_for_user(
    user, programme: Programme, trajectory_id, *, write: bool = False
) -> Trajectory:
    """One trajectory the user reads (else 404). `write=True`: the user is its advisor
    (WORK_IN_TRAJECTORY on their own trajectory), else 403 for the office, 404 for others."""
    trajectory = one(trajectories_for_user(user, programme).select_related("cohort"), trajectory_id)
    if write and not (
        trajectory.advisor_id == user.pk
        and has_programme_permission(user, programme, ProgrammePermission.WORK_IN_TRAJECTORY)
    ):
        raise PermissionDenied
    return trajectory


def get_cohort_for_user(
    user, programme: Programme, cohort_id, *, permission: str = ProgrammePermission.VIEW_PROGRAMME
) -> Cohort:
    require_programme(user, programme, permission)
    return one(Cohort.objects.filter(programme=programme), cohort_id)


def applications_for_office(user, programme: Programme) -> QuerySet[Application]:
    require_programme(user, programme, ProgrammePermission.DECIDE_APPLICATIONS)
    return Application.objects.filter(cohort__programme=programme)


def get_application_for_office(user, programme: Programme, application_id) -> Application:
    return one(
        applications_for_office(user, programme).select_related("cohort", "board"),
        application_id,
    )


# The board's door.


def board_applications_for_user(user, board: Board) -> QuerySet[Application]:
    require(user, board, Permission.VIEW_SUPPORT)
    return Application.objects.filter(board=board)


def board_trajectories_for_user(user, board: Board) -> QuerySet[Trajectory]:
    require(user, board, Permission.VIEW_SUPPORT)
    return Trajectory.objects.filter(board=board)


def get_board_trajectory_for_user(
    user, board: Board, trajectory_id, *, write: bool = False
) -> Trajectory:
    """The board's own trajectory (else 404); `write=True` needs APPLY_FOR_SUPPORT (else 403):
    granting and withdrawing consent, the end evaluation."""
    trajectory = one(
        board_trajectories_for_user(user, board).select_related("programme", "cohort", "advisor"),
        trajectory_id,
    )
    if write:
        require(user, board, Permission.APPLY_FOR_SUPPORT)
    return trajectory


def get_board_application_for_user(user, board: Board, application_id) -> Application:
    return one(board_applications_for_user(user, board).select_related("cohort"), application_id)


def open_cohorts_for_board(user, board: Board) -> QuerySet[Cohort]:
    """Cohorts a board may apply to: open for applications, in a programme of its sector."""
    require(user, board, Permission.APPLY_FOR_SUPPORT)
    cohorts = Cohort.objects.filter(open_for_applications=True).select_related("programme")
    if board.sector != Sector.MIXED:
        cohorts = cohorts.filter(programme__sector__in=[board.sector, Sector.MIXED])
    return cohorts


def get_open_cohort_for_board(user, board: Board, cohort_id) -> Cohort:
    return one(open_cohorts_for_board(user, board), cohort_id)
