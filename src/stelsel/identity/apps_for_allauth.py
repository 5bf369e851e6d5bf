"""A board's identity provider as allauth sees it: an unsaved SocialApp built on each request.

allauth can read its apps from the database or from settings; Stelsel keeps them in its own
table (with the secret encrypted and the board's domains beside it), so the adapter builds the
SocialApp from that row. An OpenID Connect provider is `openid_connect` with the row's key as
provider id; a SAML provider is `saml` with the key as organisation slug (client id).
"""

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.urls import reverse

from stelsel.identity.models import IdentityProvider, ProviderKind
from stelsel.lib.encryption import SecretUnreadable, decrypt

OIDC = "openid_connect"
SAML = "saml"

SAML_ATTRIBUTES = {
    "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
        "mail",
    ],
    "name": [
        "urn:oid:2.16.840.1.113730.3.1.241",
        "http://schemas.microsoft.com/identity/claims/displayname",
        "displayName",
    ],
}


def issuer_url(provider: IdentityProvider) -> str:
    if provider.kind == ProviderKind.ENTRA:
        return f"{settings.ENTRA_AUTHORITY}/{provider.tenant}/v2.0"
    if provider.kind == ProviderKind.GOOGLE:
        return settings.GOOGLE_ISSUER
    return provider.server_url.rstrip("/")


def client_secret(provider: IdentityProvider) -> str:
    """The decrypted secret, or "" when it no longer decrypts (the settings page says so)."""
    if not provider.client_secret_encrypted:
        return ""
    try:
        return decrypt(provider.client_secret_encrypted)
    except SecretUnreadable:
        return ""


def social_app(provider: IdentityProvider) -> SocialApp:
    if provider.kind == ProviderKind.SAML:
        return SocialApp(
            provider=SAML,
            provider_id=provider.key,
            name=provider.display_label,
            client_id=provider.key,
            settings={
                "idp": {
                    "entity_id": provider.saml_entity_id,
                    "sso_url": provider.saml_sso_url,
                    "slo_url": provider.saml_slo_url or None,
                    "x509cert": provider.saml_certificate,
                },
                "sp": {"entity_id": saml_sp_entity_id(provider)},
                "attribute_mapping": SAML_ATTRIBUTES,
                "use_nameid_for_email": False,
                "advanced": {
                    "strict": True,
                    "want_assertion_signed": True,
                    "reject_idp_initiated_sso": True,
                    "want_attribute_statement": False,
                    "reject_deprecated_algorithm": True,
                    # Host names without a dot (testserver, localhost) only on this machine.
                    "allow_single_label_domains": settings.IDENTITY_ALLOW_HTTP_LOCALHOST,
                },
            },
        )
    return SocialApp(
        provider=OIDC,
        provider_id=provider.key,
        name=provider.display_label,
        client_id=provider.client_id,
        secret=client_secret(provider),
        settings={
            "server_url": issuer_url(provider),
            # The ID token carries what the rules read (tenant, verified address, factors).
            "fetch_userinfo": provider.kind == ProviderKind.OIDC,
            "oauth_pkce_enabled": True,
        },
    )


def saml_sp_entity_id(provider: IdentityProvider) -> str:
    return settings.SITE_URL + reverse("saml_metadata", args=[provider.key])


def redirect_uri(provider: IdentityProvider) -> str:
    """The address to register at the provider (reply URL in Entra, redirect URI at Google)."""
    if provider.kind == ProviderKind.SAML:
        return settings.SITE_URL + reverse("saml_acs", args=[provider.key])
    # The board's sign-in address, where the board adapter checks the answer (`oidc.callback`).
    return settings.SITE_URL + reverse("identity:start", args=[provider.key])


def logout_uri(provider: IdentityProvider) -> str:
    if provider.kind == ProviderKind.SAML:
        return settings.SITE_URL + reverse("saml_sls", args=[provider.key])
    return settings.SITE_URL + reverse("account_login")


def is_complete(provider: IdentityProvider) -> bool:
    if provider.kind == ProviderKind.SAML:
        return bool(provider.saml_entity_id and provider.saml_sso_url and provider.saml_certificate)
    if provider.kind == ProviderKind.ENTRA and not provider.tenant:
        return False
    if provider.kind == ProviderKind.OIDC and not provider.server_url:
        return False
    return bool(provider.client_id and provider.client_secret_encrypted)
