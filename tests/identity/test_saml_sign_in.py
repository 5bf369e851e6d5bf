"""Signing in through a board's SAML 2.0 provider: linking, invitations, refusals, and responses
that are broken, replayed, unasked for or signed with an expired certificate.

The provider is a real one on this machine (tests/idp/saml.py) that signs with xmlsec1.
"""

import datetime as dt

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from stelsel.accounts.models import User
from stelsel.identity.apps_for_allauth import saml_sp_entity_id
from stelsel.identity.models import IdentityProvider
from stelsel.identity.saml import certificate_expiry
from stelsel.organisations.models import Membership
from stelsel.organisations.roles import Role
from stelsel.organisations.services import invitation_create
from tests.factories import grant, make_board, make_user
from tests.identity.sso import elsewhere, local, saml_provider, saml_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages, and the reasons recorded from them, in English for the assertions."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _signed_in(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def _member(board, email="an@eik.nl", role=Role.QUALITY_OFFICER):
    user = make_user(email=email)
    grant(user, board, role)
    return user


def _counts():
    return User.objects.count(), SocialAccount.objects.count(), Membership.objects.count()


def _post_response(client, provider, idp):
    """Start at Stelsel and post the provider's response to the ACS; Stelsel's last answer."""
    client.defaults.setdefault("HTTP_HOST", "testserver")
    started = client.post(reverse("identity:start", args=[provider.key]))
    assert started.status_code == 200, started.content[:500]
    acs_url, data = idp.respond(elsewhere(client, started))
    posted = client.post(local(acs_url), data)
    if posted.status_code != 302:
        return posted
    return client.get(posted["Location"])


@pytest.fixture
def board():
    return make_board()


@pytest.fixture
def provider(board, saml_idp):
    return saml_provider(board, saml_idp)


def test_a_member_signs_in_through_saml(client, saml_idp, board, provider):
    user = _member(board)
    saml_idp.next_identity.update(email="an@eik.nl", name_id="an@eik.nl")
    response = saml_sign_in(client, provider, saml_idp)
    assert response.status_code == 302, response.content[:800]
    assert client.get(reverse("home")).wsgi_request.user == user
    assert SocialAccount.objects.get(provider=provider.key).user == user
    provider.refresh_from_db()
    assert provider.verified_at is not None


def test_the_second_saml_sign_in_finds_the_link(client, saml_idp, board, provider):
    user = _member(board)
    saml_idp.next_identity.update(email="an@eik.nl", name_id="persistent-an")
    saml_sign_in(client, provider, saml_idp)
    client.logout()
    saml_idp.next_identity.update(email="an.devries@eik.nl")
    assert saml_sign_in(client, provider, saml_idp).status_code == 302
    assert _signed_in(client) == user
    assert SocialAccount.objects.filter(provider=provider.key).count() == 1


def test_an_invited_person_gets_the_invited_role_through_saml(client, saml_idp, board, provider):
    inviter = _member(board, "baas@eik.nl", Role.BOARD_EXECUTIVE)
    invitation, _link = invitation_create(
        board=board, email="nieuw@eik.nl", role=Role.ADVISOR, invited_by=inviter, send=False
    )
    saml_idp.next_identity.update(email="nieuw@eik.nl")
    assert saml_sign_in(client, provider, saml_idp).status_code == 302
    user = _signed_in(client)
    assert user.email == "nieuw@eik.nl"
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == [
        Role.ADVISOR
    ]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


@pytest.mark.parametrize("email", ["an@elders.nl", "nobody@eik.nl"])
def test_a_foreign_or_unknown_address_is_refused(client, saml_idp, board, provider, email):
    _member(board, "an@elders.nl")
    before = _counts()
    saml_idp.next_identity.update(email=email)
    response = _post_response(client, provider, saml_idp)
    assert response.status_code == 403
    assert "identity/refused.html" in [t.name for t in response.templates]
    assert _signed_in(client) is None
    assert _counts() == before


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("tamper", ["signature"]),
        ("other_key", ["signature"]),
        ("expired", ["clock"]),
        ("clock_skew", ["clock"]),
        ("unsigned", ["signed", "signature"]),
        ("wrong_audience", ["audience"]),
        ("wrong_destination", ["destination", "address"]),
    ],
)
def test_a_broken_response_is_refused_with_a_clear_reason(
    client, saml_idp, board, provider, fault, words
):
    _member(board)
    saml_idp.next_identity.update(email="an@eik.nl")
    saml_idp.faults = {fault}
    before = _counts()
    response = _post_response(client, provider, saml_idp)
    assert response.status_code == 200 or 400 <= response.status_code < 500
    assert _signed_in(client) is None
    assert _counts() == before
    provider.refresh_from_db()
    assert provider.last_error and provider.verified_at is None
    assert any(word in provider.last_error.lower() for word in words), provider.last_error


def test_a_replayed_response_does_not_sign_in(client, saml_idp, board, provider):
    _member(board)
    saml_idp.next_identity.update(email="an@eik.nl")
    assert saml_sign_in(client, provider, saml_idp).status_code == 302
    sent = saml_idp.responses[-1]

    replayer = Client(HTTP_HOST="testserver")
    data = {"SAMLResponse": sent["SAMLResponse"], "RelayState": sent["RelayState"]}
    posted = replayer.post(local(sent["acs_url"]), data)
    final = replayer.get(posted["Location"]) if posted.status_code == 302 else posted
    assert final.status_code != 500
    assert _signed_in(replayer) is None
    assert SocialAccount.objects.count() == 1


def test_a_response_the_board_did_not_ask_for_is_refused(client, saml_idp, board, provider):
    _member(board)
    saml_idp.next_identity.update(email="an@eik.nl")
    client.defaults["HTTP_HOST"] = "testserver"
    acs = "http://testserver" + reverse("saml_acs", args=[provider.key])
    acs_url, data = saml_idp.idp_initiated(acs, saml_sp_entity_id(provider))
    posted = client.post(local(acs_url), data)
    final = client.get(posted["Location"]) if posted.status_code == 302 else posted
    assert final.status_code != 500
    assert _signed_in(client) is None
    assert not SocialAccount.objects.exists()


def test_an_expired_certificate_is_not_accepted(board, saml_idp):
    now = dt.datetime.now(dt.UTC)
    expired, _key = saml_idp.make_certificate(
        not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as refused:
        saml_provider(board, saml_idp, certificate=expired)
    assert "saml_certificate" in refused.value.message_dict
    assert not IdentityProvider.objects.exists()


def test_a_certificate_that_expired_since_stops_the_sign_in_at_start(
    client, saml_idp, board, provider
):
    _member(board)
    now = dt.datetime.now(dt.UTC)
    expired, _key = saml_idp.make_certificate(
        not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(minutes=5)
    )
    IdentityProvider.objects.filter(pk=provider.pk).update(
        saml_certificate=expired, saml_certificate_expires=certificate_expiry(expired)
    )
    client.defaults["HTTP_HOST"] = "testserver"
    response = client.post(reverse("identity:start", args=[provider.key]))
    assert response.status_code == 401
    assert _signed_in(client) is None
    provider.refresh_from_db()
    assert "certificate has expired" in provider.last_error
