"""`python -m stelsel reminders`: queue the daily calendar jobs for the task worker.

Run it once a day from cron; the worker (`python -m stelsel db_worker`) sends the reminder
emails and plans the tables' meetings a year ahead. `--now` does the work in this process
instead, without a worker.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from stelsel.meetings import reminders
from stelsel.meetings.tasks import plan_meetings, send_action_reminders


class Command(BaseCommand):
    help = "Queue the reminder emails about actions and the planning of meetings."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Send and plan in this process instead of queueing for the worker.",
        )

    def handle(self, *args, now: bool = False, **options):
        if now:
            sent = reminders.send_reminders(timezone.localdate())
            planned = plan_meetings.call()
            self.stdout.write(f"{reminders.summary(sent)} Meetings planned: {planned}.")
            return
        for job in (send_action_reminders, plan_meetings):
            result = job.enqueue()
            self.stdout.write(f"Queued {job.name} ({result.id}).")
