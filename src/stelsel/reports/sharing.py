"""Issued reports on an inspector's link.

The link (picture) offers, keeps and lists what registered shares give it; this is the share
of issued reports, registered in `ReportsConfig.ready`. A link is about one unit, so it can
carry only issued versions of that unit's reports (a school's reports for a school's link, the
board's own for the board's), chosen by someone who reads them. The inspector reads a version
from its stored snapshot through the link's token; a draft, another unit's report or one not
added to the link is never opened, whatever id is asked for.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.lib.date_formats import full_date
from stelsel.lib.ids import MAX_ID
from stelsel.organisations.access import has_permission, has_unit_permission
from stelsel.organisations.roles import Permission
from stelsel.picture.access import inspector_links_for_user
from stelsel.picture.inspector.shared import Share, SharedItem
from stelsel.picture.models import InspectorLink
from stelsel.reports.access import reports_for_user
from stelsel.reports.models import InspectorShare, ReportVersion, VersionState

NAME = "reports"


def _unit_q(board_id, school_id, prefix: str = "") -> Q:
    """The versions of reports about exactly this unit (`school_id` None: the board's own)."""
    return Q(**{f"{prefix}board_id": board_id, f"{prefix}report__board_id": board_id}) & Q(
        **{f"{prefix}report__school_id": school_id}
        if school_id
        else {f"{prefix}report__school__isnull": True}
    )


def _label(version: ReportVersion) -> str:
    return _("%(title)s · version %(n)s, issued %(day)s") % {
        "title": version.report.title,
        "n": version.number,
        "day": full_date(version.issued_at),
    }


def _detail(version: ReportVersion) -> str:
    return _("version %(n)s, issued %(day)s") % {
        "n": version.number,
        "day": full_date(version.issued_at),
    }


def issued_for_unit(user, board, school):
    """The issued versions of the unit's reports that the user reads, newest period first."""
    if not has_permission(user, board, Permission.VIEW_REPORTS):
        return ReportVersion.objects.none()
    return (
        ReportVersion.objects.filter(
            _unit_q(board.pk, school.pk if school else None),
            state=VersionState.ISSUED,
            report__in=reports_for_user(user, board),
        )
        .select_related("report")
        .order_by("-report__period_end", "report__title", "report_id", "-number")
    )


def choices(user, board, school) -> list[tuple[int, str]]:
    return [(v.pk, _label(v)) for v in issued_for_unit(user, board, school)]


def add(*, link: InspectorLink, keys: list[int], user) -> None:
    """Add issued versions to a link being made: each must be one the user may choose for the
    link's unit, else nothing is added and the link is not made."""
    # An id no row can have is refused with the rest, before the database is asked.
    possible = {k for k in keys if isinstance(k, int) and 0 < k <= MAX_ID}
    allowed = {
        v.pk: v for v in issued_for_unit(user, link.board, link.school).filter(pk__in=possible)
    }
    if set(keys) - set(allowed):
        raise ValidationError(
            {NAME: _("Only issued reports of the same school or board that you read can be added.")}
        )
    InspectorShare.objects.bulk_create(
        InspectorShare(board_id=link.board_id, link=link, version=v, added_by=user)
        for v in allowed.values()
    )


def shared_versions(link: InspectorLink):
    """The versions a link opens: added to it, issued, with their snapshot, of its unit."""
    return (
        ReportVersion.objects.filter(
            _unit_q(link.board_id, link.school_id),
            inspector_shares__link=link,
            state=VersionState.ISSUED,
            snapshot__isnull=False,
        )
        .select_related("report")
        .order_by("-report__period_end", "report__title", "report_id", "-number")
    )


def items(link: InspectorLink) -> list[SharedItem]:
    return [
        SharedItem(key=v.pk, title=v.report.title, detail=_detail(v)) for v in shared_versions(link)
    ]


def shared_version(link: InspectorLink, version_id: int) -> ReportVersion | None:
    """One version the link opens, or None for anything else (the page answers as for a
    link that opens nothing)."""
    return shared_versions(link).filter(pk=version_id).first()


def open_links_for_version(user, board, version: ReportVersion):
    """The links of the report's unit, still open, that the user may add this issued version
    to (those who give the unit's links: SHARE_PICTURE), and that do not carry it yet."""
    report = version.report
    if not version.is_issued or not has_unit_permission(
        user, board, Permission.SHARE_PICTURE, report.school
    ):
        return InspectorLink.objects.none()
    unit = {"school_id": report.school_id} if report.school_id else {"school__isnull": True}
    return (
        inspector_links_for_user(user, board)
        .filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), **unit)
        .exclude(report_shares__version=version)
        .order_by("-expires_at", "pk")
    )


@transaction.atomic
def add_to_open_link(*, link: InspectorLink, version: ReportVersion, user) -> None:
    """Add an issued version to a link already given: it must be open, of the version's unit,
    and the version one the user may choose for it (else ValidationError, nothing added)."""
    if link.revoked_at is not None or link.expires_at <= timezone.now():
        raise ValidationError(_("This link is no longer open; give a new one."))
    if InspectorShare.objects.filter(link=link, version=version).exists():
        return
    add(link=link, keys=[version.pk], user=user)


SHARE = Share(
    name=NAME,
    label=gettext_lazy("Issued reports"),
    help_text=gettext_lazy(
        "The inspector reads these as they were issued, never a draft. Issue a report first "
        "to add it."
    ),
    empty=gettext_lazy("This school or board has no issued reports yet."),
    choices=choices,
    add=add,
    items=items,
    public_url_name="reports:inspector_report",
)
