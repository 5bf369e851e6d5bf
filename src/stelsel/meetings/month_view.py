"""The calendar as a month: a grid of weeks from Monday to Sunday with each day's meetings and
the school holiday it falls in. One query for the meetings, whatever the number of tables."""

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from stelsel.lib.date_formats import month_year
from stelsel.meetings.holiday_regions import RegionMap
from stelsel.meetings.holidays import Holiday, holiday_calendar
from stelsel.meetings.models import Meeting
from stelsel.meetings.selectors import local_midnight, mark_holidays, weekday_name


@dataclass
class Day:
    date: dt.date
    in_month: bool
    is_today: bool
    holiday: Holiday | None = None
    meetings: list = field(default_factory=list)


@dataclass
class MonthGrid:
    first: dt.date
    label: str
    weekdays: list[tuple[str, str]]  # (full name, abbreviation) from Monday
    weeks: list[list[Day]]
    previous: dt.date
    next: dt.date
    holidays: list[Holiday]
    covered: bool  # the holiday dates of this month's school year are known
    region: str | None

    @property
    def previous_label(self) -> str:
        return month_year(self.previous)

    @property
    def next_label(self) -> str:
        return month_year(self.next)

    @property
    def days_with_meetings(self) -> list[Day]:
        return [day for week in self.weeks for day in week if day.in_month and day.meetings]


def _shift(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_grid(
    series_queryset,
    year: int,
    month: int,
    today: dt.date,
    *,
    region: str | None,
    regions: RegionMap,
) -> MonthGrid:
    """The month `year`-`month` of the tables in `series_queryset`. Days are shaded with the
    holidays of `region` (the unit looked at); each meeting carries the holiday of its own
    table's region (`mark_holidays`)."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, pycalendar.monthrange(year, month)[1])
    grid_start = first - dt.timedelta(days=first.isoweekday() - 1)
    grid_end = last + dt.timedelta(days=7 - last.isoweekday())
    meetings = mark_holidays(
        list(
            Meeting.objects.filter(
                series__in=series_queryset,
                starts_at__gte=local_midnight(grid_start),
                starts_at__lt=local_midnight(grid_end + dt.timedelta(days=1)),
            )
            .select_related("series__school")
            .order_by("starts_at", "series__name")
        ),
        regions,
    )
    by_day: dict[dt.date, list] = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localdate(meeting.starts_at), []).append(meeting)
    holidays = holiday_calendar()
    weeks, day = [], grid_start
    while day <= grid_end:
        week = []
        for _ in range(7):
            week.append(
                Day(
                    date=day,
                    in_month=day.month == month,
                    is_today=day == today,
                    holiday=holidays.on(region, day),
                    meetings=by_day.get(day, []),
                )
            )
            day += dt.timedelta(days=1)
        weeks.append(week)
    return MonthGrid(
        first=first,
        label=month_year(first),
        weekdays=[(weekday_name(d), weekday_name(d)[:2]) for d in range(1, 8)],
        weeks=weeks,
        previous=_shift(first, -1),
        next=_shift(first, 1),
        holidays=holidays.between(region, first, last),
        covered=holidays.covers(first) and holidays.covers(last),
        region=region,
    )
