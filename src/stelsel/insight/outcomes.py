"""Primary results per OVT and indicator, as Stelsel computes them from what it holds.

One function reads everything in a fixed number of queries and computes in memory, so the
country (6,205 OVTs) and one board go through the same code: `signals --json`, the signals and
the cockpit all show the figures this module returns.

The period of an OVT is the newest three years with the inspectorate's figures (or, before the
inspectorate published anything, the school's own). The schoolweging applied is the stored
3-year value of the inspectorate's schoolweging file, else the results file's own column, else
the clipped mean of the stored yearly values.
"""

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal

from stelsel.insight import po_model
from stelsel.insight.library import po_norms_by_period
from stelsel.insight.models import (
    Ovt,
    PoResult,
    PublishedOutcome,
    ResultSource,
    Schoolweging,
    board_ovts,
)


@dataclass
class OvtOutcome:
    ovt: str
    ovt_id: int
    board_id: int | None
    board_number: str | None
    school_id: int | None
    indicator: str
    first_year: int
    last_year: int
    percentage: Decimal | None
    pupils: int | None
    schoolweging: Decimal | None
    band: str | None
    norm: Decimal | None
    outcome: str
    published_outcome: str | None
    source: str  # "computed" or "published"
    years: list[po_model.Year] = field(default_factory=list)
    own_years: set[int] = field(default_factory=set)  # years that are the school's own figures

    @property
    def period(self) -> str:
        return f"{self.first_year}-{self.last_year}"


@dataclass
class OvtData:
    """What Stelsel holds about one OVT, for the computations of outcomes and signals."""

    id: int
    code: str
    board_id: int | None
    board_number: str | None
    school_id: int | None
    years: dict[int, po_model.Year] = field(default_factory=dict)
    own_years: set[int] = field(default_factory=set)
    inspectorate_years: set[int] = field(default_factory=set)
    published: dict[tuple[int, str], tuple] = field(default_factory=dict)
    schoolweging: dict[tuple[int, int], Decimal | None] = field(default_factory=dict)

    def applied_schoolweging(self, last_year: int) -> Decimal | None:
        """The inspectorate's 3-year value where it published one (even an empty one), else
        the results file's, else the clipped mean of the stored yearly values."""
        key = (last_year - 3, last_year - 1)
        if key in self.schoolweging:
            return self.schoolweging[key]
        published = [self.published.get((last_year, i)) for i in po_model.INDICATORS]
        if any(published):
            return next((p[2] for p in published if p and p[2] is not None), None)
        return po_model.schoolweging_applied(
            [self.schoolweging.get((y, y)) for y in range(last_year - 3, last_year)]
        )

    def window(self, last_year: int) -> list[po_model.Year]:
        return [self.years.get(y, po_model.Year(y)) for y in range(last_year - 2, last_year + 1)]


def ovt_data(*, board=None, school_ids=None) -> list[OvtData]:
    """Everything about the OVTs of a board (or of some schools, or the country) in 4 queries."""
    ovts = Ovt.objects.all() if board is None else board_ovts(board)
    if school_ids is not None:
        ovts = ovts.filter(school_id__in=school_ids, linked_at__isnull=False)
    rows = list(
        ovts.order_by("code").values_list(
            "pk", "code", "board_id", "board__number", "board_number", "school_id"
        )
    )
    found = {
        pk: OvtData(pk, code, b, stelsel or bgnr or None, s)
        for pk, code, b, stelsel, bgnr, s in rows
    }
    scope = ovts.values("pk")
    everything = board is None and school_ids is None
    results = PoResult.objects.all() if everything else PoResult.objects.filter(ovt__in=scope)
    own: dict[tuple[int, int], po_model.Year] = {}
    for ovt_id, year, source, pupils, fundamental, target, masked in results.values_list(
        "ovt_id", "year", "source", "pupils", "fundamental", "target", "masked"
    ):
        data = found.get(ovt_id)
        if data is None:
            continue
        value = po_model.Year(year, pupils, fundamental, target, masked)
        if source == ResultSource.INSPECTORATE:
            data.years[year] = value
            data.inspectorate_years.add(year)
        else:
            own[(ovt_id, year)] = value
    for (ovt_id, year), value in own.items():
        data = found[ovt_id]
        if year not in data.inspectorate_years:
            data.years[year] = value
            data.own_years.add(year)
    published = (
        PublishedOutcome.objects.all()
        if everything
        else PublishedOutcome.objects.filter(ovt__in=scope)
    )
    for ovt_id, last_year, indicator, *values in published.values_list(
        "ovt_id",
        "last_year",
        "indicator",
        "percentage",
        "pupils",
        "schoolweging",
        "norm",
        "outcome",
    ):
        if ovt_id in found:
            found[ovt_id].published[(last_year, indicator)] = tuple(values)
    weging = (
        Schoolweging.objects.all() if everything else Schoolweging.objects.filter(ovt__in=scope)
    )
    for ovt_id, first, last, value in weging.values_list(
        "ovt_id", "first_year", "last_year", "value"
    ):
        if ovt_id in found:
            found[ovt_id].schoolweging[(first, last)] = value
    return list(found.values())


def official_last_year(data: OvtData) -> int | None:
    """The newest period with the inspectorate's figures, else with the school's own."""
    published = {year for year, _indicator in data.published}
    inspectorate = published | data.inspectorate_years
    if inspectorate:
        return max(inspectorate)
    return max(data.years) if data.years else None


def _file_norms(data: OvtData, last_year: int) -> po_model.Norms | None:
    fundamental = data.published.get((last_year, "1F"))
    target = data.published.get((last_year, "1S/2F"))
    if not fundamental and not target:
        return None
    bands: tuple = ()
    schoolweging = data.applied_schoolweging(last_year)
    if target and target[3] is not None and schoolweging is not None:
        low = min(Decimal(39), max(Decimal(20), schoolweging)).to_integral_value(
            rounding="ROUND_FLOOR"
        )
        bands = ((low, low + 1, target[3]),)
    return po_model.Norms(
        fundamental=(fundamental[3] if fundamental and fundamental[3] is not None else Decimal(85)),
        bands=bands,
    )


def outcomes_for(
    data: OvtData, last_year: int, norms_by_period: dict[int, po_model.Norms]
) -> list[OvtOutcome]:
    norms = norms_by_period.get(last_year) or _file_norms(data, last_year)
    years = data.window(last_year)
    schoolweging = data.applied_schoolweging(last_year)
    out = []
    for indicator in po_model.INDICATORS:
        published = data.published.get((last_year, indicator))
        if norms is None:
            result = po_model.Result(
                indicator, None, None, schoolweging, None, None, po_model.INSUFFICIENT_DATA
            )
        else:
            result = po_model.indicator_result(indicator, years, schoolweging, norms)
        source = "computed"
        percentage, pupils, outcome, norm = (
            result.percentage,
            result.pupils,
            result.outcome,
            result.norm,
        )
        if result.masked and published:
            source = "published"
            percentage, pupils, norm = published[0], published[1], published[3]
            outcome = published[4] or po_model.INSUFFICIENT_DATA
        out.append(
            OvtOutcome(
                ovt=data.code,
                ovt_id=data.id,
                board_id=data.board_id,
                board_number=data.board_number,
                school_id=data.school_id,
                indicator=indicator,
                first_year=last_year - 2,
                last_year=last_year,
                percentage=percentage,
                pupils=pupils,
                schoolweging=schoolweging,
                band=result.band,
                norm=norm,
                outcome=outcome,
                published_outcome=(published[4] or None) if published else None,
                source=source,
                years=years,
                own_years={y for y in data.own_years if last_year - 2 <= y <= last_year},
            )
        )
    return out


def coming_schoolweging(data: OvtData, last_year: int) -> tuple[Decimal | None, bool]:
    """The schoolweging for the window ending `last_year`, and whether it is an estimate.

    Exact where the inspectorate's 3-year value is stored or all three yearly values are;
    otherwise the mean of the yearly values known, else the newest period's value before it."""
    key = (last_year - 3, last_year - 1)
    if key in data.schoolweging:
        return data.schoolweging[key], False
    if any(data.published.get((last_year, i)) for i in po_model.INDICATORS):
        return data.applied_schoolweging(last_year), False
    yearly = [data.schoolweging.get((y, y)) for y in range(last_year - 3, last_year)]
    if all(v is not None for v in yearly):
        return po_model.schoolweging_applied(yearly), False
    if any(v is not None for v in yearly):
        return po_model.schoolweging_applied(yearly), True
    for earlier in range(last_year - 1, last_year - 4, -1):
        value = data.applied_schoolweging(earlier)
        if value is not None:
            return value, True
    return None, True


def with_schoolweging(data: OvtData, last_year: int, value: Decimal | None) -> OvtData:
    """A copy of `data` whose schoolweging for the window ending `last_year` is `value`, so
    `outcomes_for` computes the coming window exactly as it computes the official one."""
    schoolweging = dict(data.schoolweging)
    schoolweging[(last_year - 3, last_year - 1)] = value
    return dataclasses.replace(data, schoolweging=schoolweging)


def norms_for_period(last_year: int, norms: dict) -> tuple[po_model.Norms | None, bool]:
    """The library's norms for the period ending `last_year`, else its newest (provisional)."""
    if last_year in norms:
        return norms[last_year], False
    if not norms:
        return None, True
    return norms[max(norms)], True


def po_outcomes(*, board=None, school_ids=None) -> list[OvtOutcome]:
    """The official period's outcome of every OVT in scope, per indicator, ordered by OVT."""
    norms = po_norms_by_period()
    out: list[OvtOutcome] = []
    for data in ovt_data(board=board, school_ids=school_ids):
        last_year = official_last_year(data)
        if last_year is not None:
            out.extend(outcomes_for(data, last_year, norms))
    return out
