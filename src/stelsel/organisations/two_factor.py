"""A board may require two-factor sign-in of its people.

The rule is the board's (organisations); the second factor itself is the account's (accounts,
through allauth's TOTP). A member of such a board without TOTP is sent to set it up before
anything else (`middleware.RequireTwoFactorMiddleware`; the API answers 403 itself).

A sign-in through the board's own identity provider that names a second factor satisfies the
requirement for that session: the identity app sets PROVIDER_MFA_SESSION_KEY.
"""

from stelsel.accounts.models import User
from stelsel.accounts.selectors import user_has_totp
from stelsel.organisations.models import Membership

PROVIDER_MFA_SESSION_KEY = "identity_provider_mfa"


def user_must_set_up_two_factor(user: User) -> bool:
    """True when one of the user's boards requires two-factor and the user has no TOTP yet.

    Cached on the user object for the request, so the middleware costs at most two queries.
    """
    cached = getattr(user, "_must_set_up_two_factor", None)
    if cached is not None:
        return cached
    required = Membership.objects.filter(user=user, board__require_two_factor=True).exists()
    result = required and not user_has_totp(user)
    user._must_set_up_two_factor = result
    return result
