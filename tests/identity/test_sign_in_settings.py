"""The board's sign-in settings: adding and changing providers through the pages, a secret that
is stored encrypted and never shown, what is refused, and the password rule's conditions."""

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stelsel.identity import services
from stelsel.identity.apps_for_allauth import client_secret
from stelsel.identity.models import IdentityDomain, IdentityProvider, ProviderKind, SignInPolicy
from stelsel.identity.selectors import providers_with_addresses
from stelsel.organisations.roles import Role
from tests.factories import grant, make_board, make_user
from tests.idp.saml import SamlIdP

pytestmark = pytest.mark.django_db

TENANT = "0b2d6f7e-1c4a-4f3e-9a55-2f6c1d0e8b71"
SECRET = "Qx8~very-secret-value-from-entra"


@pytest.fixture
def executive(client):
    board = make_board(name="Stichting De Eik")
    user = make_user(email="bestuur@eik.nl")
    grant(user, board, Role.BOARD_EXECUTIVE)
    client.force_login(user)
    return board, user


def _entra(board, domains="eik.nl"):
    return services.provider_save(
        board=board,
        data={"kind": "entra", "tenant": TENANT, "client_id": "x"},
        domains_text=domains,
        client_secret="s",
    )


def _entra_form(**extra):
    return {
        "label": "Werkaccount De Eik",
        "domains": "eik.nl\nschool.eik.nl",
        "tenant": TENANT,
        "client_id": "11111111-2222-3333-4444-555555555555",
        "client_secret": SECRET,
        **extra,
    }


def test_the_executive_adds_an_entra_provider_with_the_secret_encrypted(client, executive):
    board, _user = executive
    url = reverse("identity:provider_add", args=[board.pk, "entra"])
    response = client.post(url, _entra_form())
    assert response.status_code == 302
    provider = IdentityProvider.objects.get(board=board)
    assert provider.kind == ProviderKind.ENTRA and provider.tenant == TENANT
    assert sorted(provider.domains.values_list("domain", flat=True)) == ["eik.nl", "school.eik.nl"]
    assert SECRET not in provider.client_secret_encrypted
    assert client_secret(provider) == SECRET
    page = client.get(reverse("identity:settings", args=[board.pk]))
    assert page.status_code == 200
    assert f"/inloggen/werkaccount/{provider.key}/".encode() in page.content  # redirect URI
    assert SECRET.encode() not in page.content
    edit = client.get(reverse("identity:provider_edit", args=[board.pk, provider.pk]))
    assert SECRET.encode() not in edit.content  # write-only


def test_an_empty_secret_keeps_the_stored_one_and_a_new_one_replaces_it(client, executive):
    board, _user = executive
    client.post(reverse("identity:provider_add", args=[board.pk, "entra"]), _entra_form())
    provider = IdentityProvider.objects.get(board=board)
    url = reverse("identity:provider_edit", args=[board.pk, provider.pk])
    form = _entra_form(client_secret="", label="Nieuw", revision=provider.revision)
    assert client.post(url, form).status_code == 302
    provider.refresh_from_db()
    assert provider.label == "Nieuw" and client_secret(provider) == SECRET
    form = _entra_form(client_secret="other-secret", revision=provider.revision)
    assert client.post(url, form).status_code == 302
    provider.refresh_from_db()
    assert client_secret(provider) == "other-secret"


def test_a_stale_form_is_refused(client, executive):
    board, _user = executive
    client.post(reverse("identity:provider_add", args=[board.pk, "entra"]), _entra_form())
    provider = IdentityProvider.objects.get(board=board)
    url = reverse("identity:provider_edit", args=[board.pk, provider.pk])
    client.post(url, _entra_form(label="Eerste", revision=provider.revision))
    response = client.post(url, _entra_form(label="Tweede", revision=provider.revision))
    assert response.status_code == 400
    provider.refresh_from_db()
    assert provider.label == "Eerste"


@pytest.mark.parametrize(
    ("kind", "form", "field"),
    [
        ("entra", {"tenant": "contoso"}, "tenant"),
        ("entra", {"domains": "not a domain"}, "domains"),
        ("entra", {"domains": ""}, "domains"),
        ("entra", {"client_id": ""}, "client_id"),
        ("entra", {"client_secret": ""}, "client_secret"),
        ("oidc", {"server_url": "http://login.example.org"}, "server_url"),
        ("oidc", {"server_url": "javascript:alert(1)"}, "server_url"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    client, executive, kind, form, field
):
    board, _user = executive
    data = _entra_form(**{"server_url": "https://login.example.org", **form})
    response = client.post(reverse("identity:provider_add", args=[board.pk, kind]), data)
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not IdentityProvider.objects.exists()


def test_a_domain_of_another_board_is_refused(client, executive):
    board, _user = executive
    other = make_board()
    services.provider_save(
        board=other,
        data={"kind": "entra", "tenant": TENANT, "client_id": "x"},
        domains_text="eik.nl",
        client_secret="s",
    )
    url = reverse("identity:provider_add", args=[board.pk, "entra"])
    response = client.post(url, _entra_form())
    assert response.status_code == 400
    assert "eik.nl" in str(response.context["form"].errors["domains"])
    assert not IdentityProvider.objects.filter(board=board).exists()
    assert IdentityDomain.objects.get(domain="eik.nl").provider.board == other


def test_saml_certificates_that_are_expired_or_unreadable_are_refused(client, executive):
    board, _user = executive
    now = timezone.now()
    expired, _key = SamlIdP.make_certificate(
        not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=1)
    )
    url = reverse("identity:provider_add", args=[board.pk, "saml"])
    base = {
        "domains": "eik.nl",
        "saml_entity_id": "https://idp.example.org/metadata",
        "saml_sso_url": "https://idp.example.org/sso",
    }
    for certificate in (expired, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END"):
        response = client.post(url, {**base, "saml_certificate": certificate})
        assert response.status_code == 400
        assert response.context["form"].errors["saml_certificate"]
    valid, _key = SamlIdP.make_certificate(
        not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=365)
    )
    assert client.post(url, {**base, "saml_certificate": valid}).status_code == 302
    provider = IdentityProvider.objects.get(board=board)
    assert provider.saml_certificate_expires.date() == (now + dt.timedelta(days=365)).date()
    metadata = client.get(reverse("saml_metadata", args=[provider.key]))
    assert metadata.status_code == 200 and b"AssertionConsumerService" in metadata.content
    assert board.name.encode() not in metadata.content


def test_changing_the_tenant_unlinks_the_accounts_of_the_old_one(client, executive):
    board, user = executive
    provider = _entra(board)
    SocialAccount.objects.create(user=user, provider=provider.key, uid="sub-1")
    services.provider_save(
        board=board,
        data={"kind": "entra", "tenant": TENANT, "client_id": "y"},
        domains_text="eik.nl",
        provider=provider,
    )
    assert SocialAccount.objects.filter(provider=provider.key).exists()  # same tenant: kept
    services.provider_save(
        board=board,
        data={"kind": "entra", "tenant": "9b2d6f7e-1c4a-4f3e-9a55-2f6c1d0e8b71", "client_id": "y"},
        domains_text="eik.nl",
        provider=provider,
    )
    assert not SocialAccount.objects.filter(provider=provider.key).exists()


def test_another_boards_provider_is_not_found(client, executive):
    other = make_board()
    provider = services.provider_save(
        board=other,
        data={"kind": "entra", "tenant": TENANT, "client_id": "x"},
        domains_text="ander.nl",
        client_secret="s",
    )
    board, _user = executive
    for name in ("identity:provider_edit", "identity:provider_delete"):
        url = reverse(name, args=[board.pk, provider.pk])
        assert client.post(url, _entra_form()).status_code == 404
    assert IdentityProvider.objects.filter(pk=provider.pk).exists()


def test_password_sign_in_goes_off_only_after_a_working_sign_in_and_with_a_second_factor(
    client, executive
):
    board, user = executive
    provider = _entra(board)
    url = reverse("identity:passwords", args=[board.pk])
    client.post(url, {"passwords_off": "on"})
    assert not SignInPolicy.objects.filter(board=board, passwords_off=True).exists()
    assert len(services.passwords_off_blockers(board=board, user=user)) == 2
    IdentityProvider.objects.filter(pk=provider.pk).update(verified_at=timezone.now())
    assert len(services.passwords_off_blockers(board=board, user=user)) == 1
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert services.passwords_off_blockers(board=board, user=user) == []
    client.post(url, {"passwords_off": "on"})
    assert SignInPolicy.objects.get(board=board).passwords_off
    client.post(url, {"passwords_off": ""})
    assert not SignInPolicy.objects.get(board=board).passwords_off


def test_only_an_executive_of_the_board_sets_the_password_rule():
    board = make_board()
    officer = make_user()
    grant(officer, board, Role.QUALITY_OFFICER)
    with pytest.raises(ValidationError):
        services.passwords_set(board=board, user=officer, off=False)


def test_removing_the_last_provider_turns_passwords_back_on(client, executive):
    board, user = executive
    provider = _entra(board)
    SignInPolicy.objects.create(board=board, passwords_off=True, changed_by=user)
    SocialAccount.objects.create(user=user, provider=provider.key, uid="sub-1")
    response = client.post(reverse("identity:provider_delete", args=[board.pk, provider.pk]))
    assert response.status_code == 302
    assert not IdentityProvider.objects.exists() and not SocialAccount.objects.exists()
    assert not SignInPolicy.objects.get(board=board).passwords_off


def test_a_secret_that_no_longer_decrypts_is_flagged(client, executive, settings):
    board, _user = executive
    provider = _entra(board)
    settings.SECRET_KEY = "another-secret-key-after-rotation-0123456789-abcdefghijkl"
    assert client_secret(provider) == ""
    row = providers_with_addresses(board)[0]
    assert row.secret_unreadable and row.complete  # shown, so the executive re-enters it


def test_the_linked_accounts_page_never_lists_other_boards_providers(client):
    board = make_board(name="Stichting Geheim")
    services.provider_save(
        board=board,
        data={"kind": "entra", "tenant": TENANT, "client_id": "x", "label": "Werkaccount Geheim"},
        domains_text="geheim.nl",
        client_secret="s",
    )
    user = make_user(email="x@other.nl")
    grant(user, make_board(), Role.STAFF)
    client.force_login(user)
    response = client.get(reverse("socialaccount_connections"))
    assert response.status_code == 200
    assert b"Geheim" not in response.content
