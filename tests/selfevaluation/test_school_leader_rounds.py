"""School leaders run their own school's rounds when their board allows it: the board setting,
what it opens (create, edit, open, close, share, results of their own school's rounds) and what
it never opens (the board's own rounds, another school's rounds, board-wide pages)."""

import pytest
from django.urls import reverse

from stelsel.organisations.access import forget_grants
from stelsel.organisations.models import Board
from stelsel.organisations.roles import Role
from stelsel.selfevaluation.access import may_run_round, may_see_results, round_schools_for_user
from stelsel.selfevaluation.models import Round, RoundState
from tests.factories import fill_answers, grant, make_questionnaire, make_round

pytestmark = pytest.mark.django_db


def _allow(board: Board, allowed: bool = True) -> None:
    board.school_leaders_run_rounds = allowed
    board.save(update_fields=["school_leaders_run_rounds"])


def _leader(client, world):
    client.force_login(world.users[Role.SCHOOL_LEADER])
    return client


def _new_round_data(school) -> dict:
    return {
        "questionnaire_version": make_questionnaire().pk,
        "school": school.pk if school else "",
        "title": "Teamreflectie",
        "opens_on": "2027-03-01",
        "closes_on": "2027-03-21",
        "perspectives": ["teachers"],
        "k": 5,
        "k_text": 10,
    }


def test_the_setting_is_off_by_default_and_the_executive_turns_it_on(client, world):
    assert world.board.school_leaders_run_rounds is False
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    url = reverse("organisations:board_settings", args=[world.board.pk])
    assert 'name="school_leaders_run_rounds"' in client.get(url).content.decode()
    client.post(url, {"name": world.board.name, "school_leaders_run_rounds": "on"})
    world.board.refresh_from_db()
    assert world.board.school_leaders_run_rounds is True
    client.post(url, {"name": world.board.name})
    world.board.refresh_from_db()
    assert world.board.school_leaders_run_rounds is False


def test_without_the_setting_a_school_leader_runs_no_rounds(client, world):
    round_ = make_round(world.board, world.school)
    leader = world.users[Role.SCHOOL_LEADER]
    assert not may_run_round(leader, world.board, round_)
    client = _leader(client, world)
    create = reverse("selfevaluation:round_create", args=[world.board.pk])
    assert client.get(create).status_code == 403
    assert client.post(create, _new_round_data(world.school)).status_code == 403
    assert not Round.objects.filter(title="Teamreflectie").exists()
    page = client.get(reverse("selfevaluation:rounds", args=[world.board.pk])).content.decode()
    assert create not in page


def test_with_the_setting_a_school_leader_creates_a_round_of_their_own_school_only(client, world):
    _allow(world.board)
    leader = world.users[Role.SCHOOL_LEADER]
    assert list(round_schools_for_user(leader, world.board)) == [world.school]
    client = _leader(client, world)
    create = reverse("selfevaluation:round_create", args=[world.board.pk])
    form = client.get(create)
    assert form.status_code == 200
    # Only their own school to choose, and no round of the board itself.
    assert list(form.context["form"].fields["school"].queryset) == [world.school]
    assert form.context["form"].fields["school"].required
    # Another school of the board, or the board itself, is refused and nothing is stored.
    for school in (world.other_school, None):
        response = client.post(create, _new_round_data(school))
        assert response.status_code == 200 and response.context["form"].errors
    assert not Round.objects.exists()
    response = client.post(create, _new_round_data(world.school))
    round_ = Round.objects.get()
    assert (round_.school, round_.state) == (world.school, RoundState.DRAFT)
    assert response["Location"] == reverse("selfevaluation:round", args=[world.board.pk, round_.pk])
    # The rounds page offers a new round, but not the board's questionnaire composer.
    page = client.get(reverse("selfevaluation:rounds", args=[world.board.pk])).content.decode()
    assert create in page
    assert reverse("selfevaluation:questionnaire_compose", args=[world.board.pk]) not in page


def test_with_the_setting_a_school_leader_runs_the_whole_life_of_their_schools_round(
    english, world
):
    _allow(world.board)
    round_ = make_round(world.board, world.school, k=3, run_by_school=True)
    client = _leader(english, world)
    detail = reverse("selfevaluation:round", args=[world.board.pk, round_.pk])
    assert reverse("selfevaluation:round_edit", args=[world.board.pk, round_.pk]) in (
        client.get(detail).content.decode()
    )

    def act(action, data=None):
        url = reverse("selfevaluation:round_action", args=[world.board.pk, round_.pk, action])
        return client.post(url, data or {}, follow=True).content.decode()

    assert "Round opened" in act("open")
    fill_answers(round_, "teachers", 3, 3)
    assert "Round closed" in act("close")
    round_.refresh_from_db()
    assert round_.state == RoundState.CLOSED
    # As the organiser they see the results once closed, under the same thresholds.
    assert may_see_results(world.users[Role.SCHOOL_LEADER], round_)
    results = client.get(reverse("selfevaluation:results", args=[world.board.pk, round_.pk]))
    assert results.status_code == 200
    assert "Results shared with: staff member." in act("share", {"roles": [Role.STAFF]})
    round_.refresh_from_db()
    assert (round_.state, round_.shared_with) == (RoundState.SHARED, [Role.STAFF])


def test_with_the_setting_the_boards_own_rounds_and_other_schools_stay_out_of_reach(client, world):
    _allow(world.board)
    board_round = make_round(world.board, None)
    other = make_round(world.board, world.other_school)
    leader = world.users[Role.SCHOOL_LEADER]
    assert not may_run_round(leader, world.board, board_round)
    client = _leader(client, world)
    board_round_page = client.get(
        reverse("selfevaluation:round", args=[world.board.pk, board_round.pk])
    ).content.decode()
    assert reverse("selfevaluation:round_edit", args=[world.board.pk, board_round.pk]) not in (
        board_round_page
    )
    for action in ("open", "close"):
        url = reverse("selfevaluation:round_action", args=[world.board.pk, board_round.pk, action])
        assert client.post(url).status_code == 403
        url = reverse("selfevaluation:round_action", args=[world.board.pk, other.pk, action])
        assert client.post(url).status_code == 404
    edit = reverse("selfevaluation:round_edit", args=[world.board.pk, other.pk])
    assert client.get(edit).status_code == 404
    assert Round.objects.get(pk=board_round.pk).state == RoundState.DRAFT
    assert Round.objects.get(pk=other.pk).state == RoundState.DRAFT


def test_each_board_decides_for_its_own_schools(world):
    """A school leader of two boards runs rounds only where that board allows it."""
    leader = world.users[Role.SCHOOL_LEADER]
    grant(leader, world.other_board, Role.SCHOOL_LEADER, world.other_board_school)
    _allow(world.board, False)
    _allow(world.other_board, True)
    own = make_round(world.board, world.school, run_by_school=True)
    elsewhere = make_round(world.other_board, world.other_board_school, run_by_school=True)
    forget_grants(leader)
    assert not may_run_round(leader, Board.objects.get(pk=world.board.pk), own)
    assert may_run_round(leader, Board.objects.get(pk=world.other_board.pk), elsewhere)


def test_staff_never_run_rounds_whatever_the_setting(client, world):
    _allow(world.board)
    round_ = make_round(world.board, world.school)
    client.force_login(world.users[Role.STAFF])
    url = reverse("selfevaluation:round_action", args=[world.board.pk, round_.pk, "open"])
    assert client.post(url).status_code == 403
    assert client.get(
        reverse("selfevaluation:round_create", args=[world.board.pk])
    ).status_code == (403)


def test_a_round_the_board_office_started_for_the_school_stays_the_board_offices(client, world):
    """When and with whom its results are shared is the board office's to decide, also when the
    board lets school leaders run the rounds they start."""
    _allow(world.board)
    round_ = make_round(world.board, world.school, state="closed")
    leader = world.users[Role.SCHOOL_LEADER]
    assert not may_run_round(leader, world.board, round_)
    assert not may_see_results(leader, round_)
    client = _leader(client, world)
    share = reverse("selfevaluation:round_action", args=[world.board.pk, round_.pk, "share"])
    assert client.post(share, {"roles": [Role.STAFF]}).status_code == 403
    edit = reverse("selfevaluation:round_edit", args=[world.board.pk, round_.pk])
    assert client.get(edit).status_code == 403
    assert Round.objects.get(pk=round_.pk).state == RoundState.CLOSED


def test_a_round_a_school_leader_starts_is_marked_as_the_schools(client, world):
    _allow(world.board)
    client = _leader(client, world)
    client.post(
        reverse("selfevaluation:round_create", args=[world.board.pk]),
        _new_round_data(world.school),
    )
    created = Round.objects.get(board=world.board)
    assert created.run_by_school and created.school_id == world.school.pk
    assert may_run_round(world.users[Role.SCHOOL_LEADER], world.board, created)
