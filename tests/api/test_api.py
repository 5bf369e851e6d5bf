"""The JSON API: session or personal-token auth, the same access rules as the pages."""

import pytest
from django.urls import reverse

from stelsel.accounts.models import PersonalAccessToken
from stelsel.accounts.services import token_create, token_revoke
from stelsel.organisations.roles import Role

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_it_refuses_calls_without_credentials(client, world):
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/boards").status_code == 401


def test_a_token_gives_the_users_view(client, world):
    _token, raw = token_create(user=world.users[Role.STAFF], name="BI")
    me = client.get("/api/v1/me", **bearer(raw)).json()
    assert me["email"] == world.users[Role.STAFF].email
    assert me["memberships"] == [
        {
            "board_id": world.board.pk,
            "board_name": world.board.name,
            "school_id": world.school.pk,
            "school_name": world.school.name,
            "role": "staff",
        }
    ]
    schools = client.get(f"/api/v1/boards/{world.board.pk}/schools", **bearer(raw)).json()
    assert [s["id"] for s in schools] == [world.school.pk]


def test_only_a_hash_of_the_token_is_stored(world):
    token, raw = token_create(user=world.users[Role.STAFF], name="BI")
    stored = PersonalAccessToken.objects.get(pk=token.pk)
    assert raw not in (stored.token_hash, stored.hint, stored.name)
    assert len(stored.token_hash) == 64


def test_a_revoked_or_wrong_token_is_refused(client, world):
    token, raw = token_create(user=world.users[Role.STAFF], name="BI")
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 200
    token_revoke(token=token)
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401
    assert client.get("/api/v1/me", **bearer(raw[:-1] + "x")).status_code == 401
    assert client.get("/api/v1/me", **bearer("")).status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Token abc").status_code == 401


def test_another_boards_ids_answer_404(client, world):
    _token, raw = token_create(user=world.users[Role.BOARD_EXECUTIVE], name="BI")
    assert client.get(f"/api/v1/boards/{world.other_board.pk}", **bearer(raw)).status_code == 404
    url = f"/api/v1/boards/{world.board.pk}/schools/{world.other_board_school.pk}"
    assert client.get(url, **bearer(raw)).status_code == 404
    url = f"/api/v1/boards/{world.other_board.pk}/schools/{world.other_board_school.pk}"
    assert client.get(url, **bearer(raw)).status_code == 404


def test_the_session_works_for_reads(client, world):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    boards = client.get("/api/v1/boards").json()
    assert boards == [
        {
            "id": world.board.pk,
            "name": world.board.name,
            "number": world.board.number,
            "sector": "po",
            "is_single_school": False,
            "school_count": 2,
        }
    ]


def test_the_openapi_document_lists_the_routes_and_both_auth_schemes(client):
    document = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/me",
        "/api/v1/boards",
        "/api/v1/boards/{board_id}/schools",
        "/api/v1/frameworks",
    } <= set(document["paths"])
    schemes = document["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} >= {"http", "apiKey"}


def test_tokens_are_created_and_revoked_in_the_users_settings(client, world):
    user = world.users[Role.STAFF]
    client.force_login(user)
    page = client.post(reverse("account_settings"), {"name": "Power BI"})
    raw = page.context["new_token"]
    assert raw.startswith("stl_")
    token = PersonalAccessToken.objects.get(user=user)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert b"stl_" not in client.get(reverse("account_settings")).content.replace(
        token.hint.encode(), b""
    )


def test_one_user_cannot_revoke_anothers_token(client, world):
    token, _raw = token_create(user=world.users[Role.STAFF], name="BI")
    client.force_login(world.outsider)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_empty_token_name_is_refused(client, world):
    client.force_login(world.users[Role.STAFF])
    response = client.post(reverse("account_settings"), {"name": "  "})
    assert response.context["form"].errors
    assert not PersonalAccessToken.objects.exists()
