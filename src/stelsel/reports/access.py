"""Quality reports and their versions are reached only through here, on top of the core in
`organisations.access`.

A report belongs to a unit: a school (`school` set) or the board (`school` empty, also for a
selection of schools, which only board roles see). Who reads what:
- those who compose reports for the unit (WRITE_REPORTS: the board office, a school leader for
  their school) read every version, drafts included, and comment on them;
- the other readers (supervisory board, councils, advisors) read issued versions only, and a
  report they may read is one that has an issued version;
- staff read no reports.
Another board's report, a report of another school and a draft for a reader of issued versions
all answer 404, like an id that does not exist.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from stelsel.organisations.access import (
    grants,
    has_unit_permission,
    one,
    require,
    require_unit,
    schools_for_user,
    units_q,
)
from stelsel.organisations.models import Board, Membership
from stelsel.organisations.roles import GRANTS, Permission
from stelsel.reports.models import (
    Report,
    ReportSection,
    ReportTemplate,
    ReportVersion,
    SectionComment,
    VersionState,
)


def _writer_q(user, board: Board) -> Q | None:
    """The reports whose drafts the user reads: None for all, else a filter (possibly empty)."""
    writers = GRANTS[Permission.WRITE_REPORTS]
    board_grants = [g for g in grants(user) if g.board_id == board.pk]
    if any(g.school_id is None and g.role in writers for g in board_grants):
        return None
    return Q(school__in=_schools_with(user, board, Permission.WRITE_REPORTS))


def _schools_with(user, board: Board, permission: str):
    """The schools where the user holds a role on the school that grants `permission`."""
    return Membership.objects.filter(
        user=user,
        board=board,
        school__isnull=False,
        role__in=GRANTS[permission],
    ).values("school_id")


def reads_drafts_q(user, board: Board) -> Q:
    """The reports whose drafts the user reads, as a filter (all of them for the board office)."""
    writer = _writer_q(user, board)
    return Q() if writer is None else writer


def reports_for_user(user, board: Board):
    """The board's reports the user may read (VIEW_REPORTS, else 403)."""
    require(user, board, Permission.VIEW_REPORTS)
    reports = Report.objects.filter(board=board)
    if units_q(user, board):
        # School roles: the schools where their role reads reports (a staff role elsewhere
        # opens nothing), never the board's own reports.
        reports = reports.filter(school__in=_schools_with(user, board, Permission.VIEW_REPORTS))
    writer = _writer_q(user, board)
    if writer is None:
        return reports
    issued = ReportVersion.objects.filter(report=OuterRef("pk"), state=VersionState.ISSUED)
    return reports.filter(writer | Q(Exists(issued)))


def may_write(user, report: Report) -> bool:
    return has_unit_permission(user, report.board, Permission.WRITE_REPORTS, report.school)


def may_issue(user, report: Report) -> bool:
    return has_unit_permission(user, report.board, Permission.ISSUE_REPORTS, report.school)


def get_report_for_user(user, board: Board, report_id, *, write: bool = False) -> Report:
    """A report the user reads (else 404); `write` (composing, commenting, a new version) needs
    WRITE_REPORTS on its unit (else 403)."""
    report = one(reports_for_user(user, board).select_related("school", "template"), report_id)
    if write:
        require_unit(user, board, Permission.WRITE_REPORTS, report.school)
    return report


def versions_for_user(user, report: Report):
    """The versions of a report the user reads: all for its writers, else the issued ones."""
    versions = ReportVersion.objects.filter(report=report, board_id=report.board_id)
    if may_write(user, report):
        return versions
    return versions.filter(state=VersionState.ISSUED)


def get_version_for_user(user, report: Report, number) -> ReportVersion:
    """One version of a report the user reads, by its number (else 404)."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 0
    version = versions_for_user(user, report).filter(number=number).first()
    if version is None:
        raise Http404
    version.report = report
    return version


def get_section_for_user(user, version: ReportVersion, section_id) -> ReportSection:
    """A section of a version the user has reached (else 404)."""
    return one(ReportSection.objects.filter(version=version, board_id=version.board_id), section_id)


def get_comment_for_user(user, version: ReportVersion, comment_id) -> SectionComment:
    return one(
        SectionComment.objects.filter(
            section__version=version, board_id=version.board_id
        ).select_related("section"),
        comment_id,
    )


def templates_for_user(user, board: Board):
    """The library's templates and the board's own copies, for those who compose reports."""
    require(user, board, Permission.WRITE_REPORTS)
    return ReportTemplate.objects.filter(Q(board__isnull=True) | Q(board=board))


def get_template_for_user(user, board: Board, template_id, *, write: bool = False):
    """A template a report can start from (else 404); `write` (adapting it) needs a board copy
    and WRITE_REPORTS on the board itself (else 403)."""
    template = one(templates_for_user(user, board), template_id)
    if write:
        require_unit(user, board, Permission.WRITE_REPORTS, None)
        if template.board_id is None:
            raise PermissionDenied
    return template


def schools_for_report(user, board: Board):
    """The schools a user may compose a report about."""
    schools = schools_for_user(user, board)
    if _writer_q(user, board) is None:
        return schools
    return schools.filter(pk__in=_schools_with(user, board, Permission.WRITE_REPORTS))
