"""API routes for quality reports: the reports of a board, one report with its versions, one
version with its sections, changing a section's text, review comments, and the files made
from an issued version.

Everything is reached through `reports.access` and written through `reports.services`, so the
API refuses exactly what the pages refuse. Another board's ids, a report of a school the user
does not see, and a version a reader may not read (a draft, for a reader of issued versions)
answer 404; a report seen but not to be written answers 403. An issued version never changes:
writing to it answers 409 with the offer of a new version, like a stale revision answers 409
with the current one.
"""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from stelsel.api import bodies
from stelsel.api.picture import board_for, person_name, unit_out
from stelsel.api.reports_schemas import (
    CommentIn,
    CommentOut,
    OpenVersionOut,
    ReportDetailOut,
    ReportFileOut,
    ReportOut,
    SectionChangeIn,
    SectionOut,
    VersionDetailOut,
    VersionOut,
)
from stelsel.api.schemas import ConflictOut, ErrorOut
from stelsel.lib.revisions import EditConflict
from stelsel.reports import files as report_files
from stelsel.reports import outputs, selectors, services
from stelsel.reports.access import (
    get_report_for_user,
    get_section_for_user,
    get_version_for_user,
    may_write,
)
from stelsel.reports.models import ReportSection, SectionComment

router = Router(tags=["quality reports"])

BOARD = "/boards/{board_id}"
REPORT = BOARD + "/reports/{report_id}"
VERSION = REPORT + "/versions/{number}"
SECTION = VERSION + "/sections/{section_id}"


def issued_refusal() -> Status:
    return Status(
        409,
        ErrorOut(
            detail=_(
                "This version is issued and cannot change. Start a new version to correct or "
                "update it."
            )
        ),
    )


def _report_out(user, report) -> dict:
    """A row of `selectors.report_rows`: the version being worked on is shown only to those
    who compose the report (a reader of issued versions does not learn a draft exists)."""
    open_version = None
    if report.open_state and may_write(user, report):
        open_version = OpenVersionOut(number=report.open_number, state=report.open_state)
    return {
        "id": report.pk,
        "title": report.title,
        "unit": unit_out(report),
        "selection_ids": sorted(s.pk for s in report.selection.all()),
        "template": report.template.name,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "created_at": report.created_at,
        "issued_versions": report.issued_count,
        "latest_issued": report.latest_issued,
        "latest_issued_at": report.latest_issued_at,
        "open_version": open_version,
    }


def _version_out(version) -> dict:
    return {
        "number": version.number,
        "state": version.state,
        "revision": version.revision,
        "correction_reason": version.correction_reason,
        "created_at": version.created_at,
        "submitted_at": version.submitted_at,
        "issued_at": version.issued_at,
        "issued_by": person_name(version.issued_by),
        "content_hash": version.content_hash if version.is_issued else None,
    }


@router.get(
    BOARD + "/reports",
    response={200: list[ReportOut], 403: ErrorOut, 404: ErrorOut},
    summary="Quality reports of the board that the user may read",
    url_name="reports",
)
def reports(request, board_id: int):
    """Newest period first. Those who compose reports for a unit see all its reports, drafts
    included; the other readers (supervisory board, councils, advisors) see the reports that
    have an issued version; staff read no reports (403). Two queries besides signing in,
    whatever the number of reports."""
    user = request.auth
    board = board_for(request, board_id)
    rows = list(selectors.report_rows(user, board).prefetch_related("selection"))
    for row in rows:
        row.board = board  # the rights on each report's unit are read without a query
    return [ReportOut(**_report_out(user, r)) for r in rows]


def _report(request, board_id: int, report_id: int, *, write: bool = False):
    board = board_for(request, board_id)
    return get_report_for_user(request.auth, board, report_id, write=write)


@router.get(
    REPORT,
    response={200: ReportDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="One report with the versions the user reads",
    url_name="report",
)
def report(request, board_id: int, report_id: int):
    user = request.auth
    board = board_for(request, board_id)
    found = get_report_for_user(user, board, report_id)
    (row,) = selectors.report_rows(user, board).filter(pk=found.pk).prefetch_related("selection")
    row.board = board
    return ReportDetailOut(
        **_report_out(user, row),
        versions=[VersionOut(**_version_out(v)) for v in selectors.version_list(user, found)],
    )


def _sections_out(version, content: dict, *, with_comments: bool) -> list[SectionOut]:
    """The sections of the content joined to their rows by position, for their id and revision
    (the rows of an issued version no longer change)."""
    rows = {s.position: s for s in ReportSection.objects.filter(version=version)}
    open_comments: dict[int, int] = {}
    if with_comments:
        for section_id in SectionComment.objects.filter(
            section__version=version, resolved_at__isnull=True
        ).values_list("section_id", flat=True):
            open_comments[section_id] = open_comments.get(section_id, 0) + 1
    out = []
    for entry in content["sections"]:
        row = rows.get(entry["position"])
        block = entry.get("block")
        out.append(
            SectionOut(
                id=row.pk if row else None,
                position=entry["position"],
                kind=entry["kind"],
                title=entry["title"],
                text=entry.get("text", ""),
                block_key=row.block if row else (block or {}).get("kind", ""),
                block=block,
                revision=row.revision if row else None,
                open_comments=open_comments.get(row.pk, 0) if row else 0,
            )
        )
    return out


def _version_detail(user, report, version) -> VersionDetailOut:
    content = selectors.version_content(version)
    start, end = content["period"]
    return VersionDetailOut(
        **_version_out(version),
        report_id=report.pk,
        title=content["title"],
        unit=content["unit"],
        schools=content["schools"],
        template=content["template"],
        period_start=start,
        period_end=end,
        made_at=content["made_at"],
        language=content["language"],
        sections=_sections_out(version, content, with_comments=may_write(user, report)),
        snapshot=version.snapshot if version.is_issued else None,
    )


@router.get(
    VERSION,
    response={200: VersionDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="One version with its sections: as issued, or a draft as it stands now",
    url_name="report_version",
)
def version(request, board_id: int, report_id: int, number: int):
    """An issued version is read from its stored snapshot only, whatever has changed in the
    data since; `snapshot` is that document and `content_hash` its hash. A draft's data
    blocks are filled from the data as they stand now (`made_at` is today) and it has no
    hash. Readers of issued versions get 404 for a draft's number."""
    user = request.auth
    found = _report(request, board_id, report_id)
    ver = get_version_for_user(user, found, number)
    return _version_detail(user, found, ver)


@router.patch(
    SECTION,
    response={200: SectionOut, **bodies.WRITE_ERRORS, 409: ConflictOut | ErrorOut},
    summary="Change a section's title or text",
    url_name="report_section_update",
    openapi_extra=bodies.body_schema(SectionChangeIn),
)
def section_change(request, board_id: int, report_id: int, number: int, section_id: int):
    """Send the `revision` read with the section. If someone saved it since, nothing is changed
    and the answer is 409 with the section's current `revision`. An issued version answers
    409 too (start a new version to correct it). Needs the right to compose reports for the
    report's unit (else 403); the body is read after the access checks. A text of more than
    20,000 characters answers 422."""
    user = request.auth
    found = _report(request, board_id, report_id, write=True)
    ver = get_version_for_user(user, found, number)
    section = get_section_for_user(user, ver, section_id)
    if ver.is_issued:
        return issued_refusal()
    data = bodies.read_body(
        request, SectionChangeIn, '{"revision": <number>, "text": "## Waar staan we?\\n…"}'
    )
    section.version = ver
    try:
        saved = services.section_update(
            section=section,
            title=section.title if data.title is None else data.title,
            text=section.text if data.text is None else data.text,
            revision=data.revision,
            user=user,
        )
    except services.ReportIssued:
        return issued_refusal()
    except EditConflict as exc:
        return bodies.conflict(data.revision, exc.revision)
    except ValidationError as exc:
        return bodies.service_errors(exc, {})
    content = selectors.version_content(ver)
    (out,) = [
        s for s in _sections_out(ver, content, with_comments=True) if s.position == saved.position
    ]
    return out


def _comment_out(comment) -> CommentOut:
    return CommentOut(
        id=comment.pk,
        section_id=comment.section_id,
        author=person_name(comment.author),
        text=comment.text,
        created_at=comment.created_at,
        resolved_at=comment.resolved_at,
        resolved_by=person_name(comment.resolved_by),
    )


@router.get(
    VERSION + "/comments",
    response={200: list[CommentOut], 403: ErrorOut, 404: ErrorOut},
    summary="Review comments on a version's sections",
    url_name="report_comments",
)
def comments(request, board_id: int, report_id: int, number: int, section_id: int | None = None):
    """For those who compose the report (else 403), oldest first per section; `section_id`
    narrows the list to one section of the version (another id answers 404)."""
    user = request.auth
    found = _report(request, board_id, report_id, write=True)
    ver = get_version_for_user(user, found, number)
    listed = SectionComment.objects.filter(section__version=ver, board_id=ver.board_id)
    if section_id is not None:
        listed = listed.filter(section=get_section_for_user(user, ver, section_id))
    listed = listed.select_related("author", "resolved_by").order_by(
        "section__position", "created_at", "pk"
    )
    return [_comment_out(c) for c in listed]


@router.post(
    SECTION + "/comments",
    response={201: CommentOut, **bodies.WRITE_ERRORS, 409: ErrorOut},
    summary="Add a review comment to a section",
    url_name="report_comment_add",
    openapi_extra=bodies.body_schema(CommentIn),
)
def comment_add(request, board_id: int, report_id: int, number: int, section_id: int):
    """Needs the right to compose reports for the report's unit (else 403). An issued version
    takes no more comments (409); an empty comment or one of more than 4,000 characters
    answers 422."""
    user = request.auth
    found = _report(request, board_id, report_id, write=True)
    ver = get_version_for_user(user, found, number)
    section = get_section_for_user(user, ver, section_id)
    if ver.is_issued:
        return issued_refusal()
    data = bodies.read_body(request, CommentIn, '{"text": "…"}')
    section.version = ver
    try:
        comment = services.comment_add(section=section, author=user, text=data.text)
    except services.ReportIssued:
        return issued_refusal()
    except ValidationError as exc:
        return bodies.service_errors(exc, {})
    return Status(201, _comment_out(comment))


def _file_out(request, report, ver, record) -> ReportFileOut:
    ready = report_files.is_ready(record)
    args = [report.board_id, report.pk, ver.number, record.format]
    return ReportFileOut(
        format=record.format,
        state=record.state,
        progress=record.progress,
        requested_at=record.requested_at,
        finished_at=record.finished_at,
        size=record.file.size if ready else None,
        download_url=request.build_absolute_uri(reverse("api:report_file", args=args))
        if ready
        else None,
        page_url=request.build_absolute_uri(reverse("reports:file", args=args)),
    )


@router.get(
    VERSION + "/files",
    response={200: list[ReportFileOut], 403: ErrorOut, 404: ErrorOut},
    summary="The files (PDF, Word, Excel) made from a version, with their state",
    url_name="report_files",
)
def files(request, board_id: int, report_id: int, number: int):
    """Files are made from issued versions only, so a draft lists none; asking for one is done
    on the version's page. A file waiting or being made shows its `progress` in percent;
    `download_url` gives a finished one through the API (token or session), `page_url` is
    its page in Stelsel, where it is asked for and followed."""
    user = request.auth
    found = _report(request, board_id, report_id)
    ver = get_version_for_user(user, found, number)
    if not ver.is_issued:
        return []
    records = sorted(report_files.files_of(ver).values(), key=lambda r: r.format)
    return [_file_out(request, found, ver, r) for r in records]


@router.get(
    VERSION + "/files/{format}",
    response={200: bytes, 403: ErrorOut, 404: ErrorOut},
    summary="Download a finished file of an issued version",
    url_name="report_file",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file",
                "content": {
                    ctype: {"schema": {"type": "string", "format": "binary"}}
                    for ctype in sorted({o.content_type for o in outputs.OUTPUTS.values()})
                },
            }
        }
    },
)
def file_download(request, board_id: int, report_id: int, number: int, format: str):
    """`format` is pdf, docx or xlsx. The file as an attachment, for whoever reads the version;
    404 while it is not finished (see the list of files for its state)."""
    user = request.auth
    found = _report(request, board_id, report_id)
    ver = get_version_for_user(user, found, number)
    record = (
        report_files.file_of(ver, format) if ver.is_issued and format in outputs.OUTPUTS else None
    )
    if not report_files.is_ready(record):
        raise HttpError(404, _("There is no finished file of this format for this version."))
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise HttpError(
            404, _("There is no finished file of this format for this version.")
        ) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=outputs.file_name(format, ver.snapshot),
        content_type=outputs.OUTPUTS[format].content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
