"""Response shapes of the JSON API."""

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints


class MembershipOut(Schema):
    board_id: int
    board_name: str
    school_id: int | None
    school_name: str | None
    role: str


class MeOut(Schema):
    id: int
    email: str
    name: str
    memberships: list[MembershipOut]


class BoardOut(Schema):
    id: int
    name: str
    number: str
    sector: str
    is_single_school: bool
    school_count: int


class SchoolOut(Schema):
    id: int
    board_id: int
    name: str
    instellingscode: str
    vestigingscode: str
    kind: str
    municipality: str
    city: str
    denomination: str


class FrameworkVersionOut(Schema):
    id: str
    version: int
    name: str
    sector: str
    level: str
    valid_from: datetime.date
    source: str


class ScaleLevelOut(Schema):
    code: str
    label: str
    tone: str


class ScaleOut(Schema):
    code: str
    name: str
    levels: list[ScaleLevelOut]


class RequirementOut(Schema):
    code: str
    text: str


class StandardOut(Schema):
    code: str
    name: str
    area: str
    scale: str
    gist: str
    guidance: str
    typical_evidence: list[str]
    requirements: list[RequirementOut]


class AreaOut(Schema):
    code: str
    name: str


class FrameworkVersionDetailOut(FrameworkVersionOut):
    description: str
    default_scale: str
    scales: list[ScaleOut]
    areas: list[AreaOut]
    standards: list[StandardOut]


class ConflictOut(Schema):
    """409: someone else saved after `revision` was read by the caller; `revision` is the one
    stored now. Nothing was changed."""

    detail: str
    revision: int


class ErrorOut(Schema):
    detail: str


# Self-evaluation


class QuestionnaireRefOut(Schema):
    id: int
    slug: str
    version: int
    name: str


class RoundOut(Schema):
    id: int
    title: str
    school_id: int | None
    questionnaire: QuestionnaireRefOut
    state: str
    opens_on: datetime.date
    closes_on: datetime.date
    k: int
    k_text: int


class RoundPerspectiveOut(Schema):
    id: int
    code: str
    name: str


class ResponseRateOut(Schema):
    """The one count of a round: respondents in the groups that are shown (while open: that a
    close would show now; groups below k are never counted, so no count sizes a small group),
    null for a draft; and the number of personal invitations."""

    responses: int | None
    invited: int


class RoundDetailOut(RoundOut):
    perspectives: list[RoundPerspectiveOut]
    response_rate: ResponseRateOut
    results_available: bool


class RespondentInvitationOut(Schema):
    id: int
    perspective_id: int
    email: str
    sent_at: datetime.datetime | None


# An address must fit the column (254); Django's validator alone lets up to 320 through.
EmailIn = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)]


class InvitationsIn(Schema):
    perspective_id: int
    emails: list[EmailIn] = Field(min_length=1, max_length=1000)


class InvitationsAddedOut(Schema):
    added: int


class CellOut(Schema):
    """One figure. `n`, `mean`, `distribution` (counts per scale value, low to high) and
    `dont_know_share` are null unless `state` is "published"; "suppressed" means fewer than k
    answers other than "don't know" (none included)."""

    state: str
    n: int | None = None
    mean: float | None = None
    distribution: list[int] | None = None
    dont_know_share: float | None = None


class PerspectiveCellOut(CellOut):
    perspective_id: int


class TotalCellOut(CellOut):
    """The total of the groups shown in this row, named in `perspective_ids`; `complete` is
    true when that is every group of the round. A group not shown is in no total."""

    perspective_ids: list[int] = []
    complete: bool = False


class GapOut(Schema):
    """The self-view's mean minus another perspective's, when larger than a third of the
    scale: "blind_spot" (self-view above) or "hidden_strength" (below)."""

    perspective_id: int
    difference: float
    kind: str


class ItemResultOut(Schema):
    code: str
    text: str
    cells: list[PerspectiveCellOut]
    total: TotalCellOut
    gaps: list[GapOut]


class CommentsOut(Schema):
    perspective_id: int
    texts: list[str]


class SectionResultOut(Schema):
    standard_code: str
    standard_name: str
    cells: list[PerspectiveCellOut]
    total: TotalCellOut
    items: list[ItemResultOut]
    comments: list[CommentsOut]


class ResultPerspectiveOut(RoundPerspectiveOut):
    """`late_answers_counted`: for a reopened round, whether this group's figures count the
    answers given after the reopening (null when the round was not reopened)."""

    late_answers_counted: bool | None = None


class ScalePointOut(Schema):
    value: int
    label: str


class ResultsOut(Schema):
    round_id: int
    k: int
    scale: list[ScalePointOut]
    dont_know_label: str
    perspectives: list[ResultPerspectiveOut]
    self_perspective_id: int | None
    sections: list[SectionResultOut]
