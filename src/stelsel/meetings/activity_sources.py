"""The calendar's records on the board's activity page: tables (meeting series), meetings and
decisions (registered in `MeetingsConfig.ready()`, see `organisations.activity`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from stelsel.lib import date_formats
from stelsel.meetings.models import Decision, Meeting, MeetingSeries
from stelsel.organisations.activity import LONG_TEXT, Source, register
from stelsel.organisations.roles import Permission


def _meeting(meeting) -> str:
    when = date_formats.short_date(meeting.starts_at)
    return f"{meeting.series.name}, {when}" if meeting.series else when


def _decision(decision) -> str:
    text = " ".join(decision.text.split())
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1].rstrip() + "…"


def _meeting_page(meeting_id, board_id) -> str:
    return reverse("meetings:meeting", args=[board_id, meeting_id])


def register_sources() -> None:
    register(
        Source(
            key="series",
            group="meetings",
            label=gettext_lazy("table"),
            records=lambda board: MeetingSeries.history.filter(board_id=board.pk),
            describe=lambda r: r.name,
            link=lambda r: reverse("meetings:series", args=[r.board_id, r.id]),
            view=Permission.VIEW_PLANS,
        ),
        Source(
            key="meeting",
            group="meetings",
            label=gettext_lazy("meeting"),
            records=lambda board: Meeting.history.filter(board_id=board.pk),
            describe=_meeting,
            school="series__school",
            link=lambda r: _meeting_page(r.id, r.board_id),
            view=Permission.VIEW_PLANS,
            hidden=frozenset({"series"}),
        ),
        Source(
            key="decision",
            group="meetings",
            label=gettext_lazy("decision"),
            records=lambda board: Decision.objects.filter(board=board),
            describe=_decision,
            school="meeting__series__school",
            link=lambda r: _meeting_page(r.meeting_id, r.board_id),
            view=Permission.VIEW_PLANS,
            history=False,
            when="created_at",
            who="created_by",
        ),
    )
