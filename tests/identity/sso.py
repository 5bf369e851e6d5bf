"""Helpers for sign-in tests: boards with a provider, and walking a sign-in with the test client.

The identity providers are real ones started on this machine (tests/idp): the test client talks
to Stelsel, Stelsel talks to the provider over HTTP, and the test plays the browser in between.
"""

from urllib.parse import urlsplit

import requests
from django.urls import reverse

from stelsel.identity import services
from stelsel.identity.models import ProviderKind

TENANT = "0b2d6f7e-1c4a-4f3e-9a55-2f6c1d0e8b71"


def oidc_provider(board, idp, *, kind=ProviderKind.OIDC, domains="eik.nl", **extra):
    data = {"kind": kind, "client_id": idp.client_id, "label": "", **extra}
    if kind == ProviderKind.OIDC:
        data["server_url"] = idp.issuer
    if kind == ProviderKind.ENTRA:
        data["tenant"] = TENANT
    return services.provider_save(
        board=board, data=data, domains_text=domains, client_secret=idp.client_secret
    )


def saml_provider(board, idp, *, domains="eik.nl", certificate=None):
    data = {
        "kind": ProviderKind.SAML,
        "saml_entity_id": idp.entity_id,
        "saml_sso_url": idp.sso_url,
        "saml_slo_url": idp.slo_url,
        "saml_certificate": certificate or idp.certificate_pem,
    }
    return services.provider_save(board=board, data=data, domains_text=domains)


def elsewhere(client, response) -> str:
    """Where Stelsel sends the browser at the identity provider.

    A sign-in started with a button answers with a page that continues to the provider (the
    browser's form-action rule would block a redirect); a signing-out redirect goes to Stelsel's
    page that continues there. Either way, the provider's address."""
    if response.status_code == 200 and response.context and "target" in response.context:
        return response.context["target"]
    location = response["Location"]
    if location.startswith(reverse("identity:leave")):
        return elsewhere(client, client.get(location))
    return location


def local(url: str) -> str:
    """The path and query of an address on the test server."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def oidc_sign_in(client, provider, *, next_url=None):
    """Start at Stelsel, pass the provider, come back: the final response of Stelsel."""
    data = {"next": next_url} if next_url else {}
    started = client.post(reverse("identity:start", args=[provider.key]), data)
    if started.status_code != 200 or "target" not in (started.context or {}):
        return started
    at_provider = requests.get(elsewhere(client, started), allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    return client.get(local(at_provider.headers["Location"]))


def saml_sign_in(client, provider, idp):
    client.defaults.setdefault("HTTP_HOST", "testserver")  # a browser always sends one
    started = client.post(reverse("identity:start", args=[provider.key]))
    if started.status_code != 200 or "target" not in (started.context or {}):
        return started
    acs_url, data = idp.respond(elsewhere(client, started))
    posted = client.post(local(acs_url), data)
    assert posted.status_code == 302, posted.content[:500]
    return client.get(posted["Location"])
