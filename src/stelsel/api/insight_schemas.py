"""Response and request shapes of the data and early-warning part of the JSON API.

A *unit* is a school (`school_id` set) or the board itself (`school_id` null). Values are
answered as JSON numbers; in a request a value may also be text as people type it ("7,5"),
which the measurement service reads and, when it is not a number, explains.
"""

import datetime

from ninja import Schema
from pydantic import ConfigDict

from stelsel.api.planning_schemas import Id, NumberIn


class RecentValueOut(Schema):
    measurement_id: int
    measured_on: datetime.date
    value: float


class UnitValuesOut(Schema):
    """One unit of an indicator: its last values (oldest first), the latest one's standing
    against the indicator's norm and target, and the direction of the last values."""

    school_id: int | None
    school_name: str
    recent: list[RecentValueOut]
    standing: str | None
    trend: str | None


class OwnIndicatorOut(Schema):
    id: int
    code: str
    title: str
    description: str
    perspective: str
    level: str
    unit: str
    direction: str
    norm: float | None
    target: float | None
    active: bool
    units: list[UnitValuesOut]


class MeasurementOut(Schema):
    id: int
    indicator_id: int
    indicator_code: str
    school_id: int | None
    school_name: str | None
    measured_on: datetime.date
    value: float
    unit: str
    standing: str | None
    source: str
    updated_at: datetime.datetime


class MeasurementIn(Schema):
    """A new value of a measured own indicator for a school (`school_id`), or for the board
    itself (`school_id` null) where the indicator applies to the board. `measured_on` is the
    reference date: not in the future, not before 2000. `value` has at most two decimals; a
    percentage lies between 0 and 100."""

    model_config = ConfigDict(extra="forbid")

    indicator_id: Id
    school_id: Id | None = None
    measured_on: datetime.date
    value: NumberIn
    source: str = ""


class MeasurementChangeIn(Schema):
    """A correction of a value: fields left out stay as they are. The indicator and the unit
    stay; to move a value, remove it and add it where it belongs."""

    model_config = ConfigDict(extra="forbid")

    measured_on: datetime.date | None = None
    value: NumberIn | None = None
    source: str | None = None


class SignalOut(Schema):
    """An open early warning: `sentence` says it in one sentence with its figures (in the
    request's language); `figures` holds the figures it rests on."""

    id: int
    kind: str
    indicator: str
    severity: int
    school_id: int | None
    school_name: str | None
    sentence: str
    figures: dict
    first_seen: datetime.datetime


class ResultOut(Schema):
    """A primary school's outcome per inspectorate school (OVT) and indicator, the record of
    `python -m stelsel signals --json`."""

    ovt: str
    indicator: str
    period: str
    percentage: float | None
    pupils: int | None
    schoolweging: float | None
    norm: float | None
    outcome: str
    published_outcome: str | None
    source: str
    board: int | None
    school: int | None
