"""Reading the board's own measured indicators: the latest value per unit, its trend and how it
stands against the indicator's own norm and target.

The overview page, the indicator's page, the API and the goals that point at an indicator all
read here, in a fixed number of queries whatever the number of schools, indicators or
measurements. The standing follows the rule of the own-indicator signal (`signals`): worse than
the norm first, then short of the target.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stelsel.insight.access import measurements_for_user
from stelsel.insight.measurements import fits_unit, measured_indicators
from stelsel.insight.models import Measurement
from stelsel.organisations.access import has_unit_permission, require, schools_for_user
from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import Permission
from stelsel.organisations.units import unit_value
from stelsel.picture.models import Direction, Indicator, IndicatorLevel
from stelsel.planning.measures import MeasuredValue

TREND_LENGTH = 3


class Standing:
    WORSE_THAN_NORM = "worse_than_norm"
    SHORT_OF_TARGET = "short_of_target"
    TARGET_REACHED = "target_reached"
    MEETS_NORM = "meets_norm"


STANDING_LABELS = {
    Standing.WORSE_THAN_NORM: _("Worse than the norm"),
    Standing.SHORT_OF_TARGET: _("Short of the target"),
    Standing.TARGET_REACHED: _("Target reached"),
    Standing.MEETS_NORM: _("Meets the norm"),
}
STANDING_TONES = {
    Standing.WORSE_THAN_NORM: "negative",
    Standing.SHORT_OF_TARGET: "warn",
    Standing.TARGET_REACHED: "positive",
    Standing.MEETS_NORM: "positive",
}


class Trend:
    IMPROVING = "improving"
    WORSENING = "worsening"
    LEVEL = "level"
    MIXED = "mixed"


TREND_LABELS = {
    Trend.IMPROVING: _("improving"),
    Trend.WORSENING: _("worsening"),
    Trend.LEVEL: _("level"),
    Trend.MIXED: _("no clear direction"),
}


def _worse(indicator: Indicator, value: Decimal, limit: Decimal) -> bool:
    return value < limit if indicator.direction == Direction.HIGHER else value > limit


def standing(indicator: Indicator, value: Decimal | None) -> str | None:
    """How a value stands against the indicator's norm and target; None without either."""
    if value is None:
        return None
    if indicator.norm is not None and _worse(indicator, value, indicator.norm):
        return Standing.WORSE_THAN_NORM
    if indicator.target is not None:
        if _worse(indicator, value, indicator.target):
            return Standing.SHORT_OF_TARGET
        return Standing.TARGET_REACHED
    return Standing.MEETS_NORM if indicator.norm is not None else None


def trend(indicator: Indicator, values: list[Decimal]) -> str | None:
    """The direction of the last measurements (oldest first), with the indicator's better way."""
    if len(values) < 2:
        return None
    steps = [b - a for a, b in zip(values, values[1:], strict=False)]
    if all(s == 0 for s in steps):
        return Trend.LEVEL
    sign = 1 if indicator.direction == Direction.HIGHER else -1
    if all(s * sign >= 0 for s in steps):
        return Trend.IMPROVING
    if all(s * sign <= 0 for s in steps):
        return Trend.WORSENING
    return Trend.MIXED


@dataclass
class UnitRow:
    """One unit (a school, or the board itself) of an indicator, with its recent values."""

    school: School | None
    name: str
    recent: list[Measurement]  # oldest first, at most TREND_LENGTH
    can_enter: bool

    @property
    def latest(self) -> Measurement | None:
        return self.recent[-1] if self.recent else None

    @property
    def unit_value(self) -> str:
        return unit_value(self.school)


@dataclass
class IndicatorBlock:
    indicator: Indicator
    rows: list[UnitRow] = field(default_factory=list)

    def standing_of(self, row: UnitRow) -> str | None:
        return standing(self.indicator, row.latest.value if row.latest else None)

    def lines(self):
        """Each row with its standing and trend, for the page and the API."""
        for row in self.rows:
            found = self.standing_of(row)
            direction = trend(self.indicator, [m.value for m in row.recent])
            yield {
                "row": row,
                "standing": found,
                "standing_label": STANDING_LABELS.get(found, ""),
                "tone": STANDING_TONES.get(found, ""),
                "trend": direction,
                "trend_label": TREND_LABELS.get(direction, ""),
            }

    @property
    def flagged(self) -> int:
        return sum(
            1
            for row in self.rows
            if self.standing_of(row) in (Standing.WORSE_THAN_NORM, Standing.SHORT_OF_TARGET)
        )


@dataclass
class Overview:
    blocks: list[IndicatorBlock]
    unmeasured: int  # own indicators in use without a unit
    sees_board: bool


def _units(indicator: Indicator, schools: list[School], sees_board: bool):
    units: list[School | None] = []
    if sees_board and fits_unit(indicator, None):
        units.append(None)
    if indicator.level != IndicatorLevel.BOARD:
        units.extend(schools)
    return units


def _recent(measurements) -> dict[tuple[int, int | None], list[Measurement]]:
    found: dict[tuple[int, int | None], list[Measurement]] = defaultdict(list)
    for m in measurements.order_by("measured_on", "pk"):
        found[(m.indicator_id, m.school_id)].append(m)
    return found


def indicator_overview(user, board: Board) -> Overview:
    """Every measured own indicator with each unit the user sees: the last values, the latest
    one's standing and the trend. Four queries, whatever the size of the board."""
    require(user, board, Permission.VIEW_DATA)
    indicators = list(measured_indicators(board).order_by("perspective", "position", "code"))
    schools = list(schools_for_user(user, board).order_by("name"))
    sees_board = has_unit_permission(user, board, Permission.VIEW_DATA, None)
    recent = _recent(
        measurements_for_user(user, board).filter(indicator__in=[i.pk for i in indicators])
    )
    blocks = []
    for indicator in indicators:
        block = IndicatorBlock(indicator)
        for school in _units(indicator, schools, sees_board):
            block.rows.append(
                UnitRow(
                    school=school,
                    name=school.name if school else board.name,
                    recent=recent.get((indicator.pk, school.pk if school else None), [])[
                        -TREND_LENGTH:
                    ],
                    can_enter=has_unit_permission(user, board, Permission.ENTER_DATA, school),
                )
            )
        blocks.append(block)
    unmeasured = Indicator.objects.filter(board=board, active=True, unit="").count()
    return Overview(blocks=blocks, unmeasured=unmeasured, sees_board=sees_board)


def indicator_measurements(user, board: Board, indicator: Indicator) -> list[Measurement]:
    """All values of one indicator in the units the user sees, by unit and newest first."""
    return list(
        measurements_for_user(user, board)
        .filter(indicator=indicator)
        .select_related("school", "entered_by")
        .order_by("school__name", "-measured_on", "-pk")
    )


def latest_for_goal(user, board: Board, goal) -> list[MeasuredValue]:
    """The latest value of each of the goal's measured own indicators in the goal's unit: its
    school for a school's plan; for the board's plan the board's own value, or, for an
    indicator measured per school only, each school's the user sees. Three queries."""
    school_id = goal.plan.school_id
    indicators = {
        i.pk: i for i in goal.indicators.filter(board=board).exclude(unit="").order_by("code")
    }
    if not indicators:
        return []
    measurements = measurements_for_user(user, board).filter(indicator__in=list(indicators))
    if school_id is not None:
        measurements = measurements.filter(school_id=school_id)
    latest: dict[tuple[int, int | None], Measurement] = {}
    for m in measurements.select_related("school").order_by("measured_on", "pk"):
        latest[(m.indicator_id, m.school_id)] = m
    found = []
    for indicator in indicators.values():
        keys = [k for k in latest if k[0] == indicator.pk]
        if school_id is None and indicator.level != IndicatorLevel.SCHOOL:
            keys = [k for k in keys if k[1] is None]
        for key in sorted(keys, key=lambda k: (k[1] is not None, _name(latest[k], board))):
            m = latest[key]
            found.append(
                MeasuredValue(
                    indicator=f"{indicator.code} {indicator.title}",
                    unit_name=_name(m, board),
                    measured_on=m.measured_on,
                    value=m.value,
                    unit=indicator.unit,
                    direction=indicator.direction,
                    source=m.source,
                    url=reverse(
                        "insight:indicator",
                        kwargs={"board_id": board.pk, "indicator_id": indicator.pk},
                    ),
                )
            )
    return found


def _name(m: Measurement, board: Board) -> str:
    return m.school.name if m.school_id else board.name
