"""Property tests of one release: figures from counts, with small groups left out of everything.

The release history over several closes is tested in test_release_history.py.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from stelsel.selfevaluation.aggregation import (
    CellState,
    Counts,
    gaps,
    row,
    standard_row,
)
from stelsel.selfevaluation.releases import release_decide


@st.composite
def rounds(draw):
    """Counts of several groups on several items of one standard, on a 4- or 5-point scale."""
    points = draw(st.sampled_from([4, 5]))
    k = draw(st.integers(3, 7))
    groups = draw(st.lists(st.sampled_from("ABCDEFG"), min_size=1, max_size=6, unique=True))
    item_count = draw(st.integers(1, 4))
    sizes = {g: draw(st.integers(0, 14)) for g in groups}
    items = []
    for _ in range(item_count):
        counts = {}
        for group, size in sizes.items():
            dont_know = draw(st.integers(0, size))
            values = draw(
                st.lists(
                    st.integers(1, points), min_size=size - dont_know, max_size=size - dont_know
                )
            )
            distribution = tuple(values.count(v) for v in range(1, points + 1))
            counts[group] = Counts(distribution, dont_know)
        items.append(counts)
    return points, k, groups, sizes, items


def _release(k, groups, sizes, items):
    return release_decide(
        groups=groups,
        items=range(len(items)),
        batch=0,
        substantive={(g, 0, i): c[g].substantive for i, c in enumerate(items) for g in groups},
        sizes={(g, 0): n for g, n in sizes.items()},
        k=k,
        k_text=max(10, k),
    )


def _rows(k, groups, sizes, items):
    release = _release(k, groups, sizes, items)
    return [
        row(counts, {g for g in groups if i in release.groups[g].items}, groups)
        for i, counts in enumerate(items)
    ]


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_no_published_figure_rests_on_fewer_than_k_answers(data):
    points, k, groups, sizes, items = data
    for counts, item_row in zip(items, _rows(k, groups, sizes, items), strict=True):
        for key, cell in item_row.cells.items():
            if cell.published:
                assert counts[key].substantive >= k
        if item_row.total.published:
            assert item_row.covers
            assert all(counts[key].substantive >= k for key in item_row.covers)


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_a_total_adds_up_exactly_the_shown_groups(data):
    points, k, groups, sizes, items = data
    for counts, item_row in zip(items, _rows(k, groups, sizes, items), strict=True):
        shown = [key for key in groups if item_row.cells[key].published]
        assert list(item_row.covers) == shown
        assert item_row.complete == (len(shown) == len(groups))
        if shown:
            expected = [sum(counts[key].distribution[v] for key in shown) for v in range(points)]
            assert list(item_row.total.distribution) == expected
            assert item_row.total.n == sum(counts[key].substantive for key in shown)
        else:
            assert item_row.total.state == CellState.SUPPRESSED


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_a_standard_figure_never_uncovers_a_hidden_item(data):
    points, k, groups, sizes, items = data
    item_rows = _rows(k, groups, sizes, items)
    pooled = {}
    for group in groups:
        total = items[0][group]
        for counts in items[1:]:
            total = total + counts[group]
        pooled[group] = Counts(total.distribution, total.dont_know, respondents=sizes[group])
    standard = standard_row(pooled, item_rows, groups)
    for key, cell in standard.cells.items():
        if cell.published:
            assert all(r.cells[key].published for r in item_rows)
            assert cell.n == sizes[key] >= k
    everywhere = {g for g in groups if all(r.cells[g].published for r in item_rows)}
    assert set(standard.covers) <= everywhere


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_means_stay_within_the_scale_and_shares_within_zero_and_one(data):
    points, k, groups, sizes, items = data
    for item_row in _rows(k, groups, sizes, items):
        for cell in [*item_row.cells.values(), item_row.total]:
            if cell.published and cell.mean is not None:
                assert 1 <= cell.mean <= points
            if cell.published and cell.dont_know_share is not None:
                assert 0 <= cell.dont_know_share <= 1


def test_no_answers_and_too_few_answers_look_the_same():
    """Telling "none" from "a few" would say a small group's size was zero."""
    item_row = row({"A": Counts((1, 1, 0, 0)), "B": Counts((0, 0, 0, 0))}, set(), ["A", "B", "C"])
    assert {c.state for c in item_row.cells.values()} == {CellState.SUPPRESSED}
    assert item_row.total.state == CellState.SUPPRESSED


def test_a_small_group_is_left_out_of_the_total_which_says_so():
    counts = {"A": Counts((0, 2, 3, 5)), "B": Counts((0, 0, 1, 1))}
    item_row = row(counts, {"A"}, ["A", "B"])
    assert item_row.total.published and item_row.total.n == 10
    assert item_row.covers == ("A",) and not item_row.complete
    assert item_row.total.distribution == (0, 2, 3, 5), "B is in no figure"


def test_with_every_group_shown_the_total_is_all_of_them():
    counts = {"A": Counts((0, 2, 3, 5)), "B": Counts((1, 2, 3, 0))}
    item_row = row(counts, {"A", "B"}, ["A", "B"])
    assert item_row.complete and item_row.total.n == 16


def test_many_dont_knows_hide_a_statement_even_in_a_large_group():
    counts = [{"A": Counts((0, 0, 1, 0), 6)}, {"A": Counts((0, 2, 3, 2), 0)}]
    rows = _rows(5, ["A"], {"A": 7}, counts)
    assert rows[0].cells["A"].state == CellState.SUPPRESSED
    assert rows[1].cells["A"].published


def test_gaps_mark_blind_spots_and_hidden_strengths_beyond_a_third_of_the_scale():
    keys = ["board", "staff", "rvt"]
    item_row = row(
        {"board": Counts((0, 0, 0, 6)), "staff": Counts((0, 6, 0, 0)), "rvt": Counts((0, 0, 6, 0))},
        set(keys),
        keys,
    )
    found = gaps(item_row, self_key="board", scale_min=1, scale_max=4)
    assert [(g.other, g.kind) for g in found] == [("staff", "blind_spot")]
    reverse = gaps(item_row, self_key="staff", scale_min=1, scale_max=4)
    # staff (2.0) against rvt (3.0) differs by exactly a third of the scale: not a gap.
    assert [(g.other, g.kind) for g in reverse] == [("board", "hidden_strength")]
