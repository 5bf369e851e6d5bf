"""The inspector's link: a read-only, time-limited, revocable way into one unit's picture and
the documents chosen for it, for someone without an account.

Only a hash of the token is stored; the raw token is handed out once, at creation. A token is
the principal of the public pages: what it reaches is fixed by the link (its board, its unit,
its documents), not by anyone's roles, so its reads live here and not in the access module.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.organisations.models import Board, School
from stelsel.picture.asof import end_of
from stelsel.picture.inspector import shared as shared_parts
from stelsel.picture.models import (
    Entry,
    Evidence,
    InspectorAccess,
    InspectorLink,
    Picture,
    PictureState,
    Visit,
    hash_link_token,
)

MAX_DAYS = 60
LABEL_MAX = 200
TOKEN_MAX = 100
USER_AGENT_MAX = 200
WHAT_MAX = 300


class LinkUnavailable(Exception):
    """The token does not open anything: `state` is unknown, expired or revoked."""

    def __init__(self, state: str, link: InspectorLink | None = None):
        super().__init__(state)
        self.state = state
        self.link = link


def latest_expiry() -> datetime:
    """The end of the last day a new link may be valid on."""
    last_day = timezone.localdate() + timedelta(days=MAX_DAYS)
    return timezone.make_aware(datetime.combine(last_day, datetime.max.time()))


@transaction.atomic
def inspector_link_create(
    *,
    board: Board,
    school: School | None,
    label: str,
    expires_at: datetime | None = None,
    visit: Visit | None = None,
    documents=(),
    user=None,
    shared: dict[str, list[int]] | None = None,
) -> tuple[InspectorLink, str]:
    """A new link and its raw token. The token is returned once and never stored: whoever
    loses it asks for a new link. `shared` names, per registered share (`shared.py`), the
    keys of what else the link opens, such as issued reports; a share that refuses a key
    refuses the whole link."""
    if school is not None and school.board_id != board.pk:
        raise ValidationError(_("That school is not part of this board."))
    errors = {}
    label = " ".join((label or "").split())
    if not label:
        errors["label"] = _("Say for whom the link is, for example “Inspecteur J. de Vries”.")
    elif len(label) > LABEL_MAX:
        errors["label"] = _("Keep this under %(n)s characters.") % {"n": LABEL_MAX}
    expires_at = expires_at or InspectorLink.default_expiry()
    if expires_at <= timezone.now():
        errors["expires_at"] = _("The link must be valid until a day in the future.")
    elif expires_at > latest_expiry():
        errors["expires_at"] = _("A link can be valid for at most %(n)s days.") % {"n": MAX_DAYS}
    unit_id = school.pk if school else None
    if visit is not None and (visit.board_id != board.pk or visit.school_id != unit_id):
        errors["visit"] = _("The visit must be a visit to the same school or board.")
    documents = list(documents)
    if any(d.board_id != board.pk or d.school_id != unit_id for d in documents):
        errors["documents"] = _("Only documents of the same school or board can be shared.")
    if errors:
        raise ValidationError(errors)
    raw = InspectorLink.new_token()
    link = InspectorLink.objects.create(
        board=board,
        school=school,
        visit=visit,
        label=label,
        token_hash=hash_link_token(raw),
        created_by=user,
        expires_at=expires_at,
    )
    link.documents.set(documents)
    for name, keys in (shared or {}).items():
        share = shared_parts.get(name)
        if share is None:
            raise ValidationError(_("Unknown part to share: %(name)s.") % {"name": name})
        if keys:
            share.add(link=link, keys=list(keys), user=user)
    return link, raw


@transaction.atomic
def inspector_link_revoke(*, link: InspectorLink, user) -> InspectorLink:
    locked = InspectorLink.objects.select_for_update().get(pk=link.pk)
    if locked.revoked_at:
        raise ValidationError(_("This link was already revoked."))
    locked.revoked_at = timezone.now()
    locked.revoked_by = user
    locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def link_from_token(raw: str) -> InspectorLink:
    """The link a raw token opens, or LinkUnavailable (unknown, expired or revoked)."""
    if not raw or len(raw) > TOKEN_MAX:
        raise LinkUnavailable("unknown")
    link = (
        InspectorLink.objects.select_related("board", "school")
        .filter(token_hash=hash_link_token(raw))
        .first()
    )
    if link is None:
        raise LinkUnavailable("unknown")
    if link.state != "active":
        raise LinkUnavailable(link.state, link)
    return link


def inspector_access_record(*, link: InspectorLink, what: str, user_agent: str = "") -> None:
    """One line in the link's access log: when, what was opened, with which browser."""
    InspectorAccess.objects.create(
        board_id=link.board_id,
        link=link,
        what=what[:WHAT_MAX],
        user_agent=(user_agent or "")[:USER_AGENT_MAX],
    )


# --- What a link reaches --------------------------------------------------------------------


def link_pictures(link: InspectorLink, as_of: date | None = None) -> list[Picture]:
    """The unit's current pictures: the link shows the picture as it stands when opened. With
    `as_of`, the pictures that were current at the end of that day (started by then and not
    yet closed), which may be a period closed since."""
    pictures = Picture.objects.filter(board=link.board_id, school=link.school_id)
    if as_of is None:
        pictures = pictures.filter(state=PictureState.CURRENT)
    else:
        moment = end_of(as_of)
        pictures = pictures.filter(created_at__lte=moment).filter(
            Q(state=PictureState.CURRENT) | Q(closed_at__gt=moment)
        )
    return list(
        pictures.select_related("framework_version", "school").order_by(
            "framework_version__name", "created_at"
        )
    )


def link_entry(link: InspectorLink, entry_id: int) -> Entry | None:
    """An entry of one of the link's pictures; anything else (another unit's picture, a
    closed period) is None, and the page answers as for anything that does not exist."""
    return (
        Entry.objects.filter(
            pk=entry_id,
            board=link.board_id,
            picture__school=link.school_id,
            picture__board=link.board_id,
            picture__state=PictureState.CURRENT,
        )
        .select_related(
            "picture__school",
            "picture__board",
            "picture__framework_version",
            "standard__scale",
            "standard__area",
            "indicator",
            "status",
        )
        .first()
    )


def link_documents(link: InspectorLink) -> list[Evidence]:
    """The documents chosen for the link that still belong to its unit."""
    return list(
        link.documents.filter(board=link.board_id, school=link.school_id)
        .prefetch_related("standards", "indicators", "files")
        .order_by("title", "pk")
    )


def link_document(link: InspectorLink, evidence_id: int) -> Evidence | None:
    return (
        link.documents.filter(pk=evidence_id, board=link.board_id, school=link.school_id)
        .prefetch_related("files")
        .first()
    )
