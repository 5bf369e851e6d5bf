"""Response and request shapes of the support-programme part of the JSON API.

A programme's side (its people: office, advisors, researchers) reads programmes, their analytics
and the trajectory records; a board's side reads the board's own trajectories. The records are
the programme's; none of these shapes carries a board's quality data.
"""

import datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field


class ProgrammeOut(Schema):
    slug: str
    name: str
    organiser: str
    sector: str
    # The user's roles on the programme: office, advisor, researcher.
    roles: list[str]


class CohortRefOut(Schema):
    id: int
    name: str


class BoardRefOut(Schema):
    id: int
    name: str


class AnalyticsOut(Schema):
    """The programme's figures as the research report prints them, with every category of
    fewer than `threshold` cases suppressed (shown as "< 3")."""

    programme: str
    cohort: CohortRefOut | None
    threshold: int
    figures: dict[str, Any]


class TrajectoryOut(Schema):
    id: int
    label: str
    cohort: CohortRefOut
    # Null for a case imported from a programme's records of a past cohort.
    board: BoardRefOut | None
    single_school_board: bool
    advisor: str
    phase: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    imported: bool


class LogOut(Schema):
    id: int
    on: datetime.date
    intervention_id: int
    intervention: str
    with_whom: str
    note: str


class RecontractOut(Schema):
    on: datetime.date
    previous_question: str
    question: str
    reason: str


class TriangleOut(Schema):
    number: int
    held_on: datetime.date
    report: list[dict[str, str]]


class ConsentOut(Schema):
    """Whether the board lets the advisor read its Stelsel data now."""

    standing: bool
    granted_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None


class TrajectoryDetailOut(TrajectoryOut):
    question: str
    intake_on: datetime.date | None
    intake_notes: str
    commitment: str
    needs: list[str]
    # The four quadrants' points, null until the advisor has divided them.
    attention: dict[str, int] | None
    insights: str
    end_evaluation: str
    log: list[LogOut]
    recontracts: list[RecontractOut]
    triangle_conversations: list[TriangleOut]
    consent: ConsentOut


class ProgrammeRefOut(Schema):
    slug: str
    name: str


class BoardTrajectoryOut(Schema):
    """A trajectory of the board, as the board sees it."""

    id: int
    programme: ProgrammeRefOut
    cohort: CohortRefOut
    label: str
    advisor: str
    phase: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    consent: ConsentOut


class LogIn(Schema):
    """An intervention from the programme's catalogue, on a day inside the trajectory."""

    model_config = ConfigDict(extra="forbid")

    intervention_id: int = Field(gt=0)
    on: datetime.date
    with_whom: str = Field("", max_length=200)
    note: str = Field("", max_length=4000)
