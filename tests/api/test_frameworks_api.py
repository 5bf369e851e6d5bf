"""Frameworks through the API, from the shipped library."""

import pytest

from stelsel.accounts.services import token_create
from stelsel.frameworks.services import frameworks_load
from stelsel.organisations.roles import Role

pytestmark = pytest.mark.django_db


def test_it_lists_versions_and_returns_a_whole_framework(client, world):
    frameworks_load()
    _token, raw = token_create(user=world.users[Role.COUNCIL], name="x")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    listed = client.get("/api/v1/frameworks", **auth).json()
    assert {"onderzoekskader-2021-po", "bestuur-bka-2021"} <= {v["id"] for v in listed}
    bka = client.get("/api/v1/frameworks/bestuur-bka-2021/versions/1", **auth).json()
    assert [s["code"] for s in bka["standards"]] == ["BKA1", "BKA2", "BKA3"]
    assert all(s["requirements"] for s in bka["standards"])
    assert client.get("/api/v1/frameworks/bestuur-bka-2021/versions/99", **auth).status_code == 404
