"""Reads on accounts."""

from allauth.mfa.models import Authenticator

from stelsel.accounts.models import PersonalAccessToken, User


def user_has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_must_set_up_two_factor(user: User) -> bool:
    """True when one of the user's boards requires two-factor and the user has no TOTP yet.

    Cached on the user object for the request, so the middleware costs at most two queries.
    """
    cached = getattr(user, "_must_set_up_two_factor", None)
    if cached is not None:
        return cached
    from stelsel.organisations.models import Membership

    required = Membership.objects.filter(user=user, board__require_two_factor=True).exists()
    result = required and not user_has_totp(user)
    user._must_set_up_two_factor = result
    return result


def tokens_for_user(user: User):
    return PersonalAccessToken.objects.filter(user=user)
