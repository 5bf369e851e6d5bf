"""The organiser is told what each step did, with counts where there are some, and never what
anonymity forbids (how many answered)."""

import pytest
from django.urls import reverse

from stelsel.organisations.roles import Role
from stelsel.selfevaluation import services
from stelsel.selfevaluation.models import RoundState
from tests.factories import fill_answers, make_round

pytestmark = pytest.mark.django_db


def _said(response) -> list[str]:
    """The messages the page after the redirect shows (and so uses up)."""
    assert response.redirect_chain, "a step answers with a redirect to the round"
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def organiser(english, world):
    english.force_login(world.users[Role.QUALITY_OFFICER])
    return english


def _act(client, round_, action, data=None):
    url = reverse("selfevaluation:round_action", args=[round_.board_id, round_.pk, action])
    return _said(client.post(url, data or {}, follow=True))


def test_opening_says_how_many_invitations_went_out(
    organiser, world, mailoutbox, django_capture_on_commit_callbacks
):
    round_ = make_round(world.board, world.school)
    teachers = round_.perspectives.get(code="teachers")
    emails = [f"leraar{n}@school.nl" for n in range(24)]
    services.invitations_add(round_=round_, perspective=teachers, emails=emails)
    with django_capture_on_commit_callbacks(execute=True):
        said = _act(organiser, round_, "open")
    assert said == ["Round opened: 24 invitations sent."]
    assert len(mailoutbox) == 24


def test_opening_with_one_invitation_speaks_of_one(organiser, world):
    round_ = make_round(world.board, world.school)
    teachers = round_.perspectives.get(code="teachers")
    services.invitations_add(round_=round_, perspective=teachers, emails=["a@school.nl"])
    assert _act(organiser, round_, "open") == ["Round opened: 1 invitation sent."]


def test_closing_sharing_and_reopening_each_say_what_happened(organiser, world):
    round_ = make_round(world.board, world.school, state=RoundState.OPEN)
    fill_answers(round_, "teachers", 5, 3)
    assert _act(organiser, round_, "close") == [
        "Round closed: the results are ready; share them when you are ready."
    ]
    said = _act(organiser, round_, "share", {"roles": [Role.SCHOOL_LEADER, Role.STAFF]})
    assert said == ["Results shared with: school leader, staff member."]
    assert _act(organiser, round_, "share", {}) == [
        "Results no longer shared: only the organisers see them."
    ]
    round_.refresh_from_db()
    said = _act(organiser, round_, "reopen", {"reason": "Twee teams misten de uitnodiging."})
    assert len(said) == 1 and said[0].startswith("Round reopened until ")
    round_.refresh_from_db()
    assert str(round_.closes_on.year) in said[0]


def test_a_meeting_code_is_named_with_its_group_and_cap(organiser, world):
    round_ = make_round(world.board, world.school, state=RoundState.OPEN)
    council = round_.perspectives.get(code="council")
    said = _act(organiser, round_, "meeting", {"perspective": council.pk, "cap": 12})
    council.refresh_from_db()
    assert said == [
        f"Meeting code for {council}: {council.meeting_code_grouped}, for at most 12 people."
    ]


def test_the_reminder_never_says_how_many_it_reached(organiser, world):
    """The number reminded is the number who have not answered: it would tell how many did."""
    round_ = make_round(world.board, world.school)
    teachers = round_.perspectives.get(code="teachers")
    emails = [f"leraar{n}@school.nl" for n in range(6)]
    services.invitations_add(round_=round_, perspective=teachers, emails=emails)
    services.round_open(round_=round_)
    said = _act(organiser, round_, "remind")
    assert said == ["A reminder went to everyone who has not answered yet."]
    assert not any(ch.isdigit() for ch in said[0])


def test_adding_invitations_names_the_group_and_when_they_go_out(organiser, world):
    round_ = make_round(world.board, world.school)
    teachers = round_.perspectives.get(code="teachers")
    url = reverse("selfevaluation:invitations_add", args=[world.board.pk, round_.pk])
    data = {"perspective": teachers.pk, "emails": "a@school.nl, b@school.nl"}
    assert _said(organiser.post(url, data, follow=True)) == [
        "2 invitations for Teachers added; they go out when the round opens."
    ]
    assert _said(organiser.post(url, data, follow=True)) == [
        "No new invitations for Teachers: every address was invited already."
    ]
    services.round_open(round_=round_)
    data = {"perspective": teachers.pk, "emails": "c@school.nl"}
    assert _said(organiser.post(url, data, follow=True)) == [
        "1 invitation for Teachers added and sent."
    ]


def test_creating_a_round_names_it(organiser, world):
    from tests.factories import make_questionnaire

    response = organiser.post(
        reverse("selfevaluation:round_create", args=[world.board.pk]),
        {
            "questionnaire_version": make_questionnaire().pk,
            "school": world.school.pk,
            "title": "Voorjaar",
            "opens_on": "2027-03-01",
            "closes_on": "2027-03-21",
            "perspectives": ["teachers"],
            "k": 5,
            "k_text": 10,
        },
        follow=True,
    )
    assert _said(response) == [
        "Round “Voorjaar” created as a draft. Add invitations, then open it."
    ]
