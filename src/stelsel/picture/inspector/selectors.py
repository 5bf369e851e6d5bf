"""Reads for the inspector's link: the board's list and log, and the public pages a link
opens. Pictures are read through the picture's own selectors (`entries.selectors`); the public
pages leave out everything internal (the feedback thread, documents that were not chosen,
actions that are done)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.lib.date_formats import full_date
from stelsel.picture.access import inspector_links_for_user
from stelsel.picture.entries.selectors import PictureView, entry_detail, picture_view
from stelsel.picture.inspector import services
from stelsel.picture.inspector import shared as shared_parts
from stelsel.picture.models import Entry, InspectorLink

LINK_STATES = {
    "active": (gettext_lazy("Active"), "positive"),
    "expired": (gettext_lazy("Expired"), "warn"),
    "revoked": (gettext_lazy("Revoked"), "negative"),
}
ACCESS_LOG_MAX = 500


def with_state(links):
    """Each link with a label and badge tone for its state (the state is never shown by
    colour alone: the label is always there)."""
    links = list(links)
    for link in links:
        label, tone = LINK_STATES[link.state]
        link.state_label, link.state_tone = str(label), tone
    return links


def link_list(user, board) -> list[InspectorLink]:
    return with_state(
        inspector_links_for_user(user, board)
        .select_related("school", "visit", "created_by")
        .annotate(n_accesses=Count("accesses"), last_access=Max("accesses__at"))
        .order_by("-created_at", "-pk")
    )


def access_label(what: str) -> str:
    """The log stores what was opened as 'overview', 'overview <YYYY-MM-DD>' (the picture on
    a date), 'standard KL1', 'document <title>' or 'report <title>'; shown in the reader's
    language."""
    kind, _sep, rest = what.partition(" ")
    if kind == "overview" and not rest:
        return _("Overview of the picture")
    if kind == "overview":
        try:
            day = full_date(date.fromisoformat(rest))
        except ValueError:
            return what
        return _("Overview of the picture as it stood on %(day)s") % {"day": day}
    if kind == "standard":
        return _("Standard %(code)s") % {"code": rest}
    if kind == "indicator":
        return _("Own indicator %(code)s") % {"code": rest}
    if kind == "document":
        return _("Document “%(title)s”") % {"title": rest}
    if kind == "report":
        return _("Report “%(title)s”") % {"title": rest}
    return what


@dataclass
class SharedPart:
    """What a link shares through one registered share (`shared.py`), such as issued reports;
    `items` are (item, the public page's address) on the public pages, (item, "") on the
    board's own page."""

    label: str
    items: list


def _shared_parts(link: InspectorLink, token: str | None) -> list[SharedPart]:
    parts = []
    for share in shared_parts.shares():
        items = share.items(link)
        if items:
            parts.append(
                SharedPart(
                    label=share.label,
                    items=[
                        (item, reverse(share.public_url_name, args=[token, item.key]))
                        if token
                        else (item, "")
                        for item in items
                    ],
                )
            )
    return parts


@dataclass
class LinkDetail:
    link: InspectorLink
    documents: list
    accesses: list
    n_accesses: int
    shared: list[SharedPart]


def link_detail(link: InspectorLink) -> LinkDetail:
    with_state([link])
    accesses = list(link.accesses.all()[:ACCESS_LOG_MAX])
    for a in accesses:
        a.label = access_label(a.what)
    return LinkDetail(
        link=link,
        documents=list(link.documents.order_by("title", "pk")),
        accesses=accesses,
        n_accesses=link.accesses.count(),
        shared=_shared_parts(link, None),
    )


# --- The public pages -----------------------------------------------------------------------


@dataclass
class SharedDocument:
    evidence: object
    has_file: bool
    codes: list[str]


def _shared(documents) -> list[SharedDocument]:
    return [
        SharedDocument(
            evidence=ev,
            has_file=bool(list(ev.files.all())),
            codes=[s.code for s in ev.standards.all()] + [i.code for i in ev.indicators.all()],
        )
        for ev in documents
    ]


@dataclass
class PublicPicture:
    view: PictureView
    shared: Counter  # documents shared per row id

    @property
    def linked(self) -> bool:
        """Rows open the entry's page only in a current picture: the link opens nothing else
        (a period closed since shows on a date, but its entries cannot be opened)."""
        return self.view.picture.is_current


@dataclass
class PublicOverview:
    link: InspectorLink
    pictures: list[PublicPicture]
    documents: list[SharedDocument]
    as_of: date | None = None


def public_overview(link: InspectorLink, as_of: date | None = None) -> PublicOverview:
    """The unit's current pictures with, per entry, how many of the chosen documents support
    it; the counts of all evidence are left out, as those documents are not shared.

    With `as_of`, the pictures current at the end of that day as they stood then, read by
    `picture_view` like the board's own page and the API: a shared document counts where it
    supported an entry then. The list of documents is what the link shares now."""
    documents = services.link_documents(link)
    chosen = frozenset(ev.pk for ev in documents)
    pictures = []
    for picture in services.link_pictures(link, as_of):
        view = picture_view(picture, as_of=as_of)
        shared = Counter({row.id: len(row.evidence_ids & chosen) for row in view.rows})
        pictures.append(PublicPicture(view, shared))
    return PublicOverview(link, pictures, _shared(documents), as_of)


def public_shared(link: InspectorLink, token: str) -> list[SharedPart]:
    """What else the link opens (issued reports), each with its public page's address."""
    return _shared_parts(link, token)


@dataclass
class PublicEntry:
    entry: Entry
    requirements: list
    assignments: list
    actions: list
    documents: list[SharedDocument]
    tone: str | None  # None while not yet judged, as in the picture
    status_label: str


def public_entry(link: InspectorLink, entry: Entry) -> PublicEntry:
    """One entry as the inspector sees it: substantiation, requirements ticked, open
    herstelopdrachten and open actions, and only the chosen documents. No feedback thread."""
    detail = entry_detail(entry)
    status = entry.status
    chosen = {ev.pk: ev for ev in services.link_documents(link)}
    return PublicEntry(
        entry=entry,
        requirements=detail.requirements,
        assignments=[a for a in detail.assignments if a.follow_up_outcome != "sufficient"],
        actions=[a for a in detail.actions if a.is_open],
        documents=_shared(chosen[ev.pk] for ev in detail.evidence if ev.pk in chosen),
        tone=status.tone if status and status.tone != "neutral" else None,
        status_label=status.label if status else "",
    )
