"""Reads of actions: the list that the action list page and the API filter alike.

Both read the actions a user may see through here, so a filter means the same on the page and in
the API, and the rows come with what both show (unit, owner, standards) in a fixed number of
queries, whatever the number of actions.
"""

from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from stelsel.frameworks.models import Standard
from stelsel.organisations.models import Board
from stelsel.organisations.unit_choice import filter_unit
from stelsel.planning.access import actions_for_user
from stelsel.planning.actions.states import OPEN_STATES


def action_list(
    user,
    board: Board,
    *,
    unit: str = "",
    status: str | None = None,
    overdue: bool = False,
    mine: bool = False,
    today: date | None = None,
):
    """The actions the user may see, with their school, owner and standards (in the
    framework's order), in the order of the model (by due date).

    `unit` is a unit's query value: "" for every unit, `BOARD_UNIT` for the board's own
    actions, a school's id (as text) for that school's; the caller has checked that the user
    sees it. `status` keeps actions in that status; `overdue` only open actions whose due date
    has passed (before `today`, by default the local date); `mine` only those the user owns.
    """
    actions = actions_for_user(user, board)
    actions = filter_unit(actions, unit)
    if status:
        actions = actions.filter(status=status)
    if overdue:
        actions = actions.filter(status__in=OPEN_STATES, due_on__lt=today or timezone.localdate())
    if mine:
        actions = actions.filter(owner=user)
    return actions.select_related("school", "owner").prefetch_related(
        Prefetch("standards", queryset=Standard.objects.order_by("position"))
    )
