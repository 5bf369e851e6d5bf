"""A person's calendar feed (iCalendar): their meetings and the due dates of their actions.

Which meetings: the tables the person sits at (members), plus every table of the board itself
on boards where the person has a board-level role. A school role does not bring in all of its
school's tables: the person is made a member of the ones they attend. Everything is narrowed
to what the person may still see through access.py, so a feed stops showing a board's
meetings the moment the role on it ends. The window is 30 days back to a year ahead.

Events carry stable UIDs (the meeting's or action's id), so calendar apps update an event in
place instead of adding it again; times are written in UTC.
"""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import vText

from stelsel.meetings.access import meeting_series_for_user
from stelsel.meetings.holiday_regions import region_maps
from stelsel.meetings.holidays import holiday_calendar
from stelsel.meetings.models import Meeting, MeetingSeries, MeetingState
from stelsel.meetings.selectors import local_midnight
from stelsel.organisations.access import boards_for_user, has_unit_permission
from stelsel.organisations.roles import Permission
from stelsel.planning.access import actions_for_user
from stelsel.planning.models import Action, ActionStatus

BACK_DAYS = 30
AHEAD_DAYS = 366
OPEN_ACTION_STATES = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.STALLED]


def feed_url(raw: str) -> str:
    return settings.SITE_URL + reverse("meetings:feed", args=[raw])


def webcal_url(url: str) -> str:
    """The same address under the webcal: scheme, which calendar apps open as a subscription
    in one click (they fetch it over HTTPS, or HTTP for an http: address)."""
    scheme, sep, rest = url.partition("://")
    return f"webcal://{rest}" if sep and scheme in ("https", "http") else url


def _uid_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "stelsel"


def feed_items(user, today: dt.date):
    """The feed's meetings, their tables and the person's actions: a fixed number of queries,
    read as plain values (a feed of a thousand meetings spends its time on writing, not on
    building model objects)."""
    start = local_midnight(today - dt.timedelta(days=BACK_DAYS))
    end = local_midnight(today + dt.timedelta(days=AHEAD_DAYS))
    series_q = Q(pk__in=[])
    action_q = Q(pk__in=[])
    for board in boards_for_user(user):
        try:
            visible = meeting_series_for_user(user, board)
            actions = actions_for_user(user, board)
        except PermissionDenied:
            continue
        mine = Q(members=user)
        if has_unit_permission(user, board, Permission.VIEW_PLANS, None):
            mine |= Q(school__isnull=True)
        series_q |= Q(pk__in=visible.filter(mine).values("pk"))
        action_q |= Q(pk__in=actions.filter(owner=user).values("pk"))
    tables = {
        row["pk"]: row
        for row in MeetingSeries.objects.filter(series_q).values(
            "pk",
            "board_id",
            "school_id",
            "name",
            "school__name",
            "place",
            "participants_text",
            "assignment",
        )
    }
    meetings = list(
        Meeting.objects.filter(series__in=list(tables), starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "pk")
        .values_list("pk", "board_id", "series_id", "starts_at", "ends_at", "state")
    )
    actions = list(
        Action.objects.filter(
            action_q,
            status__in=OPEN_ACTION_STATES,
            due_on__gte=today - dt.timedelta(days=BACK_DAYS),
            due_on__lt=today + dt.timedelta(days=AHEAD_DAYS),
        )
        .order_by("due_on", "pk")
        .values_list("pk", "board_id", "title", "due_on", "school__name", "board__name")
    )
    return tables, meetings, actions


# --- Writing iCalendar ----------------------------------------------------------------------
# Lines are written here and values encoded with icalendar's types. Building a component
# object per event costs about a tenth of a millisecond each, which a board's thousand
# meetings turn into most of the time budget; the lines of a table (summary, place,
# description) are the same for all its meetings and are written once.

CRLF = "\r\n"


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1  # step back to the start of a character
        parts.append(data[start:end].decode())
        start, limit = end, 74  # continuation lines start with a space
    return (CRLF + " ").join(parts)


def _text(name: str, value: str) -> str:
    return _fold(f"{name}:{vText(value).to_ical().decode()}")


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def feed_calendar(user, today: dt.date | None = None) -> bytes:
    """The feed as iCalendar bytes."""
    today = today or timezone.localdate()
    tables, meetings, actions = feed_items(user, today)
    host = _uid_host()
    site = settings.SITE_URL
    stamp = _utc(timezone.now())
    meeting_path = reverse("meetings:meeting", args=[1, 2]).replace("/1/", "/{board}/", 1)
    meeting_path = meeting_path.replace("/2/", "/{meeting}/")
    action_path = reverse("planning:action_detail", args=[1, 2]).replace("/1/", "/{board}/", 1)
    action_path = action_path.replace("/2/", "/{action}/")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Stelsel//Kwaliteitskalender//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        _text("X-WR-CALNAME", _("Stelsel: meetings and actions")),
    ]
    table_lines = {}
    table_about = {}
    regions = region_maps({table["board_id"] for table in tables.values()})
    holidays = holiday_calendar()
    in_holiday = _("Falls in the %(holiday)s (region %(region)s).")
    for pk, table in tables.items():
        summary = table["name"]
        if table["school__name"]:
            summary = f"{summary} · {table['school__name']}"
        own = [_text("SUMMARY", summary)]
        if table["place"]:
            own.append(_text("LOCATION", table["place"]))
        table_about[pk] = "\n\n".join(
            p for p in (table["participants_text"], table["assignment"]) if p
        )
        table_lines[pk] = own
    for pk, board_id, series_id, starts_at, ends_at, state in meetings:
        url = site + meeting_path.format(board=board_id, meeting=pk)
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(starts_at)}",
            f"DTEND:{_utc(ends_at)}",
            "STATUS:CANCELLED" if state == MeetingState.CANCELLED else "STATUS:CONFIRMED",
            *table_lines[series_id],
        ]
        # A meeting kept in a school holiday says so, as the calendar pages do.
        table = tables[series_id]
        region = regions[table["board_id"]].of(table["school_id"])
        holiday = holidays.on(region, timezone.localdate(starts_at)) if region else None
        about = table_about[series_id]
        if holiday is not None:
            note = in_holiday % {"holiday": str(holiday.name).lower(), "region": region}
            about = f"{note}\n\n{about}" if about else note
        if about:
            lines.append(_text("DESCRIPTION", about))
        lines += [_fold(f"URL:{url}"), "END:VEVENT"]
    due = _("Due: %(title)s")
    for pk, board_id, title, due_on, school_name, board_name in actions:
        url = site + action_path.format(board=board_id, action=pk)
        lines += [
            "BEGIN:VEVENT",
            f"UID:action-{pk}-due@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{due_on + dt.timedelta(days=1):%Y%m%d}",
            _text("SUMMARY", due % {"title": title}),
            _text("DESCRIPTION", f"{school_name or board_name}\n\n{url}"),
            _fold(f"URL:{url}"),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return (CRLF.join(lines) + CRLF).encode()
