"""Reads of self-evaluation: rounds, response rates and results.

Results are computed from grouped counts (a handful of queries whatever the number of
respondents) and go through aggregation.py, the only place where suppression is decided.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from stelsel.selfevaluation.aggregation import (
    Cell,
    Counts,
    Gap,
    Row,
    aggregate,
    aggregate_standard,
    gaps,
)
from stelsel.selfevaluation.models import (
    Comment,
    Item,
    Perspective,
    RespondentInvitation,
    Response,
    ResultCount,
    Round,
    RoundPerspective,
    RoundState,
    Section,
)


@dataclass(frozen=True)
class ResponseRate:
    responses: int
    invited: int
    invited_answered: int

    @property
    def share(self) -> float | None:
        return self.invited_answered / self.invited if self.invited else None


def response_rate(round_: Round) -> ResponseRate:
    """The overall figures, the only ones shown while a round is open."""
    invitations = RespondentInvitation.objects.filter(round=round_).aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(completion__isnull=False))
    )
    return ResponseRate(
        Response.objects.filter(round=round_).count(),
        invitations["invited"],
        invitations["answered"],
    )


@dataclass
class ItemResult:
    item: Item
    row: Row
    gaps: list[Gap]


@dataclass
class SectionResult:
    section: Section
    row: Row
    items: list[ItemResult]
    comments: dict[int, list[str]] = field(default_factory=dict)  # perspective id → texts
    trend: Row | None = None


@dataclass
class Results:
    round: Round
    perspectives: list[RoundPerspective]
    sections: list[SectionResult]
    self_key: int | None
    scale_min: int
    scale_max: int
    previous: Round | None = None

    def cell(self, row: Row, perspective: RoundPerspective) -> Cell:
        return row.cells[perspective.pk]


def self_perspective(round_: Round, perspectives: list[RoundPerspective]) -> int | None:
    """The group whose view is the self-view: the board for a board round, the school
    leaders for a school round."""
    code = Perspective.SCHOOL_LEADERS if round_.school_id else Perspective.BOARD
    return next((p.pk for p in perspectives if p.code == code), None)


def _counts(round_: Round, points: int):
    """Answer counts, (perspective, item) → Counts, as frozen when the round closed; and the
    number of responses per perspective."""
    per_item: dict[tuple[int, int], list] = defaultdict(lambda: [[0] * points, 0])
    rows = ResultCount.objects.filter(round=round_).values_list(
        "perspective_id", "item_id", "value", "n"
    )
    for perspective_id, item_id, value, n in rows:
        slot = per_item[(perspective_id, item_id)]
        if value is None:
            slot[1] += n
        else:
            slot[0][value - 1] += n
    sizes = dict(
        Response.objects.filter(round=round_)
        .values_list("perspective_id")
        .annotate(n=Count("pk"))
        .values_list("perspective_id", "n")
    )
    items = {key: Counts(tuple(dist), dk) for key, (dist, dk) in per_item.items()}
    return items, sizes


def round_results(round_: Round, *, with_trend: bool = True) -> Results:
    version = round_.questionnaire_version
    perspectives = list(round_.perspectives.all())
    keys = [p.pk for p in perspectives]
    points = len(version.scale_points)
    sections = list(
        version.sections.select_related("standard").prefetch_related("items__requirement")
    )
    item_counts, sizes = _counts(round_, points)
    k = round_.k
    self_key = self_perspective(round_, perspectives)
    results = []
    for section in sections:
        item_results = []
        pooled: dict[int, Counts] = {}
        for item in section.items.all():
            groups = {
                key: item_counts[(key, item.pk)] for key in keys if (key, item.pk) in item_counts
            }
            row = aggregate(groups, k, keys)
            item_results.append(
                ItemResult(
                    item,
                    row,
                    gaps(
                        row,
                        self_key=self_key,
                        scale_min=version.scale_min,
                        scale_max=version.scale_max,
                    ),
                )
            )
            for key, counts in groups.items():
                pooled[key] = pooled[key] + counts if key in pooled else counts
        # Every respondent answers every statement, so the people behind a standard are the
        # group's respondents; whether the figure may be shown follows from its items.
        pooled = {
            key: Counts(c.distribution, c.dont_know, sizes.get(key, 0), sizes.get(key, 0))
            for key, c in pooled.items()
        }
        row = aggregate_standard(pooled, [r.row for r in item_results], k, keys)
        results.append(SectionResult(section, row, item_results))
    _attach_comments(round_, perspectives, results, sizes)
    result = Results(round_, perspectives, results, self_key, version.scale_min, version.scale_max)
    if with_trend:
        _attach_trend(result)
    return result


def _attach_comments(round_: Round, perspectives, sections: list[SectionResult], sizes) -> None:
    """Comments only of groups with at least k_text respondents (free text identifies sooner)."""
    allowed = [p.pk for p in perspectives if sizes.get(p.pk, 0) >= round_.k_text]
    by_section = {s.section.pk: s for s in sections}
    for section_id, perspective_id, text in (
        Comment.objects.filter(response__round=round_, response__perspective_id__in=allowed)
        .order_by("section_id", "text")
        .values_list("section_id", "response__perspective_id", "text")
    ):
        by_section[section_id].comments.setdefault(perspective_id, []).append(text)


def previous_round(round_: Round) -> Round | None:
    """The previous closed round of the same questionnaire for the same board or school."""
    return (
        Round.objects.filter(
            board_id=round_.board_id,
            school_id=round_.school_id,
            questionnaire_version__questionnaire_id=round_.questionnaire_version.questionnaire_id,
            state__in=[RoundState.CLOSED, RoundState.SHARED],
            opens_on__lt=round_.opens_on,
        )
        .order_by("-opens_on")
        .first()
    )


def _attach_trend(results: Results) -> None:
    previous = previous_round(results.round)
    if previous is None:
        return
    results.previous = previous
    before = round_results(previous, with_trend=False)
    codes = {p.pk: (p.code, p.name) for p in before.perspectives}
    by_standard = {s.section.standard.code: s for s in before.sections}
    for section in results.sections:
        earlier = by_standard.get(section.section.standard.code)
        if earlier is None:
            continue
        # Match groups by their perspective, not by id: ids belong to each round.
        cells = {}
        for perspective in results.perspectives:
            match = next(
                (pk for pk, code in codes.items() if code == (perspective.code, perspective.name)),
                None,
            )
            if match is not None:
                cells[perspective.pk] = earlier.row.cells[match]
        section.trend = Row(cells, earlier.row.total)


def invitation_counts(round_: Round) -> dict[int, dict[str, int]]:
    """Per perspective: invited and sent, for the organiser. Who answered is not shown per
    group while the round is open (only the overall rate)."""
    counts = (
        RespondentInvitation.objects.filter(round=round_)
        .values_list("perspective_id")
        .annotate(invited=Count("pk"), sent=Count("pk", filter=Q(sent_at__isnull=False)))
        .values_list("perspective_id", "invited", "sent")
    )
    return {pk: {"invited": invited, "sent": sent} for pk, invited, sent in counts}
