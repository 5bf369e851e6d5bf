"""Reads on a board's sign-in settings."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from stelsel.identity.apps_for_allauth import (
    client_secret,
    is_complete,
    redirect_uri,
    saml_sp_entity_id,
)
from stelsel.identity.models import IdentityProvider, ProviderKind, SignInPolicy


@dataclass
class ProviderRow:
    provider: IdentityProvider
    domains: list[str]
    complete: bool
    secret_unreadable: bool
    redirect_uri: str
    sign_in_url: str
    sp_entity_id: str = ""
    sp_metadata_url: str = ""


def providers_with_addresses(board) -> list[ProviderRow]:
    """Each provider with what the board registers at the provider and what it tells staff."""
    rows = []
    for provider in IdentityProvider.objects.filter(board=board).prefetch_related("domains"):
        row = ProviderRow(
            provider=provider,
            domains=[d.domain for d in provider.domains.all()],
            complete=is_complete(provider),
            secret_unreadable=provider.has_secret and not client_secret(provider),
            redirect_uri=redirect_uri(provider),
            sign_in_url=settings.SITE_URL + reverse("identity:start", args=[provider.key]),
        )
        if provider.kind == ProviderKind.SAML:
            row.sp_entity_id = saml_sp_entity_id(provider)
            row.sp_metadata_url = row.sp_entity_id
        rows.append(row)
    return rows


def passwords_off(board) -> bool:
    return SignInPolicy.objects.filter(board=board, passwords_off=True).exists()
