"""Matrix entries: own indicators, their measurements, a school's own figures, the picture's
indicator edit page, and the API of data and early warning.

Indicators are board-wide: everyone on the board reads a measured one. Measurements belong to
a unit: school roles get 404 for another school's. Entering figures is for the board office
and the school leader (ENTER_DATA); staff and the readers get 403. The own-figures steps after
the upload redirect to the upload when nothing was uploaded, which is what the matrix sees.
"""

import json

from stelsel.insight.models import ColumnMapping, Measurement
from stelsel.organisations.roles import Role
from stelsel.picture.models import Indicator
from tests.test_permission_matrix import (
    ALL,
    BOARD_OFFICE,
    Route,
    _scoped_school,
    _target_board,
    api_board_kwargs,
    board_kwargs,
    indicator_kwargs,
)

ENTER = {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER, Role.SCHOOL_LEADER}


def _measured_indicator(board, scope) -> Indicator:
    indicator, _created = Indicator.objects.get_or_create(
        board=board,
        code=f"VERZ-{scope}",
        defaults={"perspective": "ambitions", "title": "Verzuim", "unit": "%", "norm": 5},
    )
    return indicator


def measured_indicator_kwargs(world, scope):
    board = _target_board(world, scope)
    return {"board_id": board.pk, "indicator_id": _measured_indicator(board, scope).pk}


def measurement_kwargs(world, scope):
    school = _scoped_school(world, scope)
    measurement = Measurement.objects.create(
        board=school.board,
        indicator=_measured_indicator(school.board, scope),
        school=school,
        measured_on="2025-10-01",
        value="4.5",
    )
    return {"board_id": school.board_id, "measurement_id": measurement.pk}


def column_mapping_kwargs(world, scope):
    board = _target_board(world, scope)
    mapping = ColumnMapping.objects.create(board=board, name=f"Export {scope}", columns={})
    return {"board_id": board.pk, "mapping_id": mapping.pk}


def measurement_change_body(world) -> str:
    return json.dumps({"value": "5,5"})


ROUTES = {
    "insight:indicators": Route(board_kwargs, ALL),
    "insight:indicator": Route(measured_indicator_kwargs, ALL),
    "insight:measurement_add": Route(measured_indicator_kwargs, ENTER),
    "insight:measurement_edit": Route(measurement_kwargs, ENTER, school_scoped=True),
    "insight:measurement_remove": Route(measurement_kwargs, ENTER, school_scoped=True),
    "insight:own_figures": Route(board_kwargs, ENTER),
    "insight:own_figures_mapping": Route(board_kwargs, ENTER, ok=302),
    "insight:own_figures_preview": Route(board_kwargs, ENTER, ok=302),
    "insight:own_figures_confirm": Route(board_kwargs, ENTER, method="post", ok=302),
    "insight:column_mapping_delete": Route(column_mapping_kwargs, ENTER, method="post", ok=302),
    # The picture's page to set an indicator's unit, direction, norm and target.
    "picture:indicator_edit": Route(indicator_kwargs, BOARD_OFFICE),
    # api: data and early warning
    "api:indicators": Route(api_board_kwargs, ALL, anonymous=401),
    "api:measurements": Route(api_board_kwargs, ALL, anonymous=401),
    "api:measurement": Route(measurement_kwargs, ALL, school_scoped=True, anonymous=401),
    # The matrix posts a form, not JSON: the body is read only after the access checks, so
    # those who enter figures get as far as 400 and everyone else their 403.
    "api:measurement_create": Route(api_board_kwargs, ENTER, method="post", ok=400, anonymous=401),
    "api:measurement_update": Route(
        measurement_kwargs,
        ENTER,
        method="patch",
        school_scoped=True,
        anonymous=401,
        data=measurement_change_body,
    ),
    "api:measurement_delete": Route(
        measurement_kwargs, ENTER, method="delete", ok=204, school_scoped=True, anonymous=401
    ),
    "api:signals": Route(api_board_kwargs, ALL, anonymous=401),
    "api:results": Route(api_board_kwargs, ALL, anonymous=401),
}
