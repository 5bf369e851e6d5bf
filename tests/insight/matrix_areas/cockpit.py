"""Matrix entries: cockpit. A signal belongs to a unit: school roles get 404 for another
school's. Everyone reads it; making it an action, a goal or an agenda point needs the
permission of the app written to on the signal's unit (MANAGE_ACTIONS, MANAGE_PLANS,
RECORD_MEETINGS: the board office and the school leader), checked before anything is read from
the form. Those allowed are sent on: to the new action, or back to the signal with a message
(no running plan for the goal, no meeting chosen for the agenda point)."""

from stelsel.insight.models import Signal, SignalKind
from stelsel.organisations.roles import Role
from tests.test_permission_matrix import ALL, Route, _scoped_school

WRITERS = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER, Role.SCHOOL_LEADER}


def signal_kwargs(world, scope):
    school = _scoped_school(world, scope)
    signal = Signal.objects.create(
        board=school.board,
        school=school,
        key=f"below:{school.instellingscode}|C1:1S/2F:2025",
        kind=SignalKind.BELOW_NORM,
        indicator="1S/2F",
        severity=3,
        figures={
            "ovt": f"{school.instellingscode}|C1",
            "period": "2023-2025",
            "percentage": "37.68",
            "pupils": 23,
            "norm": "45.50",
            "schoolweging": "30.61",
            "source": "computed",
            "own_years": [],
            "years": [],
        },
    )
    return {"board_id": school.board_id, "signal_id": signal.pk}


ROUTES = {
    "insight:signal": Route(signal_kwargs, ALL, school_scoped=True),
    "insight:signal_action": Route(
        signal_kwargs, WRITERS, method="post", ok=302, school_scoped=True
    ),
    "insight:signal_goal": Route(signal_kwargs, WRITERS, method="post", ok=302, school_scoped=True),
    "insight:signal_agenda_item": Route(
        signal_kwargs, WRITERS, method="post", ok=302, school_scoped=True
    ),
}
