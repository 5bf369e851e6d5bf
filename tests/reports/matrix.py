"""Matrix entries of the quality reports: the pages, the inspector's page of a shared report,
and the API.

Everyone on the board but staff reads reports (VIEW_REPORTS); the board office and the school
leader compose them and comment (WRITE_REPORTS); the board executive issues them. A report
belongs to its school: a school leader gets 404 for another school's. Staff hold no report
permission at all, so they get 403 before any report is looked up, in every scope of the board
(`blocked`). The read routes are called on an issued version, which every reader reads; the
write routes on a new draft of an issued report, so the readers of issued versions reach the
report and are refused (403) rather than not finding it.
"""

import json

from django.core.files.base import ContentFile

from stelsel.organisations.roles import Role
from stelsel.reports import services
from stelsel.reports.models import ReportFile, ReportVersion, SectionComment
from tests.factories import make_inspector_link
from tests.factories.reports import library_template, make_report
from tests.test_permission_matrix import (
    ALL,
    BOARD_OFFICE,
    EXECUTIVE,
    Route,
    _scoped_school,
    _target_board,
    api_board_kwargs,
    board_kwargs,
    unknown_token_kwargs,
)

READERS = ALL - {Role.STAFF}
WRITERS = BOARD_OFFICE | {Role.SCHOOL_LEADER}
STAFF = frozenset({Role.STAFF})
NOT_ISSUERS = frozenset({Role.STAFF, Role.SCHOOL_LEADER})


def _issued_report(world, scope):
    school = _scoped_school(world, scope)
    return make_report(school.board, school, title=f"Q-rapportage {scope}", issued=True)


def report_kwargs(world, scope):
    report = _issued_report(world, scope)
    return {"board_id": report.board_id, "report_id": report.pk}


def version_kwargs(world, scope):
    return {**report_kwargs(world, scope), "number": 1}


def draft_kwargs(world, scope):
    """Version 2, a draft, of a report whose version 1 is issued."""
    report = _issued_report(world, scope)
    services.version_new(report=report, user=None, reason="Nieuwe cijfers.")
    return {"board_id": report.board_id, "report_id": report.pk, "number": 2}


def draft_section_kwargs(world, scope):
    kwargs = draft_kwargs(world, scope)
    version = ReportVersion.objects.get(report_id=kwargs["report_id"], number=2)
    section = version.sections.filter(kind="text").order_by("position").first()
    return {**kwargs, "section_id": section.pk}


def draft_comment_kwargs(world, scope):
    kwargs = draft_section_kwargs(world, scope)
    comment = SectionComment.objects.create(
        board_id=kwargs["board_id"], section_id=kwargs["section_id"], text="Klopt dit?"
    )
    del kwargs["section_id"]
    return {**kwargs, "comment_id": comment.pk}


def file_kwargs(world, scope):
    """The PDF of an issued version, made."""
    kwargs = version_kwargs(world, scope)
    version = ReportVersion.objects.get(report_id=kwargs["report_id"], number=1)
    made = ReportFile(board_id=version.board_id, version=version, format="pdf", state="done")
    made.file.save("rapportage.pdf", ContentFile(b"%PDF-1.7 matrix"), save=False)
    made.save()
    return {**kwargs, "format": "pdf"}


def library_template_kwargs(world, scope):
    return {"board_id": _target_board(world, scope).pk, "template_id": library_template().pk}


def board_template_kwargs(world, scope):
    board = _target_board(world, scope)
    copy = services.template_copy(board=board, template=library_template())
    return {"board_id": board.pk, "template_id": copy.pk}


def unknown_link_report_kwargs(world, scope):
    return {**unknown_token_kwargs(world, scope), "version_id": 1}


def section_change_body(world) -> str:
    return json.dumps({"revision": 1, "text": "Wat we zien in de resultaten."})


PAGES = {
    "reports:list": Route(board_kwargs, READERS),
    "reports:compose": Route(board_kwargs, WRITERS),
    "reports:report": Route(report_kwargs, READERS, ok=302, school_scoped=True, blocked=STAFF),
    "reports:version": Route(version_kwargs, READERS, school_scoped=True, blocked=STAFF),
    "reports:compare": Route(report_kwargs, READERS, school_scoped=True, blocked=STAFF),
    "reports:version_new": Route(
        report_kwargs,
        WRITERS,
        method="post",
        ok=302,
        school_scoped=True,
        blocked=STAFF,
        data=lambda world: {"reason": "De cijfers van juni zijn bijgewerkt."},
    ),
    "reports:version_submit": Route(
        draft_kwargs, WRITERS, method="post", ok=302, school_scoped=True, blocked=STAFF
    ),
    # Issuing asks for confirmation first (GET); only the board executive issues.
    "reports:version_issue": Route(
        draft_kwargs, EXECUTIVE, school_scoped=True, blocked=NOT_ISSUERS
    ),
    # Adding an issued version to an open link of its unit: those who give the unit's links
    # (SHARE_PICTURE). The link is of the own school: for another school's report the page
    # says so and adds nothing (302 with the message).
    "reports:version_share": Route(
        version_kwargs,
        WRITERS,
        method="post",
        ok=302,
        school_scoped=True,
        blocked=STAFF,
        data=lambda world: {"link": make_inspector_link(world.board, world.school)[0].pk},
    ),
    "reports:section_edit": Route(draft_section_kwargs, WRITERS, school_scoped=True, blocked=STAFF),
    "reports:comment_add": Route(
        draft_section_kwargs,
        WRITERS,
        method="post",
        ok=302,
        school_scoped=True,
        blocked=STAFF,
        data=lambda world: {"text": "Noem ook de leesresultaten."},
    ),
    "reports:comment_resolve": Route(
        draft_comment_kwargs, WRITERS, method="post", ok=302, school_scoped=True, blocked=STAFF
    ),
    # A draft's figures as Excel, for those who write the report.
    "reports:draft_figures": Route(draft_kwargs, WRITERS, school_scoped=True, blocked=STAFF),
    "reports:file": Route(file_kwargs, READERS, school_scoped=True, blocked=STAFF),
    "reports:file_download": Route(file_kwargs, READERS, school_scoped=True, blocked=STAFF),
    # Templates: a school leader composes from them, only the board office adapts a copy.
    "reports:templates": Route(board_kwargs, WRITERS),
    "reports:template_copy": Route(library_template_kwargs, BOARD_OFFICE, method="post", ok=302),
    "reports:template_edit": Route(board_template_kwargs, BOARD_OFFICE),
    # The inspector's page of a report shared on a link: an unknown token answers 404.
    "reports:inspector_report": Route(
        unknown_link_report_kwargs, set(), denied=404, anonymous=404, board_agnostic=True
    ),
}

API = {
    "api:reports": Route(api_board_kwargs, READERS, anonymous=401),
    "api:report": Route(report_kwargs, READERS, school_scoped=True, blocked=STAFF, anonymous=401),
    "api:report_version": Route(
        version_kwargs, READERS, school_scoped=True, blocked=STAFF, anonymous=401
    ),
    "api:report_section_update": Route(
        draft_section_kwargs,
        WRITERS,
        method="patch",
        school_scoped=True,
        blocked=STAFF,
        anonymous=401,
        data=section_change_body,
    ),
    "api:report_comments": Route(
        version_kwargs, WRITERS, school_scoped=True, blocked=STAFF, anonymous=401
    ),
    # The matrix posts a form, not JSON: those who may comment get as far as 400 (bad body).
    "api:report_comment_add": Route(
        draft_section_kwargs,
        WRITERS,
        method="post",
        ok=400,
        school_scoped=True,
        blocked=STAFF,
        anonymous=401,
    ),
    "api:report_files": Route(
        version_kwargs, READERS, school_scoped=True, blocked=STAFF, anonymous=401
    ),
    "api:report_file": Route(
        file_kwargs, READERS, school_scoped=True, blocked=STAFF, anonymous=401
    ),
}

REPORTS_ROUTES = {**PAGES, **API}
