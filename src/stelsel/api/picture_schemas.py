"""Response and request shapes of the quality-picture part of the JSON API.

A *unit* is a school (`school_id` set) or the board itself (`school_id` null). Evidence is
described by its metadata only: file contents are never part of an API answer.
"""

import datetime

from ninja import Schema
from pydantic import ConfigDict, Field


class UnitOut(Schema):
    school_id: int | None
    school_name: str | None


class FrameworkVersionRefOut(Schema):
    id: int
    slug: str
    version: int
    name: str


class StatusCountsOut(Schema):
    in_order: int
    not_in_order: int
    not_judged: int
    total: int


class PerspectiveSummaryOut(Schema):
    """How many entries of one perspective are in order, not in order and not yet judged (a
    neutral level such as "not yet judged" counts as not judged): the figure every page shows.
    `framework` counts the framework's standards and `own` the board's own indicators; the
    totals are their sum. The board's own requirements count in *Eisen* ("requirements"), as
    requirements a school must meet; the other perspectives hold own indicators only."""

    perspective: str
    label: str
    in_order: int
    not_in_order: int
    not_judged: int
    total: int
    framework: StatusCountsOut
    own: StatusCountsOut


class PictureOut(Schema):
    id: int
    unit: UnitOut
    framework_version: FrameworkVersionRefOut
    period: str
    state: str
    started_on: datetime.date
    summary: list[PerspectiveSummaryOut]


class PictureEntryOut(Schema):
    """One line of a picture with counts of what stands behind it. `open_assignments` counts
    herstelopdrachten without a sufficient follow-up (those recorded against standards the
    current standard was mapped from included)."""

    id: int
    code: str
    title: str
    perspective: str
    area: str
    standard_id: int | None
    indicator_id: int | None
    status_code: str
    status_label: str
    status_tone: str | None
    judged_at: datetime.datetime | None
    judged_by: str
    requirements_met: int
    requirements_total: int
    evidence: int
    evidence_expired: int
    open_actions: int
    open_assignments: int


class PictureDetailOut(PictureOut):
    as_of: datetime.date | None
    entries: list[PictureEntryOut]


class ScaleLevelRefOut(Schema):
    code: str
    label: str
    tone: str


class RequirementMetOut(Schema):
    id: int
    code: str
    text: str
    met: bool


class EntryDetailOut(Schema):
    """One entry. Send `revision` back with a change: a save by someone else in between
    answers 409. `scale` lists the status codes this entry accepts."""

    id: int
    picture_id: int
    unit: UnitOut
    code: str
    title: str
    perspective: str
    standard_id: int | None
    indicator_id: int | None
    status_code: str
    status_label: str
    scale: list[ScaleLevelRefOut]
    judged_at: datetime.datetime | None
    judged_by: str
    revision: int
    updated_at: datetime.datetime
    ambitions: str
    visible: str
    secured: str
    accounted: str
    requirements: list[RequirementMetOut]
    evidence_ids: list[int]
    action_ids: list[int]
    assignment_ids: list[int]
    may_judge: bool
    may_contribute: bool


class EntryChangeIn(Schema):
    """A change to one entry. `revision` is the one the change was based on. Fields left out
    stay as they are; `status` and `requirements_met` need the right to judge the unit, the
    four substantiation texts the right to contribute to its picture."""

    model_config = ConfigDict(extra="forbid")

    revision: int = Field(ge=1)
    status: str | None = Field(default=None, max_length=40)
    requirements_met: list[int] | None = Field(default=None, max_length=200)
    ambitions: str | None = None
    visible: str | None = None
    secured: str | None = None
    accounted: str | None = None


class FieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class StandardRefOut(Schema):
    id: int
    code: str


class RequirementRefOut(Schema):
    id: int
    code: str


class IndicatorRefOut(Schema):
    id: int
    code: str


class EvidenceFileOut(Schema):
    version: int
    name: str
    size: int
    content_type: str
    sha256: str
    uploaded_at: datetime.datetime


class EvidenceOut(Schema):
    """A document, link or self-evaluation result. `url` is set for links, `round_id` for
    results, `latest_file` for documents."""

    id: int
    unit: UnitOut
    kind: str
    title: str
    description: str
    url: str
    round_id: int | None
    effective_on: datetime.date
    expires_on: datetime.date | None
    expired: bool
    standards: list[StandardRefOut]
    indicators: list[IndicatorRefOut]
    latest_file: EvidenceFileOut | None


class EvidenceDetailOut(EvidenceOut):
    files: list[EvidenceFileOut]


class ActionOut(Schema):
    """An action; `goal_id` is the goal of a plan it hangs under, if any. `revision` is sent
    back with a change."""

    id: int
    unit: UnitOut
    title: str
    description: str
    owner_id: int | None
    owner: str
    starts_on: datetime.date | None
    due_on: datetime.date | None
    status: str
    progress: int
    overdue: bool
    standard_ids: list[int]
    requirement_ids: list[int]
    indicator_ids: list[int]
    assignment_ids: list[int]
    visit_id: int | None
    goal_id: int | None
    revision: int


class CoverageOut(Schema):
    """How the opdracht is covered by actions. `covered` is true when at least one action that
    is not cancelled works on it (the coverage view and the plan coach mean the same); `state`
    is one of overdue, uncovered, stalled, covered, done, resolved, the most urgent only, so an
    overdue opdracht without actions has state overdue, covered false and flags overdue and
    uncovered; `flags` all that need attention; `progress` the mean progress of the covering
    actions (done counts 100, cancelled ones are not counted)."""

    state: str
    covered: bool
    flags: list[str]
    progress: int | None
    actions: int
    done: int
    covering_action_ids: list[int]


class AssignmentOut(Schema):
    id: int
    kind: str
    unit: UnitOut
    standard: StandardRefOut
    requirement: RequirementRefOut | None
    text: str
    deadline: datetime.date
    visit_id: int | None
    follow_up_on: datetime.date | None
    follow_up_outcome: str
    coverage: CoverageOut
