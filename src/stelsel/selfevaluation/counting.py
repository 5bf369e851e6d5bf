"""Counts of a round's answers per perspective, batch, statement and value: read live from the
answers while a round is open, or from the counts frozen when it closed. Both end in the same
`Tally`, so the release rule sees the same numbers whichever way they were read."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from stelsel.selfevaluation.aggregation import Counts
from stelsel.selfevaluation.models import Answer, Release, Response, ResultCount, Round
from stelsel.selfevaluation.releases import Release as ReleaseRule


@dataclass
class Tally:
    """(perspective, batch, item) → [distribution list, don't know]."""

    points: int
    slots: dict = field(default_factory=dict)

    def add(self, perspective: int, batch: int, item: int, value: int | None, n: int) -> None:
        slot = self.slots.get((perspective, batch, item))
        if slot is None:
            slot = self.slots[(perspective, batch, item)] = [[0] * self.points, 0]
        if value is None:
            slot[1] += n
        elif 1 <= value <= self.points:
            slot[0][value - 1] += n

    def substantive(self) -> dict[tuple, int]:
        return {key: sum(dist) for key, (dist, _dk) in self.slots.items()}

    def sizes(self) -> dict[tuple, int]:
        """Respondents per (perspective, batch): everyone answers every statement, so the
        answers to any one statement count the people."""
        sizes: dict[tuple, int] = defaultdict(int)
        for (perspective, batch, _item), (dist, dk) in self.slots.items():
            sizes[(perspective, batch)] = max(sizes[(perspective, batch)], sum(dist) + dk)
        return dict(sizes)

    def counts(self, perspective: int, batches, item: int) -> Counts | None:
        """The counts of `batches` of a group on a statement, or None when it has none."""
        found = [
            self.slots[(perspective, b, item)]
            for b in batches
            if (perspective, b, item) in self.slots
        ]
        if not found:
            return None
        dist = [sum(column) for column in zip(*(slot[0] for slot in found), strict=True)]
        return Counts(tuple(dist), sum(slot[1] for slot in found))


def live_counts(round_: Round, items) -> tuple[dict[tuple, int], dict[tuple, int]]:
    """Substantive answers per (perspective, batch, item) and respondents per (perspective,
    batch), for the count shown while a round is open.

    Everyone answers every statement, so the substantive answers are the respondents minus the
    "don't know" answers; those are few, and read through their own partial index, so this
    stays quick for a round of thousands.
    """
    sizes = {
        (perspective, batch): n
        for perspective, batch, n in Response.objects.filter(round=round_)
        .values_list("perspective_id", "batch")
        .annotate(n=Count("pk"))
        .values_list("perspective_id", "batch", "n")
        .order_by()
    }
    dont_know = {
        (perspective, batch, item): n
        for perspective, batch, item, n in Answer.objects.filter(round=round_, dont_know=True)
        .values_list("perspective_id", "batch", "item_id")
        .annotate(n=Count("pk"))
        .values_list("perspective_id", "batch", "item_id", "n")
        .order_by()
    }
    substantive = {
        (perspective, batch, item): n - dont_know.get((perspective, batch, item), 0)
        for (perspective, batch), n in sizes.items()
        for item in items
    }
    return substantive, sizes


def live_tally(round_: Round) -> Tally:
    """Counts from the answers themselves (one grouped scan of the answers' index)."""
    tally = Tally(len(round_.questionnaire_version.scale_points))
    rows = (
        Answer.objects.filter(round=round_)
        .values_list("perspective_id", "batch", "item_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for perspective, batch, item, value, n in rows:
        tally.add(perspective, batch, item, value, n)
    return tally


def frozen_tallies(rounds: dict[int, Round]) -> dict[int, Tally]:
    """The counts frozen at the last close of each round, in one query."""
    tallies = {
        pk: Tally(len(round_.questionnaire_version.scale_points)) for pk, round_ in rounds.items()
    }
    for round_id, perspective, batch, item, value, n in ResultCount.objects.filter(
        round_id__in=list(rounds)
    ).values_list("round_id", "perspective_id", "batch", "item_id", "value", "n"):
        tallies[round_id].add(perspective, batch, item, value, n)
    return tallies


def latest_releases(round_ids) -> dict[int, ReleaseRule]:
    """The last release of each round, in one query."""
    found: dict[int, ReleaseRule] = {}
    for release in Release.objects.filter(round_id__in=list(round_ids)).order_by("batch"):
        found[release.round_id] = ReleaseRule.from_json(release.batch, release.groups)
    return found


def current_batch(round_: Round) -> int:
    return 1 if round_.reopened_at else 0
