"""A board may require two-factor sign-in of its people.

The rule is the board's (organisations); the second factor itself is the account's (accounts,
through allauth's TOTP). A member of such a board without TOTP is sent to set it up before
anything else (`middleware.RequireTwoFactorMiddleware`; the API answers 403 itself).

A sign-in through a board's own identity provider that names a second factor satisfies that
board's requirement for the session, and only that board's: the identity app keeps the board in
the session under PROVIDER_MFA_SESSION_KEY. Another board's provider cannot vouch for this one.
"""

from stelsel.accounts.models import User
from stelsel.accounts.selectors import user_has_totp
from stelsel.organisations.models import Membership

PROVIDER_MFA_SESSION_KEY = "identity_provider_mfa"


def satisfied_board(session) -> int | None:
    """The board whose identity provider named a second factor for this session, if any."""
    value = session.get(PROVIDER_MFA_SESSION_KEY) if session is not None else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def user_must_set_up_two_factor(user: User, satisfied_board_id: int | None = None) -> bool:
    """True when one of the user's boards requires two-factor and the user has no TOTP yet;
    the board whose provider named a second factor this session (`satisfied_board_id`) counts
    as satisfied.

    Cached on the user object for the request, so the middleware costs at most two queries.
    """
    cached = getattr(user, "_must_set_up_two_factor", None)
    if cached is not None:
        return cached
    required = (
        Membership.objects.filter(user=user, board__require_two_factor=True)
        .exclude(board_id=satisfied_board_id)
        .exists()
    )
    result = required and not user_has_totp(user)
    user._must_set_up_two_factor = result
    return result
