"""Aggregation with anonymity: the one place where figures of a round are computed.

Pages, exports and the API all call these functions, so no view can show a figure that this
module suppressed. Input is counts per group (perspective), never individual answers.

Rules (DOMAIN.md §4):
- a group's figure is published only when at least k respondents gave a substantive answer;
- complementary suppression: what is hidden must stay hidden when the total and the published
  groups are known. The residual (total minus published groups) must hold either nobody or at
  least k respondents, in every count that is published (substantive answers and "don't know");
  otherwise the smallest published group is hidden as well, and if that does not help, the
  total is hidden too;
- "too few answers" (suppressed) is distinguishable from "no answers" (empty), and from a
  figure hidden only to protect a small group (protected).
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class CellState(StrEnum):
    PUBLISHED = "published"
    SUPPRESSED = "suppressed"  # too few answers
    PROTECTED = "protected"  # enough answers, hidden so that a small group stays hidden
    EMPTY = "empty"  # no answers at all


@dataclass(frozen=True)
class Counts:
    """Answers of one group to one item (or pooled over a standard's items).

    `distribution[i]` counts answers with scale value i + 1. For pooled counts, `respondents`
    and `respondents_any` count people (not answers), which is what k is about.
    """

    distribution: tuple[int, ...]
    dont_know: int = 0
    respondents: int | None = None
    respondents_any: int | None = None

    @property
    def substantive(self) -> int:
        return sum(self.distribution)

    @property
    def people(self) -> int:
        """People with a substantive answer: what must reach k."""
        return self.respondents if self.respondents is not None else self.substantive

    @property
    def people_any(self) -> int:
        """People who answered at all (a value or "don't know")."""
        if self.respondents_any is not None:
            return self.respondents_any
        return self.substantive + self.dont_know

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            tuple(a + b for a, b in zip(self.distribution, other.distribution, strict=True)),
            self.dont_know + other.dont_know,
            None if self.respondents is None else self.respondents + (other.respondents or 0),
            None
            if self.respondents_any is None
            else self.respondents_any + (other.respondents_any or 0),
        )


@dataclass(frozen=True)
class Cell:
    state: CellState
    n: int | None = None
    mean: float | None = None
    distribution: tuple[int, ...] | None = None
    dont_know_share: float | None = None

    @property
    def published(self) -> bool:
        return self.state == CellState.PUBLISHED


EMPTY = Cell(CellState.EMPTY)
SUPPRESSED = Cell(CellState.SUPPRESSED)
PROTECTED = Cell(CellState.PROTECTED)


def _safe_residual(vector: tuple[int, int], k: int) -> bool:
    return all(value == 0 or value >= k for value in vector)


def _vector(counts: Counts) -> tuple[int, int]:
    return (counts.people, counts.people_any)


def publishable(
    groups: Mapping[Hashable, Counts], k: int, *, eligible: set | None = None
) -> tuple[set, bool]:
    """Which groups may be published, and whether the total may be.

    Groups below k (or not `eligible`) are hidden. If the hidden rest could then be computed
    from the total and the published groups, the total is hidden when that keeps at least two
    groups to compare (the comparison between perspectives is the point of a round); otherwise
    the smallest published groups are hidden until the rest is safe.
    """
    published = {
        key
        for key, counts in groups.items()
        if counts.people >= k and (eligible is None or key in eligible)
    }

    def residual() -> tuple[int, int]:
        hidden = [_vector(c) for key, c in groups.items() if key not in published]
        return (sum(v[0] for v in hidden), sum(v[1] for v in hidden))

    total = sum(groups.values(), _zero(groups))
    if _safe_residual(residual(), k):
        return published, total.people >= k
    if len(published) >= 2:
        return published, False
    while published and not _safe_residual(residual(), k):
        published.discard(min(published, key=lambda key: (groups[key].people, str(key))))
    return published, total.people >= k and _safe_residual(residual(), k)


def _zero(groups: Mapping[Hashable, Counts]) -> Counts:
    sample = next(iter(groups.values()))
    return Counts(
        (0,) * len(sample.distribution),
        0,
        None if sample.respondents is None else 0,
        None if sample.respondents_any is None else 0,
    )


def cell(counts: Counts | None, *, published: bool, k: int = 0) -> Cell:
    if counts is None or counts.people_any == 0:
        return EMPTY
    if not published:
        return PROTECTED if k and counts.people >= k else SUPPRESSED
    values = range(1, len(counts.distribution) + 1)
    mean = (
        sum(v * c for v, c in zip(values, counts.distribution, strict=True)) / counts.substantive
        if counts.substantive
        else None
    )
    dont_know_share = (
        counts.dont_know / (counts.substantive + counts.dont_know)
        if (counts.substantive + counts.dont_know)
        else None
    )
    return Cell(CellState.PUBLISHED, counts.people, mean, counts.distribution, dont_know_share)


@dataclass(frozen=True)
class Row:
    """Cells per group and for all groups together, for one item or one standard."""

    cells: dict
    total: Cell


def aggregate(
    groups: Mapping[Hashable, Counts],
    k: int,
    keys: Sequence[Hashable],
    *,
    eligible: set | None = None,
) -> Row:
    """The row for `keys` (every group of the round, also those without answers)."""
    present = {key: c for key, c in groups.items() if c.people_any > 0}
    if not present:
        return Row(dict.fromkeys(keys, EMPTY), EMPTY)
    published, total_ok = publishable(present, k, eligible=eligible)
    cells = {key: cell(present.get(key), published=key in published, k=k) for key in keys}
    total = sum(present.values(), _zero(present))
    return Row(cells, cell(total, published=total_ok, k=k))


@dataclass(frozen=True)
class Gap:
    """A difference between the self-view and another perspective larger than a third of the
    scale: above the others is a blind spot, below them a hidden strength."""

    other: Hashable
    difference: float

    @property
    def kind(self) -> str:
        return "blind_spot" if self.difference > 0 else "hidden_strength"


def gaps(row: Row, *, self_key: Hashable, scale_min: int, scale_max: int) -> list[Gap]:
    own = row.cells.get(self_key)
    if own is None or not own.published or own.mean is None:
        return []
    threshold = (scale_max - scale_min) / 3
    found = []
    for key, other in row.cells.items():
        if key == self_key or not other.published or other.mean is None:
            continue
        difference = own.mean - other.mean
        if abs(difference) > threshold:
            found.append(Gap(key, difference))
    return sorted(found, key=lambda gap: -abs(gap.difference))


def aggregate_standard(
    pooled: Mapping[Hashable, Counts], item_rows: Sequence[Row], k: int, keys: Sequence[Hashable]
) -> Row:
    """A standard's row from answers pooled over its items.

    Pooled counts are sums of item counts, so a standard figure published only where all its
    item figures are published adds nothing that could give a hidden item away. That is the
    rule: a group's standard figure needs all the group's item figures, the total needs all
    item totals (and k respondents, as always).
    """

    def visible(cells) -> bool:
        return all(c.state in (CellState.PUBLISHED, CellState.EMPTY) for c in cells)

    cells = {
        key: cell(
            pooled.get(key),
            published=key in pooled
            and pooled[key].people >= k
            and visible(row.cells[key] for row in item_rows),
            k=k,
        )
        for key in keys
    }
    present = [c for c in pooled.values() if c.people_any > 0]
    if not present:
        return Row(cells, EMPTY)
    total = sum(present[1:], present[0])
    return Row(
        cells,
        cell(total, published=total.people >= k and visible(r.total for r in item_rows), k=k),
    )
