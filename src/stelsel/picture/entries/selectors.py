"""Reads of the quality picture: one unit's picture (now or on an earlier date), the figures
of many pictures at once, one entry with everything behind it, its timeline, and the picture
as slides. The board's overview of all schools is in `overview`.

Every function reads a fixed number of queries, whatever the number of schools, standards or
records: rows are fetched in bulk and joined in Python through dictionaries.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from stelsel.frameworks.models import Requirement, ScaleLevel, Standard
from stelsel.picture import asof, work
from stelsel.picture.access import assignments_for_user, pictures_for_user
from stelsel.picture.coverage import CoverageSummary, coverage_rows, coverage_summary
from stelsel.picture.entries.services import entry_scale
from stelsel.picture.models import (
    Assignment,
    Entry,
    EntryMessage,
    Evidence,
    Perspective,
    Picture,
    PictureState,
)
from stelsel.picture.rollups import (
    NEUTRAL,
    REQUIREMENTS,
    PerspectiveSummary,
    PictureSummary,
    summarise_picture,
)

NOT_JUDGED = None


@dataclass
class EntryRow:
    """One line of a picture, the same whether read now or from the history."""

    id: int
    code: str
    title: str
    perspective: str
    area: str
    status_label: str
    status_code: str
    tone: str | None
    judged_at: datetime | None
    judged_by: str
    requirements: int = 0
    requirements_met: int = 0
    evidence: int = 0
    evidence_expired: int = 0
    open_actions: int = 0
    open_assignments: int = 0
    standard_id: int | None = None
    indicator_id: int | None = None
    entry: object | None = None
    position: tuple = ()
    # The evidence behind the row (then, when read as of a date), for counting a subset of it,
    # such as the documents shared with an inspector.
    evidence_ids: frozenset = frozenset()


@dataclass
class PerspectiveBlock:
    perspective: str
    label: str
    rows: list[EntryRow] = field(default_factory=list)

    @property
    def summary(self) -> PerspectiveSummary:
        return rows_summary(self.rows)[self.perspective]


@dataclass
class PictureView:
    picture: Picture
    as_of: date | None
    perspectives: list[PerspectiveBlock]

    @property
    def rows(self) -> list[EntryRow]:
        return [r for p in self.perspectives for r in p.rows]

    @property
    def summary(self) -> PictureSummary:
        return rows_summary(self.rows)


def rows_summary(rows) -> PictureSummary:
    """The figures of a picture's rows (as shown now or on a date), by `summarise_picture`."""
    return summarise_picture((r.perspective, r.indicator_id is not None, r.tone) for r in rows)


def counted_tone(tone: str | None, level_version_id: int | None, version_id: int) -> str | None:
    """The tone an entry counts with: its status's, when that status is a level of the
    picture's framework version (as `picture_view` reads levels) and not a neutral one;
    otherwise None, not yet judged."""
    if tone is None or tone == NEUTRAL or level_version_id != version_id:
        return None
    return tone


def picture_summaries(versions: dict[int, int]) -> dict[int, PictureSummary]:
    """The figures of many pictures in one query, for pages that show many units (the board
    overview, the API's list). `versions` maps each picture's id to its framework version's.

    The same entries count as in `picture_view`: standards of the picture's framework version
    (in *Eisen*) and the board's own indicators (in their perspective), and the same arithmetic
    adds them up (`summarise_picture`), so a school has one figure on every page.
    """
    counted: dict[int, list] = defaultdict(list)
    rows = (
        Entry.objects.filter(picture__in=list(versions))
        .order_by()
        .values_list(
            "picture_id",
            "standard__framework_version_id",
            "indicator_id",
            "indicator__perspective",
            "status__tone",
            "status__scale__framework_version_id",
        )
    )
    for picture_id, standard_version, indicator_id, perspective, tone, level_version in rows:
        version = versions[picture_id]
        if indicator_id is None and standard_version != version:
            continue
        own = indicator_id is not None
        counted[picture_id].append(
            (perspective if own else REQUIREMENTS, own, counted_tone(tone, level_version, version))
        )
    return {pk: summarise_picture(counted[pk]) for pk in versions}


@dataclass(frozen=True)
class PerspectiveFigure:
    """One perspective's figure with its label, as a page or the API names it."""

    label: str
    summary: PerspectiveSummary


def picture_figures(pictures) -> dict[int, list[PerspectiveFigure]]:
    """Per picture, its figure for each perspective (always all three), from one query for
    all `pictures` together (`picture_summaries`)."""
    summaries = picture_summaries({p.pk: p.framework_version_id for p in pictures})
    labels = dict(Perspective.choices)
    return {
        pk: [PerspectiveFigure(str(labels[s.perspective]), s) for s in summary.perspectives]
        for pk, summary in summaries.items()
    }


def current_pictures(user, board, school) -> list[Picture]:
    """The unit's current pictures (normally one), reached through the access module."""
    return list(
        pictures_for_user(user, board)
        .filter(school=school, state=PictureState.CURRENT)
        .select_related("framework_version")
    )


def board_pictures(user, board) -> list[Picture]:
    """The current pictures of the board and of its schools that the user sees, with their
    unit and framework version, by school name."""
    return list(
        pictures_for_user(user, board)
        .filter(state=PictureState.CURRENT)
        .select_related("school", "framework_version__framework")
        .order_by("school__name", "framework_version__name", "pk")
    )


@dataclass(frozen=True)
class UnitPicture:
    picture: Picture
    perspectives: list[PerspectiveFigure]


def unit_pictures(user, board, school) -> list[UnitPicture]:
    """The unit's current pictures with their figures, for the school's home page: counted for
    all of them in one query, by the rules the picture page counts with."""
    pictures = current_pictures(user, board, school)
    figures = picture_figures(pictures)
    return [UnitPicture(p, figures[p.pk]) for p in pictures]


def unit_coverage(user, board, school) -> CoverageSummary:
    """How many of a unit's opdrachten are open and how many of those are covered, counted as
    the coverage view counts them (`coverage_summary`), for the school's home page."""
    assignments = assignments_for_user(user, board).filter(school=school)
    return coverage_summary(coverage_rows(assignments, timezone.localdate()))


def picture_periods(picture: Picture) -> list[Picture]:
    """The unit's pictures of the same lineage, newest first (for switching between periods)."""
    return list(
        Picture.objects.filter(board=picture.board, school=picture.school)
        .select_related("framework_version")
        .order_by("-created_at")
    )


def _mapped(picture: Picture, standard_id: int) -> list[int]:
    return [standard_id, *picture.standard_mapping.get(str(standard_id), [])]


def picture_view(picture: Picture, *, as_of: date | None = None, today: date | None = None):
    """The picture by perspective, with per-entry counts of what stands behind it.

    With `as_of` it is the picture as it stood at the end of that day (local time): the entries
    that existed then with their status, judgement and requirements ticked, the own indicators
    as they were named, and the evidence, actions and herstelopdrachten as they stood then (an
    action open then and done now counts as open; evidence counts when it was linked then and
    is expired as of that day; items deleted since count if they existed then). Nothing
    recorded later shows. The page, the inspector's view and the API all read the past through
    this one function, and as of today it equals the live picture: both are built from
    `asof.read` by the same code below, in the same number of queries.
    """
    day = as_of or today or timezone.localdate()
    sources = asof.read(picture, asof.end_of(as_of) if as_of else None)
    entries = sources.entries
    standards = {
        s.pk: s
        for s in Standard.objects.filter(framework_version=picture.framework_version)
        .select_related("area")
        .annotate(n_requirements=Count("requirements"))
    }
    levels = {
        lv.pk: lv
        for lv in ScaleLevel.objects.filter(scale__framework_version=picture.framework_version)
    }
    judges = {
        u.pk: u
        for u in get_user_model().objects.filter(
            pk__in={e.judged_by_id for e in entries if e.judged_by_id}
        )
    }
    ev_std, ev_ind = defaultdict(set), defaultdict(set)
    ev_std_expired = Counter()
    for evidence_id, std_id, ind_id, expires in sources.evidence:
        if std_id is not None:
            ev_std[std_id].add(evidence_id)
            if expires and expires < day:
                ev_std_expired[std_id] += 1
        else:
            ev_ind[ind_id].add(evidence_id)
    act_std = Counter(s for _a, s, _i in sources.open_actions if s is not None)
    act_ind = Counter(i for _a, _s, i in sources.open_actions if i is not None)
    asg_std = Counter(s for _a, s in sources.open_assignments)

    blocks = {p: PerspectiveBlock(p, str(label)) for p, label in Perspective.choices}
    for e in entries:
        level = levels.get(e.status_id)
        judge = judges.get(e.judged_by_id)
        common = {
            "id": e.pk,
            "status_label": level.label if level else "",
            "status_code": level.code if level else "",
            "tone": level.tone if level and level.tone != "neutral" else NOT_JUDGED,
            "judged_at": e.judged_at,
            "judged_by": (judge.name or judge.email) if judge else "",
            "standard_id": e.standard_id,
            "indicator_id": e.indicator_id,
            "entry": e,
        }
        if e.standard_id:
            s = standards.get(e.standard_id)
            if s is None:
                continue
            ids = _mapped(picture, s.pk)
            row = EntryRow(
                code=s.code,
                title=s.name,
                perspective=Perspective.REQUIREMENTS,
                area=s.area.name,
                requirements=s.n_requirements,
                requirements_met=len(e.requirements_met or []),
                evidence=len(ev_std[s.pk]),
                evidence_expired=ev_std_expired[s.pk],
                open_actions=act_std[s.pk],
                open_assignments=sum(asg_std[i] for i in ids),
                evidence_ids=frozenset(ev_std[s.pk]),
                **common,
            )
            row.position = (0, s.position)
        else:
            i = sources.indicators.get(e.indicator_id)
            if i is None:
                continue
            row = EntryRow(
                code=i.code,
                title=i.title,
                perspective=i.perspective,
                area="",
                evidence=len(ev_ind[e.indicator_id]),
                open_actions=act_ind[e.indicator_id],
                evidence_ids=frozenset(ev_ind[e.indicator_id]),
                **common,
            )
            row.position = (1, i.position, i.code)
        blocks[row.perspective].rows.append(row)
    for block in blocks.values():
        block.rows.sort(key=lambda r: r.position)
    return PictureView(picture, as_of, list(blocks.values()))


@dataclass
class EntryDetail:
    entry: Entry
    requirements: list  # (requirement, met)
    evidence: list
    actions: list
    assignments: list
    messages: list
    baseline: Entry | None
    scale_levels: list


def entry_detail(entry: Entry, *, today: date | None = None) -> EntryDetail:
    """Everything behind one entry: requirements ticked, evidence, actions, herstelopdrachten,
    the feedback thread and the previous period's substantiation."""
    picture = entry.picture
    unit = Q(board=picture.board, school=picture.school)
    if entry.standard_id:
        ids = _mapped(picture, entry.standard_id)
        requirements = [
            (r, r.pk in set(entry.requirements_met or []))
            for r in entry.standard.requirements.all()
        ]
        link = Q(standards__in=ids)
        assignments = list(
            Assignment.objects.filter(unit, standard_id__in=ids)
            .select_related("requirement", "visit")
            .prefetch_related("actions")
        )
    else:
        requirements = []
        link = Q(indicators=entry.indicator_id)
        assignments = []
    evidence = list(Evidence.objects.filter(unit & link).distinct().prefetch_related("files"))
    actions = list(
        work.action_model().objects.filter(unit & link).distinct().select_related("owner")
    )
    messages = list(EntryMessage.objects.filter(entry=entry).select_related("author"))
    baseline = None
    if picture.previous_id:
        baseline = (
            Entry.objects.filter(
                picture_id=picture.previous_id,
                standard_id__in=_mapped(picture, entry.standard_id) if entry.standard_id else [],
            ).first()
            if entry.standard_id
            else Entry.objects.filter(
                picture_id=picture.previous_id, indicator_id=entry.indicator_id
            ).first()
        )
    scale = entry_scale(entry)
    levels = list(scale.levels.all()) if scale else []
    return EntryDetail(
        entry, requirements, evidence, actions, assignments, messages, baseline, levels
    )


@dataclass
class TimelineEvent:
    at: datetime
    kind: str
    text: str
    who: str = ""


def entry_timeline(entry: Entry) -> list[TimelineEvent]:
    """What happened to one standard of a unit, newest first, across its periods: judgements,
    substantiation saved, messages, evidence, actions and herstelopdrachten."""
    picture = entry.picture
    lineage = [picture.pk]
    previous = picture.previous_id
    while previous and len(lineage) < 50:
        lineage.append(previous)
        previous = Picture.objects.filter(pk=previous).values_list("previous_id", flat=True).first()
    key = (
        Q(standard_id__in=_mapped(picture, entry.standard_id))
        if entry.standard_id
        else Q(indicator_id=entry.indicator_id)
    )
    records = list(
        Entry.history.filter(key, picture_id__in=lineage)
        .select_related("history_user")
        .order_by("history_date")
    )
    levels = {
        lv.pk: lv.shown_label
        for lv in ScaleLevel.objects.filter(pk__in={r.status_id for r in records if r.status_id})
    }
    periods = dict(Picture.objects.filter(pk__in=lineage).values_list("pk", "period"))
    events: list[TimelineEvent] = []
    previous_state: dict[int, tuple] = {}
    for r in records:
        who = (r.history_user.name or r.history_user.email) if r.history_user else ""
        before = previous_state.get(r.id)
        state = (r.status_id, r.ambitions, r.visible, r.secured, r.accounted)
        if before is None:
            events.append(
                TimelineEvent(r.history_date, "period", periods.get(r.picture_id, ""), who)
            )
        elif before[0] != r.status_id:
            events.append(TimelineEvent(r.history_date, "status", levels.get(r.status_id, ""), who))
        elif before[1:] != state[1:]:
            events.append(TimelineEvent(r.history_date, "substantiation", "", who))
        previous_state[r.id] = state
    unit = Q(board=picture.board, school=picture.school)
    link = (
        Q(standards__in=_mapped(picture, entry.standard_id))
        if entry.standard_id
        else Q(indicators=entry.indicator_id)
    )
    for m in EntryMessage.objects.filter(
        entry__in=Entry.objects.filter(key, picture_id__in=lineage)
    ).select_related("author"):
        who = (m.author.name or m.author.email) if m.author else ""
        events.append(TimelineEvent(m.created_at, m.kind, m.text[:200], who))
    for ev in Evidence.objects.filter(unit & link).distinct():
        events.append(TimelineEvent(ev.created_at, "evidence", ev.title))
    for a in work.action_model().objects.filter(unit & link).distinct():
        events.append(TimelineEvent(a.created_at, "action", a.title))
    if entry.standard_id:
        for asg in Assignment.objects.filter(
            unit, standard_id__in=_mapped(picture, entry.standard_id)
        ):
            events.append(TimelineEvent(asg.created_at, "assignment", asg.text[:200]))
            if asg.follow_up_on and asg.follow_up_outcome:
                events.append(
                    TimelineEvent(
                        asof.end_of(asg.follow_up_on),
                        "follow_up",
                        asg.get_follow_up_outcome_display(),
                    )
                )
    events.sort(key=lambda e: e.at, reverse=True)
    return events


# --- Presentation ---------------------------------------------------------------------------


@dataclass
class Slide:
    number: int
    row: EntryRow
    entry: Entry | None
    requirements: list = field(default_factory=list)  # (requirement, met)


@dataclass
class Presentation:
    picture: Picture
    view: PictureView
    slides: list[Slide]

    @property
    def total(self) -> int:
        return len(self.slides) + 1  # the title slide first


def presentation(picture: Picture) -> Presentation:
    """The picture as slides: one per entry, in the order of the picture, each with the
    requirements ticked. One query for all requirements, whatever the number of standards."""
    view = picture_view(picture)
    requirements = defaultdict(list)
    for r in Requirement.objects.filter(
        standard__framework_version=picture.framework_version
    ).order_by("standard_id", "position", "code"):
        requirements[r.standard_id].append(r)
    slides = []
    for number, row in enumerate(view.rows, start=2):
        entry = row.entry
        met = set(getattr(entry, "requirements_met", None) or [])
        slides.append(
            Slide(
                number=number,
                row=row,
                entry=entry,
                requirements=[(r, r.pk in met) for r in requirements.get(row.standard_id, [])],
            )
        )
    return Presentation(picture, view, slides)
