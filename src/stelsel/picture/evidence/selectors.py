"""Reads of evidence: the list of a board's evidence with its latest file and what it is
linked to, and one piece of evidence with all its versions.

Lists read a fixed number of queries however long they are: counts come from subqueries, the
latest file and the linked standards from one prefetch each.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from stelsel.frameworks.models import Standard
from stelsel.lib.ids import MAX_ID
from stelsel.organisations.access import has_unit_permission, schools_for_user
from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import Permission
from stelsel.picture.access import evidence_for_user, pictures_for_user
from stelsel.picture.evidence.files import type_label
from stelsel.picture.models import Evidence, EvidenceFile, Indicator, PictureState

ALL_UNITS = object()  # no filter on the unit; `None` means the board itself


def _count(model, field: str):
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _latest_files():
    """Only each evidence's newest version, for the lists."""
    newest = (
        EvidenceFile.objects.filter(evidence=OuterRef("evidence")).order_by("-version").values("pk")
    )
    return EvidenceFile.objects.filter(pk=Subquery(newest[:1]))


def with_list_data(queryset):
    """Evidence with what a list shows: unit, round, newest file, linked standards and
    indicators, and the counts of versions and links."""
    through_standards = Evidence.standards.through
    through_indicators = Evidence.indicators.through
    return (
        queryset.select_related("school", "round")
        .annotate(
            version_count=_count(EvidenceFile, "evidence"),
            standard_count=_count(through_standards, "evidence"),
            indicator_count=_count(through_indicators, "evidence"),
        )
        .prefetch_related(
            Prefetch("files", queryset=_latest_files(), to_attr="latest_files"),
            Prefetch(
                "standards",
                queryset=Standard.objects.select_related("framework_version").order_by(
                    "framework_version_id", "position"
                ),
            ),
            Prefetch("indicators", queryset=Indicator.objects.order_by("code")),
        )
    )


def _decorate(rows: list[Evidence], today: date) -> list[Evidence]:
    for row in rows:
        row.latest_file = row.latest_files[0] if row.latest_files else None
        row.expired = row.is_expired(today)
        row.link_count = row.standard_count + row.indicator_count
    return rows


def evidence_list(
    user,
    board: Board,
    *,
    unit=ALL_UNITS,
    standard: Standard | int | None = None,
    indicator: Indicator | int | None = None,
    expired: bool | None = None,
    today: date | None = None,
) -> list[Evidence]:
    """The evidence the user may see, narrowed to one unit (a School, or None for the board
    itself), one standard or indicator (the object or its id), and expired or still valid
    evidence. The evidence page and the API list it through here, so a filter means the same
    in both."""
    today = today or timezone.localdate()
    queryset = evidence_for_user(user, board)
    if unit is None:
        queryset = queryset.filter(school__isnull=True)
    elif unit is not ALL_UNITS:
        queryset = queryset.filter(school=unit)
    if standard is not None:
        queryset = queryset.filter(standards=standard)
    if indicator is not None:
        queryset = queryset.filter(indicators=indicator)
    if expired is True:
        queryset = queryset.filter(expires_on__lt=today)
    elif expired is False:
        queryset = queryset.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    return _decorate(list(with_list_data(queryset)), today)


@dataclass
class EvidenceDetail:
    evidence: Evidence
    files: list[EvidenceFile]
    standards: list[Standard]
    indicators: list[Indicator]
    expired: bool


def evidence_detail(evidence: Evidence, *, today: date | None = None) -> EvidenceDetail:
    """One piece of evidence (reached through access.py) with every version, newest first."""
    files = list(evidence.files.select_related("uploaded_by").order_by("-version"))
    for record in files:
        record.type_label = type_label(record.content_type)
    return EvidenceDetail(
        evidence=evidence,
        files=files,
        standards=list(
            evidence.standards.select_related("framework_version__framework").order_by(
                "framework_version_id", "position"
            )
        ),
        indicators=list(evidence.indicators.order_by("perspective", "position", "code")),
        expired=evidence.is_expired(today),
    )


def current_standards(user, board: Board, unit=ALL_UNITS):
    """Standards of the current pictures the user sees, of one unit or of all of them: what a
    form offers to link and what the list can be filtered on."""
    pictures = pictures_for_user(user, board).filter(state=PictureState.CURRENT)
    if unit is None:
        pictures = pictures.filter(school__isnull=True)
    elif unit is not ALL_UNITS:
        pictures = pictures.filter(school=unit)
    return (
        Standard.objects.filter(framework_version__in=pictures.values("framework_version"))
        .select_related("framework_version")
        .order_by("framework_version__name", "framework_version_id", "position")
    )


def contributable_units(user, board: Board) -> list[School | None]:
    """The units the user may add evidence to: None (the board itself) first if allowed."""
    units: list[School | None] = []
    if has_unit_permission(user, board, Permission.CONTRIBUTE_PICTURE, None):
        units.append(None)
    units += [
        school
        for school in schools_for_user(user, board).order_by("name")
        if has_unit_permission(user, board, Permission.CONTRIBUTE_PICTURE, school)
    ]
    return units


def file_of(evidence: Evidence, file_id: int) -> EvidenceFile | None:
    """One version of evidence that was itself reached through access.py."""
    if not 0 < file_id <= MAX_ID:
        return None
    return (
        EvidenceFile.objects.filter(board_id=evidence.board_id, evidence=evidence, pk=file_id)
        .select_related("uploaded_by")
        .first()
    )
