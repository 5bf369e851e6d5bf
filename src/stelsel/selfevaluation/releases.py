"""The release history of a round, and the rule every new release is checked against.

Whatever a reader has ever been shown of a round (the count while it was open, the results at
each close, the results after a reopening) can be laid side by side. So the unit of protection is
not one page but the round's whole release history. The rule works on *batches*: a group's
answers before the first close (batch 0) and after the reopening (batch 1). A release says, per
group, which batches its figures count, which statements it shows and whose comments.

1. A group's statement is shown when at least k of the counted respondents gave an answer other
   than "don't know"; a standard when all its statements are; totals add up the shown groups
   only. A group that is not shown is in no figure at all, so nothing can be subtracted to find
   it, and "too few answers" says no more than "fewer than k" (zero included).
2. After a reopening, a group that was shown keeps the statements it showed: statements hidden at
   the first close stay hidden. Its late answers count only when at least k late respondents
   gave a substantive answer to each of those statements; otherwise its first figures stand
   unchanged. The difference between the two releases is then itself a group of at least k.
3. A group of which nothing was shown is judged afresh on all its answers: its early answers were
   never shown, so there is nothing to subtract them from.
4. Comments follow the same idea with the comment threshold: shown for at least k_text
   respondents; after a reopening, late comments are added only when at least k_text late
   respondents stand behind them.
5. While a round is open, the only count shown is how many respondents the release would show if
   the round closed now: groups below k are never counted, so no count sizes a small group.

The protections are small named functions, so the tests can turn each off and show that the
property test then finds a leak.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class GroupRelease:
    """What one release shows of one group."""

    batches: tuple[int, ...] = (0,)
    items: frozenset = field(default_factory=frozenset)
    comments: tuple[int, ...] = ()

    @property
    def shown(self) -> bool:
        return bool(self.items)

    def to_json(self) -> dict:
        return {
            "batches": list(self.batches),
            "items": sorted(self.items),
            "comments": list(self.comments),
        }

    @classmethod
    def from_json(cls, data: dict) -> "GroupRelease":
        return cls(
            tuple(data.get("batches", [0])),
            frozenset(data.get("items", [])),
            tuple(data.get("comments", [])),
        )


@dataclass(frozen=True)
class Release:
    """One release of a round: per group what is shown, and the last batch it considered."""

    batch: int
    groups: Mapping[int, GroupRelease]

    def group(self, key) -> GroupRelease:
        return self.groups.get(key) or GroupRelease(tuple(range(self.batch + 1)))

    def to_json(self) -> dict:
        return {str(key): group.to_json() for key, group in self.groups.items()}

    @classmethod
    def from_json(cls, batch: int, data: Mapping) -> "Release":
        return cls(batch, {int(key): GroupRelease.from_json(value) for key, value in data.items()})


# --- The protections ----------------------------------------------------------------------


def statement_shown(substantive: int, k: int) -> bool:
    """A group's figure on a statement needs k answers other than "don't know"."""
    return substantive >= k


def late_answers_count(late_substantive: Iterable[int], k: int) -> bool:
    """Late answers of a group shown before count only when each statement it shows gets at
    least k late substantive answers: the difference between the releases is then a group."""
    return all(n >= k for n in late_substantive)


def statements_after_reopening(shown_before: frozenset, shown_now: frozenset) -> frozenset:
    """A group shown before keeps exactly the statements it showed: a statement hidden at the
    first close and shown later could be narrowed down from the late answers."""
    return shown_before


def comments_shown(respondents: int, k_text: int) -> bool:
    return respondents >= k_text


def late_comments_shown(late_respondents: int, k_text: int) -> bool:
    """Comments added after a reopening are the late ones: they need a group of their own."""
    return late_respondents >= k_text


# --- The rule ------------------------------------------------------------------------------


def release_decide(
    *,
    groups: Iterable,
    items: Iterable,
    batch: int,
    substantive: Mapping[tuple, int],
    sizes: Mapping[tuple, int],
    k: int,
    k_text: int,
    previous: Release | None = None,
) -> Release:
    """The next release of a round, checked against the previous one.

    `substantive[(group, batch, item)]` counts answers other than "don't know";
    `sizes[(group, batch)]` counts respondents. `batch` is the latest batch (0 at the first
    close, 1 after a reopening).
    """
    items = list(items)
    decided = {}
    for key in groups:

        def subst(batches, item, key=key):
            return sum(substantive.get((key, b, item), 0) for b in batches)

        def size(batches, key=key):
            return sum(sizes.get((key, b), 0) for b in batches)

        before = previous.group(key) if previous is not None else None
        every = tuple(range(batch + 1))
        if before is None or not before.shown:
            # Nothing of this group was shown: judge it on all its answers.
            batches = every
            shown = frozenset(i for i in items if statement_shown(subst(batches, i), k))
        else:
            late = (batch,)
            counted = late_answers_count((subst(late, i) for i in sorted(before.items)), k)
            batches = (*before.batches, batch) if counted else before.batches
            candidates = frozenset(i for i in items if statement_shown(subst(batches, i), k))
            shown = statements_after_reopening(before.items, candidates)
        if before is None or not before.comments:
            comments = every if comments_shown(size(every), k_text) else ()
        elif late_comments_shown(size((batch,)), k_text):
            comments = (*before.comments, batch)
        else:
            comments = before.comments
        decided[key] = GroupRelease(batches, shown, comments)
    return Release(batch, decided)


def respondents_shown(release: Release, sizes: Mapping[tuple, int]) -> int:
    """Respondents behind the shown groups: the one count of a round anyone is shown."""
    return sum(
        sum(sizes.get((key, b), 0) for b in group.batches)
        for key, group in release.groups.items()
        if group.shown
    )
