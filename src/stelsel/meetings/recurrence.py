"""When a table meets: the occurrences of a meeting series between two dates.

A rhythm is planned in the board's local time (Europe/Amsterdam): a table that meets at 15:00
meets at 15:00 in winter and in summer, so the occurrences are built from local dates and the
local start time and only then made aware. Arithmetic on aware datetimes would drift an hour
across the clock changes (last Sunday of March and of October).

This module reads only the rule's fields, so it works on a `MeetingSeries` and on anything with
the same attributes (a form's cleaned data, a test's rule), and it never touches the database.
"""

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC

WEEKS = "weeks"
MONTHS = "months"
NONE = "none"
LAST_WEEK = 5  # week_of_month 5 means the last such weekday of the month
MOVE = "move"  # HolidayRule.MOVE: meetings in a school holiday go to the next school week
HOLIDAY_REACH_DAYS = 8 * 7  # a move never reaches further than the longest holiday and a week


def nth_weekday(year: int, month: int, weekday: int, week_of_month: int) -> dt.date:
    """The `week_of_month`-th `weekday` (ISO, 1 = Monday) of the month; 5 is the last one."""
    if week_of_month >= LAST_WEEK:
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    offset = (weekday - first.isoweekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (week_of_month - 1))


def _span(rule, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The part of [start, end] that lies within the series' own first and last date."""
    lo = max(start, rule.first_date)
    hi = min(end, rule.last_date) if rule.last_date else end
    return (lo, hi) if lo <= hi else None


def occurrence_dates(rule, start: dt.date, end: dt.date) -> list[dt.date]:
    """The local dates on which the series meets, from `start` to `end` (both included)."""
    span = _span(rule, start, end)
    if span is None or rule.rhythm not in (WEEKS, MONTHS):
        return []
    lo, hi = span
    if rule.rhythm == WEEKS:
        step = 7 * (rule.interval or 0)
        if step <= 0:
            return []
        # The first multiple of the step on or after `lo`, counted from the first meeting.
        k = -(-(lo - rule.first_date).days // step)
        day = rule.first_date + dt.timedelta(days=k * step)
        dates = []
        while day <= hi:
            dates.append(day)
            day += dt.timedelta(days=step)
        return dates
    months = {int(m) for m in rule.months or () if 1 <= int(m) <= 12}
    if not months or not 1 <= rule.weekday <= 7 or not 1 <= rule.week_of_month <= LAST_WEEK:
        return []
    dates = []
    year, month = lo.year, lo.month
    while (year, month) <= (hi.year, hi.month):
        if month in months:
            day = nth_weekday(year, month, rule.weekday, rule.week_of_month)
            if lo <= day <= hi:
                dates.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def local_start(day: dt.date, start_time: dt.time) -> dt.datetime:
    """`day` at `start_time` on the wall clock in Amsterdam, as an aware datetime.

    A time that does not exist (02:30 on the night the clocks go forward) is moved on by the
    hour that was skipped; an ambiguous one (02:30 when they go back) is the first of the two.
    """
    naive = dt.datetime.combine(day, start_time.replace(tzinfo=None))
    aware = naive.replace(tzinfo=LOCAL, fold=0)
    return aware.astimezone(UTC).astimezone(LOCAL)


def school_dates(rule, start: dt.date, end: dt.date, *, region, holidays) -> list[dt.date]:
    """The local dates the series meets from `start` to `end`, school holidays considered.

    A table that moves its meetings (`holiday_rule` "move") meets on the same weekday of the
    first school week after a holiday of `region` instead of in it; a weekly table's meetings
    in a long holiday fold into that one meeting. An occurrence shortly before `start` can be
    moved into the span, so the rhythm is read from that far back. Without a region, or for a
    table that keeps its dates, these are the rhythm's own dates. `holidays` is a
    `holidays.HolidayCalendar`; this function still reads no database.
    """
    if region is None or getattr(rule, "holiday_rule", MOVE) != MOVE:
        return occurrence_dates(rule, start, end)
    dates = set()
    for day in occurrence_dates(rule, start - dt.timedelta(days=HOLIDAY_REACH_DAYS), end):
        moved, _holiday = holidays.school_week(region, day)
        if start <= moved <= end and (not rule.last_date or moved <= rule.last_date):
            dates.add(moved)
    return sorted(dates)


def occurrences(rule, start: dt.date, end: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """(starts_at, ends_at) of each meeting from `start` to `end`, aware and in local time."""
    return occurrences_on(rule, occurrence_dates(rule, start, end))


def occurrences_on(rule, dates) -> list[tuple[dt.datetime, dt.datetime]]:
    """(starts_at, ends_at) of a meeting of the series on each of `dates`.

    The end is the start plus the duration in real time, so a meeting that spans a clock
    change still lasts as long as planned.
    """
    duration = dt.timedelta(minutes=rule.duration_minutes)
    result = []
    for day in dates:
        starts = local_start(day, rule.start_time)
        ends = (starts.astimezone(UTC) + duration).astimezone(LOCAL)
        result.append((starts, ends))
    return result


def first_occurrence(rule, horizon_days: int = 3 * 366) -> dt.date | None:
    """The first date the series meets, looking at most `horizon_days` past its first date
    (every valid rhythm meets within a year; the margin covers a last date far ahead)."""
    end = rule.first_date + dt.timedelta(days=horizon_days)
    if rule.last_date:
        end = min(end, rule.last_date)
    dates = occurrence_dates(rule, rule.first_date, end)
    return dates[0] if dates else None
