"""A clock for tests of the history: what is written inside `clock(moment)` is dated `moment`."""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

LOCAL = ZoneInfo(settings.TIME_ZONE)


@contextmanager
def clock(moment: datetime):
    """Everything that asks `django.utils.timezone.now()` inside the block gets `moment`: the
    services' judged_at and updated_at, simple-history's history_date, `timezone.localdate()`.
    Field defaults (`default=timezone.now`) keep the real clock; a test that needs such a date
    sets it itself."""
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A local moment (settings.TIME_ZONE) on `day`."""
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL)


def days_ago(n: int) -> date:
    """A day counted back from the real today (also inside `clock`, which moves only Django's
    clock)."""
    return datetime.now(LOCAL).date() - timedelta(days=n)
