"""Results, OVTs, measurements, signals and imports are reached only through here, on top of
the core in `organisations.access`: another board's rows, and rows of units the user does not
see, answer 404 like ids that do not exist."""

from stelsel.insight.models import ColumnMapping, DataImport, Measurement, Signal, board_ovts
from stelsel.organisations.access import (
    one,
    require,
    require_unit,
    schools_for_user,
    unit_object,
    unit_objects,
    units_q,
)
from stelsel.organisations.models import Board
from stelsel.organisations.roles import Permission
from stelsel.picture.models import Indicator


def ovts_for_user(user, board: Board):
    """The inspectorate's schools of the board: those it is named for (BGNR) or linked to.
    School roles see the OVTs confirmed as their school's."""
    require(user, board, Permission.VIEW_DATA)
    ovts = board_ovts(board)
    units = units_q(user, board)
    if units:
        ovts = ovts.filter(school__in=schools_for_user(user, board))
    return ovts


def get_ovt_for_user(user, board: Board, ovt_id, *, write: bool = False):
    """An OVT of the board (else 404); `write` (linking it, entering its results) needs
    ENTER_DATA on its school, or MANAGE_DATA on the board for an unlinked one (else 403)."""
    ovt = one(ovts_for_user(user, board).select_related("school"), ovt_id)
    if write:
        if ovt.school_id:
            require_unit(user, board, Permission.ENTER_DATA, ovt.school)
        else:
            require(user, board, Permission.MANAGE_DATA)
    return ovt


def signals_for_user(user, board: Board):
    """The board's signals in the units the user sees (the board's own for board roles)."""
    return unit_objects(Signal, user, board, Permission.VIEW_DATA)


def get_signal_for_user(user, board: Board, signal_id):
    return unit_object(Signal, user, board, signal_id, None, view=Permission.VIEW_DATA)


def measurements_for_user(user, board: Board):
    return unit_objects(Measurement, user, board, Permission.VIEW_DATA)


def get_measurement_for_user(user, board: Board, measurement_id, *, write: bool = False):
    return unit_object(
        Measurement,
        user,
        board,
        measurement_id,
        Permission.ENTER_DATA if write else None,
        related=("school", "indicator"),
        view=Permission.VIEW_DATA,
    )


def measured_indicators_for_user(user, board: Board):
    """The board's own indicators that take measurements (they have a unit), retired ones too,
    so their values stay readable. Indicators are board-wide: everyone who sees data reads
    them; which values they see is `measurements_for_user`'s to say."""
    require(user, board, Permission.VIEW_DATA)
    return Indicator.objects.filter(board=board).exclude(unit="")


def get_measured_indicator_for_user(user, board: Board, indicator_id):
    return one(measured_indicators_for_user(user, board), indicator_id)


def data_imports_for_user(user, board: Board):
    require(user, board, Permission.MANAGE_DATA)
    return DataImport.objects.filter(board=board)


def column_mappings_for_user(user, board: Board):
    require(user, board, Permission.ENTER_DATA)
    return ColumnMapping.objects.filter(board=board)


def get_column_mapping_for_user(user, board: Board, mapping_id):
    return one(column_mappings_for_user(user, board), mapping_id)
