"""What a board's own provider cannot do to people of other boards, and the guards around the
sign-in addresses: no account of another board linked by a board's word, no public mail domain,
no list of every board's providers, no text written onto an executive's page by a stranger,
the browser's form rule respected on the way to the provider and back."""

import io

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from stelsel.accounts.models import User
from stelsel.identity import services
from stelsel.identity.claims import vouched_email
from stelsel.identity.models import IdentityProvider, ProviderKind, SignInPolicy
from stelsel.identity.sign_out import LEAVE_SALT
from stelsel.identity.staff_lists import read_xlsx
from stelsel.organisations.roles import Role
from stelsel.organisations.services import invitation_create
from tests.factories import grant, make_board, make_user
from tests.identity.sso import oidc_provider, oidc_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_a_board_cannot_sign_in_as_a_person_of_another_board(client, oidc_idp):
    victim_board = make_board(require_two_factor=True)
    victim = make_user(email="p@beuk.nl")
    grant(victim, victim_board, Role.BOARD_EXECUTIVE)
    attacker_board = make_board()
    provider = oidc_provider(attacker_board, oidc_idp, domains="eik.nl beuk.nl")
    invitation_create(
        board=attacker_board, email="p@beuk.nl", role=Role.SUPERVISOR, invited_by=None
    )
    oidc_idp.next_identity.update(email="p@beuk.nl", amr=["mfa"])
    response = oidc_sign_in(client, provider)
    assert response.status_code == 403
    assert b"also used outside this board" in response.content
    assert _signed_in_as(client) is None
    assert not SocialAccount.objects.exists()
    assert not victim.memberships.filter(board=attacker_board).exists()


def test_someone_on_two_boards_links_while_signed_in_to_their_own_account(client, oidc_idp):
    board = make_board()
    user = make_user(email="an@eik.nl")
    grant(user, board, Role.QUALITY_OFFICER)
    grant(user, make_board(), Role.SUPERVISOR)
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl", sub="sub-an")
    assert oidc_sign_in(client, provider).status_code == 403
    client.force_login(user)
    assert oidc_sign_in(client, provider).status_code == 302
    assert SocialAccount.objects.get(provider=provider.key, uid="sub-an").user == user
    client.logout()
    assert oidc_sign_in(client, provider).status_code == 302  # the link now stands
    assert int(_signed_in_as(client)) == user.pk


@pytest.mark.parametrize("domain", ["gmail.com", "Outlook.com", "ziggo.nl", "@hotmail.com"])
def test_public_mail_domains_belong_to_no_board(domain):
    with pytest.raises(ValidationError) as refused:
        services.parse_domains(f"eik.nl\n{domain}")
    assert "public mail service" in str(refused.value)


def test_international_domain_names_match_in_either_spelling():
    assert services.parse_domains("bücher.nl") == ["xn--bcher-kva.nl"]
    claims = {"email": "an@BÜCHER.nl", "email_verified": True}
    found = vouched_email(kind=ProviderKind.OIDC, claims=claims, domains={"xn--bcher-kva.nl"})
    assert found.email == "an@xn--bcher-kva.nl"


def test_allauths_generic_sign_in_addresses_list_no_board(client, oidc_idp):
    for board in (make_board(), make_board()):
        oidc_provider(board, oidc_idp, domains=f"b{board.pk}.nl")
    for path in ("/accounts/oidc/openid_connect/login/", "/accounts/saml/saml/login/"):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404


def test_made_up_answers_at_the_sign_in_address_write_nothing_for_the_executive(client, oidc_idp):
    provider = oidc_provider(make_board(), oidc_idp)
    url = reverse("identity:start", args=[provider.key])
    for _ in range(3):
        response = client.get(url, {"state": "made-up", "code": "<b>Call 0800</b>"})
        assert response.status_code != 500
    provider.refresh_from_db()
    assert provider.last_error == "" and provider.last_error_at is None


def test_starting_a_sign_in_is_a_page_that_continues_to_the_provider(client, oidc_idp):
    provider = oidc_provider(make_board(), oidc_idp)
    response = client.post(reverse("identity:start", args=[provider.key]))
    assert response.status_code == 200
    target = response.context["target"]
    assert target.startswith(oidc_idp.issuer)
    assert f'http-equiv="refresh" content="0;url={target}'.replace("&", "&amp;").encode() in (
        response.content
    )


def test_the_leaving_page_goes_only_where_stelsel_signed(client):
    assert client.get(reverse("identity:leave"), {"to": "https://evil.example"}).status_code == 302
    signed = signing.dumps("https://idp.example/logout", salt=LEAVE_SALT)
    response = client.get(reverse("identity:leave"), {"to": signed})
    assert response.status_code == 200 and response.context["target"] == (
        "https://idp.example/logout"
    )


def test_the_api_honours_the_providers_second_factor_for_its_own_board(client, oidc_idp):
    board = make_board(require_two_factor=True)
    user = make_user(email="an@eik.nl")
    grant(user, board, Role.QUALITY_OFFICER)
    provider = oidc_provider(board, oidc_idp)
    oidc_idp.next_identity.update(email="an@eik.nl", amr=["mfa"])
    assert oidc_sign_in(client, provider).status_code == 302
    assert client.get("/api/v1/boards").status_code == 200


def test_a_workbook_that_claims_a_huge_sheet_is_read_quickly():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["naam", "e-mail", "rol"])
    sheet.append(["An", "an@eik.nl", "leerkracht"])
    sheet.cell(row=900_000, column=16_000, value="x")
    data = io.BytesIO()
    workbook.save(data)
    rows = read_xlsx(data.getvalue())
    assert [row.email for row in rows] == ["an@eik.nl"]
    assert IdentityProvider.objects.count() == 0


def test_with_passwords_off_the_invitation_link_leads_to_the_work_account(client, oidc_idp):
    board = make_board()
    provider = oidc_provider(board, oidc_idp)
    _invitation, link = invitation_create(
        board=board,
        email="new@eik.nl",
        role=Role.SUPERVISOR,
        invited_by=None,
    )
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200  # passwords on: the form to choose one
    SignInPolicy.objects.create(board=board, passwords_off=True)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("identity:start", args=[provider.key])
    assert client.post(path, {"name": "N", "password1": "x" * 12, "password2": "x" * 12})[
        "Location"
    ] == reverse("identity:start", args=[provider.key])
    assert not User.objects.filter(email="new@eik.nl").exists()
