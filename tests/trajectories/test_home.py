"""Where `/` leads someone with a role on a programme: straight to it when it is their only
role, a choice beside their boards otherwise."""

import pytest
from django.urls import reverse

from stelsel.organisations.roles import Role
from stelsel.trajectories.models import ProgrammeRole
from tests.factories import make_user
from tests.factories.trajectories import make_programme, programme_member

pytestmark = pytest.mark.django_db


def test_someone_only_on_one_programme_goes_straight_to_it(client):
    programme = make_programme(name="Bestuurders van onderwijskwaliteit")
    researcher = make_user()
    programme_member(researcher, programme, ProgrammeRole.RESEARCHER)
    client.force_login(researcher)
    answer = client.get(reverse("home"))
    assert answer.status_code == 302
    assert answer.url == reverse("trajectories:programme", args=[programme.slug])


def test_an_advisor_with_a_board_and_a_programme_chooses(client, world):
    programme = make_programme(name="Bestuurders van onderwijskwaliteit")
    advisor = world.users[Role.ADVISOR]
    programme_member(advisor, programme, ProgrammeRole.ADVISOR)
    client.force_login(advisor)
    answer = client.get(reverse("home"))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert reverse("web:board_home", args=[world.board.pk]) in page
    assert reverse("trajectories:programme", args=[programme.slug]) in page


def test_without_programmes_the_single_board_still_opens_at_once(client, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    answer = client.get(reverse("home"))
    assert answer.status_code == 302
    assert answer.url == reverse("web:board_home", args=[world.board.pk])
