"""Who may still sign in with a password, and what a sign-in through a provider proved.

A board that turned password sign-in off did so for the addresses in its own domains: its staff,
who have a work account. People outside those domains (supervisory board members, parents on a
council, external advisors) keep their password. The board executive of that board keeps it too,
as the way back in when the provider fails; turning passwords off requires that executive to
have a second factor, so that way back is not a weak one.

What a provider sign-in proved is kept in the session: which provider, whether it named a
second factor (which then satisfies the board's two-factor requirement), and what signing out at
the provider needs.
"""

from django.urls import reverse
from django.utils import timezone

from stelsel.identity.claims import domain_of
from stelsel.identity.models import IdentityDomain, IdentityProvider, SignInPolicy
from stelsel.organisations.models import Invitation, Membership
from stelsel.organisations.roles import Role
from stelsel.organisations.two_factor import PROVIDER_MFA_SESSION_KEY

SESSION_KEY = "identity_sign_in"


def provider_for_address(email: str) -> IdentityProvider | None:
    """The provider of the board whose domain the address is in, if any."""
    if "@" not in email:
        return None
    found = (
        IdentityDomain.objects.select_related("provider__board")
        .filter(domain=domain_of(email))
        .first()
    )
    return found.provider if found else None


def password_refused_by(user) -> IdentityProvider | None:
    """The provider the user must sign in with instead of a password, or None."""
    provider = provider_for_address(user.email)
    if provider is None:
        return None
    board = provider.board
    if not getattr(getattr(board, "sign_in_policy", None), "passwords_off", False):
        return None
    memberships = Membership.objects.filter(user=user, board=board)
    if memberships.filter(role=Role.BOARD_EXECUTIVE).exists():
        return None  # the way back in when the provider fails
    if memberships.exists() or open_invitations(board, user.email).exists():
        return provider
    return None


def open_invitations(board, email: str):
    """Invitations that can still be accepted: an expired one lets nobody in, like its link."""
    return Invitation.objects.filter(
        board=board,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def remember_sign_in(request, details: dict | None) -> None:
    """Keep what a provider sign-in proved; a password sign-in clears it."""
    if details:
        request.session[SESSION_KEY] = details
        # The board whose provider named a second factor: it satisfies that board's rule only.
        board_id = details.get("board") if details.get("mfa") else None
        if isinstance(board_id, int):
            request.session[PROVIDER_MFA_SESSION_KEY] = board_id
        else:
            request.session.pop(PROVIDER_MFA_SESSION_KEY, None)
    else:
        request.session.pop(SESSION_KEY, None)
        request.session.pop(PROVIDER_MFA_SESSION_KEY, None)


def sign_in_details(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def invitation_sign_in_address(invitation) -> str | None:
    """For an invitation to an address in a domain of the inviting board's provider, while that
    board has password sign-in off: the board's work-account sign-in, which accepts it."""
    provider = provider_for_address(invitation.email)
    if provider is None or provider.board_id != invitation.board_id:
        return None
    if not SignInPolicy.objects.filter(board_id=invitation.board_id, passwords_off=True).exists():
        return None
    return reverse("identity:start", args=[provider.key])
