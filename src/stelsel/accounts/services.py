"""Writes on accounts: people's accounts and personal access tokens."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from stelsel.accounts.models import PersonalAccessToken, User, hash_token


@transaction.atomic
def user_create(*, email: str, password: str | None, name: str = "") -> User:
    """An account whose address is verified: it came through an invitation (or the demo).

    Email changes later go through allauth's verification, so nobody can claim an address that
    is not theirs.
    """
    user = User.objects.create_user(email, password=password, name=name)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def token_create(*, user: User, name: str, expires_at=None) -> tuple[PersonalAccessToken, str]:
    """Create a token and return it with the raw value, which is never stored or shown again."""
    raw = PersonalAccessToken.generate()
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name.strip(),
        token_hash=hash_token(raw),
        hint=raw[:10],
        expires_at=expires_at,
    )
    return token, raw


def token_revoke(*, token: PersonalAccessToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def token_authenticate(raw: str) -> User | None:
    """The active user behind a raw token, or None; records when the token was last used."""
    if not raw or not raw.startswith("stl_") or len(raw) > 200:
        return None
    token = (
        PersonalAccessToken.objects.active()
        .select_related("user")
        .filter(token_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
