"""Matrix entries of the board's side of support programmes: the board's support page,
applying, withdrawing an application, its trajectories, consent, the end evaluation, the
reflection round and the plan of approach, and the API's list of the board's trajectories.

The board executive and the quality officer follow the board's trajectories (VIEW_SUPPORT);
only the board executive applies and grants or withdraws the advisor's access
(APPLY_FOR_SUPPORT). Other roles on the board get 403, another board 404. The programme's side
(its own roles) has its own matrix: tests/trajectories/test_programme_matrix.py.
"""

from stelsel.organisations.roles import Role
from stelsel.trajectories.models import Application, ProgrammeRole
from tests.factories import make_user
from tests.factories.trajectories import (
    make_cohort,
    make_programme,
    make_trajectory,
    programme_member,
)
from tests.test_permission_matrix import (
    EXECUTIVE,
    Route,
    _target_board,
    api_board_kwargs,
    board_kwargs,
)

SUPPORT_READERS = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER}


def cohort_kwargs(world, scope):
    cohort = make_cohort(make_programme())
    return {"board_id": _target_board(world, scope).pk, "cohort_id": cohort.pk}


def application_kwargs(world, scope):
    board = _target_board(world, scope)
    application = Application.objects.create(
        cohort=make_cohort(make_programme()), board=board, question="Zicht op kwaliteit."
    )
    return {"board_id": board.pk, "application_id": application.pk}


def trajectory_kwargs(world, scope):
    """A trajectory of the scope's board with a matched advisor (so consent can be given)."""
    board = _target_board(world, scope)
    cohort = make_cohort(make_programme())
    advisor = make_user(name="Programma-adviseur")
    programme_member(advisor, cohort.programme, ProgrammeRole.ADVISOR)
    trajectory = make_trajectory(cohort, board=board, advisor=advisor)
    return {"board_id": board.pk, "trajectory_id": trajectory.pk}


TRAJECTORY_ROUTES = {
    "trajectories:board_support": Route(board_kwargs, SUPPORT_READERS),
    "trajectories:board_apply": Route(cohort_kwargs, EXECUTIVE),
    "trajectories:board_application_withdraw": Route(
        application_kwargs, EXECUTIVE, method="post", ok=302
    ),
    "trajectories:board_trajectory": Route(trajectory_kwargs, SUPPORT_READERS),
    "trajectories:board_consent": Route(
        trajectory_kwargs, EXECUTIVE, method="post", ok=302, data=lambda world: {"action": "grant"}
    ),
    "trajectories:board_evaluation": Route(
        trajectory_kwargs,
        EXECUTIVE,
        method="post",
        ok=302,
        data=lambda world: {"text": "Het gesprek met de schoolleiders is scherper geworden."},
    ),
    # Starting the reflection round needs MANAGE_ROUNDS as well, linking a plan MANAGE_PLANS:
    # the board office holds both.
    "trajectories:board_round": Route(trajectory_kwargs, SUPPORT_READERS, method="post", ok=302),
    "trajectories:board_plan": Route(
        trajectory_kwargs, SUPPORT_READERS, method="post", ok=302, data=lambda world: {"plan": ""}
    ),
    "api:board_trajectories": Route(api_board_kwargs, SUPPORT_READERS, anonymous=401),
}
