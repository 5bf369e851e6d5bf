"""The framework browser: framework → area → standard → requirements, for anyone signed in."""

import pytest
from django.urls import reverse

from stelsel.frameworks.services import frameworks_load
from stelsel.organisations.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(db):
    frameworks_load()


def test_it_browses_from_the_list_to_a_requirement(client, world, library):
    client.force_login(world.users[Role.STAFF])
    listing = client.get(reverse("frameworks:list")).content.decode()
    assert "Onderzoekskader 2021 PO" in listing
    detail = client.get(reverse("frameworks:detail", args=["onderzoekskader-2021-po", 1]))
    text = detail.content.decode()
    assert "Onderwijsproces" in text and "OP1" in text and "SKA3" in text
    standard = client.get(
        reverse("frameworks:standard", args=["onderzoekskader-2021-po", 1, "OP1"])
    )
    assert standard.status_code == 200
    requirements = standard.context["standard"].requirements.all()
    assert requirements
    assert requirements[0].text in standard.content.decode()


def test_unknown_frameworks_versions_and_standards_answer_404(client, world, library):
    client.force_login(world.users[Role.STAFF])
    assert client.get(reverse("frameworks:detail", args=["bestaat-niet", 1])).status_code == 404
    assert (
        client.get(reverse("frameworks:detail", args=["onderzoekskader-2021-po", 7])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("frameworks:standard", args=["onderzoekskader-2021-po", 1, "XX9"])
        ).status_code
        == 404
    )


def test_the_framework_pages_need_a_sign_in(client, library):
    response = client.get(reverse("frameworks:list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
