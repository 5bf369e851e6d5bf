"""Reminder emails about actions: a week before, a day before and once overdue, each once;
one email per person; opt-out honoured; a one-click unsubscribe link; run by the task worker."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from stelsel.meetings import reminders
from stelsel.meetings.models import ReminderOptOut, ReminderSent
from stelsel.organisations.roles import Role
from tests.factories import grant, make_action, make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


def _run(day: dt.date) -> list:
    mail.outbox.clear()
    reminders.send_reminders(day)
    return list(mail.outbox)


@pytest.fixture
def owner(world):
    return world.users[Role.SCHOOL_LEADER]


def test_a_week_before_a_day_before_and_once_overdue(world, owner):
    action = make_action(world.board, world.school, owner=owner, due_on=TODAY + dt.timedelta(7))
    sent = _run(TODAY)
    assert len(sent) == 1
    assert sent[0].to == [owner.email]
    assert action.title in sent[0].body
    assert "Due within a week" in sent[0].body
    assert _run(TODAY) == []  # the same day again: nothing
    assert _run(TODAY + dt.timedelta(3)) == []  # still in the week window, already sent
    day = _run(TODAY + dt.timedelta(6))
    assert len(day) == 1 and "Due today or tomorrow" in day[0].body
    assert _run(TODAY + dt.timedelta(7)) == []
    overdue = _run(TODAY + dt.timedelta(8))
    assert len(overdue) == 1 and "Past their due date" in overdue[0].body
    assert _run(TODAY + dt.timedelta(9)) == []
    assert _run(TODAY + dt.timedelta(40)) == []
    kinds = sorted(ReminderSent.objects.filter(action=action).values_list("kind", flat=True))
    assert kinds == ["day", "overdue", "week"]


def test_a_new_due_date_starts_a_new_cycle(world, owner):
    action = make_action(world.board, world.school, owner=owner, due_on=TODAY - dt.timedelta(1))
    assert len(_run(TODAY)) == 1
    action.due_on = TODAY + dt.timedelta(5)
    action.save()
    assert len(_run(TODAY)) == 1
    assert len(_run(TODAY)) == 0


def test_one_email_per_person_listing_all_their_actions(world, owner):
    titles = [
        make_action(world.board, world.school, owner=owner, due_on=TODAY + dt.timedelta(d)).title
        for d in (-30, 1, 4)
    ]
    make_action(world.board, world.school, owner=owner, due_on=TODAY + dt.timedelta(20))
    sent = _run(TODAY)
    assert len(sent) == 1
    assert "3 actions" in sent[0].subject
    for title in titles:
        assert title in sent[0].body


def test_closed_actions_and_actions_without_owner_or_date_get_no_reminder(world, owner):
    due = TODAY + dt.timedelta(3)
    make_action(world.board, world.school, owner=owner, due_on=due, status="done")
    make_action(world.board, world.school, owner=owner, due_on=due, status="cancelled")
    make_action(world.board, world.school, owner=None, due_on=due)
    make_action(world.board, world.school, owner=owner, due_on=None)
    assert _run(TODAY) == []


def test_an_owner_who_lost_their_role_on_the_unit_gets_no_reminder(world):
    moved = make_user()
    grant(moved, world.board, Role.SCHOOL_LEADER, world.other_school)
    make_action(world.board, world.school, owner=moved, due_on=TODAY + dt.timedelta(3))
    assert _run(TODAY) == []


def test_an_opt_out_is_honoured(world, owner):
    ReminderOptOut.objects.create(user=owner)
    make_action(world.board, world.school, owner=owner, due_on=TODAY + dt.timedelta(3))
    assert _run(TODAY) == []
    assert not ReminderSent.objects.exists()


def test_a_mail_server_that_fails_leaves_the_reminder_for_the_next_run(world, owner):
    make_action(world.board, world.school, owner=owner, due_on=TODAY + dt.timedelta(3))
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("down")):
        assert reminders.send_reminders(TODAY) == 0
    assert not ReminderSent.objects.exists()
    assert len(_run(TODAY)) == 1


def test_the_unsubscribe_link_asks_then_opts_out(client, world, owner):
    make_action(world.board, world.school, owner=owner, due_on=TODAY + dt.timedelta(3))
    (message,) = _run(TODAY)
    link = re.search(r"https?://\S+/herinneringen/afmelden/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = link.removeprefix(settings.SITE_URL)
    response = client.get(path)
    assert response.status_code == 200
    assert b'<form method="post"' in response.content
    assert not ReminderOptOut.objects.exists()  # a link checker's GET changes nothing
    response = client.post(path)  # as a mail client's one-click POST: no session, no CSRF token
    assert response.status_code == 200
    assert ReminderOptOut.objects.filter(user=owner).exists()
    make_action(world.board, world.school, owner=owner, due_on=TODAY + dt.timedelta(2))
    assert _run(TODAY) == []


def test_a_forged_unsubscribe_link_answers_404(client, world, owner):
    token = reminders.unsubscribe_token(owner)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(reverse("meetings:unsubscribe", args=[forged])).status_code == 404
    assert client.get(reverse("meetings:unsubscribe", args=["1"])).status_code == 404
    assert not ReminderOptOut.objects.exists()


def test_reminders_are_turned_off_and_on_in_the_settings(client, world, owner):
    client.force_login(owner)
    client.post(reverse("meetings:reminders_setting"), {"reminders": "off"})
    assert ReminderOptOut.objects.filter(user=owner).exists()
    page = client.get(reverse("account_settings")).content.decode()
    assert 'name="reminders" value="on"' in page  # the button turns them on again
    client.post(reverse("meetings:reminders_setting"), {"reminders": "on"})
    assert not ReminderOptOut.objects.exists()


# --- The task worker --------------------------------------------------------------------------


def test_the_task_sends_with_the_immediate_backend(settings, world, owner):
    from django.utils import timezone

    from stelsel.meetings.tasks import send_action_reminders

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    make_action(
        world.board, world.school, owner=owner, due_on=timezone.localdate() + dt.timedelta(1)
    )
    mail.outbox.clear()
    result = send_action_reminders.enqueue()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == 1
    assert len(mail.outbox) == 1


def test_the_command_queues_the_jobs_and_the_database_worker_runs_them(settings, world, owner):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_action(
        world.board, world.school, owner=owner, due_on=timezone.localdate() + dt.timedelta(1)
    )
    mail.outbox.clear()
    call_command("reminders")
    assert DBTaskResult.objects.count() == 2
    assert mail.outbox == []  # queued, not yet sent
    # The worker closes stale connections between tasks; here that is the test's own.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert len(mail.outbox) == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_the_command_can_run_without_a_worker(world, owner):
    from io import StringIO

    from django.utils import timezone

    make_action(
        world.board, world.school, owner=owner, due_on=timezone.localdate() + dt.timedelta(1)
    )
    mail.outbox.clear()
    out = StringIO()
    call_command("reminders", "--now", stdout=out)
    assert len(mail.outbox) == 1
    assert "1 reminder email sent" in out.getvalue()
