"""Reads of self-evaluation: rounds, response rates and results.

Results are computed from grouped counts (a handful of queries whatever the number of
respondents) and go through aggregation.py, the only place where suppression is decided.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from stelsel.selfevaluation.aggregation import (
    EMPTY,
    SUPPRESSED,
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
from stelsel.selfevaluation.services import counted_responses


@dataclass(frozen=True)
class ResponseRate:
    responses: int | None
    invited: int
    invited_answered: int | None

    @property
    def share(self) -> float | None:
        if not self.invited or self.invited_answered is None:
            return None
        return self.invited_answered / self.invited


def response_rate(round_: Round) -> ResponseRate:
    """The overall figures, the only ones shown while a round is open.

    Once closed, a total next to the published groups would give away the size of a hidden
    group; then the counts of responses are left out (None).
    """
    invitations = RespondentInvitation.objects.filter(round=round_).aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(completion__isnull=False))
    )
    sizes = dict(
        counted_responses(round_)
        .values_list("perspective_id")
        .annotate(n=Count("pk"))
        .values_list("perspective_id", "n")
    )
    if round_.state in (RoundState.CLOSED, RoundState.SHARED) and any(
        0 < n < round_.k for n in sizes.values()
    ):
        return ResponseRate(None, invitations["invited"], None)
    return ResponseRate(sum(sizes.values()), invitations["invited"], invitations["answered"])


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
        counted_responses(round_)
        .values_list("perspective_id")
        .annotate(n=Count("pk"))
        .values_list("perspective_id", "n")
    )
    items = {key: Counts(tuple(dist), dk) for key, (dist, dk) in per_item.items()}
    return items, sizes


def _sections(version):
    return list(version.sections.select_related("standard").prefetch_related("items__requirement"))


def _section_results(round_, perspectives, sections, item_counts, sizes) -> list[SectionResult]:
    """Rows per item and standard from counts: the one path from counts to figures."""
    version = round_.questionnaire_version
    keys = [p.pk for p in perspectives]
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
    return results


def round_results(round_: Round, *, viewer=None, with_trend: bool = True) -> Results:
    """The figures of a closed round. The trend against the previous round is added only for a
    `viewer` who may see that round's results too."""
    version = round_.questionnaire_version
    perspectives = list(round_.perspectives.all())
    sections = _sections(version)
    item_counts, sizes = _counts(round_, len(version.scale_points))
    results = _section_results(round_, perspectives, sections, item_counts, sizes)
    _attach_comments(round_, perspectives, results, sizes)
    result = Results(
        round_,
        perspectives,
        results,
        self_perspective(round_, perspectives),
        version.scale_min,
        version.scale_max,
    )
    if with_trend and viewer is not None:
        _attach_trend(result, viewer)
    return result


def _rounds_counts(rounds: dict[int, Round], points: int) -> dict[int, tuple]:
    """For several closed rounds at once (three queries in all): per round its counts per
    (perspective, item), its perspectives and its counted responses per perspective."""
    raw: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: [[0] * points, 0]))
    for round_id, perspective_id, item_id, value, n in ResultCount.objects.filter(
        round_id__in=rounds
    ).values_list("round_id", "perspective_id", "item_id", "value", "n"):
        slot = raw[round_id][(perspective_id, item_id)]
        if value is None:
            slot[1] += n
        else:
            slot[0][value - 1] += n
    perspectives: dict[int, list] = defaultdict(list)
    for perspective in RoundPerspective.objects.filter(round_id__in=rounds):
        perspectives[perspective.round_id].append(perspective)
    sizes: dict[int, dict] = defaultdict(dict)
    for round_id, perspective_id, n in (
        _counted_in(rounds.values())
        .values_list("round_id", "perspective_id")
        .annotate(n=Count("pk"))
        .values_list("round_id", "perspective_id", "n")
    ):
        sizes[round_id][perspective_id] = n
    return {
        round_id: (
            {key: Counts(tuple(d), dk) for key, (d, dk) in raw[round_id].items()},
            perspectives[round_id],
            sizes[round_id],
        )
        for round_id in rounds
    }


def _counted_in(rounds):
    """Counted responses of several rounds in one query (late held-back ones left out)."""
    query = Q(round_id__in=[r.pk for r in rounds])
    for round_ in rounds:
        if round_.held_back:
            query &= ~Q(round_id=round_.pk, batch=1, perspective_id__in=round_.held_back)
    return Response.objects.filter(query)


MIN_BENCHMARK_BOARDS = 5


@dataclass
class Benchmark:
    """Means of other boards' published totals, per standard and per item (by code)."""

    boards: int
    standards: dict[str, float]
    items: dict[str, float]


def benchmark(results: Results) -> Benchmark | None:
    """The benchmark for a board round: only for a board that takes part itself, only from
    other boards that opted in, only their published totals, and only with at least five
    boards. A handful of queries, whatever the number of boards."""
    round_ = results.round
    if round_.school_id is not None or not round_.board.benchmark_opt_in:
        return None
    candidates = (
        Round.objects.filter(
            questionnaire_version_id=round_.questionnaire_version_id,
            school__isnull=True,
            board__benchmark_opt_in=True,
            state__in=[RoundState.CLOSED, RoundState.SHARED],
        )
        .exclude(board_id=round_.board_id)
        .select_related("questionnaire_version")
        .order_by("board_id", "-opens_on", "-pk")
    )
    latest: dict[int, Round] = {}
    for candidate in candidates:
        latest.setdefault(candidate.board_id, candidate)
    if len(latest) < MIN_BENCHMARK_BOARDS:
        return Benchmark(len(latest), {}, {})
    rounds = {r.pk: r for r in latest.values()}
    per_round = _rounds_counts(rounds, len(round_.questionnaire_version.scale_points))
    sections = [s.section for s in results.sections]
    standard_means: dict[str, list[float]] = defaultdict(list)
    item_means: dict[str, list[float]] = defaultdict(list)
    for round_id, other in rounds.items():
        counts, perspectives, sizes = per_round[round_id]
        for section in _section_results(other, perspectives, sections, counts, sizes):
            if section.row.total.published and section.row.total.mean is not None:
                standard_means[section.section.standard.code].append(section.row.total.mean)
            for item in section.items:
                if item.row.total.published and item.row.total.mean is not None:
                    item_means[item.item.code].append(item.row.total.mean)

    def enough(values: dict[str, list[float]]) -> dict[str, float]:
        return {
            code: sum(v) / len(v) for code, v in values.items() if len(v) >= MIN_BENCHMARK_BOARDS
        }

    return Benchmark(len(latest), enough(standard_means), enough(item_means))


def _attach_comments(round_: Round, perspectives, sections: list[SectionResult], sizes) -> None:
    """Comments only of groups with at least k_text respondents (free text identifies sooner)."""
    allowed = [p.pk for p in perspectives if sizes.get(p.pk, 0) >= round_.k_text]
    by_section = {s.section.pk: s for s in sections}
    responses = counted_responses(round_).filter(perspective_id__in=allowed)
    for section_id, perspective_id, text in (
        Comment.objects.filter(response__in=responses)
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


def _attach_trend(results: Results, viewer) -> None:
    from stelsel.organisations.access import may_see_results

    previous = previous_round(results.round)
    if previous is None or not may_see_results(viewer, previous):
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


MIN_ROLLUP_SCHOOLS = 3


@dataclass(frozen=True)
class PerspectiveKey:
    """A perspective across rounds (roll-up): keyed by its code, since ids belong to a round."""

    pk: str
    label: str

    def __str__(self) -> str:
        return self.label


@dataclass
class Rollup:
    rounds: list[Round]
    perspectives: list[PerspectiveKey]
    sections: list[SectionResult]
    scale_min: int
    scale_max: int


def board_rollup(rounds: list[Round]) -> Rollup | None:
    """The board's picture from its schools' rounds of one questionnaire version.

    A school's figure of a group on a statement is pooled only when that school's own results
    publish it, so the roll-up is a sum of published figures and uncovers nothing; and every
    pooled figure needs at least three schools (else it is shown as too few). The latest closed
    round per school counts.
    """
    latest: dict[int, Round] = {}
    for round_ in sorted(rounds, key=lambda r: (r.opens_on, r.pk), reverse=True):
        if round_.school_id and round_.state in (RoundState.CLOSED, RoundState.SHARED):
            latest.setdefault(round_.school_id, round_)
    if len(latest) < MIN_ROLLUP_SCHOOLS:
        return None
    chosen = {r.pk: r for r in latest.values()}
    version = next(iter(chosen.values())).questionnaire_version
    per_round = _rounds_counts(chosen, len(version.scale_points))
    sections = _sections(version)
    pooled: dict[tuple[str, int], list] = {}
    schools: dict[tuple[str, int], set] = defaultdict(set)
    labels: dict[str, str] = {}
    for round_id, round_ in chosen.items():
        counts, perspectives, sizes = per_round[round_id]
        by_pk = {p.pk: p for p in perspectives}
        for section in _section_results(round_, perspectives, sections, counts, sizes):
            for item in section.items:
                for pk, cell in item.row.cells.items():
                    if not cell.published:
                        continue
                    perspective = by_pk[pk]
                    code = f"{perspective.code}:{perspective.name}"
                    labels[code] = str(perspective)
                    key = (code, item.item.pk)
                    total = pooled.get(key)
                    pooled[key] = (
                        counts[(pk, item.item.pk)]
                        if total is None
                        else (total + counts[(pk, item.item.pk)])
                    )
                    schools[key].add(round_.school_id)
    keys = [PerspectiveKey(code, label) for code, label in sorted(labels.items())]
    results = []
    for section in sections:
        item_results = []
        for item in section.items.all():
            groups = {
                key.pk: pooled[(key.pk, item.pk)]
                for key in keys
                if len(schools.get((key.pk, item.pk), ())) >= MIN_ROLLUP_SCHOOLS
            }
            row = aggregate(groups, 1, [key.pk for key in keys])  # each part is published already
            # Pooled cells of fewer than three schools stay hidden as too few.
            row = Row(
                {key.pk: row.cells[key.pk] if key.pk in groups else SUPPRESSED for key in keys},
                row.total if len(groups) == len(keys) else SUPPRESSED,
            )
            item_results.append(ItemResult(item, row, []))
        results.append(
            SectionResult(section, Row({k.pk: EMPTY for k in keys}, EMPTY), item_results)
        )
    return Rollup(list(chosen.values()), keys, results, version.scale_min, version.scale_max)


def rollup_candidates(rounds: list[Round]) -> list:
    """Questionnaire versions with closed rounds in at least three schools."""
    schools: dict[int, set] = defaultdict(set)
    versions = {}
    for round_ in rounds:
        if round_.school_id and round_.state in (RoundState.CLOSED, RoundState.SHARED):
            schools[round_.questionnaire_version_id].add(round_.school_id)
            versions[round_.questionnaire_version_id] = round_.questionnaire_version
    return [versions[v] for v, s in schools.items() if len(s) >= MIN_ROLLUP_SCHOOLS]
