"""The board overview of the schools' rounds: only published figures, only from three schools."""

import pytest
from django.urls import reverse

from stelsel.organisations.roles import Role
from stelsel.selfevaluation import services
from stelsel.selfevaluation.selectors import board_rollup
from tests.factories import fill_answers, make_round, make_school

pytestmark = pytest.mark.django_db


def _closed(board, school, groups):
    round_ = make_round(board, school, state="open")
    for code, count, value in groups:
        fill_answers(round_, code, count, value)
    services.round_close(round_=round_)
    round_.refresh_from_db()
    return round_


def test_it_pools_only_published_figures_of_at_least_three_schools(world):
    third = make_school(world.board)
    rounds = [
        _closed(world.board, world.school, [("teachers", 6, 4), ("council", 5, 2)]),
        _closed(world.board, world.other_school, [("teachers", 5, 2), ("council", 6, 2)]),
        # Here the teachers are too few: their answers must not enter the overview.
        _closed(world.board, third, [("teachers", 2, 1), ("council", 2, 1)]),
    ]
    rollup = board_rollup(rounds)
    item = rollup.sections[0].items[0]
    teachers = item.row.cells["teachers:"]
    assert teachers.state == "suppressed", "only two schools publish their teachers"
    council = item.row.cells["council:"]
    assert council.state == "suppressed"
    assert not item.row.total.published


def test_three_schools_with_published_groups_make_a_figure(world):
    third = make_school(world.board)
    rounds = [
        _closed(world.board, school, [("teachers", 5, value)])
        for school, value in ((world.school, 4), (world.other_school, 2), (third, 3))
    ]
    rollup = board_rollup(rounds)
    cell = rollup.sections[0].items[0].row.cells["teachers:"]
    assert cell.published and cell.n == 15 and cell.mean == 3.0, "the fourth school's two stay out"


def test_fewer_than_three_schools_give_no_overview(client, english, world):
    rounds = [
        _closed(world.board, s, [("teachers", 5, 3)]) for s in (world.school, world.other_school)
    ]
    assert board_rollup(rounds) is None
    client.force_login(world.users[Role.QUALITY_OFFICER])
    page = client.get(
        reverse("selfevaluation:rollup", args=[world.board.pk, rounds[0].questionnaire_version_id])
    )
    assert "at least 3 schools" in page.content.decode()
