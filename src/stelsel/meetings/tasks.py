"""Background tasks of the quality calendar, run by the database task worker
(`python -m stelsel db_worker`); `python -m stelsel reminders` queues them, e.g. daily from
cron."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from stelsel.meetings import reminders, services
from stelsel.meetings.models import MeetingSeries, Rhythm


@task()
def send_action_reminders() -> int:
    """Email the owners of open actions due within a week, due tomorrow or overdue."""
    return reminders.send_reminders(timezone.localdate())


@task()
def plan_meetings() -> int:
    """Keep every table's meetings planned a year ahead, as the days go by."""
    until = timezone.localdate() + dt.timedelta(days=services.PLAN_AHEAD_DAYS)
    total = 0
    for series in MeetingSeries.objects.exclude(rhythm=Rhythm.NONE).only("pk"):
        total += services.meetings_plan(series=series, until=until)
    return total
