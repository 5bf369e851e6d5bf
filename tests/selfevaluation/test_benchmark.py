"""The benchmark: other boards' published averages, only with five boards, only for takers."""

import pytest

from stelsel.selfevaluation import services
from stelsel.selfevaluation.selectors import benchmark, round_results
from tests.factories import fill_answers, make_board, make_round

pytestmark = pytest.mark.django_db


def _closed_board_round(board, value):
    round_ = make_round(board, None, state="open")
    for code in ("teachers", "school_leaders"):
        fill_answers(round_, code, 6, value)
    services.round_close(round_=round_)
    return round_


def _board(opt_in=True):
    return make_board(benchmark_opt_in=opt_in)


def test_it_averages_five_other_boards_that_opted_in(world):
    for value in (1, 2, 3, 4, 4):
        _closed_board_round(_board(), value)
    _closed_board_round(_board(opt_in=False), 1)  # does not take part
    world.board.benchmark_opt_in = True
    world.board.save()
    own = _closed_board_round(world.board, 4)
    result = benchmark(round_results(own))
    assert result.boards == 5
    assert result.standards["KL1"] == pytest.approx(2.8)
    assert result.items["KL2-01"] == pytest.approx(2.8)


def test_four_boards_are_not_enough(world):
    for value in (1, 2, 3, 4):
        _closed_board_round(_board(), value)
    world.board.benchmark_opt_in = True
    world.board.save()
    result = benchmark(round_results(_closed_board_round(world.board, 4)))
    assert result.boards == 4 and result.standards == {} and result.items == {}


def test_a_board_that_does_not_take_part_sees_no_benchmark(world):
    for value in (1, 2, 3, 4, 4):
        _closed_board_round(_board(), value)
    assert benchmark(round_results(_closed_board_round(world.board, 4))) is None
