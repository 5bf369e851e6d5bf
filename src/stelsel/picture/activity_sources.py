"""The picture's records on the board's activity page: judgements and the messages on them,
own indicators, evidence, herstelopdrachten and inspection visits (registered in
`PictureConfig.ready()`, see `organisations.activity`)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.organisations.activity import Source, register
from stelsel.organisations.roles import Permission
from stelsel.picture.models import (
    Assignment,
    AssignmentKind,
    Entry,
    EntryMessage,
    Evidence,
    Indicator,
    MessageKind,
    Visit,
)


def _entry_name(entry) -> str:
    """A judgement by its standard or own indicator (the record keeps its ids even when the
    standard or indicator itself is gone)."""
    if entry is None:
        return _("(removed)")
    if entry.standard_id:
        standard = entry.standard
        return f"{standard.code} {standard.name}" if standard else _("(removed)")
    indicator = entry.indicator
    return f"{indicator.code} {indicator.title}" if indicator else _("(removed)")


def _message(message) -> str:
    kind = MessageKind(message.kind).label if message.kind in MessageKind.values else ""
    return f"{kind}: {_entry_name(message.entry)}"


def _assignment(record) -> str:
    kind = AssignmentKind(record.kind).label if record.kind in AssignmentKind.values else ""
    code = (record.requirement or record.standard).code if record.standard_id else ""
    return f"{kind} {code}".strip()


def _entry_page(entry_id, board_id) -> str:
    return reverse("picture:entry", args=[board_id, entry_id])


def register_sources() -> None:
    register(
        Source(
            key="entry",
            group="judgements",
            label=gettext_lazy("judgement"),
            # A picture or a new period adds every standard with its starting status: that is
            # no one's judgement. Judging is a change of the entry.
            records=lambda board: (
                Entry.history.filter(board_id=board.pk)
                .exclude(history_type="+")
                .select_related("standard", "indicator")
            ),
            describe=_entry_name,
            school="picture__school",
            link=lambda r: _entry_page(r.id, r.board_id),
            view=Permission.VIEW_PICTURE,
            hidden=frozenset(
                {"picture", "standard", "indicator", "judged_by", "judged_at", "requirements_met"}
            ),
        ),
        Source(
            key="entry_message",
            group="judgements",
            label=gettext_lazy("message on a judgement"),
            records=lambda board: EntryMessage.objects.filter(board=board).select_related(
                "entry__standard", "entry__indicator"
            ),
            describe=_message,
            school="entry__picture__school",
            link=lambda r: _entry_page(r.entry_id, r.board_id),
            view=Permission.VIEW_PICTURE,
            history=False,
            when="created_at",
            who="author",
        ),
        Source(
            key="indicator",
            group="judgements",
            label=gettext_lazy("own indicator"),
            records=lambda board: Indicator.history.filter(board_id=board.pk),
            describe=lambda r: f"{r.code} {r.title}",
            school=None,
            link=lambda r: reverse("picture:indicators", args=[r.board_id]),
            view=Permission.VIEW_PICTURE,
        ),
        Source(
            key="evidence",
            group="evidence",
            label=gettext_lazy("evidence"),
            records=lambda board: Evidence.history.filter(board_id=board.pk),
            describe=lambda r: r.title,
            link=lambda r: reverse("picture:evidence_detail", args=[r.board_id, r.id]),
            view=Permission.VIEW_PICTURE,
        ),
        Source(
            key="assignment",
            group="assignments",
            label=gettext_lazy("herstelopdracht"),
            records=lambda board: Assignment.history.filter(board_id=board.pk).select_related(
                "standard", "requirement"
            ),
            describe=_assignment,
            link=lambda r: reverse("picture:assignment_detail", args=[r.board_id, r.id]),
            view=Permission.VIEW_PICTURE,
        ),
        Source(
            key="visit",
            group="visits",
            label=gettext_lazy("inspection visit"),
            records=lambda board: Visit.history.filter(board_id=board.pk),
            describe=lambda r: r.title,
            link=lambda r: reverse("picture:visit", args=[r.board_id, r.id]),
            view=Permission.VIEW_PICTURE,
        ),
    )
