"""Signing out at the identity provider too, where it supports that.

After a sign-in through a board's provider, signing out of Stelsel also ends the provider's
session: OpenID Connect through the provider's end-session address (Microsoft Entra ID and most
others publish one; Google does not, and then only Stelsel's session ends), SAML through a
signed-out request to the provider's single logout address. What the provider needs for that
(the ID token, or the NameID and session index) was kept at sign-in (`policy.remember_sign_in`).
"""

import logging

from allauth.socialaccount.providers.saml.utils import build_auth
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from requests import RequestException

from stelsel.identity.apps_for_allauth import social_app
from stelsel.identity.models import IdentityProvider, ProviderKind
from stelsel.identity.oidc import BoardOpenIDConnectAdapter
from stelsel.identity.policy import sign_in_details

logger = logging.getLogger(__name__)


def provider_sign_out_url(request) -> str | None:
    """Where to send the browser to sign out at the provider, or None for Stelsel alone."""
    details = sign_in_details(request)
    key = details.get("provider")
    if not key:
        return None
    provider = IdentityProvider.objects.filter(key=key).first()
    if provider is None:
        return None
    try:
        if provider.kind == ProviderKind.SAML:
            return _saml_url(request, provider, details)
        return _oidc_url(request, provider, details)
    except (RequestException, ValueError, KeyError, OSError) as exc:
        logger.warning("signing out at provider %s failed: %s", key, exc)
        return None


def _oidc_url(request, provider: IdentityProvider, details: dict) -> str | None:
    adapter = BoardOpenIDConnectAdapter(request, provider.key)
    endpoint = adapter.openid_config.get("end_session_endpoint")
    if not endpoint:
        return None
    params = {
        "client_id": provider.client_id,
        "post_logout_redirect_uri": settings.SITE_URL + reverse("account_login"),
    }
    if details.get("id_token"):
        params["id_token_hint"] = details["id_token"]
    separator = "&" if "?" in endpoint else "?"
    return endpoint + separator + urlencode(params)


def _saml_url(request, provider: IdentityProvider, details: dict) -> str | None:
    if not provider.saml_slo_url or not details.get("name_id"):
        return None
    auth = build_auth(request, social_app(provider).get_provider(request))
    return auth.logout(
        return_to=settings.SITE_URL + reverse("account_login"),
        name_id=details["name_id"],
        session_index=details.get("session_index") or None,
        name_id_format=details.get("name_id_format") or None,
    )
