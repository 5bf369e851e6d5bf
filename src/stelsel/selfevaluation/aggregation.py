"""Figures of a round from counts, the one place where they are computed.

Pages, exports and the API all call these functions, so no output can show a figure this module
did not make. Which group is shown on which statement is decided by the release rule
(`releases.py`); here the counts of the shown groups become cells and rows:

- a group's cell is its figure when the release shows it, and otherwise "too few answers", one
  state whatever the reason (no answers, fewer than k, or kept hidden after a reopening), so a
  cell's state never tells more than "fewer than k";
- the total of a row adds up the shown groups only ("all groups shown"): a hidden group is in no
  figure at all, so there is nothing to subtract it from;
- a standard's figure of a group needs all the group's statements shown, since it adds them up.
"""

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class CellState(StrEnum):
    PUBLISHED = "published"
    SUPPRESSED = "suppressed"  # not shown: fewer than k answers (or none)


@dataclass(frozen=True)
class Counts:
    """Answers of one group to one statement (or pooled over a standard's statements).

    `distribution[i]` counts answers with scale value i + 1. For pooled counts `respondents`
    counts people, not answers.
    """

    distribution: tuple[int, ...]
    dont_know: int = 0
    respondents: int | None = None

    @property
    def substantive(self) -> int:
        return sum(self.distribution)

    @property
    def people(self) -> int:
        """The n shown: answers other than "don't know", or people for a standard."""
        return self.respondents if self.respondents is not None else self.substantive

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            tuple(a + b for a, b in zip(self.distribution, other.distribution, strict=True)),
            self.dont_know + other.dont_know,
            None if self.respondents is None else self.respondents + (other.respondents or 0),
        )


def zero(points: int, *, pooled: bool = False) -> Counts:
    return Counts((0,) * points, 0, 0 if pooled else None)


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


SUPPRESSED = Cell(CellState.SUPPRESSED)


def cell(counts: Counts | None, *, shown: bool) -> Cell:
    if counts is None or not shown:
        return SUPPRESSED
    values = range(1, len(counts.distribution) + 1)
    mean = (
        sum(v * c for v, c in zip(values, counts.distribution, strict=True)) / counts.substantive
        if counts.substantive
        else None
    )
    answered = counts.substantive + counts.dont_know
    share = counts.dont_know / answered if answered else None
    return Cell(CellState.PUBLISHED, counts.people, mean, counts.distribution, share)


@dataclass(frozen=True)
class Row:
    """Cells per group and the total of the groups shown, for one statement or standard.

    `covers` names the groups the total adds up; `complete` says whether that is every group of
    the round (the label "all" rather than "all groups shown")."""

    cells: dict
    total: Cell
    covers: tuple = ()
    complete: bool = False


def groups_in_total(cells: Mapping[Hashable, Cell], keys: Sequence[Hashable]) -> tuple:
    """The groups a total adds up: the shown ones only, so no hidden group is in any figure."""
    return tuple(key for key in keys if cells[key].published)


def row(groups: Mapping[Hashable, Counts], shown: Collection, keys: Sequence[Hashable]) -> Row:
    """The row for `keys` (every group of the round), showing the groups in `shown`."""
    cells = {key: cell(groups.get(key), shown=key in shown and key in groups) for key in keys}
    covered = groups_in_total(cells, keys)
    parts = [groups[key] for key in covered if key in groups]
    if not parts:
        return Row(cells, SUPPRESSED, (), False)
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return Row(cells, cell(total, shown=True), covered, len(covered) == len(keys))


def standard_row(
    pooled: Mapping[Hashable, Counts], item_rows: Sequence[Row], keys: Sequence[Hashable]
) -> Row:
    """A standard's row from answers pooled over its statements: a group's figure only where
    all its statement figures are shown, so a standard adds nothing a hidden statement had."""
    shown = {key for key in keys if item_rows and all(r.cells[key].published for r in item_rows)}
    return row(pooled, shown, keys)


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
