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
    """The overall figures: all responses (personal links and meeting codes together), the
    personal invitations and how many of those were used."""

    responses: int | None
    invited: int
    invited_answered: int | None


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
    `dont_know_share` are null unless `state` is "published": "suppressed" means too few
    answers, "protected" hidden so that a smaller group cannot be worked out, "empty" no
    answers."""

    state: str
    n: int | None = None
    mean: float | None = None
    distribution: list[int] | None = None
    dont_know_share: float | None = None


class PerspectiveCellOut(CellOut):
    perspective_id: int


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
    total: CellOut
    gaps: list[GapOut]


class SectionResultOut(Schema):
    standard_code: str
    standard_name: str
    cells: list[PerspectiveCellOut]
    total: CellOut
    items: list[ItemResultOut]


class ScalePointOut(Schema):
    value: int
    label: str


class ResultsOut(Schema):
    round_id: int
    k: int
    scale: list[ScalePointOut]
    dont_know_label: str
    perspectives: list[RoundPerspectiveOut]
    self_perspective_id: int | None
    sections: list[SectionResultOut]
