"""The measurements of a goal's own indicators, as the goal's page shows them.

A goal can point at the board's own indicators (`Goal.indicators`). Their measurements belong
to data and early warning (`insight`), a layer above planning. So that the goal page can show
the latest values against the goal's baseline and target, and a check-in can start from the
latest one, without planning importing insight, insight registers its reader here when its
app is ready (`InsightConfig.ready`). Without a reader, goals show no measurements and
everything else works as before.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from stelsel.planning.charts import plain

HIGHER, LOWER = "higher", "lower"


@dataclass(frozen=True)
class MeasuredValue:
    """The latest value of one of a goal's own indicators in one unit."""

    indicator: str  # code and title
    unit_name: str  # the school's name, or the board's for the board itself
    measured_on: datetime.date
    value: Decimal
    unit: str  # of measurement: %, pupils, days
    direction: str  # which way is better for the indicator: HIGHER or LOWER
    source: str
    url: str  # the indicator's page with all its measurements


_latest_for_goal: Callable[..., list[MeasuredValue]] | None = None


def register(*, latest_for_goal: Callable[..., list[MeasuredValue]]) -> None:
    """Called once by insight: `latest_for_goal(user, board, goal)` answers the latest value
    of each of the goal's own indicators in the goal's unit, as far as the user sees them."""
    global _latest_for_goal
    _latest_for_goal = latest_for_goal


def latest_for_goal(user, board, goal) -> list[MeasuredValue]:
    return [] if _latest_for_goal is None else _latest_for_goal(user, board, goal)


def _better(direction: str):
    return (lambda a, b: a >= b) if direction == HIGHER else (lambda a, b: a <= b)


def against_goal(goal, measured: MeasuredValue) -> str:
    """The value against the goal's target and baseline, in words; empty when the goal has
    neither or counts in another unit. The better direction is the goal's own (baseline to
    target), else the indicator's."""
    if goal.unit and measured.unit and goal.unit.strip() != measured.unit.strip():
        return ""
    direction = measured.direction
    if goal.baseline is not None and goal.target is not None and goal.baseline != goal.target:
        direction = HIGHER if goal.target > goal.baseline else LOWER
    at_least = _better(direction)
    if goal.target is not None:
        if at_least(measured.value, goal.target):
            return _("target reached")
        if goal.baseline is not None and not at_least(measured.value, goal.baseline):
            return _("worse than the baseline")
        gap = abs(goal.target - measured.value)
        return _("%(gap)s short of the target") % {"gap": _plain(gap)}
    if goal.baseline is not None:
        if measured.value == goal.baseline:
            return _("at the baseline")
        if at_least(measured.value, goal.baseline):
            return _("better than the baseline")
        return _("worse than the baseline")
    return ""


def _plain(value: Decimal) -> str:
    return formats.number_format(plain(value))
