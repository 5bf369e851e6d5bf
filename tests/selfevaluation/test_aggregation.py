"""Property tests of aggregation and suppression: the promise of anonymity, checked broadly."""

from hypothesis import given, settings
from hypothesis import strategies as st

from stelsel.selfevaluation.aggregation import (
    CellState,
    Counts,
    aggregate,
    aggregate_standard,
    gaps,
    publishable,
)


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
        row = {}
        for group, size in sizes.items():
            dont_know = draw(st.integers(0, size))
            values = draw(
                st.lists(
                    st.integers(1, points), min_size=size - dont_know, max_size=size - dont_know
                )
            )
            distribution = tuple(values.count(v) for v in range(1, points + 1))
            row[group] = Counts(distribution, dont_know)
        items.append(row)
    return points, k, groups, sizes, items


def _residual(row_counts, published_keys):
    hidden = [c for key, c in row_counts.items() if key not in published_keys]
    return sum(c.substantive for c in hidden), sum(c.substantive + c.dont_know for c in hidden)


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_no_published_figure_rests_on_fewer_than_k_answers(data):
    points, k, groups, _sizes, items = data
    for counts in items:
        row = aggregate(counts, k, groups)
        for key, cell in row.cells.items():
            if cell.published:
                assert counts[key].substantive >= k
        if row.total.published:
            assert sum(c.substantive for c in counts.values()) >= k


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_no_hidden_group_can_be_computed_from_what_is_published(data):
    points, k, groups, _sizes, items = data
    for counts in items:
        row = aggregate(counts, k, groups)
        if not row.total.published:
            continue
        published = {key for key, cell in row.cells.items() if cell.published}
        substantive, answered = _residual(counts, published)
        assert substantive == 0 or substantive >= k
        assert answered == 0 or answered >= k


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_a_standard_figure_never_uncovers_a_hidden_item(data):
    points, k, groups, sizes, items = data
    item_rows = [aggregate(counts, k, groups) for counts in items]
    pooled = {}
    for group in groups:
        total = items[0][group]
        for counts in items[1:]:
            total = total + counts[group]
        pooled[group] = Counts(
            total.distribution,
            total.dont_know,
            respondents=sizes[group],
            respondents_any=sizes[group],
        )
    row = aggregate_standard(pooled, item_rows, k, groups)
    for key, cell in row.cells.items():
        if cell.published:
            assert all(
                r.cells[key].state in (CellState.PUBLISHED, CellState.EMPTY) for r in item_rows
            )
            assert sizes[key] >= k
    if row.total.published:
        assert all(r.total.state in (CellState.PUBLISHED, CellState.EMPTY) for r in item_rows)


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_means_stay_within_the_scale_and_shares_within_zero_and_one(data):
    points, k, groups, _sizes, items = data
    for counts in items:
        row = aggregate(counts, k, groups)
        for cell in [*row.cells.values(), row.total]:
            if cell.published and cell.mean is not None:
                assert 1 <= cell.mean <= points
            if cell.published and cell.dont_know_share is not None:
                assert 0 <= cell.dont_know_share <= 1


def test_too_few_answers_is_not_the_same_as_no_answers():
    row = aggregate({"A": Counts((1, 1, 0, 0)), "B": Counts((0, 0, 0, 0))}, 5, ["A", "B", "C"])
    assert row.cells["A"].state == CellState.SUPPRESSED
    assert row.cells["B"].state == CellState.EMPTY
    assert row.cells["C"].state == CellState.EMPTY


def test_a_lone_small_group_next_to_one_published_group_hides_both_or_the_total():
    counts = {"A": Counts((0, 2, 3, 5)), "B": Counts((0, 0, 1, 1))}
    published, total = publishable(counts, 5)
    assert "B" not in published
    assert not (published == {"A"} and total), "total minus A would give B away"


def test_with_two_published_groups_the_total_is_hidden_instead():
    counts = {"A": Counts((0, 2, 3, 5)), "B": Counts((1, 2, 3, 0)), "C": Counts((0, 1, 1, 0))}
    published, total = publishable(counts, 5)
    assert published == {"A", "B"} and not total


def test_gaps_mark_blind_spots_and_hidden_strengths_beyond_a_third_of_the_scale():
    row = aggregate(
        {"board": Counts((0, 0, 0, 6)), "staff": Counts((0, 6, 0, 0)), "rvt": Counts((0, 0, 6, 0))},
        5,
        ["board", "staff", "rvt"],
    )
    found = gaps(row, self_key="board", scale_min=1, scale_max=4)
    assert [(g.other, g.kind) for g in found] == [("staff", "blind_spot")]
    reverse = gaps(row, self_key="staff", scale_min=1, scale_max=4)
    # staff (2.0) against rvt (3.0) differs by exactly a third of the scale: not a gap.
    assert [(g.other, g.kind) for g in reverse] == [("board", "hidden_strength")]


def test_a_figure_hidden_only_to_protect_others_says_so():
    counts = {"A": Counts((0, 2, 3, 5)), "B": Counts((1, 2, 3, 0)), "C": Counts((0, 1, 1, 0))}
    row = aggregate(counts, 5, ["A", "B", "C"])
    assert row.cells["C"].state == CellState.SUPPRESSED
    assert row.total.state == CellState.PROTECTED


def test_a_standard_total_hidden_for_others_says_so_too():
    items = [
        aggregate(
            {1: Counts((0, 0, 0, 5)), 2: Counts((0, 0, 7, 0)), 3: Counts((2, 0, 0, 0))},
            5,
            [1, 2, 3],
        )
        for _ in range(2)
    ]
    pooled = {
        1: Counts((0, 0, 0, 10), 0, 5, 5),
        2: Counts((0, 0, 14, 0), 0, 7, 7),
        3: Counts((4, 0, 0, 0), 0, 2, 2),
    }
    row = aggregate_standard(pooled, items, 5, [1, 2, 3])
    assert row.total.state == CellState.PROTECTED
    assert row.cells[3].state == CellState.SUPPRESSED
    assert row.cells[1].published and row.cells[1].mean == 4.0
