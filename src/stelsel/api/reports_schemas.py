"""Response and request shapes of the quality-reports part of the JSON API.

A report is about a unit: a school (`unit.school_id` set) or the board (`unit.school_id` null,
also for a report about a selection of schools, listed in `selection_ids`). Its versions are
numbered from 1; an issued version never changes, and its `snapshot` is exactly the document
its `content_hash` (SHA-256 over the canonical JSON: sorted keys, no spaces, UTF-8) was taken
over, so anyone can check it.
"""

import datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from stelsel.api.picture_schemas import UnitOut


class OpenVersionOut(Schema):
    """The version being worked on: `draft` or `review`."""

    number: int
    state: str


class ReportOut(Schema):
    id: int
    title: str
    unit: UnitOut
    selection_ids: list[int]
    template: str
    period_start: datetime.date
    period_end: datetime.date
    created_at: datetime.datetime
    issued_versions: int
    latest_issued: int | None
    latest_issued_at: datetime.datetime | None
    # Only for those who compose the report; null for readers of issued versions.
    open_version: OpenVersionOut | None


class VersionOut(Schema):
    number: int
    state: str
    revision: int
    correction_reason: str
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    issued_at: datetime.datetime | None
    issued_by: str
    content_hash: str | None


class ReportDetailOut(ReportOut):
    """A report with the versions the user reads: every version for those who compose it,
    the issued ones for everyone else."""

    versions: list[VersionOut]


class SectionOut(Schema):
    """One section as the version says it. `text` is the Markdown as it was written (the pages
    render it with raw HTML escaped); `block` holds a data block's tables, notes and source as
    they stood (issued) or stand now (draft), null for a text section. Send `revision` back to
    change a section of a draft."""

    id: int | None
    position: int
    kind: str
    title: str
    text: str
    block_key: str
    block: dict[str, Any] | None
    revision: int | None
    open_comments: int


class VersionDetailOut(VersionOut):
    report_id: int
    title: str
    unit: str
    schools: list[str]
    template: str
    period_start: datetime.date
    period_end: datetime.date
    made_at: datetime.date
    language: str
    sections: list[SectionOut]
    # Issued versions only: the stored document, exactly as hashed.
    snapshot: dict[str, Any] | None


class SectionChangeIn(Schema):
    """A change to a section of a draft or a version in review, based on `revision`. Fields
    left out stay as they are. `text` is Markdown of at most 20,000 characters; raw HTML in it
    is kept as typed and shown escaped."""

    model_config = ConfigDict(extra="forbid")

    revision: int = Field(ge=1)
    title: str | None = None
    text: str | None = None


class CommentOut(Schema):
    id: int
    section_id: int
    author: str
    text: str
    created_at: datetime.datetime
    resolved_at: datetime.datetime | None
    resolved_by: str


class CommentIn(Schema):
    """A review comment on a section of a version not yet issued: at most 4,000 characters."""

    model_config = ConfigDict(extra="forbid")

    text: str


class ReportFileOut(Schema):
    """A file made from an issued version: `state` is queued, running, done or failed;
    `download_url` is set once it is done; `page_url` is the file's page in Stelsel."""

    format: str
    state: str
    progress: int
    requested_at: datetime.datetime
    finished_at: datetime.datetime | None
    size: int | None
    download_url: str | None
    page_url: str
