"""Reads of the quality picture: one unit's picture (now or on an earlier date), one entry with
everything behind it, its timeline, and the board's overview of all schools.

Every function reads a fixed number of queries, whatever the number of schools, standards or
records: rows are fetched in bulk and joined in Python through dictionaries.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from stelsel.frameworks.models import ScaleLevel, Standard
from stelsel.organisations import access
from stelsel.picture import asof
from stelsel.picture.coverage import CoverageSummary, coverage_rows, coverage_summary
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
    StatusSummary,
    summarise,
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


def current_pictures(user, board, school) -> list[Picture]:
    """The unit's current pictures (normally one), reached through the access module."""
    return list(
        access.pictures_for_user(user, board)
        .filter(school=school, state=PictureState.CURRENT)
        .select_related("framework_version")
    )


def unit_coverage(user, board, school) -> CoverageSummary:
    """How many of a unit's opdrachten are open and how many of those are covered, counted as
    the coverage view counts them (`coverage_summary`), for the school's home page."""
    assignments = access.assignments_for_user(user, board).filter(school=school)
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
    from stelsel.picture.services import entry_scale
    from stelsel.planning.models import Action

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
    actions = list(Action.objects.filter(unit & link).distinct().select_related("owner"))
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
    from stelsel.planning.models import Action

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
        lv.pk: lv.label
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
    for a in Action.objects.filter(unit & link).distinct():
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


# --- Board overview ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRef:
    """The id and name of a school, picture or framework version, enough to name and link it."""

    pk: int
    name: str


@dataclass(frozen=True)
class StandardRef:
    """A column of the heat map: a standard of the framework, or (`own`) one of the board's
    own requirements, an own indicator in *Eisen* that counts beside the standards."""

    pk: int
    code: str
    name: str
    own: bool = False


@dataclass(slots=True)
class OverviewCell:
    entry_id: int | None
    tone: str | None
    label: str
    open_assignments: int


@dataclass
class OverviewRow:
    school: UnitRef
    picture: UnitRef
    cells: list[OverviewCell]
    summary: PerspectiveSummary  # the *Eisen* figure: standards and own requirements
    open_assignments: int
    last_judged: datetime | None
    coverage: CoverageSummary | None = None


@dataclass
class OverviewTable:
    version: "UnitRef"
    standards: list["StandardRef"]
    rows: list[OverviewRow]
    summary: PerspectiveSummary
    own: list["StandardRef"] = field(default_factory=list)

    @property
    def columns(self) -> list["StandardRef"]:
        """The standards, then the board's own requirements: one cell each in every row."""
        return self.standards + self.own

    @property
    def column_summaries(self) -> list[StatusSummary]:
        return [
            summarise(row.cells[i].tone for row in self.rows if row.cells[i].entry_id)
            for i in range(len(self.columns))
        ]


@dataclass
class OverviewFilters:
    version_id: int | None = None
    query: str = ""
    kind: str = ""
    status: str = ""  # "not_in_order" / "not_judged" / "in_order"
    with_assignments: bool = False


@dataclass
class Overview:
    tables: list[OverviewTable]
    # The board's own current pictures: (picture id, version, its *Eisen* figure).
    own: list[tuple[int, UnitRef, PerspectiveSummary]]
    versions: list[UnitRef]  # every version a visible school is pictured on


def _matches(filters: OverviewFilters, name: str, code: str, city: str, kind: str) -> bool:
    if filters.kind and kind != filters.kind:
        return False
    if filters.query:
        needle = filters.query.casefold()
        return any(needle in (value or "").casefold() for value in (name, code, city))
    return True


def board_overview(user, board, filters: OverviewFilters | None = None) -> Overview:
    """All schools × standards the user may see, one table per framework version in use, and
    the board's own pictures. The filters are applied in Python on one read of the pictures,
    so the number of queries is the same with and without them.

    A school's figure is its *Eisen* summary from `picture_summaries`, as on its own pages:
    the framework's standards and the board's own requirements, each of which has a column.
    Its open herstelopdrachten and how many of them are covered come from `coverage_summary`.
    """
    filters = filters or OverviewFilters()
    # Plain values, not model instances: a board of sixty schools otherwise spends most of this
    # function building and converting objects it reads one or two fields of.
    rows = list(
        access.pictures_for_user(user, board)
        .filter(state=PictureState.CURRENT)
        .order_by("school__name")
        .values_list(
            "pk",
            "school_id",
            "school__name",
            "framework_version_id",
            "standard_mapping",
            "school__vestigingscode",
            "school__city",
            "school__kind",
            "last_judged_at",
        )
    )
    # The versions come with their standards, as plain values (one query for both).
    standards_by_version = defaultdict(list)
    versions = {}
    for pk, code, name, version_id, version_name in (
        Standard.objects.filter(framework_version_id__in={r[3] for r in rows})
        .order_by("position")
        .values_list("pk", "code", "name", "framework_version_id", "framework_version__name")
    ):
        versions.setdefault(version_id, UnitRef(version_id, version_name))
        standards_by_version[version_id].append(StandardRef(pk, code, name))
    school_versions = sorted({versions[r[3]] for r in rows if r[1]}, key=lambda v: v.name)
    last_judged = {r[0]: r[8] for r in rows}
    pictures = [
        r[:5]
        for r in rows
        if r[1] is not None
        and (not filters.version_id or r[3] == filters.version_id)
        and _matches(filters, r[2], r[5], r[6], r[7])
    ]
    own_pictures = [r for r in rows if r[1] is None]
    summaries = picture_summaries({r[0]: r[3] for r in [*pictures, *own_pictures]})
    own = [(r[0], versions[r[3]], summaries[r[0]].requirements) for r in own_pictures]
    picture_versions = {p[0]: p[3] for p in pictures}
    entries = defaultdict(dict)
    own_entries = defaultdict(dict)
    own_columns: dict[int, dict[int, tuple]] = defaultdict(dict)
    # Each standard and own requirement with its status's tone and label, in one query; the
    # tone as `picture_summaries` counts it, so the cells add up to the school's figure.
    for pk, picture_id, standard_id, indicator_id, code, title, position, tone, label, level in (
        Entry.objects.filter(picture__in=list(picture_versions))
        .filter(Q(standard__isnull=False) | Q(indicator__perspective=REQUIREMENTS))
        .order_by()
        .values_list(
            "pk",
            "picture_id",
            "standard_id",
            "indicator_id",
            "indicator__code",
            "indicator__title",
            "indicator__position",
            "status__tone",
            "status__label",
            "status__scale__framework_version_id",
        )
    ):
        version_id = picture_versions[picture_id]
        tone = counted_tone(tone, level, version_id)
        label = (label or "") if level == version_id else ""
        if indicator_id is None:
            entries[picture_id][standard_id] = (pk, tone, label)
        else:
            own_entries[picture_id][indicator_id] = (pk, tone, label)
            own_columns[version_id][indicator_id] = (position, code, title)
    own_by_version = {
        version_id: [
            StandardRef(pk, code, title, own=True)
            for pk, (_position, code, title) in sorted(
                columns.items(), key=lambda item: (item[1][0], item[1][1])
            )
        ]
        for version_id, columns in own_columns.items()
    }
    # Herstelopdrachten with their covering actions, two queries for all schools.
    coverage_by_school = defaultdict(list)
    for item in coverage_rows(
        Assignment.objects.filter(board=board, school__in=[p[1] for p in pictures]),
        timezone.localdate(),
    ):
        coverage_by_school[item.assignment.school_id].append(item)
    missing = (None, None, "")
    tables: dict[int, OverviewTable] = {}
    standard_ids = {v: [s.pk for s in stds] for v, stds in standards_by_version.items()}
    for picture_id, school_id, school_name, version_id, mapping in pictures:
        standards = standards_by_version[version_id]
        own_refs = own_by_version.get(version_id, [])
        picture_entries = entries[picture_id]
        # The opdrachten on this version's standards, or on those they were mapped from.
        mapped: dict[int, set] = defaultdict(set)
        for new, olds in mapping.items():
            for old in olds:
                mapped[int(old)].add(int(new))
        on_standard: dict[int, list] = defaultdict(list)
        for item in coverage_by_school.get(school_id, ()):
            standard_id = item.assignment.standard_id
            for column in {standard_id, *mapped.get(standard_id, ())}:
                on_standard[column].append(item)
        relevant = {
            item.assignment.pk: item
            for standard_id in standard_ids[version_id]
            for item in on_standard.get(standard_id, ())
        }
        coverage = coverage_summary(relevant.values())
        cells = []
        for standard_id in standard_ids[version_id]:
            pk, tone, label = picture_entries.get(standard_id, missing)
            n = sum(1 for item in on_standard.get(standard_id, ()) if not item.coverage.resolved)
            cells.append(OverviewCell(pk, tone, label, n))
        for ref in own_refs:
            pk, tone, label = own_entries[picture_id].get(ref.pk, missing)
            cells.append(OverviewCell(pk, tone, label, 0))
        summary = summaries[picture_id].requirements
        if filters.status == "not_in_order" and not summary.not_in_order:
            continue
        if filters.status == "not_judged" and not summary.not_judged:
            continue
        if filters.status == "in_order" and summary.in_order != summary.total:
            continue
        if filters.with_assignments and not coverage.open:
            continue
        row = OverviewRow(
            UnitRef(school_id, school_name),
            UnitRef(picture_id, ""),
            cells,
            summary,
            coverage.open,
            last_judged.get(picture_id),
            coverage,
        )
        table = tables.setdefault(
            version_id,
            OverviewTable(
                versions[version_id], standards, [], PerspectiveSummary(REQUIREMENTS), own_refs
            ),
        )
        table.rows.append(row)
    for table in tables.values():
        for row in table.rows:
            table.summary += row.summary
    return Overview(sorted(tables.values(), key=lambda t: t.version.name), own, school_versions)
