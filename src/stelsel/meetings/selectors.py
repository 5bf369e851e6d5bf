"""Reads for the quality calendar: the rhythm in words, the year ahead grouped by month, and
the tables that did not meet as planned. Each read is a fixed number of queries, however many
tables and meetings a board has."""

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stelsel.lib.date_formats import month_year
from stelsel.meetings import recurrence
from stelsel.meetings.holiday_regions import RegionMap, region_map
from stelsel.meetings.holidays import holiday_calendar
from stelsel.meetings.models import (
    AgendaItem,
    CalendarFeed,
    Decision,
    Meeting,
    MeetingSeries,
    MeetingState,
    ReminderOptOut,
    Rhythm,
)

GRACE_DAYS = 7  # a meeting recorded within a week of its date counts as held on time
LOOKBACK_DAYS = 365  # how far back the calendar looks for meetings that did not take place
AHEAD_DAYS = 365


def weekday_name(number: int) -> str:
    # 2024-01-01 was a Monday: the format gives the localised name of the ISO weekday.
    return formats.date_format(dt.date(2024, 1, number), "l")


def month_name(number: int) -> str:
    return formats.date_format(dt.date(2024, number, 1), "F")


def _ordinal(week: int) -> str:
    return {
        1: _("first"),
        2: _("second"),
        3: _("third"),
        4: _("fourth"),
        5: _("last"),
    }.get(week, "")


def rhythm_text(series) -> str:
    """The rhythm in words: "every 2 weeks on Monday at 09:00", "in March and October, on the
    second Thursday at 14:00", "monthly, on the last Friday at 15:00"."""
    at = series.start_time.strftime("%H:%M") if series.start_time else ""
    if series.rhythm == Rhythm.WEEKS:
        day = weekday_name(series.first_date.isoweekday())
        if series.interval == 1:
            return _("every week on %(day)s at %(time)s") % {"day": day, "time": at}
        return ngettext(
            "every %(n)s week on %(day)s at %(time)s",
            "every %(n)s weeks on %(day)s at %(time)s",
            series.interval or 0,
        ) % {"n": series.interval, "day": day, "time": at}
    if series.rhythm == Rhythm.MONTHS:
        months = sorted(series.months or [])
        which = _("the %(ordinal)s %(day)s") % {
            "ordinal": _ordinal(series.week_of_month),
            "day": weekday_name(series.weekday),
        }
        if len(months) == 12:
            return _("monthly, on %(which)s at %(time)s") % {"which": which, "time": at}
        names = [month_name(m) for m in months]
        if len(names) == 1:
            listed = names[0]
            return _("yearly in %(months)s, on %(which)s at %(time)s") % {
                "months": listed,
                "which": which,
                "time": at,
            }
        listed = _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
        return _("in %(months)s, on %(which)s at %(time)s") % {
            "months": listed,
            "which": which,
            "time": at,
        }
    return _("no fixed rhythm")


def local_midnight(day: dt.date) -> dt.datetime:
    return recurrence.local_start(day, dt.time(0, 0))


@dataclass
class Missed:
    """A planned occurrence that has passed without a record of the meeting."""

    series: MeetingSeries
    date: dt.date
    meeting_id: int | None = None  # the planned row, to record it after all


def missed_meetings(board, today: dt.date, *, series=None) -> list[Missed]:
    """Occurrences from the past year (counted from the day the table was set up) more than
    `GRACE_DAYS` ago for which no meeting was recorded as held or cancelled.

    A meeting recorded on the planned date accounts for that occurrence; one recorded on
    another date (a moved meeting) accounts for one unaccounted occurrence within a week of
    it. `series` narrows to the tables a user sees; by default all of the board's.
    """
    tables = list(
        (series if series is not None else MeetingSeries.objects.filter(board=board))
        .filter(board=board)
        .exclude(rhythm=Rhythm.NONE)
        .select_related("school")
    )
    if not tables:
        return []
    start = today - dt.timedelta(days=LOOKBACK_DAYS)
    end = today - dt.timedelta(days=GRACE_DAYS + 1)
    rows = Meeting.objects.filter(
        series__in=[s.pk for s in tables],
        starts_at__gte=local_midnight(start - dt.timedelta(days=GRACE_DAYS)),
        starts_at__lt=local_midnight(end + dt.timedelta(days=GRACE_DAYS + 1)),
    ).values_list("pk", "series_id", "starts_at", "state")
    recorded: dict[int, list[dt.date]] = {}
    planned: dict[tuple[int, dt.date], int] = {}
    for pk, series_id, starts_at, state in rows:
        day = timezone.localdate(starts_at)
        if state == MeetingState.PLANNED:
            planned.setdefault((series_id, day), pk)
        else:
            recorded.setdefault(series_id, []).append(day)
    missed = []
    regions = region_map(board.pk)
    for table in tables:
        since = max(start, timezone.localdate(table.created_at))
        # A meeting moved out of a school holiday is expected in the week after it.
        dates = recurrence.school_dates(
            table,
            since,
            end,
            region=regions.of(table.school_id),
            holidays=holiday_calendar(),
        )
        held = recorded.get(table.pk, [])
        extras = sorted(set(held) - set(dates))
        for day in dates:
            if day in held:
                continue
            near = next((x for x in extras if abs((x - day).days) <= GRACE_DAYS), None)
            if near is not None:
                extras.remove(near)
                continue
            missed.append(Missed(table, day, planned.get((table.pk, day))))
    missed.sort(key=lambda m: (m.date, m.series.name))
    return missed


@dataclass
class Month:
    label: str
    meetings: list = field(default_factory=list)


def mark_holidays(meetings, regions: RegionMap):
    """Give each meeting `holiday`: the school holiday of its table's region it falls in (a
    table that keeps its dates, or a meeting held before the region was known), else None."""
    holidays = holiday_calendar()
    for meeting in meetings:
        meeting.holiday = holidays.on(
            regions.of(meeting.series.school_id), timezone.localdate(meeting.starts_at)
        )
    return meetings


def meetings_ahead(
    series_queryset, today: dt.date, days: int = AHEAD_DAYS, *, regions: RegionMap | None = None
) -> list[Month]:
    """The meetings from today on for `days`, grouped by month, with their table and unit and
    the school holiday each falls in (see `mark_holidays`)."""
    meetings = (
        Meeting.objects.filter(
            series__in=series_queryset,
            starts_at__gte=local_midnight(today),
            starts_at__lt=local_midnight(today + dt.timedelta(days=days + 1)),
        )
        .select_related("series__school")
        .order_by("starts_at", "series__name")
    )
    if regions is not None:
        meetings = mark_holidays(list(meetings), regions)
    months = []
    for (year, month), group in groupby(
        meetings,
        key=lambda m: (timezone.localtime(m.starts_at).year, timezone.localtime(m.starts_at).month),
    ):
        label = month_year(dt.date(year, month, 1))
        months.append(Month(label, list(group)))
    return months


def tables(series_queryset):
    """The tables with their members and how many meetings each has."""
    return (
        series_queryset.select_related("school")
        .prefetch_related("members")
        .annotate(meeting_count=Count("meetings"))
        .order_by("school__name", "name")
    )


def meeting_detail(meeting: Meeting):
    """The meeting's agenda and decisions (with the actions they created)."""
    return (
        list(AgendaItem.objects.filter(meeting=meeting).select_related("agenda_point__round")),
        list(
            Decision.objects.filter(meeting=meeting).select_related("action__owner", "created_by")
        ),
    )


def series_meetings(series: MeetingSeries, today: dt.date, *, ahead: int = 8, behind: int = 12):
    """The next meetings and the most recent ones of a table."""
    now = local_midnight(today)
    upcoming = list(series.meetings.filter(starts_at__gte=now).order_by("starts_at")[:ahead])
    past = list(series.meetings.filter(starts_at__lt=now).order_by("-starts_at")[:behind])
    return upcoming, past


def incomplete(series: MeetingSeries) -> list[str]:
    """What a table still lacks of its place, assignment and mandate (DOMAIN §7)."""
    lacking = []
    if not series.place:
        lacking.append(_("place"))
    if not series.assignment:
        lacking.append(_("assignment"))
    if not series.mandate:
        lacking.append(_("mandate"))
    return lacking


def settings_context(user) -> dict:
    """What the user's own settings page shows of the calendar: feeds and reminders."""
    return {
        "calendar_feeds": list(CalendarFeed.objects.filter(user=user)),
        "reminders_off": ReminderOptOut.objects.filter(user=user).exists(),
    }
