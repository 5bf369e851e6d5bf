"""Builders for calendar tests and the permission matrix: tables and meetings of a unit,
written directly (the services are tested on their own)."""

import datetime as dt
import itertools

from django.utils import timezone

from stelsel.meetings.models import Meeting, MeetingSeries
from stelsel.meetings.recurrence import local_start

_counter = itertools.count(1)


def make_series(board, school=None, **fields) -> MeetingSeries:
    values = {
        "name": f"Tafel {next(_counter)}",
        "rhythm": "weeks",
        "interval": 4,
        "start_time": dt.time(15, 0),
        "first_date": timezone.localdate() - dt.timedelta(days=60),
        "duration_minutes": 90,
    }
    values.update(fields)
    members = values.pop("members", ())
    series = MeetingSeries.objects.create(board=board, school=school, **values)
    series.members.set(members)
    return series


def make_meeting(board, school=None, *, series=None, day=None, state="planned", **fields):
    """A meeting of a (new) table; by default two days ago, so it can be recorded."""
    series = series or make_series(board, school)
    day = day or timezone.localdate() - dt.timedelta(days=2)
    starts = local_start(day, series.start_time)
    return Meeting.objects.create(
        board=board,
        series=series,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=series.duration_minutes),
        state=state,
        **fields,
    )
