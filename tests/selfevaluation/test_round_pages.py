"""The organiser's pages: create a round, invite, show the QR code, act on the round."""

import pytest
from django.urls import reverse

from stelsel.organisations.roles import Role
from stelsel.selfevaluation.models import RespondentInvitation, Round, RoundState
from tests.factories import make_questionnaire, make_round

pytestmark = pytest.mark.django_db


def test_a_quality_officer_creates_a_round_from_the_form(client, world):
    version = make_questionnaire()
    client.force_login(world.users[Role.QUALITY_OFFICER])
    response = client.post(
        reverse("selfevaluation:round_create", args=[world.board.pk]),
        {
            "questionnaire_version": version.pk,
            "school": world.school.pk,
            "title": "Voorjaar",
            "opens_on": "2026-03-01",
            "closes_on": "2026-03-21",
            "perspectives": ["teachers"],
            "custom_group": "Leerlingenraad",
            "k": 5,
            "k_text": 10,
        },
    )
    round_ = Round.objects.get()
    assert response["Location"] == reverse("selfevaluation:round", args=[world.board.pk, round_.pk])
    assert [str(p) for p in round_.perspectives.all()] == ["Teachers", "Leerlingenraad"]


def test_a_board_round_with_a_school_questionnaire_is_refused_on_the_form(client, world):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    response = client.post(
        reverse("selfevaluation:round_create", args=[world.board.pk]),
        {
            "questionnaire_version": make_questionnaire().pk,
            "school": "",
            "title": "X",
            "opens_on": "2026-03-01",
            "closes_on": "2026-03-21",
            "perspectives": ["teachers"],
            "k": 5,
            "k_text": 10,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Round.objects.exists()


def test_a_list_of_addresses_with_one_bad_address_adds_nobody(client, world):
    round_ = make_round(world.board, world.school)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("selfevaluation:invitations_add", args=[world.board.pk, round_.pk])
    perspective = round_.perspectives.get(code="teachers").pk
    client.post(url, {"perspective": perspective, "emails": "a@school.nl\ngeen-adres"})
    assert not RespondentInvitation.objects.exists()
    client.post(
        url, {"perspective": perspective, "emails": "a@school.nl, b@school.nl; A@school.nl"}
    )
    assert RespondentInvitation.objects.count() == 2


def test_the_qr_code_is_an_svg_while_the_round_is_open(client, world):
    round_ = make_round(world.board, world.school, state="open")
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    perspective = round_.perspectives.first()
    client.post(
        reverse("selfevaluation:round_action", args=[world.board.pk, round_.pk, "meeting"]),
        {"perspective": perspective.pk, "cap": "25"},
    )
    perspective.refresh_from_db()
    assert perspective.meeting_cap == 25 and perspective.meeting_code
    url = reverse("selfevaluation:meeting_qr", args=[world.board.pk, round_.pk, perspective.pk])
    response = client.get(url)
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_the_meeting_code_has_a_page_for_the_room_while_the_round_is_open(client, world):
    """The round page links to a page with the code large enough to read from the back of the
    room, with its QR code and where to enter it; once the round closes it is gone."""
    round_ = make_round(world.board, world.school, state="open")
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    perspective = round_.perspectives.first()
    client.post(
        reverse("selfevaluation:round_action", args=[world.board.pk, round_.pk, "meeting"]),
        {"perspective": perspective.pk, "cap": "25"},
    )
    perspective.refresh_from_db()
    args = [world.board.pk, round_.pk, perspective.pk]
    url = reverse("selfevaluation:meeting_present", args=args)
    round_page = client.get(reverse("selfevaluation:round", args=args[:2])).content.decode()
    assert f'href="{url}"' in round_page
    page = client.get(url).content.decode()
    assert perspective.meeting_code_grouped in page
    assert reverse("selfevaluation:meeting_qr", args=args) in page
    assert reverse("selfevaluation:meeting_entry") in page
    assert "selfevaluation/meeting_present.js" in page
    client.post(reverse("selfevaluation:round_action", args=[*args[:2], "close"]))
    assert client.get(url).status_code == 404


def test_actions_move_the_round_and_unknown_actions_answer_404(client, world):
    round_ = make_round(world.board, world.school)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    act = lambda action: client.post(  # noqa: E731
        reverse("selfevaluation:round_action", args=[world.board.pk, round_.pk, action])
    )
    assert act("explode").status_code == 404
    act("open")
    act("close")
    round_.refresh_from_db()
    assert round_.state == RoundState.CLOSED
    client.post(
        reverse("selfevaluation:round_action", args=[world.board.pk, round_.pk, "share"]),
        {"roles": [Role.SUPERVISOR]},
    )
    round_.refresh_from_db()
    assert round_.state == RoundState.SHARED and round_.shared_with == [Role.SUPERVISOR]


@pytest.mark.parametrize(
    "data",
    [{"perspective": "²", "cap": "5"}, {"perspective": "", "cap": "x"}, {"cap": "99999999999999"}],
)
def test_bad_meeting_code_requests_get_a_message_not_an_error(client, world, data):
    round_ = make_round(world.board, world.school, state="open")
    client.force_login(world.users[Role.QUALITY_OFFICER])
    data = {"perspective": round_.perspectives.first().pk, **data}
    url = reverse("selfevaluation:round_action", args=[world.board.pk, round_.pk, "meeting"])
    assert client.post(url, data).status_code == 302
    assert not round_.perspectives.exclude(meeting_code=None).exists()


def test_odd_ids_on_the_compose_and_overview_pages_answer_cleanly(client, world):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("selfevaluation:questionnaire_compose", args=[world.board.pk])
    response = client.post(url, {"base": make_questionnaire().pk, "name": "X", "items": ["²"]})
    assert response.status_code == 200
    assert (
        client.get(f"/besturen/{world.board.pk}/zelfevaluatie/overzicht/{2**70}/").status_code
        == 404
    )
