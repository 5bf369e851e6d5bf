"""Signing in through a board's OpenID Connect provider: who is let in, who is linked, who gets
which role, and who is refused with nothing written.

The providers are real ones on this machine (tests/idp/oidc.py); an Entra-like one answers
under the tenant's path, a Google-like one at Stelsel's configured Google issuer.
"""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from django.utils import timezone

from stelsel.accounts.models import User
from stelsel.identity.models import IdentityProvider, ProviderKind
from stelsel.organisations.models import Invitation, Membership
from stelsel.organisations.roles import Role
from stelsel.organisations.services import invitation_create
from tests.factories import grant, make_board, make_school, make_user
from tests.identity.sso import TENANT, oidc_provider, oidc_sign_in
from tests.idp.oidc import running_oidc_idp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages, and the reasons recorded from them, in English for the assertions."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


OTHER_TENANT = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"


@pytest.fixture(scope="module")
def entra_server():
    with running_oidc_idp(path_prefix=f"/{TENANT}/v2.0") as idp:
        yield idp


@pytest.fixture
def entra_idp(entra_server, settings):
    entra_server.reset()
    settings.ENTRA_AUTHORITY = entra_server.base_url
    return entra_server


@pytest.fixture
def google_idp(oidc_idp, settings):
    settings.GOOGLE_ISSUER = oidc_idp.issuer
    return oidc_idp


def _signed_in(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def _member(board, email="an@eik.nl", role=Role.QUALITY_OFFICER):
    user = make_user(email=email)
    grant(user, board, role)
    return user


class _Nothing:
    """Counts of what a refused sign-in must leave as it was."""

    def __init__(self):
        self.counts = self._counts()

    @staticmethod
    def _counts():
        return (
            User.objects.count(),
            SocialAccount.objects.count(),
            Membership.objects.count(),
            Invitation.objects.filter(accepted_at__isnull=False).count(),
        )

    def written(self) -> bool:
        return self._counts() != self.counts


def _assert_refused(client, response, nothing, reason=""):
    assert response.status_code == 403, response.content[:600]
    assert "identity/refused.html" in [t.name for t in response.templates]
    assert _signed_in(client) is None
    assert not nothing.written()
    if reason:
        assert reason in response.content.decode()


# --- Linking -------------------------------------------------------------------------------


def test_a_member_signs_in_and_is_linked(client, oidc_idp):
    board = make_board()
    user = _member(board)
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="An@eik.nl", sub="sub-an")
    response = oidc_sign_in(client, provider)
    assert response.status_code == 302, response.content[:800]
    assert client.get(reverse("home")).wsgi_request.user == user
    account = SocialAccount.objects.get(provider=provider.key)
    assert (account.user, account.uid) == (user, "sub-an")
    provider.refresh_from_db()
    assert provider.verified_at is not None and provider.last_error == ""


def test_the_second_sign_in_finds_the_link_by_subject_even_with_a_new_address(client, oidc_idp):
    board = make_board()
    user = _member(board)
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl", sub="sub-an")
    assert oidc_sign_in(client, provider).status_code == 302
    client.logout()

    oidc_idp.next_identity.update(email="an.devries@eik.nl")  # renamed in the directory
    assert oidc_sign_in(client, provider).status_code == 302
    assert _signed_in(client) == user
    assert SocialAccount.objects.filter(provider=provider.key).count() == 1
    assert User.objects.count() == 1


def test_a_linked_person_who_lost_every_role_is_refused(client, oidc_idp):
    board = make_board()
    user = _member(board)
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl", sub="sub-an")
    assert oidc_sign_in(client, provider).status_code == 302
    client.logout()
    Membership.objects.filter(user=user).delete()
    nothing = _Nothing()
    _assert_refused(client, oidc_sign_in(client, provider), nothing)


def test_the_next_address_is_followed_after_sign_in(client, oidc_idp):
    board = make_board()
    _member(board)
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl")
    response = oidc_sign_in(client, provider, next_url="/account/instellingen/")
    assert response["Location"] == "/account/instellingen/"


# --- Invitations ---------------------------------------------------------------------------


def test_an_invited_person_gets_an_account_and_exactly_the_invited_role(client, oidc_idp):
    board = make_board()
    school = make_school(board)
    inviter = _member(board, "baas@eik.nl", Role.BOARD_EXECUTIVE)
    invitation, _link = invitation_create(
        board=board,
        email="nieuw@eik.nl",
        role=Role.STAFF,
        school=school,
        invited_by=inviter,
        send=False,
    )
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="nieuw@eik.nl", sub="sub-nieuw", name="Nel Nieuw")
    response = oidc_sign_in(client, provider)
    assert response.status_code == 302, response.content[:800]
    user = _signed_in(client)
    assert user.email == "nieuw@eik.nl"
    assert list(Membership.objects.filter(user=user).values_list("board", "school", "role")) == [
        (board.pk, school.pk, Role.STAFF)
    ]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert SocialAccount.objects.get(provider=provider.key).user == user


def test_nobody_known_gets_no_account_and_no_role(client, oidc_idp):
    board = make_board()
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="onbekend@eik.nl", sub="sub-x")
    nothing = _Nothing()
    _assert_refused(client, oidc_sign_in(client, provider), nothing, "invite")
    assert not User.objects.filter(email="onbekend@eik.nl").exists()


@pytest.mark.parametrize("state", ["revoked", "expired"])
def test_a_closed_invitation_lets_nobody_in(client, oidc_idp, state):
    board = make_board()
    inviter = _member(board, "baas@eik.nl", Role.BOARD_EXECUTIVE)
    invitation, _link = invitation_create(
        board=board, email="nieuw@eik.nl", role=Role.COUNCIL, invited_by=inviter, send=False
    )
    if state == "revoked":
        invitation.revoked_at = timezone.now()
    else:
        invitation.expires_at = timezone.now() - timezone.timedelta(minutes=1)
    invitation.save()
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="nieuw@eik.nl", sub="sub-nieuw")
    nothing = _Nothing()
    _assert_refused(client, oidc_sign_in(client, provider), nothing)
    assert not User.objects.filter(email="nieuw@eik.nl").exists()


def test_an_invitation_of_another_board_lets_nobody_in(client, oidc_idp):
    board, other = make_board(), make_board()
    inviter = _member(other, "baas@beuk.nl", Role.BOARD_EXECUTIVE)
    invitation_create(
        board=other, email="nieuw@eik.nl", role=Role.COUNCIL, invited_by=inviter, send=False
    )
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="nieuw@eik.nl", sub="sub-nieuw")
    nothing = _Nothing()
    _assert_refused(client, oidc_sign_in(client, provider), nothing)


# --- Refusals ------------------------------------------------------------------------------


def test_an_unverified_address_is_refused(client, oidc_idp):
    board = make_board()
    _member(board)
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl", email_verified=False)
    nothing = _Nothing()
    _assert_refused(client, oidc_sign_in(client, provider), nothing, "did not confirm")
    provider.refresh_from_db()
    assert "did not confirm" in provider.last_error


def test_an_address_of_another_boards_domain_is_refused_and_that_board_is_untouched(
    client, oidc_idp
):
    board_a, board_b = make_board(), make_board()
    _member(board_a)
    b_person = _member(board_b, "bo@b.nl")
    provider_a = oidc_provider(board_a, oidc_idp, domains="eik.nl")
    provider_b = oidc_provider(board_b, oidc_idp, domains="b.nl")
    oidc_idp.next_identity.update(email="bo@b.nl", sub="sub-via-a")
    nothing = _Nothing()
    _assert_refused(client, oidc_sign_in(client, provider_a), nothing, "domains")
    provider_b.refresh_from_db()
    assert provider_b.last_error == ""
    assert not SocialAccount.objects.filter(user=b_person).exists()

    oidc_idp.next_identity.update(email="bo@b.nl", sub="sub-bo")
    assert oidc_sign_in(client, provider_b).status_code == 302
    assert _signed_in(client) == b_person


def test_a_person_known_only_to_another_board_is_refused(client, oidc_idp):
    board, other = make_board(), make_board()
    person = _member(other, "an@eik.nl", Role.SUPERVISOR)
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl", sub="sub-an")
    nothing = _Nothing()
    _assert_refused(client, oidc_sign_in(client, provider), nothing)
    assert not SocialAccount.objects.filter(user=person).exists()


def test_a_switched_off_account_is_refused(client, oidc_idp):
    board = make_board()
    user = _member(board)
    User.objects.filter(pk=user.pk).update(is_active=False)
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl", sub="sub-an")
    nothing = _Nothing()
    _assert_refused(client, oidc_sign_in(client, provider), nothing, "switched off")


def test_a_refusal_leaves_someone_signed_in_before_as_they_were(client, oidc_idp):
    board = make_board()
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="onbekend@eik.nl")
    nothing = _Nothing()
    _assert_refused(client, oidc_sign_in(client, provider), nothing)
    assert client.get(reverse("home")).status_code == 302  # still asked to sign in


# --- Microsoft Entra ID --------------------------------------------------------------------


def _entra(board, idp):
    return oidc_provider(board, idp, kind=ProviderKind.ENTRA)


def test_entra_signs_in_a_member_of_its_tenant(client, entra_idp):
    board = make_board()
    user = _member(board)
    provider = _entra(board, entra_idp)
    entra_idp.next_identity.update(
        sub="entra-an",
        tid=TENANT,
        email="an@eik.nl",
        email_verified=None,
        preferred_username="an@eik.nl",
    )
    assert oidc_sign_in(client, provider).status_code == 302
    assert _signed_in(client) == user


def test_entra_refuses_a_token_of_another_tenant(client, entra_idp):
    board = make_board()
    _member(board)
    provider = _entra(board, entra_idp)
    entra_idp.next_identity.update(tid=OTHER_TENANT, email="an@eik.nl", email_verified=True)
    nothing = _Nothing()
    _assert_refused(client, oidc_sign_in(client, provider), nothing, "tenant")


def test_entra_uses_the_sign_in_name_when_the_email_claim_is_unverified(client, entra_idp):
    board = make_board()
    user = _member(board, "an@eik.nl")
    provider = _entra(board, entra_idp)
    entra_idp.next_identity.update(
        tid=TENANT, email="baas@eik.nl", email_verified=False, preferred_username="an@eik.nl"
    )
    assert oidc_sign_in(client, provider).status_code == 302
    assert _signed_in(client) == user  # not the person the typed-in email names


def test_entra_refuses_an_unverified_email_with_a_foreign_sign_in_name(client, entra_idp):
    board = make_board()
    _member(board, "an@eik.nl")
    provider = _entra(board, entra_idp)
    entra_idp.next_identity.update(
        tid=TENANT, email="an@eik.nl", email_verified=False, preferred_username="gast@elders.nl"
    )
    nothing = _Nothing()
    _assert_refused(client, oidc_sign_in(client, provider), nothing, "domains")


# --- Google Workspace ----------------------------------------------------------------------


def test_google_signs_in_a_verified_address_of_the_hosted_domain(client, google_idp):
    board = make_board()
    user = _member(board)
    provider = oidc_provider(board, google_idp, kind=ProviderKind.GOOGLE)
    google_idp.next_identity.update(email="an@eik.nl", email_verified=True, hd="eik.nl")
    assert oidc_sign_in(client, provider).status_code == 302
    assert _signed_in(client) == user


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"email_verified": False, "hd": "eik.nl"}, "did not confirm"),
        ({"email_verified": True, "hd": "gmail.com"}, "domains"),
        ({"email_verified": True}, "domains"),
    ],
)
def test_google_refuses_an_unverified_or_foreign_hosted_address(client, google_idp, claims, reason):
    board = make_board()
    _member(board)
    provider = oidc_provider(board, google_idp, kind=ProviderKind.GOOGLE)
    google_idp.next_identity.update(email="an@eik.nl", **claims)
    nothing = _Nothing()
    _assert_refused(client, oidc_sign_in(client, provider), nothing, reason)
    assert IdentityProvider.objects.get(pk=provider.pk).last_error
