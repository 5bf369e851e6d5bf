"""Reading reports: the list, a version's content and what its page shows beside it.

A draft's content is made afresh from the data each time it is read (`snapshot.build`); an
issued version's content is its stored snapshot and nothing else, so it reads the same after
the data have changed.
"""

from collections import defaultdict

from django.db.models import Case, Count, Max, OuterRef, Q, Subquery, When

from stelsel.reports import snapshot
from stelsel.reports.access import reads_drafts_q, reports_for_user, versions_for_user
from stelsel.reports.models import ReportVersion, SectionComment, VersionState
from stelsel.reports.text import render


def report_rows(user, board):
    """The reports the user reads, newest period first, with their latest version's state."""
    drafts = reads_drafts_q(user, board) or Q(pk__isnull=False)
    open_versions = ReportVersion.objects.filter(report=OuterRef("pk")).exclude(
        state=VersionState.ISSUED
    )
    return (
        reports_for_user(user, board)
        .select_related("school", "template")
        .annotate(
            issued_count=Count("versions", filter=Q(versions__state=VersionState.ISSUED)),
            latest_issued=Max("versions__number", filter=Q(versions__state=VersionState.ISSUED)),
            latest_issued_at=Max("versions__issued_at"),
            # Whether a version is being worked on is for those who read drafts only.
            open_state=Case(
                When(drafts, then=Subquery(open_versions.values("state")[:1])), default=None
            ),
            open_number=Case(
                When(drafts, then=Subquery(open_versions.values("number")[:1])), default=None
            ),
        )
    )


def version_content(version: ReportVersion) -> dict:
    """All a version says: the stored snapshot once issued, else the data as they stand."""
    if version.is_issued and version.snapshot is not None:
        return version.snapshot
    return snapshot.build(version)


def version_page(user, version: ReportVersion, *, with_comments: bool) -> dict:
    """The content of a version with, per section, its text rendered and (for its writers) the
    section row to edit and the review comments on it."""
    content = version_content(version)
    rows = {}
    comments = defaultdict(list)
    if not version.is_issued:
        rows = {s.position: s for s in version.sections.all()}
        if with_comments:
            for comment in SectionComment.objects.filter(section__version=version).select_related(
                "author", "resolved_by"
            ):
                comments[comment.section_id].append(comment)
    sections = []
    for entry in content["sections"]:
        row = rows.get(entry["position"])
        sections.append(
            {
                **entry,
                "html": render(entry.get("text", "")),
                "row": row,
                "comments": comments.get(row.pk, []) if row else [],
                "open_comments": sum(1 for c in comments.get(row.pk, []) if not c.resolved_at)
                if row
                else 0,
            }
        )
    return {"content": content, "sections": sections}


def version_list(user, report):
    return list(versions_for_user(user, report).select_related("issued_by").order_by("number"))
