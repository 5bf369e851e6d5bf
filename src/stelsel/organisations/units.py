"""Choosing a unit (a school, or the board itself) in pages: the query value that names it,
the units a user may act in, and the unit a value names, checked through the access module."""

from django.utils.translation import gettext as _

from stelsel.organisations.access import (
    get_school_for_user,
    has_unit_permission,
    require_unit,
    schools_for_user,
)
from stelsel.organisations.models import Board, School

BOARD_UNIT = "bestuur"  # the `school` query value that stands for the board itself


def board_label(board: Board) -> str:
    return _("%(board)s (the board itself)") % {"board": board.name}


def unit_value(school: School | None) -> str:
    return BOARD_UNIT if school is None else str(school.pk)


def unit_name(board: Board, school: School | None) -> str:
    """The name a page shows for a unit: the school's, or the board's for the board itself.
    (In a list to choose from, the board is named with `board_label`, which says so.)"""
    return school.name if school else board.name


def units_with(user, board: Board, permission: str) -> list[tuple[str, str]]:
    """The units where the user has `permission`, as (query value, name); memberships are
    cached, so the check per school costs no query."""
    units = []
    if has_unit_permission(user, board, permission, None):
        units.append((BOARD_UNIT, board_label(board)))
    for school in schools_for_user(user, board).order_by("name"):
        if has_unit_permission(user, board, permission, school):
            units.append((str(school.pk), school.name))
    return units


def unit_from_value(user, board: Board, value: str, permission: str) -> School | None:
    """The unit named by a query value, checked for `permission` (404 or 403 otherwise)."""
    if value == BOARD_UNIT:
        require_unit(user, board, permission, None)
        return None
    return get_school_for_user(user, board, value, permission=permission)
