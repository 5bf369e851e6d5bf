"""The archive of past meetings: held, cancelled or never recorded, newest first, by table and
school year. A school year runs from 1 August to 31 July."""

import datetime as dt

from django.db.models import Max, Min
from django.utils import timezone

from stelsel.meetings.holidays import SCHOOL_YEAR_STARTS, school_year_of
from stelsel.meetings.models import Meeting
from stelsel.meetings.selectors import local_midnight


def school_year_span(school_year: str) -> tuple[dt.date, dt.date]:
    first = int(school_year.split("-")[0])
    return dt.date(first, SCHOOL_YEAR_STARTS, 1), dt.date(first + 1, SCHOOL_YEAR_STARTS, 1)


def _past(series_queryset, today: dt.date):
    return Meeting.objects.filter(series__in=series_queryset, starts_at__lt=local_midnight(today))


def archive_school_years(series_queryset, today: dt.date) -> list[str]:
    """The school years that hold past meetings of these tables, newest first (one query)."""
    span = _past(series_queryset, today).aggregate(first=Min("starts_at"), last=Max("starts_at"))
    if span["first"] is None:
        return []
    first = int(school_year_of(timezone.localdate(span["first"])).split("-")[0])
    last = int(school_year_of(timezone.localdate(span["last"])).split("-")[0])
    return [f"{year}-{year + 1}" for year in range(last, first - 1, -1)]


def past_meetings(series_queryset, today: dt.date, *, table: int | None, school_year: str):
    """The meetings before today of these tables, newest first, narrowed to one table and one
    school year when given; with table and unit, ready to page through."""
    meetings = _past(series_queryset, today)
    if table is not None:
        meetings = meetings.filter(series_id=table)
    if school_year:
        start, end = school_year_span(school_year)
        meetings = meetings.filter(
            starts_at__gte=local_midnight(start), starts_at__lt=local_midnight(end)
        )
    return meetings.select_related("series__school").order_by("-starts_at", "series__name")
