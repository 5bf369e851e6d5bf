"""Matrix entries: linking the inspectorate's schools (OVTs) to the board's schools.

Linking is the board office's (MANAGE_DATA), for the whole board. Each case gets an OVT of its
scope's board with the BRIN of its scope's school: unlinked (the inspectorate names the board)
for linking, linked for undoing. The link POST sends no school, so those allowed get as far as
the redirect with a message and nothing changes.
"""

import itertools

from django.utils import timezone

from stelsel.insight.models import Ovt
from tests.test_permission_matrix import BOARD_OFFICE, Route, board_kwargs

_numbers = itertools.count(1)


def _ovt(world, scope, *, linked: bool) -> Ovt:
    school = {
        "own": world.school,
        "other_school": world.other_school,
        "other_board": world.other_board_school,
    }[scope]
    board = school.board
    return Ovt.objects.create(
        code=f"{school.instellingscode}|C{next(_numbers)}",
        brin=school.instellingscode,
        board_number=board.number,
        board=board if linked else None,
        school=school if linked else None,
        linked_at=timezone.now() if linked else None,
    )


def ovt_kwargs(world, scope):
    ovt = _ovt(world, scope, linked=False)
    return {"board_id": _board_id(world, scope), "ovt_id": ovt.pk}


def linked_ovt_kwargs(world, scope):
    ovt = _ovt(world, scope, linked=True)
    return {"board_id": ovt.board_id, "ovt_id": ovt.pk}


def _board_id(world, scope) -> int:
    return (world.other_board if scope == "other_board" else world.board).pk


ROUTES = {
    "insight:links": Route(board_kwargs, BOARD_OFFICE),
    "insight:ovt_link": Route(ovt_kwargs, BOARD_OFFICE, method="post", ok=302),
    "insight:ovt_unlink": Route(linked_ovt_kwargs, BOARD_OFFICE, method="post", ok=302),
}
