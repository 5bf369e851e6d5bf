"""Reads for inspection visits: the list, and one visit's page with its checklist, document
room, log and follow-up. Every object is reached through the access module; each read is a
fixed number of queries, however many steps, documents or notes a visit has."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from stelsel.organisations.access import has_unit_permission
from stelsel.organisations.roles import Permission
from stelsel.picture.access import (
    assignments_for_user,
    evidence_for_user,
    inspector_links_for_user,
    visits_for_user,
)
from stelsel.picture.inspector.selectors import with_state
from stelsel.picture.models import Evidence, EvidenceFile, Visit
from stelsel.picture.work import actions_for_user

SEARCH_MAX = 100
CANDIDATES_MAX = 200


def visit_list(user, board) -> list[Visit]:
    """The visits the user may see, newest first, with how far their preparation is."""
    return list(
        visits_for_user(user, board)
        .select_related("school")
        .annotate(
            steps=Count("checklist", distinct=True),
            steps_done=Count(
                "checklist", filter=Q(checklist__done_at__isnull=False), distinct=True
            ),
        )
        .order_by("-starts_on", "-pk")
    )


@dataclass
class Document:
    evidence: Evidence
    latest_file: EvidenceFile | None
    url: str | None  # where it opens: the download of its latest file, or its link
    codes: list[str] = field(default_factory=list)


@dataclass
class DocumentGroup:
    label: str
    documents: list[Document]


def _search(queryset, query: str):
    if not query:
        return queryset
    return queryset.filter(
        Q(title__icontains=query)
        | Q(description__icontains=query)
        | Q(standards__code__icontains=query)
        | Q(indicators__code__icontains=query)
    ).distinct()


def _with_links(queryset):
    return queryset.prefetch_related(
        "standards",
        "indicators",
        Prefetch("files", queryset=EvidenceFile.objects.order_by("-version")),
    )


def document(board, evidence: Evidence) -> Document:
    files = list(evidence.files.all())
    latest = files[0] if files else None
    if latest is not None:
        url = reverse("picture:evidence_download", args=[board.pk, evidence.pk, latest.pk])
    else:
        url = evidence.url or None
    codes = [s.code for s in evidence.standards.all()] + [i.code for i in evidence.indicators.all()]
    return Document(evidence, latest, url, codes)


def group_documents(board, evidence: list[Evidence]) -> list[DocumentGroup]:
    """Documents under each standard or own indicator they support (a document supporting two
    standards appears twice); those linked to nothing come last."""
    groups: dict[tuple, DocumentGroup] = {}
    loose = DocumentGroup(_("Not linked to a standard"), [])
    for ev in evidence:
        doc = document(board, ev)
        linked = False
        for s in ev.standards.all():
            key = (0, s.framework_version_id, s.position, s.code)
            groups.setdefault(key, DocumentGroup(f"{s.code} {s.name}", [])).documents.append(doc)
            linked = True
        for i in ev.indicators.all():
            key = (1, 0, i.position, i.code)
            groups.setdefault(key, DocumentGroup(f"{i.code} {i.title}", [])).documents.append(doc)
            linked = True
        if not linked:
            loose.documents.append(doc)
    ordered = [groups[key] for key in sorted(groups)]
    if loose.documents:
        ordered.append(loose)
    return ordered


@dataclass
class VisitPage:
    visit: Visit
    checklist: list
    steps_done: int
    groups: list[DocumentGroup]
    chosen: int
    candidates: list[Document]
    query: str
    notes: list
    actions: list
    assignments: list
    links: list
    can_manage: bool
    can_log: bool
    can_share: bool
    can_act: bool
    action_create_url: str | None


def visit_page(user, board, visit: Visit, *, query: str = "") -> VisitPage:
    """Everything on a visit's page. The document room shows the chosen documents the user
    may see; `query` narrows both the room and the documents offered to add."""
    query = " ".join((query or "").split())[:SEARCH_MAX]
    unit = visit.school
    can_manage = has_unit_permission(user, board, Permission.MANAGE_VISITS, unit)
    can_log = has_unit_permission(user, board, Permission.WRITE_VISIT_LOG, unit)
    can_share = has_unit_permission(user, board, Permission.SHARE_PICTURE, unit)
    checklist = list(visit.checklist.select_related("done_by"))
    visible = evidence_for_user(user, board).filter(school=unit)
    chosen_qs = visible.filter(pk__in=visit.documents.values("pk"))
    chosen = list(_with_links(_search(chosen_qs, query)).order_by("title", "pk"))
    candidates = []
    if can_manage:
        candidates = [
            document(board, ev)
            for ev in _with_links(
                _search(visible.exclude(pk__in=visit.documents.values("pk")), query)
            ).order_by("title", "pk")[:CANDIDATES_MAX]
        ]
    links = []
    if can_share:
        links = with_state(inspector_links_for_user(user, board).filter(visit=visit))
    action_create_url = (
        reverse("planning:action_create", args=[board.pk])
        + f"?visit={visit.pk}&school={visit.school_id or ''}"
    )
    return VisitPage(
        visit=visit,
        checklist=checklist,
        steps_done=sum(1 for item in checklist if item.done_at),
        groups=group_documents(board, chosen),
        chosen=chosen_qs.count(),
        candidates=candidates,
        query=query,
        notes=list(visit.log.select_related("author")),
        actions=list(
            actions_for_user(user, board).filter(visit=visit).select_related("owner", "school")
        ),
        assignments=list(
            assignments_for_user(user, board)
            .filter(visit=visit)
            .select_related("standard", "requirement")
        ),
        links=links,
        can_manage=can_manage,
        can_log=can_log,
        can_share=can_share,
        can_act=has_unit_permission(user, board, Permission.MANAGE_ACTIONS, unit),
        action_create_url=action_create_url,
    )
