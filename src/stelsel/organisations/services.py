"""Writes on boards, memberships and invitations. Each is one transaction."""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.accounts.services import user_create
from stelsel.organisations.models import (
    Board,
    Invitation,
    Membership,
    School,
    hash_invitation_token,
)
from stelsel.organisations.roles import ROLE_SCOPES, Role, Scope

User = get_user_model()


def role_scope_check(*, role: str, school: School | None) -> None:
    if role not in Role.values:
        raise ValidationError(_("Unknown role: %(role)s.") % {"role": role}, code="unknown_role")
    scope = Scope.SCHOOL if school else Scope.BOARD
    if scope not in ROLE_SCOPES[role]:
        if scope == Scope.SCHOOL:
            message = _("The role %(role)s is given on the board, not on one school.")
        else:
            message = _("The role %(role)s is given on one school; choose the school.")
        raise ValidationError(message % {"role": Role(role).label}, code="wrong_scope")


def membership_exists(*, user, board: Board, school: School | None, role: str) -> bool:
    return Membership.objects.filter(user=user, board=board, school=school, role=role).exists()


@transaction.atomic
def membership_create(*, user, board: Board, role: str, school: School | None = None) -> Membership:
    role_scope_check(role=role, school=school)
    if school is not None and school.board_id != board.pk:
        raise ValidationError(_("That school does not belong to this board."), code="other_board")
    if membership_exists(user=user, board=board, school=school, role=role):
        raise ValidationError(_("This person already has that role here."), code="duplicate")
    try:
        with transaction.atomic():
            return Membership.objects.create(user=user, board=board, school=school, role=role)
    except IntegrityError:
        raise ValidationError(
            _("This person already has that role here."), code="duplicate"
        ) from None


@transaction.atomic
def membership_delete(*, membership: Membership) -> None:
    """Remove a role, but never the board's last active board executive.

    The board row is locked first, so two executives removing each other at the same moment
    cannot both succeed. A removed executive's open invitations are withdrawn with the role.
    """
    Board.objects.select_for_update().get(pk=membership.board_id)
    if membership.role == Role.BOARD_EXECUTIVE:
        others = Membership.objects.filter(
            board_id=membership.board_id, role=Role.BOARD_EXECUTIVE, user__is_active=True
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise ValidationError(
                _("The board's last board executive cannot be removed."), code="last_executive"
            )
        invitations_revoke_open(
            Invitation.objects.filter(
                board_id=membership.board_id, invited_by_id=membership.user_id
            )
        )
    membership.delete()


def invitations_revoke_open(invitations) -> int:
    """Withdraw the open ones among `invitations`, one by one so the history records each."""
    count = 0
    for invitation in invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True):
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        count += 1
    return count


logger = logging.getLogger(__name__)


def _send_quietly(**kwargs) -> None:
    """Send after the commit; a mail server that fails does not undo the invitation, which can
    be sent again from the people page."""
    try:
        send_mail(**kwargs)
    except (OSError, smtplib.SMTPException):
        logger.exception("invitation mail to %s could not be sent", kwargs["recipient_list"])


def invitation_url(raw_token: str) -> str:
    return settings.SITE_URL + reverse("organisations:invitation_accept", args=[raw_token])


@transaction.atomic
def invitation_create(
    *,
    board: Board,
    email: str,
    role: str,
    invited_by,
    school: School | None = None,
    name: str = "",
    send: bool = True,
) -> tuple[Invitation, str]:
    """Invite someone to a role; emails a single-use link and returns it with the invitation.

    With `send` false nothing is emailed: a staff import writes all its invitations in one
    transaction and sends them afterwards in the background, each with a fresh link.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    role_scope_check(role=role, school=school)
    if school is not None and school.board_id != board.pk:
        raise ValidationError(_("That school does not belong to this board."), code="other_board")
    existing_user = User.objects.filter(email__iexact=email).first()
    if existing_user and membership_exists(
        user=existing_user, board=board, school=school, role=role
    ):
        raise ValidationError(_("This person already has that role here."), code="duplicate")
    # A new invitation for the same person and role replaces an open one.
    invitations_revoke_open(
        Invitation.objects.filter(board=board, school=school, email=email, role=role)
    )
    raw = Invitation.new_token()
    invitation = Invitation.objects.create(
        board=board,
        school=school,
        email=email,
        name=name.strip(),
        role=role,
        token_hash=hash_invitation_token(raw),
        invited_by=invited_by,
        expires_at=Invitation.default_expiry(),
    )
    link = invitation_url(raw)
    if not send:
        return invitation, link
    context = {"invitation": invitation, "link": link, "inviter": invited_by}
    transaction.on_commit(
        lambda: _send_quietly(
            subject=_("Invitation to Stelsel for %(board)s") % {"board": board.name},
            message=render_to_string("organisations/email/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation, link


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.state == "open":
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def invitation_from_token(raw: str) -> Invitation | None:
    if not raw or len(raw) > 100:
        return None
    return (
        Invitation.objects.select_related("board", "school")
        .filter(token_hash=hash_invitation_token(raw))
        .first()
    )


class InvitationUnusable(Exception):
    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


@transaction.atomic
def invitation_accept(
    *, raw_token: str, user=None, name: str = "", password: str | None = None
) -> tuple[Invitation, "User"]:
    """Use an invitation once: create the account if needed, then the membership.

    The row is locked so two simultaneous uses cannot both succeed.
    """
    invitation = (
        Invitation.objects.select_for_update()
        .filter(token_hash=hash_invitation_token(raw_token))
        .first()
    )
    if invitation is None:
        raise InvitationUnusable("unknown")
    if invitation.state != "open":
        raise InvitationUnusable(invitation.state)
    if invitation.school is not None and invitation.school.board_id != invitation.board_id:
        raise InvitationUnusable("revoked")  # the school has moved to another board since
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationUnusable("sign_in")
        user = user_create(
            email=invitation.email, password=password, name=name.strip() or invitation.name
        )
    elif user.email.lower() != invitation.email.lower():
        raise InvitationUnusable("other_user")
    if not membership_exists(
        user=user, board=invitation.board, school=invitation.school, role=invitation.role
    ):
        membership_create(
            user=user, board=invitation.board, school=invitation.school, role=invitation.role
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return invitation, user


@transaction.atomic
def invitations_accept_vouched(*, board: Board, user) -> int:
    """Accept the board's open invitations for the user's address without their links.

    Used when the board's own identity provider has vouched for the address: the link in the
    email proves the same thing, that the person holds that address. Returns how many roles
    were given; the rows are locked as in `invitation_accept`.
    """
    invitations = Invitation.objects.select_for_update().filter(
        board=board,
        email__iexact=user.email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    given = 0
    for invitation in invitations:
        if invitation.school is not None and invitation.school.board_id != board.pk:
            continue  # the school has moved to another board since
        if not membership_exists(
            user=user, board=board, school=invitation.school, role=invitation.role
        ):
            membership_create(
                user=user, board=board, school=invitation.school, role=invitation.role
            )
            given += 1
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return given


@transaction.atomic
def board_update_settings(
    *,
    board: Board,
    name: str,
    require_two_factor: bool,
    benchmark_opt_in: bool = False,
    school_leaders_run_rounds: bool = False,
) -> Board:
    board.name = name.strip()
    board.require_two_factor = require_two_factor
    board.benchmark_opt_in = benchmark_opt_in
    board.school_leaders_run_rounds = school_leaders_run_rounds
    board.full_clean(validate_unique=False, validate_constraints=False)
    board.save(
        update_fields=[
            "name",
            "require_two_factor",
            "benchmark_opt_in",
            "school_leaders_run_rounds",
        ]
    )
    return board
