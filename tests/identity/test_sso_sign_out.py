"""Signing out after a provider sign-in ends the provider's session too; signing out everywhere
ends every session of the person.

OpenID Connect: the browser goes to the provider's end-session address with the ID token as
hint. SAML: a LogoutRequest for the NameID and session index the sign-in carried.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings
from django.test import Client
from django.urls import reverse

from stelsel.organisations.roles import Role
from tests.factories import PASSWORD, grant, make_board, make_user
from tests.identity.sso import (
    elsewhere,
    local,
    oidc_provider,
    oidc_sign_in,
    saml_provider,
    saml_sign_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages, and the reasons recorded from them, in English for the assertions."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _signed_in(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def member():
    board = make_board()
    user = make_user(email="an@eik.nl")
    grant(user, board, Role.QUALITY_OFFICER)
    return user


def test_signing_out_after_an_oidc_sign_in_signs_out_at_the_provider(client, oidc_idp, member):
    provider = oidc_provider(member.memberships.first().board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl", sub="sub-an")
    assert oidc_sign_in(client, provider).status_code == 302

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    location = elsewhere(client, response)
    assert location.startswith(f"{oidc_idp.issuer}/logout?")
    params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert params["client_id"] == oidc_idp.client_id
    assert params["post_logout_redirect_uri"] == settings.SITE_URL + reverse("account_login")
    assert params["id_token_hint"].count(".") == 2
    assert _signed_in(client) is None

    at_provider = requests.get(location, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    assert at_provider.headers["Location"] == params["post_logout_redirect_uri"]
    assert oidc_idp.logouts[-1]["id_token_hint"] == params["id_token_hint"]


def test_signing_out_after_a_password_sign_in_goes_to_the_sign_in_page(client, oidc_idp, member):
    oidc_provider(member.memberships.first().board, oidc_idp)
    client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert _signed_in(client)
    response = client.post(reverse("account_logout"))
    assert response["Location"] == reverse("account_login")
    assert oidc_idp.logouts == []


def test_signing_out_when_the_provider_is_down_still_signs_out_here(client, oidc_idp, member):
    provider = oidc_provider(member.memberships.first().board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl")
    oidc_sign_in(client, provider)
    oidc_idp.faults = {"discovery_down"}
    response = client.post(reverse("account_logout"))
    assert response["Location"] == reverse("account_login")
    assert _signed_in(client) is None


def test_signing_out_everywhere_ends_the_other_sessions_and_the_providers(client, oidc_idp, member):
    provider = oidc_provider(member.memberships.first().board, oidc_idp)
    other_device = Client()
    other_device.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert other_device.get(reverse("account_settings")).status_code == 200
    oidc_idp.next_identity.update(email="an@eik.nl", sub="sub-an")
    assert oidc_sign_in(client, provider).status_code == 302
    client.get(reverse("account_settings"))  # the session is recorded as the person's

    response = client.post(reverse("identity:sign_out_everywhere"))
    assert response.status_code == 302
    assert elsewhere(client, response).startswith(f"{oidc_idp.issuer}/logout?")
    assert _signed_in(client) is None
    assert other_device.get(reverse("account_settings")).status_code == 302
    assert _signed_in(other_device) is None


def test_signing_out_everywhere_needs_a_post(client, member):
    client.force_login(member)
    assert client.get(reverse("identity:sign_out_everywhere")).status_code == 405
    assert _signed_in(client)


def test_signing_out_after_a_saml_sign_in_sends_a_logout_request(client, saml_idp, member):
    provider = saml_provider(member.memberships.first().board, saml_idp)
    saml_idp.next_identity.update(email="an@eik.nl", name_id="an-name-id")
    assert saml_sign_in(client, provider, saml_idp).status_code == 302

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    slo = elsewhere(client, response)
    assert slo.startswith(saml_idp.slo_url + "?SAMLRequest=")
    assert _signed_in(client) is None

    saml_idp.sp_sls_url = "http://testserver" + reverse("saml_sls", args=[provider.key])
    back = saml_idp.respond_logout(slo)
    logout = saml_idp.logouts[-1]
    assert logout["name_id"] == "an-name-id"
    assert len(logout["session_index"]) == 1 and logout["session_index"][0]
    finished = client.get(local(back))
    assert finished.status_code == 302
    assert finished["Location"] == reverse("account_login")
