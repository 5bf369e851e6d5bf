"""The national school holidays per holiday region, from the versioned library file beside this
module (library/schoolvakanties.yaml), and the school weeks they leave.

The dates are the same for every board, are published by the ministry a few years ahead and
change only with a new version of the file, so they are read from the file (validated like the
other libraries: every problem with its line) and kept in memory; no query is needed to know
whether a day is a holiday. A school year that is not in the file has no known holidays: a
meeting then stays where its rhythm puts it, and the pages say the dates are missing.
"""

import bisect
import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from stelsel.lib.yamlfiles import DataFileError, Loc, parse_yaml, read_text

LIBRARY_FILE = Path(__file__).resolve().parent / "library" / "schoolvakanties.yaml"
SCHOOL_YEAR_STARTS = 8  # a school year runs from August; its summer holiday ends by September
LATEST_END_MONTH = 9
SATURDAY, SUNDAY = 6, 7
MAX_MOVES = 8  # more weeks than the longest holiday (the six-week zomervakantie) plus margin


class Region(models.TextChoices):
    """The three holiday regions of the Netherlands (regio-indeling schoolvakanties)."""

    NOORD = "noord", _("North")
    MIDDEN = "midden", _("Middle")
    ZUID = "zuid", _("South")


class Kind(models.TextChoices):
    """The five national school holidays, in the order of the school year."""

    HERFST = "herfstvakantie", _("autumn holiday")
    KERST = "kerstvakantie", _("Christmas holiday")
    VOORJAAR = "voorjaarsvakantie", _("spring holiday")
    MEI = "meivakantie", _("May holiday")
    ZOMER = "zomervakantie", _("summer holiday")


KIND_ORDER = list(Kind.values)


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PeriodSpec(_Spec):
    start: dt.date
    end: dt.date


class RegionsSpec(_Spec):
    noord: PeriodSpec
    midden: PeriodSpec
    zuid: PeriodSpec


class HolidaySpec(_Spec):
    kind: str = Field(pattern=r"^(herfst|kerst|voorjaars|mei|zomer)vakantie$")
    advisory: bool = False
    national: PeriodSpec | None = None
    regions: RegionsSpec | None = None


class SchoolYearSpec(_Spec):
    school_year: str = Field(pattern=r"^[0-9]{4}-[0-9]{4}$")
    source: str = Field(min_length=1, max_length=300)
    holidays: list[HolidaySpec]


class HolidayFileSpec(_Spec):
    id: str = Field(pattern=r"^[a-z0-9-]{3,80}$")
    version: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=200)
    source: str = Field(min_length=1, max_length=300)
    school_years: list[SchoolYearSpec] = Field(min_length=1)

    def content_hash(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


class HolidayFileError(DataFileError):
    pass


def _periods(holiday: HolidaySpec) -> dict[str, PeriodSpec]:
    if holiday.national is not None:
        return dict.fromkeys(Region.values, holiday.national)
    if holiday.regions is not None:
        return {region: getattr(holiday.regions, region) for region in Region.values}
    return {}


def _integrity(spec: HolidayFileSpec) -> list[tuple[Loc, str]]:
    """Complete, ordered, plausible: every school year has the five holidays for all three
    regions, each from a Saturday to a Sunday within its school year, in the order of the year
    and without overlaps; the school years in order, each once. A school year may be missing
    (one not yet published, or not verified): its dates are then unknown, and the calendar says
    so rather than guess."""
    problems: list[tuple[Loc, str]] = []
    previous_year = None
    last_end: dict[str, dt.date] = {}
    for y, year in enumerate(spec.school_years):
        here: Loc = ("school_years", y)
        first, second = (int(part) for part in year.school_year.split("-"))
        if second != first + 1:
            problems.append(((*here, "school_year"), "a school year is two following years"))
            continue
        if previous_year is not None and first <= previous_year:
            problems.append(
                ((*here, "school_year"), "school years must be in order, each year once")
            )
        previous_year = first
        kinds = [holiday.kind for holiday in year.holidays]
        if sorted(kinds, key=KIND_ORDER.index) != KIND_ORDER:
            problems.append(
                (
                    (*here, "holidays"),
                    "give each of the five holidays once, in the order of the school year: "
                    + ", ".join(KIND_ORDER),
                )
            )
            continue
        opens = dt.date(first, SCHOOL_YEAR_STARTS, 1)
        closes = dt.date(second, LATEST_END_MONTH, 30)
        for h, holiday in enumerate(year.holidays):
            spot: Loc = (*here, "holidays", h)
            if (holiday.national is None) == (holiday.regions is None):
                problems.append(
                    (spot, "give either `national` (one period) or `regions` (noord, midden, zuid)")
                )
                continue
            for region, period in _periods(holiday).items():
                where: Loc = (*spot, "national" if holiday.national else "regions")
                if holiday.regions is not None:
                    where = (*where, region)
                if period.end < period.start:
                    problems.append((where, "the end is before the start"))
                    continue
                if period.start.isoweekday() != SATURDAY or period.end.isoweekday() != SUNDAY:
                    problems.append((where, "a holiday runs from a Saturday to a Sunday"))
                if not (opens <= period.start and period.end <= closes):
                    problems.append(
                        (where, f"outside the school year {year.school_year}: {opens}–{closes}")
                    )
                if region in last_end and period.start <= last_end[region]:
                    problems.append(
                        (where, f"overlaps or precedes the previous holiday of region {region}")
                    )
                last_end[region] = max(period.end, last_end.get(region, period.end))
    return problems


def parse_holiday_file(path: Path) -> HolidayFileSpec:
    return parse_yaml(
        read_text(path, error=HolidayFileError),
        model=HolidayFileSpec,
        integrity=_integrity,
        file=str(path),
        error=HolidayFileError,
    )


@dataclass(frozen=True)
class Holiday:
    kind: str
    school_year: str
    region: str
    start: dt.date
    end: dt.date
    advisory: bool

    @property
    def name(self) -> str:
        return str(Kind(self.kind).label)

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class HolidayCalendar:
    """The holidays of a file, by region, for quick lookups of a day or a span."""

    def __init__(self, spec: HolidayFileSpec):
        self.version = spec.version
        self.source = spec.source
        self.school_years = [year.school_year for year in spec.school_years]
        self._by_region: dict[str, list[Holiday]] = {region: [] for region in Region.values}
        for year in spec.school_years:
            for holiday in year.holidays:
                for region, period in _periods(holiday).items():
                    self._by_region[region].append(
                        Holiday(
                            holiday.kind,
                            year.school_year,
                            region,
                            period.start,
                            period.end,
                            holiday.advisory,
                        )
                    )
        self._starts = {
            region: [holiday.start for holiday in holidays]
            for region, holidays in self._by_region.items()
        }

    def on(self, region: str | None, day: dt.date) -> Holiday | None:
        """The holiday of `region` that `day` falls in, if any."""
        if region not in self._by_region:
            return None
        index = bisect.bisect_right(self._starts[region], day) - 1
        if index >= 0 and day in self._by_region[region][index]:
            return self._by_region[region][index]
        return None

    def between(self, region: str | None, start: dt.date, end: dt.date) -> list[Holiday]:
        """The holidays of `region` that overlap [start, end]."""
        return [
            holiday
            for holiday in self._by_region.get(region, [])
            if holiday.start <= end and holiday.end >= start
        ]

    def covers(self, day: dt.date) -> bool:
        """Whether the file holds the school year `day` belongs to."""
        return school_year_of(day) in self.school_years

    def school_week(self, region: str | None, day: dt.date) -> tuple[dt.date, Holiday | None]:
        """`day`, or when it falls in a holiday of `region` the same weekday of the first
        school week after it; with the holiday it was moved out of."""
        holiday = self.on(region, day)
        if holiday is None:
            return day, None
        moved = day
        for _step in range(MAX_MOVES):
            moved += dt.timedelta(days=7)
            if self.on(region, moved) is None:
                return moved, holiday
        return day, holiday  # never reached with real holidays of at most six weeks


def school_year_of(day: dt.date) -> str:
    first = day.year if day.month >= SCHOOL_YEAR_STARTS else day.year - 1
    return f"{first}-{first + 1}"


@functools.cache
def holiday_calendar() -> HolidayCalendar:
    """The shipped holidays, read and validated once per process."""
    return HolidayCalendar(parse_holiday_file(LIBRARY_FILE))
