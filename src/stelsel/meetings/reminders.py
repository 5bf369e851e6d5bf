"""Reminder emails about actions: a week before the due date, a day before, and once when it
has passed.

Each owner gets one email per run listing everything due, so a first run after a long pause
sends one email per person, not one per action. `ReminderSent` records each reminder (action,
kind, due date) under a unique constraint, so a reminder goes out once even when the job runs
twice or two workers run at once; a new due date starts a new cycle. People who opted out get
nothing; every email carries a one-click unsubscribe link. Only owners who can still reach the
action's unit (a role on the board itself or on its school) are written to.
"""

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import ngettext

from stelsel.meetings.models import ReminderOptOut, ReminderSent
from stelsel.organisations.models import Membership
from stelsel.organisations.units import unit_name
from stelsel.planning.models import Action, ActionStatus

logger = logging.getLogger(__name__)

WEEK, DAY, OVERDUE = "week", "day", "overdue"
OPEN_STATES = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.STALLED]
UNSUBSCRIBE_SALT = "stelsel.meetings.reminders.unsubscribe"


def reminder_kind(due_on: dt.date, today: dt.date) -> str | None:
    """Which reminder is due today: 2 to 7 days ahead the week one, today or tomorrow the day
    one, after the date the overdue one. A run that was missed still sends the reminder of the
    window it is in."""
    days = (due_on - today).days
    if days < 0:
        return OVERDUE
    if days <= 1:
        return DAY
    if days <= 7:
        return WEEK
    return None


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe_token(token: str):
    """The person an unsubscribe link was made for, or None for a token that was not signed
    here. The link does not expire: an old email's link still works."""
    from django.contrib.auth import get_user_model

    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return get_user_model().objects.filter(pk=pk).first()


def unsubscribe_url(user) -> str:
    return settings.SITE_URL + reverse("meetings:unsubscribe", args=[unsubscribe_token(user)])


def _candidates(today: dt.date):
    reachable = Membership.objects.filter(board=OuterRef("board"), user=OuterRef("owner")).filter(
        Q(school__isnull=True) | Q(school=OuterRef("school"))
    )
    return (
        Action.objects.filter(
            status__in=OPEN_STATES,
            owner__isnull=False,
            owner__is_active=True,
            due_on__isnull=False,
            due_on__lte=today + dt.timedelta(days=7),
        )
        .filter(Exists(reachable))
        .exclude(Exists(ReminderOptOut.objects.filter(user=OuterRef("owner"))))
        # Once the overdue reminder went out, nothing more is sent for that due date.
        .exclude(
            Exists(
                ReminderSent.objects.filter(
                    action=OuterRef("pk"), due_on=OuterRef("due_on"), kind=OVERDUE
                )
            )
        )
        .select_related("owner", "board", "school")
        .order_by("owner_id", "due_on", "pk")
    )


def due_reminders(today: dt.date) -> dict:
    """{owner: [(kind, action), …]} of the reminders not yet sent."""
    actions = list(_candidates(today))
    sent = set(
        ReminderSent.objects.filter(action__in=[a.pk for a in actions]).values_list(
            "action_id", "kind", "due_on"
        )
    )
    per_owner: dict = {}
    for action in actions:
        kind = reminder_kind(action.due_on, today)
        if kind is None or (action.pk, kind, action.due_on) in sent:
            continue
        per_owner.setdefault(action.owner, []).append((kind, action))
    return per_owner


def _email(owner, reminders, today: dt.date) -> EmailMessage:
    site = settings.SITE_URL
    groups = {
        kind: [
            {
                "action": action,
                "unit": unit_name(action.board, action.school),
                "url": site + reverse("planning:action_detail", args=[action.board_id, action.pk]),
            }
            for k, action in reminders
            if k == kind
        ]
        for kind in (OVERDUE, DAY, WEEK)
    }
    link = unsubscribe_url(owner)
    body = render_to_string(
        "meetings/email/reminders.txt",
        {
            "owner": owner,
            "overdue": groups[OVERDUE],
            "day": groups[DAY],
            "week": groups[WEEK],
            "unsubscribe": link,
            "settings_url": site + reverse("account_settings"),
            "today": today,
        },
    )
    subject = ngettext(
        "Reminder: %(n)s action needs your attention",
        "Reminder: %(n)s actions need your attention",
        len(reminders),
    ) % {"n": len(reminders)}
    return EmailMessage(
        subject=subject,
        body=body,
        to=[owner.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def send_reminders(today: dt.date) -> int:
    """Send today's reminders; returns the number of emails sent.

    Per owner, the reminders are recorded and the email sent in one transaction: a mail
    server that fails undoes the record, so the next run tries again; a second run at the
    same time hits the unique constraint and sends nothing twice.
    """
    count = 0
    for owner, reminders in due_reminders(today).items():
        try:
            with transaction.atomic():
                ReminderSent.objects.bulk_create(
                    ReminderSent(action=action, kind=kind, due_on=action.due_on)
                    for kind, action in reminders
                )
                _email(owner, reminders, today).send()
        except IntegrityError:
            continue  # another run sent these at the same moment
        except (OSError, smtplib.SMTPException):
            logger.exception("reminder mail could not be sent; it is tried again next run")
            continue
        count += 1
    return count


def summary(count: int) -> str:
    return ngettext("%(n)s reminder email sent.", "%(n)s reminder emails sent.", count) % {
        "n": count
    }
