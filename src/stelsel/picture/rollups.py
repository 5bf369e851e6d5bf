"""The picture's figures, computed in one place: how much of each perspective is in order, and
whether each herstelopdracht is covered by actions that move.

Pure functions on plain values, so pages, the PDF, the API and the property tests all use the
same arithmetic. `summarise_picture` is the only count of "in order / total": the board
overview, the school page, the picture page, presentation mode, the inspector's view and the
API all reach it, through `entries.selectors.picture_summaries` (many pictures at once) or
through the rows of `picture_view`. `Coverage.covered` is the only definition of a covered
herstelopdracht, for the coverage view, the pages, the API and the plan coach alike.
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

    def __add__(self, other: "StatusSummary") -> "StatusSummary":
        return StatusSummary(
            self.in_order + other.in_order,
            self.not_in_order + other.not_in_order,
            self.not_judged + other.not_judged,
        )


def summarise(tones: Iterable[str | None]) -> StatusSummary:
    """Count statuses by tone. A neutral level ("not yet judged") counts as not judged."""
    counts = {POSITIVE: 0, NEGATIVE: 0, None: 0}
    for tone in tones:
        counts[tone if tone in (POSITIVE, NEGATIVE) else None] += 1
    return StatusSummary(counts[POSITIVE], counts[NEGATIVE], counts[None])


# --- One unit's picture, by perspective ------------------------------------------------------

# The perspectives (picture.models.Perspective), in the order pages show them.
REQUIREMENTS, AMBITIONS, EXPECTATIONS = "requirements", "ambitions", "expectations"
PERSPECTIVES = (REQUIREMENTS, AMBITIONS, EXPECTATIONS)


@dataclass(frozen=True)
class PerspectiveSummary:
    """One perspective of a unit's picture: the framework's standards and the board's own
    indicators, counted apart and together.

    The board's own requirements are requirements the school must meet, so in *Eisen* they
    count beside the framework's standards: "4 of 13 in order" with 12 standards and 1 own
    requirement. Pages show the two parts, so nobody has to guess where the 13th comes from.
    The other perspectives hold own indicators only.
    """

    perspective: str
    framework: StatusSummary = StatusSummary()
    own: StatusSummary = StatusSummary()

    @property
    def all(self) -> StatusSummary:
        return self.framework + self.own

    @property
    def in_order(self) -> int:
        return self.all.in_order

    @property
    def not_in_order(self) -> int:
        return self.all.not_in_order

    @property
    def not_judged(self) -> int:
        return self.all.not_judged

    @property
    def total(self) -> int:
        return self.all.total

    @property
    def judged(self) -> int:
        return self.all.judged

    @property
    def share_in_order(self) -> float | None:
        return self.all.share_in_order

    def __add__(self, other: "PerspectiveSummary") -> "PerspectiveSummary":
        """Two units' counts together (the heading of a table of schools)."""
        return PerspectiveSummary(
            self.perspective, self.framework + other.framework, self.own + other.own
        )


@dataclass(frozen=True)
class PictureSummary:
    """A unit's picture counted per perspective, always all three, in PERSPECTIVES order."""

    perspectives: tuple[PerspectiveSummary, ...]

    def __getitem__(self, perspective: str) -> PerspectiveSummary:
        return self.perspectives[PERSPECTIVES.index(perspective)]

    @property
    def requirements(self) -> PerspectiveSummary:
        """The *Eisen* figure: what the board overview shows per school."""
        return self[REQUIREMENTS]


def summarise_picture(entries: Iterable[tuple[str, bool, str | None]]) -> PictureSummary:
    """Count a unit's entries per perspective. Each entry is `(perspective, own, tone)`: own is
    true for the board's own indicator, false for a standard of the framework; the tone is the
    status's (None or neutral: not yet judged). The callers decide which entries a picture
    holds; this decides how they add up."""
    tones: dict[tuple[str, bool], list] = {
        (p, own): [] for p in PERSPECTIVES for own in (False, True)
    }
    for perspective, own, tone in entries:
        tones[(perspective, bool(own))].append(tone)
    return PictureSummary(
        tuple(
            PerspectiveSummary(p, summarise(tones[(p, False)]), summarise(tones[(p, True)]))
            for p in PERSPECTIVES
        )
    )


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
    def covered(self) -> bool:
        """Covered: at least one action that is not cancelled works on the opdracht. The one
        meaning of "covered" everywhere; whether those actions hang under an improvement plan
        is another question (the plan coach asks it, and words it apart)."""
        return self.actions > 0

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
    if not Coverage(progress, len(counted), done).covered:
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
