"""A provider that answers wrongly never signs anyone in, and tells the board executive why.

Each fault is made by the real provider on this machine (tests/idp/oidc.py); Stelsel shows the
sign-in error page (never a 500), signs nobody in, and records one clear sentence on that
provider's record, and on no other board's.
"""

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from stelsel.accounts.models import User
from stelsel.identity import services
from stelsel.identity.models import IdentityProvider
from stelsel.organisations.roles import Role
from tests.factories import grant, make_board, make_user
from tests.identity.sso import elsewhere, local, oidc_provider, oidc_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages, and the reasons recorded from them, in English for the assertions."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _member(board, email="an@eik.nl"):
    user = make_user(email=email)
    grant(user, board, Role.QUALITY_OFFICER)
    return user


def _signed_in(client):
    return client.session.get("_auth_user_id")


def _assert_failed(client, response, provider, *words):
    assert response.status_code != 500
    assert response.status_code == 200 or 400 <= response.status_code < 500
    assert _signed_in(client) is None
    provider.refresh_from_db()
    assert provider.last_error, "the reason is recorded for the board executive"
    assert provider.last_error_at is not None
    assert provider.verified_at is None
    message = provider.last_error.lower()
    assert any(word in message for word in words), provider.last_error
    assert not SocialAccount.objects.filter(provider=provider.key).exists()


@pytest.fixture
def board():
    return make_board()


@pytest.fixture
def provider(board, oidc_idp):
    _member(board)
    oidc_idp.next_identity.update(sub="sub-an", email="an@eik.nl")
    return oidc_provider(board, oidc_idp)


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("wrong_issuer", ["issuer"]),
        ("bad_signature", ["signature"]),
        ("altered", ["signature"]),
        ("expired", ["clock"]),
        ("clock_skew", ["clock"]),
        ("wrong_audience", ["client id"]),
        ("userinfo_mismatch", ["userinfo", "subject"]),
        ("token_error", ["client secret", "credentials"]),
    ],
)
def test_a_faulty_answer_gives_the_error_page_and_a_clear_reason(
    client, oidc_idp, provider, fault, words
):
    oidc_idp.faults = {fault}
    response = oidc_sign_in(client, provider)
    _assert_failed(client, response, provider, *words)


def test_a_replayed_id_token_is_refused(client, oidc_idp, provider):
    assert oidc_sign_in(client, provider).status_code == 302
    client.logout()
    oidc_idp.faults = {"replay_jti"}
    second = oidc_sign_in(client, provider)
    assert second.status_code != 500
    assert _signed_in(client) is None
    provider.refresh_from_db()
    assert "replay" in provider.last_error.lower()


def test_a_wrong_stored_client_secret_is_named(client, board, oidc_idp, provider):
    provider = services.provider_save(
        board=board,
        data={
            "kind": provider.kind,
            "client_id": oidc_idp.client_id,
            "server_url": oidc_idp.issuer,
        },
        domains_text="eik.nl",
        client_secret="not-the-secret",
        provider=provider,
    )
    response = oidc_sign_in(client, provider)
    _assert_failed(client, response, provider, "client secret", "credentials")
    assert oidc_idp.token_requests[-1]["error"] == "invalid_client"


def test_a_secret_changed_at_the_provider_is_named(client, oidc_idp, provider):
    oidc_idp.client_secret = "rotated-at-the-provider"
    try:
        response = oidc_sign_in(client, provider)
    finally:
        oidc_idp.client_secret = "s3cret-value"
    _assert_failed(client, response, provider, "client secret", "credentials")


def test_a_provider_that_cannot_be_reached_at_start_gives_the_error_page(
    client, oidc_idp, provider
):
    oidc_idp.faults = {"discovery_down"}
    response = client.post(reverse("identity:start", args=[provider.key]))
    _assert_failed(client, response, provider, "reached")
    assert not oidc_idp.token_requests


def test_a_provider_at_a_wrong_address_gives_the_error_page(client, board, oidc_idp, provider):
    IdentityProvider.objects.filter(pk=provider.pk).update(server_url="http://127.0.0.1:9/nothing")
    response = client.post(reverse("identity:start", args=[provider.key]))
    _assert_failed(client, response, provider, "reached")


def test_another_boards_provider_keeps_working_and_shows_no_error(client, oidc_idp, provider):
    other_board = make_board()
    other_user = _member(other_board, "bo@beuk.nl")
    other = oidc_provider(other_board, oidc_idp, domains="beuk.nl")
    oidc_idp.faults = {"wrong_issuer"}
    oidc_sign_in(client, provider)
    other.refresh_from_db()
    assert other.last_error == ""
    oidc_idp.faults = set()
    oidc_idp.next_identity.update(sub="sub-bo", email="bo@beuk.nl")
    assert oidc_sign_in(client, other).status_code == 302
    assert int(_signed_in(client)) == other_user.pk
    other.refresh_from_db()
    assert other.last_error == "" and other.verified_at is not None


def test_the_same_callback_a_second_time_does_not_sign_in_again(client, oidc_idp, provider):
    started = client.post(reverse("identity:start", args=[provider.key]))
    at_provider = requests.get(elsewhere(client, started), allow_redirects=False, timeout=10)
    callback = local(at_provider.headers["Location"])
    assert client.get(callback).status_code == 302
    exchanges = len(oidc_idp.token_requests)

    again = client.get(callback)  # the state was used up by the first
    assert again.status_code == 401
    assert len(oidc_idp.token_requests) == exchanges

    stranger = type(client)()
    replayed = stranger.get(callback)
    assert replayed.status_code == 401
    assert _signed_in(stranger) is None
    assert len(oidc_idp.token_requests) == exchanges
    assert User.objects.count() == 1


def test_a_provider_gone_between_start_and_answer_gives_the_error_page(client, oidc_idp, provider):
    started = client.post(reverse("identity:start", args=[provider.key]))
    at_provider = requests.get(elsewhere(client, started), allow_redirects=False, timeout=10)
    oidc_idp.faults = {"discovery_down"}
    response = client.get(local(at_provider.headers["Location"]))
    _assert_failed(client, response, provider, "reached")


def test_allauths_own_callback_address_signs_nobody_in(client, oidc_idp, provider):
    """allauth's route skips the signature check; a sign-in started there is refused."""
    started = client.post(reverse("openid_connect_login", args=[provider.key]))
    assert started.status_code == 302
    oidc_idp.faults = {"bad_signature"}
    at_provider = requests.get(elsewhere(client, started), allow_redirects=False, timeout=10)
    back = at_provider.headers["Location"]
    assert local(back).startswith(reverse("identity:start", args=[provider.key]))
    unchecked = reverse("openid_connect_callback", args=[provider.key])
    response = client.get(unchecked + "?" + back.split("?", 1)[1])
    assert response.status_code == 401
    assert _signed_in(client) is None
    assert not SocialAccount.objects.exists()
