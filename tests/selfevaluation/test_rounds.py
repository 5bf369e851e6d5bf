"""Rounds: creating, the states, sharing, reopening once; results only when allowed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stelsel.organisations.roles import Role
from stelsel.selfevaluation import services
from stelsel.selfevaluation.models import Answer, Response, Round, RoundState
from tests.factories import fill_answers, make_questionnaire, make_round

pytestmark = pytest.mark.django_db


def _answers(round_, perspective_code, values, *, count):
    fill_answers(round_, perspective_code, count, values)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"k": 2}, "k"),
        ({"k_text": 5}, "k_text"),
        ({"closes_on": datetime.date(2020, 1, 1)}, "closes_on"),
        ({"perspectives": []}, "perspectives"),
        ({"perspectives": [("supervisors", "")]}, "perspectives"),
        ({"perspectives": [("custom", " ")]}, "perspectives"),
        ({"school": None}, "questionnaire_version"),
    ],
)
def test_bad_rounds_are_refused_with_the_field_named(world, overrides, field):
    data = {
        "board": world.board,
        "school": world.school,
        "questionnaire_version": make_questionnaire(),
        "title": "R",
        "opens_on": datetime.date(2026, 1, 1),
        "closes_on": datetime.date(2026, 2, 1),
        "perspectives": [("teachers", "")],
        "created_by": None,
        **overrides,
    }
    with pytest.raises(ValidationError) as caught:
        services.round_create(**data)
    assert field in caught.value.message_dict
    assert not Round.objects.exists()


def test_a_school_of_another_board_is_refused(world):
    with pytest.raises(ValidationError):
        make_round(world.board, world.other_board_school)


def test_the_states_run_draft_open_closed_shared_and_reopen_only_once(world):
    round_ = make_round(world.board, world.school)
    with pytest.raises(ValidationError):
        services.round_close(round_=round_)
    services.round_open(round_=round_)
    assert not any(p.meeting_code for p in round_.perspectives.all()), "codes only on request"
    services.round_close(round_=round_)
    services.round_share(round_=round_, roles=[Role.STAFF])
    with pytest.raises(ValidationError):
        services.round_reopen(round_=round_, reason=" ")
    services.round_reopen(round_=round_, reason="Twee scholen kregen de link te laat.")
    round_.refresh_from_db()
    assert round_.state == RoundState.OPEN and round_.shared_with == []
    services.round_close(round_=round_)
    with pytest.raises(ValidationError, match="once"):
        services.round_reopen(round_=round_, reason="Nog eens")


def test_while_open_nobody_sees_results_and_afterwards_only_whom_they_are_shared_with(
    client, world
):
    round_ = make_round(world.board, world.school, state="open")
    _answers(round_, "teachers", [3, 4, 2], count=6)
    url = reverse("selfevaluation:results", args=[world.board.pk, round_.pk])
    client.force_login(world.users[Role.QUALITY_OFFICER])
    assert client.get(url).status_code == 403
    services.round_close(round_=round_)
    assert client.get(url).status_code == 200
    client.force_login(world.users[Role.STAFF])
    assert client.get(url).status_code == 403
    services.round_share(round_=round_, roles=[Role.STAFF])
    assert client.get(url).status_code == 200
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


def test_the_results_page_hides_small_groups_everywhere(client, world):
    round_ = make_round(world.board, world.school, state="open")
    _answers(round_, "teachers", [4, 4, 4], count=6)
    _answers(round_, "council", [1, 1, 1], count=2)
    _answers(round_, "school_leaders", [2, 2, 2], count=5)
    services.round_close(round_=round_)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    page = client.get(reverse("selfevaluation:results", args=[world.board.pk, round_.pk]))
    text = page.content.decode()
    assert "n=2" not in text
    assert "1,0" not in text and "1.0" not in text, "the council's mean must not appear"
    results = page.context["results"]
    council = round_.perspectives.get(code="council").pk
    for section in results.sections:
        assert not section.row.cells[council].published
        assert section.row.total.published and council not in section.row.covers
        for item in section.items:
            assert not item.row.cells[council].published
            assert council not in item.row.covers, "a small group is in no total"
            assert item.row.total.n == 11, "the total adds the six teachers and five leaders"
    assert "Alle getoonde groepen" in text


def test_results_use_a_fixed_number_of_queries_whatever_the_number_of_responses(
    client, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size, school in ((12, world.school), (60, world.other_school)):
        round_ = make_round(world.board, school, state="open")
        _answers(round_, "teachers", [3, 2, 4], count=size)
        _answers(round_, "school_leaders", [4, 4, 4], count=size)
        services.round_close(round_=round_)
        client.force_login(world.users[Role.QUALITY_OFFICER])
        url = reverse("selfevaluation:results", args=[world.board.pk, round_.pk])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append([q["sql"] for q in captured.captured_queries])
    assert len(counts[0]) == len(counts[1]), "\n".join(counts[1])


def test_the_trend_compares_with_the_previous_round(world):
    from stelsel.selfevaluation.selectors import round_results

    earlier = make_round(world.board, world.school, state="open")
    _answers(earlier, "teachers", [2, 2, 2], count=5)
    services.round_close(round_=earlier)
    Round.objects.filter(pk=earlier.pk).update(opens_on=datetime.date(2025, 1, 1))
    later = make_round(world.board, world.school, state="open")
    _answers(later, "teachers", [4, 4, 4], count=5)
    services.round_close(round_=later)
    results = round_results(later, viewer=world.users[Role.QUALITY_OFFICER])
    assert results.previous.pk == earlier.pk
    teachers = later.perspectives.get(code="teachers").pk
    assert results.sections[0].trend.cells[teachers].mean == 2.0
    assert results.sections[0].row.cells[teachers].mean == 4.0


def test_the_trend_is_left_out_for_a_reader_who_may_not_see_the_earlier_round(world):
    from stelsel.selfevaluation.selectors import round_results

    earlier = make_round(world.board, world.school, state="open")
    _answers(earlier, "teachers", [1, 1, 1], count=5)
    services.round_close(round_=earlier)
    Round.objects.filter(pk=earlier.pk).update(opens_on=datetime.date(2025, 1, 1))
    later = make_round(world.board, world.school, state="open")
    _answers(later, "teachers", [4, 4, 4], count=5)
    services.round_close(round_=later)
    services.round_share(round_=later, roles=[Role.STAFF])
    results = round_results(later, viewer=world.users[Role.STAFF])
    assert results.previous is None
    assert all(section.trend is None for section in results.sections)


def test_an_address_longer_than_the_column_is_refused(world):
    round_ = make_round(world.board, world.school)
    long_address = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".nl"
    with pytest.raises(ValidationError):
        services.invitations_add(
            round_=round_, perspective=round_.perspectives.first(), emails=[long_address]
        )


def _late(round_, code, count, value):
    perspective = round_.perspectives.get(code=code)
    for _ in range(count):
        response = Response.objects.create(
            round=round_, perspective=perspective, batch=1, submitted_on=round_.opens_on
        )
        Answer.objects.bulk_create(
            Answer(
                response=response,
                round=round_,
                perspective=perspective,
                item=item,
                value=value,
                dont_know=value is None,
                batch=1,
            )
            for item in round_.questionnaire_version.items.all()
        )
    return perspective


def test_after_reopening_a_few_late_answers_are_held_back(world):
    from stelsel.selfevaluation.selectors import response_rate, round_results

    round_ = make_round(world.board, world.school, state="open")
    _answers(round_, "teachers", [3, 3, 3], count=5)
    services.round_close(round_=round_)
    first = round_results(round_).sections[0].items[0].row
    services.round_reopen(round_=round_, reason="Eén school had de link niet.")
    round_.refresh_from_db()
    late = _late(round_, "teachers", 1, 1)
    services.round_close(round_=round_)
    round_.refresh_from_db()
    again = round_results(round_)
    assert again.sections[0].items[0].row.cells[late.pk] == first.cells[late.pk], (
        "one late answer cannot be subtracted"
    )
    assert again.late_counted(late) is False
    assert response_rate(round_).responses == 5


def test_five_late_answers_count_after_reopening(world):
    from stelsel.selfevaluation.selectors import round_results

    round_ = make_round(world.board, world.school, state="open")
    _answers(round_, "teachers", [3, 3, 3], count=5)
    services.round_close(round_=round_)
    services.round_reopen(round_=round_, reason="Meer leraren.")
    round_.refresh_from_db()
    teachers = _late(round_, "teachers", 5, 1)
    services.round_close(round_=round_)
    round_.refresh_from_db()
    results = round_results(round_)
    assert results.late_counted(teachers) is True
    assert results.sections[0].items[0].row.cells[teachers.pk].n == 10


def test_late_answers_that_are_mostly_dont_know_are_held_back(world):
    """Five late answers, four of them "don't know": one substantive late answer per statement
    would be the difference between the two releases."""
    from stelsel.selfevaluation.selectors import round_results

    round_ = make_round(world.board, world.school, state="open")
    _answers(round_, "teachers", [3, 3, 3], count=5)
    services.round_close(round_=round_)
    first = round_results(round_).sections[0].items[0].row
    services.round_reopen(round_=round_, reason="Meer leraren.")
    round_.refresh_from_db()
    teachers = _late(round_, "teachers", 4, None)
    _late(round_, "teachers", 1, 1)
    services.round_close(round_=round_)
    again = round_results(round_)
    assert again.late_counted(teachers) is False
    assert again.sections[0].items[0].row.cells[teachers.pk] == first.cells[teachers.pk]


def test_no_count_sizes_a_small_group_while_open_or_closed(world):
    from stelsel.selfevaluation.selectors import response_rate

    round_ = make_round(world.board, world.school, state="open")
    _answers(round_, "teachers", [3, 3, 3], count=5)
    _answers(round_, "council", [3, 3, 3], count=2)
    assert response_rate(round_).responses == 5, "the council's two are not counted"
    services.round_close(round_=round_)
    round_.refresh_from_db()
    assert response_rate(round_).responses == 5
