"""Response shapes of the JSON API."""

import datetime

from ninja import Schema


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
