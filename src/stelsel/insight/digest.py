"""The digest after an import: one email per person of the board office listing new signals.

Sent by the task worker. Each person can turn it off under their settings (DigestOptOut);
the email names every new signal in one sentence and links to the cockpit.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from stelsel.insight.models import DigestOptOut, Signal
from stelsel.insight.signals import signal_sentence
from stelsel.organisations.models import Board, Membership
from stelsel.organisations.roles import Role

DIGEST_ROLES = (Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER)


def digest_recipients(board: Board):
    opted_out = DigestOptOut.objects.values("user_id")
    return (
        Membership.objects.filter(board=board, school__isnull=True, role__in=DIGEST_ROLES)
        .exclude(user_id__in=opted_out)
        .filter(user__is_active=True)
        .select_related("user")
        .order_by("user_id")
        .distinct()
    )


def send_digest(board_id: int, signal_ids: list[int]) -> int:
    board = Board.objects.filter(pk=board_id).first()
    if board is None:
        return 0
    signals = list(
        Signal.objects.filter(board=board, pk__in=signal_ids, resolved_at__isnull=True)
        .select_related("school")
        .order_by("-severity", "school__name")
    )
    if not signals:
        return 0
    sent = 0
    seen = set()
    for membership in digest_recipients(board):
        user = membership.user
        if user.pk in seen:
            continue
        seen.add(user.pk)
        with translation.override(settings.LANGUAGE_CODE):
            rows = [
                {
                    "unit": s.school.name if s.school else board.name,
                    "sentence": signal_sentence(s),
                }
                for s in signals
            ]
            body = render_to_string(
                "insight/email/digest.txt",
                {
                    "user": user,
                    "board": board,
                    "rows": rows,
                    "url": settings.SITE_URL + reverse("web:board_home", args=[board.pk]),
                    "settings_url": settings.SITE_URL + reverse("account_settings"),
                },
            )
            subject = ngettext(
                "%(board)s: %(n)s new signal after the data import",
                "%(board)s: %(n)s new signals after the data import",
                len(signals),
            ) % {"board": board.name, "n": len(signals)}
        EmailMessage(
            subject=subject,
            body=body,
            to=[user.email],
            headers={"Auto-Submitted": "auto-generated"},
        ).send()
        sent += 1
    return sent
