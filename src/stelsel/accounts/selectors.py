"""Reads on accounts."""

from allauth.mfa.models import Authenticator

from stelsel.accounts.models import PersonalAccessToken, User


def user_has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def tokens_for_user(user: User):
    return PersonalAccessToken.objects.filter(user=user)
