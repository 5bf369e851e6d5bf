"""Reads of self-evaluation: rounds, response rates and results.

Results are computed from grouped counts (a handful of queries whatever the number of
respondents) and go through aggregation.py, the only place where suppression is decided.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from stelsel.selfevaluation.access import may_see_results
from stelsel.selfevaluation.aggregation import (
    SUPPRESSED,
    Cell,
    Counts,
    Gap,
    Row,
    gaps,
    row,
    standard_row,
    zero,
)
from stelsel.selfevaluation.counting import (
    Tally,
    current_batch,
    frozen_tallies,
    latest_releases,
    live_counts,
)
from stelsel.selfevaluation.models import (
    Comment,
    Item,
    Perspective,
    RespondentInvitation,
    Round,
    RoundPerspective,
    RoundState,
    Section,
)
from stelsel.selfevaluation.releases import Release, release_decide, respondents_shown
from stelsel.selfevaluation.services import questionnaire_shape

CLOSED_STATES = (RoundState.CLOSED, RoundState.SHARED)


@dataclass(frozen=True)
class ResponseRate:
    """The counts of a round anyone is shown: respondents in the groups shown (or, while the
    round is open, in the groups a close would show now), and the personal invitations."""

    responses: int | None
    invited: int


def _live_release(round_: Round, items, substantive, sizes) -> Release:
    """The release a close would make now, checked against the last real one."""
    return release_decide(
        groups=[p.pk for p in round_.perspectives.all()],
        items=items,
        batch=current_batch(round_),
        substantive=substantive,
        sizes=sizes,
        k=round_.k,
        k_text=round_.k_text,
        previous=latest_releases([round_.pk]).get(round_.pk),
    )


def response_rate(round_: Round) -> ResponseRate:
    """How many answered, counted only in groups that are (or would now be) shown.

    A count of everyone would, next to the shown groups' sizes, give away how many of a small
    group answered; and a count of answered invitations next to it how many answered by meeting
    code. So while open the count is the one a close would publish now, and once closed the one
    it published.
    """
    invited = RespondentInvitation.objects.filter(round=round_).count()
    if round_.state == RoundState.DRAFT:
        return ResponseRate(None, invited)
    if round_.state == RoundState.OPEN:
        items = questionnaire_shape(round_.questionnaire_version_id).item_ids
        substantive, sizes = live_counts(round_, items)
        release = _live_release(round_, items, substantive, sizes)
        return ResponseRate(respondents_shown(release, sizes), invited)
    tally = frozen_tallies({round_.pk: round_})[round_.pk]
    release = latest_releases([round_.pk]).get(round_.pk)
    return ResponseRate(respondents_shown(release, tally.sizes()) if release else 0, invited)


@dataclass
class ItemResult:
    item: Item
    row: Row
    gaps: list[Gap]
    shown_counts: dict = field(default_factory=dict)  # counts of the shown groups only


@dataclass
class SectionResult:
    section: Section
    row: Row
    items: list[ItemResult]
    comments: dict[int, list[str]] = field(default_factory=dict)  # perspective id → texts
    trend: Row | None = None


@dataclass(frozen=True)
class HiddenGroup:
    """A group not shown everywhere, and why, for a note beside the results."""

    perspective: RoundPerspective
    everywhere: bool  # not shown on any statement


@dataclass
class Results:
    round: Round
    perspectives: list[RoundPerspective]
    sections: list[SectionResult]
    self_key: int | None
    scale_min: int
    scale_max: int
    previous: Round | None = None
    release: Release | None = None
    reopened: bool = False
    # Respondents in the groups shown (`respondents_shown`), when the reader asked for them.
    responses: int | None = None

    def cell(self, row: Row, perspective: RoundPerspective) -> Cell:
        return row.cells[perspective.pk]

    @cached_property
    def hidden(self) -> list[HiddenGroup]:
        """Groups not shown on one statement or more; the reason is their size (fewer than k
        gave an answer other than "don't know"), which is all a note may say."""
        found = []
        for perspective in self.perspectives:
            cells = [i.row.cells[perspective.pk] for s in self.sections for i in s.items]
            shown = sum(1 for c in cells if c.published)
            if shown < len(cells):
                found.append(HiddenGroup(perspective, shown == 0))
        return found

    @property
    def complete(self) -> bool:
        """Whether every group is shown on every statement ("all" rather than "all shown")."""
        return not self.hidden

    @property
    def total_label(self) -> str:
        return _("All") if self.complete else _("All groups shown")

    def notes(self) -> list[str]:
        """Why groups are not shown: their size, the one reason a note may give (a group's
        cells already say "too few answers"), and for a reopened round which groups count the
        answers given afterwards."""
        k = self.round.k
        lines = []
        for hidden in self.hidden:
            template = (
                _(
                    "%(group)s: fewer than %(k)d answers other than “don't know” on every "
                    "statement; not shown, and not in any total."
                )
                if hidden.everywhere
                else _(
                    "%(group)s: fewer than %(k)d answers other than “don't know” on some "
                    "statements (in a reopened round: at the first close); those are not "
                    "shown, and not in their totals."
                )
            )
            lines.append(template % {"group": hidden.perspective, "k": k})
        if self.reopened:
            for perspective in self.perspectives:
                if self.late_counted(perspective) is False:
                    lines.append(
                        _(
                            "%(group)s: answers given after the reopening are not counted: "
                            "fewer than %(k)d of them answered each statement shown with "
                            "something other than “don't know”, and comparing with the first "
                            "results would show them."
                        )
                        % {"group": perspective, "k": k}
                    )
        return lines

    def late_counted(self, perspective: RoundPerspective) -> bool | None:
        """Whether the group's figures count the answers given after the reopening; None when
        the round was not reopened."""
        if not self.reopened or self.release is None:
            return None
        group = self.release.group(perspective.pk)
        return self.release.batch in group.batches if group.shown else None


def self_perspective(round_: Round, perspectives: list[RoundPerspective]) -> int | None:
    """The group whose view is the self-view: the board for a board round, the school
    leaders for a school round."""
    code = Perspective.SCHOOL_LEADERS if round_.school_id else Perspective.BOARD
    return next((p.pk for p in perspectives if p.code == code), None)


def _sections(version):
    return list(version.sections.select_related("standard").prefetch_related("items__requirement"))


def _section_results(round_, perspectives, sections, tally: Tally, release) -> list[SectionResult]:
    """Rows per statement and standard from counts and a release: the one path from counts to
    figures."""
    version = round_.questionnaire_version
    points = len(version.scale_points)
    keys = [p.pk for p in perspectives]
    self_key = self_perspective(round_, perspectives)
    sizes = tally.sizes()
    blocks = {key: release.group(key) for key in keys} if release else {}
    results = []
    for section in sections:
        item_results = []
        pooled: dict[int, Counts] = {}
        for item in section.items.all():
            groups = {}
            for key, block in blocks.items():
                counts = tally.counts(key, block.batches, item.pk)
                if counts is not None:
                    groups[key] = counts
                    pooled[key] = (pooled.get(key) or zero(points, pooled=True)) + counts
            shown = {key for key, block in blocks.items() if item.pk in block.items}
            item_row = row(groups, shown, keys)
            item_results.append(
                ItemResult(
                    item,
                    item_row,
                    gaps(
                        item_row,
                        self_key=self_key,
                        scale_min=version.scale_min,
                        scale_max=version.scale_max,
                    ),
                    {key: groups[key] for key in keys if item_row.cells[key].published},
                )
            )
        # A standard's n counts the people of the group's counted batches.
        pooled = {
            key: Counts(
                c.distribution,
                c.dont_know,
                sum(sizes.get((key, b), 0) for b in blocks[key].batches),
            )
            for key, c in pooled.items()
        }
        results.append(
            SectionResult(
                section, standard_row(pooled, [r.row for r in item_results], keys), item_results
            )
        )
    return results


def round_results(round_: Round, *, viewer=None, with_trend: bool = True) -> Results:
    """The figures of a closed round, as its latest release shows them. The trend against the
    previous round is added only for a `viewer` who may see that round's results too."""
    version = round_.questionnaire_version
    perspectives = list(round_.perspectives.all())
    sections = _sections(version)
    tally = frozen_tallies({round_.pk: round_})[round_.pk]
    release = latest_releases([round_.pk]).get(round_.pk)
    results = _section_results(round_, perspectives, sections, tally, release)
    if release is not None:
        _attach_comments(round_, results, release)
    result = Results(
        round_,
        perspectives,
        results,
        self_perspective(round_, perspectives),
        version.scale_min,
        version.scale_max,
        release=release,
        reopened=round_.reopened_at is not None,
    )
    if with_trend and viewer is not None:
        _attach_trend(result, viewer)
    return result


def rounds_results(rounds: list[Round]) -> dict[int, Results]:
    """The figures of several closed rounds, each as `round_results` makes them for its page,
    with the respondents in the groups shown, in six queries whatever the number of rounds
    (a report about sixty schools). Without the trend and the comments, which only
    `round_results` adds, for a reader of one round. The rounds come with their questionnaire
    version."""
    by_id = {r.pk: r for r in rounds}
    if not by_id:
        return {}
    tallies = frozen_tallies(by_id)
    releases = latest_releases(by_id)
    perspectives: dict[int, list] = defaultdict(list)
    for perspective in RoundPerspective.objects.filter(round_id__in=list(by_id)):
        perspectives[perspective.round_id].append(perspective)
    sections: dict[int, list] = defaultdict(list)
    for section in (
        Section.objects.filter(
            questionnaire_version_id__in={r.questionnaire_version_id for r in rounds}
        )
        .select_related("standard")
        .prefetch_related("items__requirement")
        .order_by("questionnaire_version_id", "position")
    ):
        sections[section.questionnaire_version_id].append(section)
    found = {}
    for pk, round_ in by_id.items():
        version = round_.questionnaire_version
        release = releases.get(pk)
        found[pk] = Results(
            round_,
            perspectives[pk],
            _section_results(round_, perspectives[pk], sections[version.pk], tallies[pk], release),
            self_perspective(round_, perspectives[pk]),
            version.scale_min,
            version.scale_max,
            release=release,
            reopened=round_.reopened_at is not None,
            responses=respondents_shown(release, tallies[pk].sizes()) if release else 0,
        )
    return found


def _rounds_results(rounds: dict[int, Round], sections) -> dict[int, list[SectionResult]]:
    """The results of several closed rounds of one questionnaire version at once (three
    queries in all, whatever the number of rounds)."""
    tallies = frozen_tallies(rounds)
    releases = latest_releases(rounds)
    perspectives: dict[int, list] = defaultdict(list)
    for perspective in RoundPerspective.objects.filter(round_id__in=list(rounds)):
        perspectives[perspective.round_id].append(perspective)
    return {
        pk: _section_results(round_, perspectives[pk], sections, tallies[pk], releases.get(pk))
        for pk, round_ in rounds.items()
    }


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
            state__in=CLOSED_STATES,
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
    sections = [s.section for s in results.sections]
    standard_means: dict[str, list[float]] = defaultdict(list)
    item_means: dict[str, list[float]] = defaultdict(list)
    for section_results in _rounds_results(rounds, sections).values():
        for section in section_results:
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


def _attach_comments(round_: Round, sections: list[SectionResult], release: Release) -> None:
    """Comments of the batches the release shows comments of (k_text respondents or more:
    free text identifies sooner than a figure)."""
    query = Q()
    for key, group in release.groups.items():
        if group.comments:
            query |= Q(response__perspective_id=key, response__batch__in=group.comments)
    if not query:
        return
    by_section = {s.section.pk: s for s in sections}
    for section_id, perspective_id, text in (
        Comment.objects.filter(query, response__round=round_)
        .order_by("section_id", "text")
        .values_list("section_id", "response__perspective_id", "text")
    ):
        if section_id in by_section:
            by_section[section_id].comments.setdefault(perspective_id, []).append(text)


def previous_round(round_: Round) -> Round | None:
    """The previous closed round of the same questionnaire for the same board or school."""
    return (
        Round.objects.filter(
            board_id=round_.board_id,
            school_id=round_.school_id,
            questionnaire_version__questionnaire_id=round_.questionnaire_version.questionnaire_id,
            state__in=CLOSED_STATES,
            opens_on__lt=round_.opens_on,
        )
        .order_by("-opens_on")
        .first()
    )


def _attach_trend(results: Results, viewer) -> None:
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
        section.trend = Row(cells, earlier.row.total, earlier.row.covers, earlier.row.complete)


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


@dataclass(frozen=True)
class SmallPerspective:
    perspective: RoundPerspective
    invited: int


def small_perspectives(
    round_: Round, perspectives: list[RoundPerspective], counts: dict[int, dict[str, int]]
) -> list[SmallPerspective]:
    """Perspectives invited with fewer than k people (and no meeting code): warned about before
    the round opens, since their answers would never be shown."""
    if round_.state not in (RoundState.DRAFT, RoundState.OPEN):
        return []
    return [
        SmallPerspective(p, counts.get(p.pk, {}).get("invited", 0))
        for p in perspectives
        if not p.meeting_code and counts.get(p.pk, {}).get("invited", 0) < round_.k
    ]


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

    @property
    def total_label(self) -> str:
        complete = all(i.row.complete for s in self.sections for i in s.items)
        return _("All") if complete else _("All groups shown")


def board_rollup(rounds: list[Round]) -> Rollup | None:
    """The board's picture from its schools' rounds of one questionnaire version.

    A school's figure of a group on a statement is pooled only when that school's own results
    publish it, so the roll-up is a sum of published figures and uncovers nothing; and every
    pooled figure needs at least three schools (else it is shown as too few). The latest closed
    round per school counts.
    """
    latest: dict[int, Round] = {}
    for round_ in sorted(rounds, key=lambda r: (r.opens_on, r.pk), reverse=True):
        if round_.school_id and round_.state in CLOSED_STATES:
            latest.setdefault(round_.school_id, round_)
    if len(latest) < MIN_ROLLUP_SCHOOLS:
        return None
    chosen = {r.pk: r for r in latest.values()}
    version = next(iter(chosen.values())).questionnaire_version
    sections = _sections(version)
    per_round = _rounds_results(chosen, sections)
    pooled: dict[tuple[str, int], Counts] = {}
    schools: dict[tuple[str, int], set] = defaultdict(set)
    labels: dict[str, str] = {}
    names = {p.pk: p for p in RoundPerspective.objects.filter(round_id__in=list(chosen))}
    for round_id, round_ in chosen.items():
        for section in per_round[round_id]:
            for item in section.items:
                for pk, counts in item.shown_counts.items():
                    perspective = names[pk]
                    code = f"{perspective.code}:{perspective.name}"
                    labels[code] = str(perspective)
                    key = (code, item.item.pk)
                    pooled[key] = counts if key not in pooled else pooled[key] + counts
                    schools[key].add(round_.school_id)
    keys = [PerspectiveKey(code, label) for code, label in sorted(labels.items())]
    results = []
    for section in sections:
        item_results = []
        for item in section.items.all():
            # Each part is shown already; a pooled cell needs three schools.
            groups = {
                key.pk: pooled[(key.pk, item.pk)]
                for key in keys
                if len(schools.get((key.pk, item.pk), ())) >= MIN_ROLLUP_SCHOOLS
            }
            item_results.append(
                ItemResult(item, row(groups, set(groups), [k.pk for k in keys]), [])
            )
        results.append(
            SectionResult(section, Row({k.pk: SUPPRESSED for k in keys}, SUPPRESSED), item_results)
        )
    return Rollup(list(chosen.values()), keys, results, version.scale_min, version.scale_max)


def rollup_candidates(rounds: list[Round]) -> list:
    """Questionnaire versions with closed rounds in at least three schools."""
    schools: dict[int, set] = defaultdict(set)
    versions = {}
    for round_ in rounds:
        if round_.school_id and round_.state in CLOSED_STATES:
            schools[round_.questionnaire_version_id].add(round_.school_id)
            versions[round_.questionnaire_version_id] = round_.questionnaire_version
    return [versions[v] for v, s in schools.items() if len(s) >= MIN_ROLLUP_SCHOOLS]
