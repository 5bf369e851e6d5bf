"""API routes for data and early warning: the board's measured own indicators, their
measurements (readable and writable), the open signals and the primary results.

Everything is reached through `insight.access`: another board's ids, and values of a unit the
user does not see, answer 404; a value seen but not to be changed answers 403. Writes go
through the measurement services, so the API refuses exactly what the pages refuse, with the
same messages: 422 with `{"detail", "errors"}` keyed by the body's fields. The figures are the
ones the pages show: the indicators' standing from `own_indicators`, the results from
`outcomes.po_outcomes` in the record of `signals --json`.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from stelsel.api import bodies
from stelsel.api.insight_schemas import (
    MeasurementChangeIn,
    MeasurementIn,
    MeasurementOut,
    OwnIndicatorOut,
    RecentValueOut,
    ResultOut,
    SignalOut,
    UnitValuesOut,
)
from stelsel.api.picture import board_for
from stelsel.api.schemas import ErrorOut
from stelsel.insight.access import (
    get_measured_indicator_for_user,
    get_measurement_for_user,
    measured_indicators_for_user,
    measurements_for_user,
    signals_for_user,
)
from stelsel.insight.measurements import (
    measurement_create,
    measurement_delete,
    measurement_update,
)
from stelsel.insight.outcomes import po_outcomes
from stelsel.insight.own_indicators import indicator_overview, standing, trend
from stelsel.insight.signals import outcome_record, signal_sentence
from stelsel.organisations.access import (
    get_school_for_user,
    has_permission,
    has_unit_permission,
    require,
    schools_for_user,
)
from stelsel.organisations.roles import Permission

router = Router(tags=["data and early warning"])

BOARD = "/boards/{board_id}"
MEASUREMENT = BOARD + "/measurements/{measurement_id}"
ERROR_FIELDS = {"indicator": "indicator_id", "school": "school_id"}


def _float(value) -> float | None:
    return None if value is None else float(value)


# --- Indicators ----------------------------------------------------------------------------


@router.get(
    BOARD + "/indicators",
    response={200: list[OwnIndicatorOut], 404: ErrorOut},
    summary="The board's measured own indicators with the latest values per unit",
    url_name="indicators",
)
def indicators(request, board_id: int):
    """The own indicators in use that have a unit of measurement, each with the units the user
    sees: the last three values (oldest first), how the latest stands against the board's own
    norm and target (`worse_than_norm`, `short_of_target`, `target_reached`, `meets_norm`, or
    null without either) and the direction of the last values (`improving`, `worsening`,
    `level`, `mixed`). Four queries, whatever the size of the board."""
    board = board_for(request, board_id)
    out = []
    for block in indicator_overview(request.auth, board).blocks:
        i = block.indicator
        out.append(
            OwnIndicatorOut(
                id=i.pk,
                code=i.code,
                title=i.title,
                description=i.description,
                perspective=i.perspective,
                level=i.level,
                unit=i.unit,
                direction=i.direction,
                norm=_float(i.norm),
                target=_float(i.target),
                active=i.active,
                units=[
                    UnitValuesOut(
                        school_id=row.school.pk if row.school else None,
                        school_name=row.name,
                        recent=[
                            RecentValueOut(
                                measurement_id=m.pk, measured_on=m.measured_on, value=m.value
                            )
                            for m in row.recent
                        ],
                        standing=block.standing_of(row),
                        trend=trend(i, [m.value for m in row.recent]),
                    )
                    for row in block.rows
                ],
            )
        )
    return out


# --- Measurements --------------------------------------------------------------------------


def _measurement_out(m) -> MeasurementOut:
    """A value; its indicator and school must have been selected with it."""
    return MeasurementOut(
        id=m.pk,
        indicator_id=m.indicator_id,
        indicator_code=m.indicator.code,
        school_id=m.school_id,
        school_name=m.school.name if m.school_id else None,
        measured_on=m.measured_on,
        value=float(m.value),
        unit=m.indicator.unit,
        standing=standing(m.indicator, m.value),
        source=m.source,
        updated_at=m.updated_at,
    )


@router.get(
    BOARD + "/measurements",
    response={200: list[MeasurementOut], 404: ErrorOut, 422: ErrorOut},
    summary="Values of the own indicators in the units the user sees",
    url_name="measurements",
)
def measurements(
    request,
    board_id: int,
    indicator_id: int | None = None,
    school_id: int | None = None,
    board_itself: bool = False,
    since: str | None = None,
    until: str | None = None,
):
    """Filter with `indicator_id` (a measured own indicator of the board, else 404),
    `school_id` (a school the user sees, else 404) or `board_itself=true` (the board's own
    values), and the reference dates `since` and `until` (YYYY-MM-DD, both included). Ordered
    by indicator, unit and date."""
    user = request.auth
    board = board_for(request, board_id)
    found = measurements_for_user(user, board)
    if indicator_id is not None:
        found = found.filter(indicator=get_measured_indicator_for_user(user, board, indicator_id))
    if school_id is not None:
        school = get_school_for_user(user, board, school_id, permission=Permission.VIEW_DATA)
        found = found.filter(school=school)
    elif board_itself:
        found = found.filter(school__isnull=True)
    if (day := bodies.query_day("since", since)) is not None:
        found = found.filter(measured_on__gte=day)
    if (day := bodies.query_day("until", until)) is not None:
        found = found.filter(measured_on__lte=day)
    found = found.select_related("indicator", "school").order_by(
        "indicator__code", "school__name", "measured_on", "pk"
    )
    return [_measurement_out(m) for m in found]


@router.get(
    MEASUREMENT,
    response={200: MeasurementOut, 404: ErrorOut},
    summary="One value of an own indicator",
    url_name="measurement",
)
def measurement(request, board_id: int, measurement_id: int):
    board = board_for(request, board_id)
    return _measurement_out(get_measurement_for_user(request.auth, board, measurement_id))


MEASUREMENT_EXAMPLE = (
    '{"indicator_id": 1, "school_id": 2, "measured_on": "2025-10-01", "value": 4.5, "source": "…"}'
)


@router.post(
    BOARD + "/measurements",
    response={201: MeasurementOut, **bodies.WRITE_ERRORS},
    summary="Enter a value of an own indicator",
    url_name="measurement_create",
    openapi_extra=bodies.body_schema(MeasurementIn),
)
def measurement_add(request, board_id: int):
    """Needs the right to enter figures for the unit: the board office everywhere, a school
    leader for their school (else 403). Refused with 422 and a message on the field: an
    indicator without a unit or retired, a unit the indicator does not apply to, a reference
    date in the future or before 2000, a value that is not a number, has more than two
    decimals or is a percentage outside 0-100, and a second value for the same indicator,
    unit and date (change that one instead). The body is read after the access checks."""
    user = request.auth
    board = board_for(request, board_id)
    if not has_permission(user, board, Permission.ENTER_DATA):
        raise HttpError(403, _("You may not enter figures."))
    data = bodies.read_body(request, MeasurementIn, MEASUREMENT_EXAMPLE)
    errors: dict[str, list[str]] = {}
    indicator = bodies.one(
        measured_indicators_for_user(user, board),
        data.indicator_id,
        "indicator_id",
        _("This board has no measured own indicator with this id."),
        errors,
    )
    school = bodies.unit_school(user, board, data.school_id, errors)
    if errors:
        return bodies.invalid(errors)
    if not has_unit_permission(user, board, Permission.ENTER_DATA, school):
        raise HttpError(403, _("You may not enter figures for this unit."))
    try:
        created = measurement_create(
            board=board,
            indicator=indicator,
            school=school,
            measured_on=data.measured_on,
            value=data.value,
            source=data.source,
            user=user,
        )
    except ValidationError as exc:
        return bodies.service_errors(exc, ERROR_FIELDS)
    return Status(201, _measurement_out(created))


@router.patch(
    MEASUREMENT,
    response={200: MeasurementOut, **bodies.WRITE_ERRORS},
    summary="Correct a value of an own indicator",
    url_name="measurement_update",
    openapi_extra=bodies.body_schema(MeasurementChangeIn),
)
def measurement_change(request, board_id: int, measurement_id: int):
    """Fields left out stay as they are. Refused with 422 as a new value is. Needs the right
    to enter figures for the value's unit (else 403); the body is read after the access
    checks."""
    user = request.auth
    board = board_for(request, board_id)
    found = get_measurement_for_user(user, board, measurement_id, write=True)
    data = bodies.read_body(request, MeasurementChangeIn, '{"value": 4.5}')
    fields = data.model_fields_set
    if not fields:
        raise HttpError(422, _("Nothing to change: send measured_on, value or source."))
    values = {
        "measured_on": found.measured_on,
        "value": found.value,
        "source": found.source,
    }
    values |= {name: getattr(data, name) for name in fields}
    if values["source"] is None:
        values["source"] = ""
    try:
        changed = measurement_update(measurement=found, user=user, **values)
    except ValidationError as exc:
        return bodies.service_errors(exc, ERROR_FIELDS)
    return _measurement_out(changed)


@router.delete(
    MEASUREMENT,
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    summary="Remove a value of an own indicator",
    url_name="measurement_delete",
)
def measurement_remove(request, board_id: int, measurement_id: int):
    """Needs the right to enter figures for the value's unit (else 403). A signal that rested
    on the value closes."""
    board = board_for(request, board_id)
    found = get_measurement_for_user(request.auth, board, measurement_id, write=True)
    measurement_delete(measurement=found)
    return Status(204, None)


# --- Signals and results -------------------------------------------------------------------


@router.get(
    BOARD + "/signals",
    response={200: list[SignalOut], 404: ErrorOut},
    summary="Open early warnings of the units the user sees",
    url_name="signals",
)
def signals(request, board_id: int):
    """The signals that hold now, the most serious first. `kind` is one of below_norm,
    near_norm, falling, band_change, coming_below, own_below, missing_data (and the VO
    kinds); `indicator` names the indicator (1F, 1S/2F, or an own indicator's code);
    `first_seen` is when Stelsel first saw it."""
    board = board_for(request, board_id)
    found = (
        signals_for_user(request.auth, board)
        .filter(resolved_at__isnull=True)
        .select_related("school")
        .order_by("-severity", "school__name", "kind", "pk")
    )
    return [
        SignalOut(
            id=s.pk,
            kind=s.kind,
            indicator=s.indicator,
            severity=s.severity,
            school_id=s.school_id,
            school_name=s.school.name if s.school_id else None,
            sentence=signal_sentence(s),
            figures=s.figures,
            first_seen=s.first_seen,
        )
        for s in found
    ]


@router.get(
    BOARD + "/results",
    response={200: list[ResultOut], 404: ErrorOut},
    summary="Primary results per inspectorate school and indicator, against the norms",
    url_name="results",
)
def results(request, board_id: int):
    """The official period's outcome of each of the board's inspectorate schools (OVT) and
    indicator (1F, 1S/2F), as Stelsel computes it: the record of `signals --json`. School
    roles see the OVTs confirmed as their school's."""
    user = request.auth
    board = board_for(request, board_id)
    require(user, board, Permission.VIEW_DATA)
    if has_unit_permission(user, board, Permission.VIEW_DATA, None):
        found = po_outcomes(board=board)
    else:
        found = po_outcomes(
            board=board, school_ids=list(schools_for_user(user, board).values_list("pk", flat=True))
        )
    return [ResultOut(**outcome_record(o)) for o in found]
