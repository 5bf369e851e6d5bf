"""Sending a staff import's invitations in the background (the database task worker,
`python -m stelsel db_worker`), counting progress on the import as it goes.

Only a hash of an invitation's token is stored, so the link made when the import was written
is gone: each invitation gets a fresh token just before its email, as "Send again" on the
people page gives a fresh link. A mail that fails is recorded on its row and counted as
failed; the rest are still sent, and the failed ones can be sent again from the import's page.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from stelsel.identity.claims import domain_of
from stelsel.identity.models import StaffImport, StaffImportInvitation, StaffImportState
from stelsel.identity.policy import provider_for_address
from stelsel.organisations.models import Invitation, hash_invitation_token
from stelsel.organisations.services import invitation_url

logger = logging.getLogger(__name__)


def _sign_in_url(board_id: int, email: str, providers: dict) -> tuple[object, str]:
    """The board's provider for the address's domain and its sign-in address, looked up once
    per domain. A provider of another board is not this board's to offer."""
    domain = domain_of(email)
    if domain not in providers:
        provider = provider_for_address(email)
        if provider is not None and provider.board_id != board_id:
            provider = None
        url = settings.SITE_URL + reverse("identity:start", args=[provider.key]) if provider else ""
        providers[domain] = (provider, url)
    return providers[domain]


def _send_one(staff_import: StaffImport, row: StaffImportInvitation, providers: dict) -> str:
    """Email one invitation with a fresh link; returns an error text, empty when sent."""
    invitation = row.invitation
    if invitation.state != "open":
        return _("The invitation was withdrawn, used or has expired in the meantime.")
    raw = Invitation.new_token()
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_invitation_token(raw))
    provider, sign_in_url = _sign_in_url(staff_import.board_id, invitation.email, providers)
    board = staff_import.board
    body = render_to_string(
        "identity/email/staff_invitation.txt",
        {
            "invitation": invitation,
            "board": board,
            "link": invitation_url(raw),
            "inviter": staff_import.created_by,
            "provider": provider,
            "sign_in_url": sign_in_url,
        },
    )
    subject = _("Invitation to Stelsel for %(board)s") % {"board": board.name}
    try:
        EmailMessage(
            subject=" ".join(subject.split()),
            body=body,
            to=[invitation.email],
            headers={"Auto-Submitted": "auto-generated"},
        ).send()
    except Exception as exc:  # any failure of the mail server or its connection
        logger.warning("staff import %s: invitation %s not sent", staff_import.pk, invitation.pk)
        return (_("Could not be sent: %(error)s") % {"error": exc.__class__.__name__})[:200]
    return ""


def send_pending(import_id: int) -> StaffImport:
    """Send every invitation of the import not yet sent or failed; then mark it done."""
    staff_import = StaffImport.objects.select_related("board", "created_by").get(pk=import_id)
    pending = StaffImportInvitation.objects.filter(
        staff_import=staff_import, sent_at__isnull=True, error=""
    ).select_related("invitation__board", "invitation__school")
    providers: dict = {}
    with translation.override(settings.LANGUAGE_CODE):
        for row in pending:
            error = _send_one(staff_import, row, providers)
            if error:
                StaffImportInvitation.objects.filter(pk=row.pk).update(error=error)
                StaffImport.objects.filter(pk=import_id).update(failed=F("failed") + 1)
            else:
                StaffImportInvitation.objects.filter(pk=row.pk).update(sent_at=timezone.now())
                StaffImport.objects.filter(pk=import_id).update(sent=F("sent") + 1)
    StaffImport.objects.filter(pk=import_id, state=StaffImportState.SENDING).update(
        state=StaffImportState.DONE, finished_at=timezone.now()
    )
    staff_import.refresh_from_db()
    return staff_import


@task()
def send_staff_invitations(import_id: int) -> int:
    """Email the invitations of a confirmed staff import (run by the task worker)."""
    return send_pending(import_id).sent
