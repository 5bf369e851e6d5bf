"""allauth's OpenID Connect provider, held to Stelsel's stricter reading of the ID token.

allauth skips the ID token's signature when the token came straight from the token endpoint
(the specification allows it over TLS). Stelsel checks it always, with the provider's published
keys, and keeps allauth's checks of issuer, audience, expiry and replay (`jti`); a board whose
provider sends an altered or foreign token then gets a refusal, not a sign-in. The raw token is
kept with the sign-in for signing out at the provider later (`id_token_hint`).

allauth's own callback address builds allauth's adapter, not this one, so the provider returns
to the board's sign-in address instead (`identity:start`, which hands the answer to `callback`),
and a login that did not pass these checks is refused (`sociallogin_from_response`).

A provider that cannot be reached when a sign-in starts or ends (discovery down, a wrong
address) gives the sign-in error page with the reason recorded for the board executive, not a
500.
"""

import logging
import re

from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.internal import jwtkit, statekit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.http import Http404
from django.urls import reverse
from requests import RequestException

from stelsel.identity.errors import ProviderFault

logger = logging.getLogger(__name__)

TOKEN_ERROR_RE = re.compile(r"""["']error["']\s*:\s*["']([A-Za-z0-9_.-]{1,60})["']""")


def _token_error_code(exc: Exception) -> str:
    found = TOKEN_ERROR_RE.search(str(exc))
    return found.group(1) if found else "unknown"


class BoardOpenIDConnectAdapter(OpenIDConnectOAuth2Adapter):
    def get_callback_url(self, request, app):
        return build_absolute_uri(request, reverse("identity:start", args=[self.provider_id]))

    def get_access_token_data(self, request, app, client, pkce_code_verifier=None):
        try:
            return super().get_access_token_data(request, app, client, pkce_code_verifier)
        except OAuth2Error as exc:
            raise ProviderFault("token_refused", detail=_token_error_code(exc)) from exc

    def _decode_id_token(self, app, id_token: str) -> dict:
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )

    def complete_login(self, request, app, token, **kwargs):
        raw_id_token = (kwargs.get("response") or {}).get("id_token")
        if not raw_id_token:
            # Without an ID token nothing is signed: refuse rather than trust userinfo alone.
            raise ProviderFault("no_id_token")
        data = {"id_token": self._decode_id_token(app, raw_id_token)}
        if app.settings.get("fetch_userinfo", True):
            data["userinfo"] = self._fetch_user_info(token.token)
            if str(data["userinfo"].get("sub")) != str(data["id_token"].get("sub")):
                raise ProviderFault("subject_mismatch")
        login = self.get_provider().checked_sociallogin(request, data)
        login.raw_id_token = raw_id_token
        return login


class BoardOpenIDConnectProvider(OpenIDConnectProvider):
    package = "allauth.socialaccount.providers.openid_connect"  # its addresses are allauth's
    oauth2_adapter_class = BoardOpenIDConnectAdapter

    def extract_uid(self, data):
        # The subject of the signed ID token, never of the unsigned userinfo answer.
        return str((data.get("id_token") or {}).get("sub") or super().extract_uid(data))

    def sociallogin_from_response(self, request, response):
        # Reached through allauth's own callback address, whose adapter skips the signature.
        raise ProviderFault("unchecked_route")

    def checked_sociallogin(self, request, data):
        """The login from an ID token whose signature `BoardOpenIDConnectAdapter` checked."""
        return super().sociallogin_from_response(request, data)

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        try:
            return super().redirect(request, process, next_url, data, **kwargs)
        except (RequestException, ValueError, KeyError, OAuth2Error) as exc:
            logger.warning(
                "sign-in with provider %s could not start: %s", self.app.provider_id, exc
            )
            return render_authentication_error(
                request, self, exception=_unreachable(exc), extra_context={"started_here": True}
            )


def _unreachable(exc: Exception) -> Exception:
    """The fault to explain for a provider whose addresses did not answer as they should."""
    if isinstance(exc, ProviderFault):
        return exc
    if isinstance(exc, RequestException):
        response = getattr(exc, "response", None)
        detail = f"HTTP {response.status_code}" if response is not None else type(exc).__name__
        fault = ProviderFault("unreachable", detail=detail)
    else:
        fault = ProviderFault("unreadable")
    fault.__cause__ = exc
    return fault


def callback(request, key: str):
    """The provider's answer at the board's sign-in address, checked by the board adapter."""
    adapter = BoardOpenIDConnectAdapter(request, key)
    # Whether this browser started the sign-in answered here: only then does a failure tell
    # the board executive something (anyone can call this address with made-up parameters).
    request.identity_started_here = request.GET.get("state", "") in (
        request.session.get(statekit.STATES_SESSION_KEY) or {}
    )
    try:
        return OAuth2CallbackView.adapter_view(adapter)(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
    except (RequestException, ValueError, KeyError) as exc:
        # allauth reads the provider's addresses before its own error handling starts.
        logger.warning("sign-in with provider %s could not finish: %s", key, exc)
        return render_authentication_error(
            request, adapter.get_provider(), exception=_unreachable(exc)
        )
