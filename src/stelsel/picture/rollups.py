"""The picture's figures, computed in one place: how much of each perspective is in order, and
whether each herstelopdracht is covered by actions that move.

Pure functions on plain values, so pages, the PDF, the API and the property tests all use the
same arithmetic.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

# Tones of a scale level (frameworks.models.Tone); None is "not yet judged".
POSITIVE, NEGATIVE, NEUTRAL = "positive", "negative", "neutral"


@dataclass(frozen=True)
class StatusSummary:
    """How many entries are in order, not in order and not yet judged."""

    in_order: int = 0
    not_in_order: int = 0
    not_judged: int = 0

    @property
    def total(self) -> int:
        return self.in_order + self.not_in_order + self.not_judged

    @property
    def share_in_order(self) -> float | None:
        """Share of all entries (judged or not) that is in order; None for no entries."""
        return self.in_order / self.total if self.total else None

    @property
    def judged(self) -> int:
        return self.in_order + self.not_in_order


def summarise(tones: Iterable[str | None]) -> StatusSummary:
    """Count statuses by tone. A neutral level ("not yet judged") counts as not judged."""
    counts = {POSITIVE: 0, NEGATIVE: 0, None: 0}
    for tone in tones:
        counts[tone if tone in (POSITIVE, NEGATIVE) else None] += 1
    return StatusSummary(counts[POSITIVE], counts[NEGATIVE], counts[None])


# --- Coverage of herstelopdrachten -------------------------------------------------------

OPEN_ACTION_STATES = {"planned", "in_progress", "stalled"}
STALLED_AFTER_DAYS = 42  # six weeks without any change to an open covering action


@dataclass(frozen=True)
class CoveringAction:
    status: str
    progress: int
    due_on: date | None
    updated_on: date


@dataclass(frozen=True)
class Coverage:
    """The state of one herstelopdracht against the actions that cover it.

    `flags` name what needs attention: ``uncovered`` (no action that is not cancelled),
    ``stalled`` (a covering action stalled, overdue, or unchanged for six weeks),
    ``overdue`` (the deadline passed without a sufficient follow-up). `resolved` is a
    sufficient follow-up investigation: nothing is flagged then.
    """

    progress: int | None
    actions: int
    done: int
    flags: frozenset = field(default_factory=frozenset)
    resolved: bool = False

    @property
    def state(self) -> str:
        """One word for a badge, most urgent first."""
        if self.resolved:
            return "resolved"
        for flag in ("overdue", "uncovered", "stalled"):
            if flag in self.flags:
                return flag
        if self.actions and self.done == self.actions:
            return "done"
        return "covered"


def coverage(
    *,
    deadline: date,
    outcome: str,
    actions: Iterable[CoveringAction],
    today: date,
) -> Coverage:
    """How a herstelopdracht is covered; `outcome` is the follow-up's ("", sufficient, …)."""
    counted = [a for a in actions if a.status != "cancelled"]
    done = sum(1 for a in counted if a.status == "done")
    progress = (
        round(sum(100 if a.status == "done" else a.progress for a in counted) / len(counted))
        if counted
        else None
    )
    if outcome == "sufficient":
        return Coverage(progress, len(counted), done, frozenset(), resolved=True)
    flags = set()
    if not counted:
        flags.add("uncovered")
    for a in counted:
        if a.status not in OPEN_ACTION_STATES:
            continue
        overdue = a.due_on is not None and a.due_on < today
        idle = (today - a.updated_on).days > STALLED_AFTER_DAYS
        if a.status == "stalled" or overdue or idle:
            flags.add("stalled")
    if deadline < today:
        flags.add("overdue")
    return Coverage(progress, len(counted), done, frozenset(flags))
