"""Editing a draft round before it opens: the service, the page, the edit conflict, and the
link that is shown only where it can be used."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stelsel.lib.revisions import EditConflict
from stelsel.organisations.roles import Role
from stelsel.selfevaluation import services
from stelsel.selfevaluation.models import RespondentInvitation, Round, RoundState
from tests.factories import make_questionnaire, make_round

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2027, 3, 1)


def _changes(world, **overrides) -> dict:
    return {
        "questionnaire_version": make_questionnaire(),
        "school": world.school,
        "title": "Voorjaar, bijgesteld",
        "opens_on": MARCH,
        "closes_on": MARCH + datetime.timedelta(days=20),
        "perspectives": [("teachers", ""), ("custom", "Leerlingenraad")],
        "k": 6,
        "k_text": 12,
    } | overrides


def _post_data(round_, **overrides) -> dict:
    return {
        "questionnaire_version": round_.questionnaire_version_id,
        "school": round_.school_id or "",
        "title": "Najaar",
        "opens_on": "2027-10-01",
        "closes_on": "2027-10-21",
        "perspectives": ["teachers", "council"],
        "custom_group": "",
        "k": 5,
        "k_text": 10,
        "revision": round_.revision,
    } | overrides


# --- the service ------------------------------------------------------------------------------


def test_a_draft_round_takes_new_settings_and_keeps_the_invitations_of_kept_perspectives(world):
    round_ = make_round(world.board, world.school)
    teachers = round_.perspectives.get(code="teachers")
    services.invitations_add(round_=round_, perspective=teachers, emails=["a@school.nl"])

    updated = services.round_update(round_=round_, revision=round_.revision, **_changes(world))

    updated.refresh_from_db()
    assert (updated.title, updated.opens_on, updated.k, updated.k_text) == (
        "Voorjaar, bijgesteld",
        MARCH,
        6,
        12,
    )
    assert updated.revision == round_.revision + 1
    assert [str(p) for p in updated.perspectives.order_by("position")] == [
        "Teachers",
        "Leerlingenraad",
    ]
    # The teachers are the same group as before: their invitation stays with them.
    assert updated.perspectives.get(code="teachers").pk == teachers.pk
    assert RespondentInvitation.objects.get().perspective_id == teachers.pk


@pytest.mark.parametrize("state", [RoundState.OPEN, RoundState.CLOSED])
def test_only_a_draft_can_be_edited(world, state):
    round_ = make_round(world.board, world.school, state=state)
    with pytest.raises(ValidationError, match="Only a draft round can be edited"):
        services.round_update(round_=round_, revision=round_.revision, **_changes(world))
    fresh = Round.objects.get(pk=round_.pk)
    assert (fresh.title, fresh.revision) == (round_.title, round_.revision)


def test_a_perspective_with_invitations_cannot_be_left_out(world):
    round_ = make_round(world.board, world.school)
    council = round_.perspectives.get(code="council")
    services.invitations_add(round_=round_, perspective=council, emails=["mr@school.nl"])
    with pytest.raises(ValidationError) as caught:
        services.round_update(round_=round_, revision=round_.revision, **_changes(world))
    assert "perspectives" in caught.value.message_dict
    assert round_.perspectives.count() == 3
    assert Round.objects.get(pk=round_.pk).title == round_.title


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"k": 2}, "k"),
        ({"closes_on": MARCH - datetime.timedelta(days=1)}, "closes_on"),
        ({"perspectives": []}, "perspectives"),
        ({"school": None}, "questionnaire_version"),
    ],
)
def test_bad_changes_are_refused_with_the_field_named_and_nothing_changes(world, overrides, field):
    round_ = make_round(world.board, world.school)
    with pytest.raises(ValidationError) as caught:
        services.round_update(
            round_=round_, revision=round_.revision, **_changes(world, **overrides)
        )
    assert field in caught.value.message_dict
    fresh = Round.objects.get(pk=round_.pk)
    assert (fresh.title, fresh.k, fresh.revision) == (round_.title, round_.k, round_.revision)
    assert fresh.perspectives.count() == 3


def test_a_save_on_top_of_a_newer_one_is_refused(world):
    round_ = make_round(world.board, world.school)
    services.round_update(round_=round_, revision=round_.revision, **_changes(world))
    with pytest.raises(EditConflict) as caught:
        services.round_update(
            round_=round_, revision=round_.revision, **_changes(world, title="Later")
        )
    assert caught.value.current.title == "Voorjaar, bijgesteld"
    assert Round.objects.get(pk=round_.pk).title == "Voorjaar, bijgesteld"


# --- the page ---------------------------------------------------------------------------------


def test_the_organiser_edits_a_draft_on_its_page(english, world):
    round_ = make_round(world.board, world.school)
    english.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("selfevaluation:round_edit", args=[world.board.pk, round_.pk])
    form = english.get(url)
    assert form.status_code == 200
    assert form.context["form"]["title"].value() == round_.title
    response = english.post(url, _post_data(round_), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "selfevaluation:round", args=[world.board.pk, round_.pk]
    )
    fresh = Round.objects.get(pk=round_.pk)
    assert fresh.title == "Najaar"
    assert sorted(p.code for p in fresh.perspectives.all()) == ["council", "teachers"]
    assert "Round “Najaar” saved." in response.content.decode()


def test_the_page_shows_both_versions_after_someone_else_saved(english, world):
    round_ = make_round(world.board, world.school)
    services.round_update(
        round_=round_, revision=round_.revision, **_changes(world, title="Hun versie")
    )
    english.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("selfevaluation:round_edit", args=[world.board.pk, round_.pk])
    response = english.post(url, _post_data(round_, title="Mijn versie"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this round while you were editing" in page
    assert "Hun versie" in page and "Mijn versie" in page
    assert Round.objects.get(pk=round_.pk).title == "Hun versie"
    # The form now carries the current revision: saving again replaces theirs.
    assert response.context["form"]["revision"].value() == str(round_.revision + 1)
    again = english.post(url, _post_data(round_, title="Mijn versie", revision=round_.revision + 1))
    assert again.status_code == 302
    assert Round.objects.get(pk=round_.pk).title == "Mijn versie"


def test_an_opened_round_is_not_edited_through_the_page(english, world):
    round_ = make_round(world.board, world.school, state=RoundState.OPEN)
    english.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("selfevaluation:round_edit", args=[world.board.pk, round_.pk])
    response = english.post(url, _post_data(round_), follow=True)
    assert "Only a draft round can be edited" in response.content.decode()
    assert Round.objects.get(pk=round_.pk).title == round_.title


def test_the_edit_link_is_shown_only_on_a_draft_to_those_who_run_it(client, world):
    draft = make_round(world.board, world.school)
    opened = make_round(world.board, world.school, state=RoundState.OPEN)

    def link_shown(user, round_) -> bool:
        client.force_login(user)
        page = client.get(reverse("selfevaluation:round", args=[world.board.pk, round_.pk]))
        edit_url = reverse("selfevaluation:round_edit", args=[world.board.pk, round_.pk])
        return edit_url in page.content.decode()

    assert link_shown(world.users[Role.QUALITY_OFFICER], draft)
    assert not link_shown(world.users[Role.QUALITY_OFFICER], opened)
    assert not link_shown(world.users[Role.SUPERVISOR], draft)
    assert not link_shown(world.users[Role.SCHOOL_LEADER], draft)
