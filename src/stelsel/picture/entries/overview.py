"""The board's overview: every school the user sees against the standards of its framework,
one table per framework version in use, with each school's *Eisen* figure and its open
herstelopdrachten, and the board's own pictures.

It reads a fixed number of queries, whatever the number of schools or standards, and counts
with the same rules as a school's own pages (`selectors.picture_summaries`, `coverage_summary`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from stelsel.frameworks.models import Standard
from stelsel.picture.access import pictures_for_user
from stelsel.picture.coverage import CoverageSummary, coverage_rows, coverage_summary
from stelsel.picture.entries.selectors import counted_tone, picture_summaries
from stelsel.picture.models import Assignment, Entry, PictureState
from stelsel.picture.rollups import REQUIREMENTS, PerspectiveSummary


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
        pictures_for_user(user, board)
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
