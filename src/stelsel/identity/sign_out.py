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
from django.core import signing
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from requests import RequestException

from stelsel.identity.apps_for_allauth import social_app
from stelsel.identity.models import IdentityProvider, ProviderKind
from stelsel.identity.oidc import BoardOpenIDConnectAdapter
from stelsel.identity.policy import sign_in_details

logger = logging.getLogger(__name__)
LEAVE_SALT = "identity.leave"


def leave_url(target: str) -> str:
    """Stelsel's page that continues to `target` (signed, so it sends nowhere else)."""
    return (
        reverse("identity:leave") + "?" + urlencode({"to": signing.dumps(target, salt=LEAVE_SALT)})
    )


def continue_elsewhere(request, response):
    """A redirect to another site, as a page that continues there by itself.

    Stelsel's forms may only lead back to Stelsel (CSP form-action 'self'), and browsers apply
    that to where a form's answer redirects too: starting a sign-in or signing out with a
    button would be blocked on its way to the identity provider. A page that refreshes to the
    provider, with a link for browsers that do not, is a navigation of its own.
    """
    location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
    if not location or url_has_allowed_host_and_scheme(
        location, allowed_hosts={request.get_host()}
    ):
        return response
    return render(request, "identity/continue.html", {"target": location})


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
