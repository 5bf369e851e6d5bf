"""Start page, language switch, health check, print stylesheet."""

import pytest
from django.urls import reverse

from stelsel.organisations.roles import Role
from tests.factories import grant

pytestmark = pytest.mark.django_db


def test_home_goes_straight_to_the_only_board(client, world):
    client.force_login(world.users[Role.SUPERVISOR])
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("web:board_home", args=[world.board.pk])


def test_home_takes_a_school_role_to_its_school(client, world):
    client.force_login(world.users[Role.STAFF])
    response = client.get(reverse("home"))
    assert response["Location"] == reverse(
        "web:school_home", args=[world.board.pk, world.school.pk]
    )


def test_home_takes_someone_with_roles_on_two_schools_to_the_board(client, world):
    leader = world.users[Role.SCHOOL_LEADER]
    grant(leader, world.board, Role.SCHOOL_LEADER, world.other_school)
    client.force_login(leader)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("web:board_home", args=[world.board.pk])


def test_home_lets_a_person_of_several_boards_choose(client, world):
    advisor = world.users[Role.ADVISOR]
    grant(advisor, world.other_board, Role.ADVISOR)
    client.force_login(advisor)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert {b.pk for b in response.context["boards"]} == {world.board.pk, world.other_board.pk}


def test_the_interface_is_dutch_by_default_and_english_on_request(client, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    url = reverse("web:board_home", args=[world.board.pk])
    dutch = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert dutch["Content-Language"] == "nl"
    assert "Scholen" in dutch.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url)
    assert english["Content-Language"] == "en"
    assert "Schools" in english.content.decode()


def test_health_answers_ok(client, db):
    assert client.get("/health/").content == b"ok"


def test_pages_link_a_print_stylesheet(client, world):
    client.force_login(world.users[Role.STAFF])
    page = client.get(reverse("web:board_home", args=[world.board.pk]))
    assert 'media="print"' in page.content.decode()


def test_board_home_links_every_visible_school(client, world):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    page = client.get(reverse("web:board_home", args=[world.board.pk])).content.decode()
    for school in (world.school, world.other_school):
        assert f'href="{reverse("web:school_home", args=[world.board.pk, school.pk])}"' in page
    assert world.other_board_school.name not in page
