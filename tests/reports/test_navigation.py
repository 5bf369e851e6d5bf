"""The main menu offers the quality reports to everyone who reads them, after Data."""

import pytest
from django.urls import reverse

from stelsel.organisations.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", sorted(Role))
def test_the_menu_offers_reports_to_their_readers(client, world, role):
    client.force_login(world.users[role])
    page = client.get(reverse("web:board_home", args=[world.board.pk]))
    assert page.status_code == 200
    nav = page.content.decode().split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
    reports = f'href="{reverse("reports:list", args=[world.board.pk])}"'
    assert (reports in nav) == (role != Role.STAFF)
    if role != Role.STAFF:
        data = f'href="{reverse("insight:data", args=[world.board.pk])}"'
        assert nav.index(data) < nav.index(reports)


def test_the_reports_item_is_marked_as_the_current_page(client, world):
    client.force_login(world.users[Role.SUPERVISOR])
    path = reverse("reports:list", args=[world.board.pk])
    page = client.get(path).content.decode()
    assert f'<a href="{path}" aria-current="page">' in page
