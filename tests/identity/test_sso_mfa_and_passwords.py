"""What a provider sign-in proves about a second factor, and the board's choice to turn password
sign-in off for its staff.

A board that requires two-factor sign-in accepts the provider's word that a second factor was
used (amr "mfa"); without it the person sets up Stelsel's own. Turning passwords off applies to
the addresses in the board's domains, never to the board executive, the way back in.
"""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stelsel.identity import services
from stelsel.identity.models import IdentityProvider
from stelsel.organisations.roles import Role
from tests.factories import PASSWORD, grant, make_board, make_user
from tests.identity.sso import oidc_provider, oidc_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages, and the reasons recorded from them, in English for the assertions."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _signed_in(client):
    return client.session.get("_auth_user_id")


def _member(board, email, role=Role.QUALITY_OFFICER):
    user = make_user(email=email)
    grant(user, board, role)
    return user


@pytest.fixture
def strict_board():
    return make_board(require_two_factor=True)


# --- A second factor at the provider -------------------------------------------------------


def test_a_provider_sign_in_with_a_second_factor_reaches_the_board(client, oidc_idp, strict_board):
    _member(strict_board, "an@eik.nl")
    provider = oidc_provider(strict_board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl", amr=["pwd", "mfa"])
    assert oidc_sign_in(client, provider).status_code == 302
    home = client.get(reverse("home"), follow=True)
    assert home.status_code == 200
    assert home.request["PATH_INFO"] == reverse("web:board_home", args=[strict_board.pk])
    assert not any(
        url.startswith(reverse("mfa_activate_totp")) for url, _status in home.redirect_chain
    )


def test_a_provider_sign_in_without_a_second_factor_must_set_one_up(client, oidc_idp, strict_board):
    _member(strict_board, "an@eik.nl")
    provider = oidc_provider(strict_board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl", amr=["pwd"])
    assert oidc_sign_in(client, provider).status_code == 302
    response = client.get(reverse("web:board_home", args=[strict_board.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_an_mfa_context_counts_as_a_second_factor(client, oidc_idp, strict_board):
    _member(strict_board, "an@eik.nl")
    provider = oidc_provider(strict_board, oidc_idp)
    oidc_idp.next_identity.update(
        email="an@eik.nl", acr="http://schemas.openid.net/pape/policies/2007/06/multi-factor"
    )
    oidc_sign_in(client, provider)
    response = client.get(reverse("web:board_home", args=[strict_board.pk]))
    assert response.status_code == 200


def test_the_providers_second_factor_satisfies_its_own_board_only(client, oidc_idp, strict_board):
    user = _member(strict_board, "an@eik.nl")
    other_strict = make_board(require_two_factor=True)
    grant(user, other_strict, Role.SUPERVISOR)
    provider = oidc_provider(strict_board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl", amr=["pwd", "mfa"])
    # Roles on two boards: the account is linked while signed in to it (with its password).
    assert oidc_sign_in(client, provider).status_code == 403
    client.force_login(user)
    assert oidc_sign_in(client, provider).status_code == 302
    response = client.get(reverse("web:board_home", args=[strict_board.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_user_with_stelsels_own_app_is_not_asked_again_after_the_providers_factor(
    client, oidc_idp
):
    board = make_board()
    user = _member(board, "an@eik.nl")
    TOTP.activate(user, generate_totp_secret())
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl", amr=["pwd", "mfa"])
    response = oidc_sign_in(client, provider)
    assert response.status_code == 302
    assert not response["Location"].startswith(reverse("mfa_authenticate"))
    assert int(_signed_in(client)) == user.pk


def test_a_user_with_stelsels_own_app_is_asked_for_it_without_the_providers_factor(
    client, oidc_idp
):
    board = make_board()
    user = _member(board, "an@eik.nl")
    TOTP.activate(user, generate_totp_secret())
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl", amr=["pwd"])
    response = oidc_sign_in(client, provider)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert _signed_in(client) is None


# --- Password sign-in off ------------------------------------------------------------------


@pytest.fixture
def passwords_off(oidc_idp):
    """A board with a provider someone signed in with, its executive with an authenticator
    app, and password sign-in turned off."""
    board = make_board()
    executive = _member(board, "baas@eik.nl", Role.BOARD_EXECUTIVE)
    provider = oidc_provider(board, oidc_idp)
    IdentityProvider.objects.filter(pk=provider.pk).update(verified_at=timezone.now())
    TOTP.activate(executive, generate_totp_secret())
    services.passwords_set(board=board, user=executive, off=True)
    return board


def _password_sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def test_staff_with_a_board_address_must_use_the_provider(client, passwords_off):
    staff = _member(passwords_off, "juf@eik.nl", Role.STAFF)
    response = _password_sign_in(client, staff.email)
    assert response.status_code == 403
    assert "identity/use_provider.html" in [t.name for t in response.templates]
    assert _signed_in(client) is None
    assert client.get(reverse("home")).status_code == 302


def test_a_council_member_with_another_address_keeps_the_password(client, passwords_off):
    council = _member(passwords_off, "ouder@gmail.com", Role.COUNCIL)
    response = _password_sign_in(client, council.email)
    assert response.status_code == 302
    assert int(_signed_in(client)) == council.pk


def test_the_board_executive_keeps_the_password_as_the_way_back(client, passwords_off):
    response = _password_sign_in(client, "baas@eik.nl")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_authenticate"))  # and the app's code


def test_with_passwords_on_staff_sign_in_with_their_password(client, oidc_idp):
    board = make_board()
    oidc_provider(board, oidc_idp)
    staff = _member(board, "juf@eik.nl", Role.STAFF)
    response = _password_sign_in(client, staff.email)
    assert response.status_code == 302
    assert int(_signed_in(client)) == staff.pk


def test_passwords_cannot_go_off_before_a_provider_sign_in_and_an_app(oidc_idp):
    board = make_board()
    executive = _member(board, "baas@eik.nl", Role.BOARD_EXECUTIVE)
    oidc_provider(board, oidc_idp)
    reasons = [str(r) for r in services.passwords_off_blockers(board=board, user=executive)]
    assert len(reasons) == 2
    assert any("signed in through" in r for r in reasons)
    assert any("authenticator app" in r for r in reasons)
    with pytest.raises(ValidationError):
        services.passwords_set(board=board, user=executive, off=True)
    assert not services.SignInPolicy.objects.filter(board=board, passwords_off=True).exists()

    TOTP.activate(executive, generate_totp_secret())
    reasons = [str(r) for r in services.passwords_off_blockers(board=board, user=executive)]
    assert len(reasons) == 1 and "signed in through" in reasons[0]
