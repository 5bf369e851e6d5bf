"""A goal's measured values over time against its baseline and target, as server-rendered SVG.

Styles are presentation attributes, as in the self-evaluation charts, so a PDF draws the same
chart as the page. The page shows the same values in a table beside the chart; the lines carry
labels as well as colours, so colour is never the only signal.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from stelsel.lib.date_formats import short_date, short_month_year

MEASURED = "#0072B2"
TARGET = "#009E73"
BASELINE = "#4f5b69"
GRID = "#c9d2dc"
INK = "#1b2430"


@dataclass(frozen=True)
class Point:
    day: date
    value: Decimal


def plain(value: Decimal) -> Decimal:
    """The value without trailing zeros (62.50 → 62.5, 80.00 → 80), never in exponent form."""
    return Decimal(format(value.normalize(), "f"))


def _label(value: Decimal) -> str:
    return formats.number_format(plain(value))


def _nice_step(span: Decimal) -> Decimal:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving four to six gridlines."""
    raw = span / 5
    power = Decimal(10) ** raw.adjusted()
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power  # pragma: no cover


def goal_chart(
    points: list[Point],
    *,
    baseline: Decimal | None,
    target: Decimal | None,
    starts_on: date,
    ends_on: date,
    target_date: date | None,
    title: str,
    unit: str = "",
    width: int = 560,
    height: int = 260,
) -> SafeString:
    """Measured values as a line over the plan's period; baseline and target as labelled
    horizontal lines, the target date as a vertical one."""
    left, right, top, bottom = 56, 96, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    days = [p.day for p in points] + [starts_on, ends_on]
    if target_date:
        days.append(target_date)
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    values = [p.value for p in points] + [v for v in (baseline, target) if v is not None]
    low = min(values, default=Decimal(0))
    high = max(values, default=Decimal(1))
    if high == low:
        low, high = low - 1, high + 1
    step = _nice_step(high - low)
    low = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    high = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    if high == low:
        high = low + step
    ticks = []
    tick = low
    while tick <= high:
        ticks.append(tick)
        tick += step

    def x(day: date) -> float:
        return left + plot_w * (day - first).days / span

    def y(value: Decimal) -> float:
        return top + plot_h * float((high - value) / (high - low))

    suffix = f" {unit}" if unit else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="goal-chart-title" class="chart chart--goal">',
        f'<title id="goal-chart-title">{escape(title)}</title>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
        f'stroke="{GRID}"/>',
    ]
    for value in ticks:
        parts.append(
            f'<line stroke="{GRID}" x1="{left}" x2="{left + plot_w}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}"/>'
            f'<text font-size="11" fill="{INK}" x="{left - 6}" y="{y(value) + 4:.1f}" '
            f'text-anchor="end">{escape(_label(value))}</text>'
        )
    for day, anchor in ((first, "start"), (last, "end")):
        parts.append(
            f'<text font-size="11" fill="{INK}" x="{x(day):.1f}" y="{height - 12}" '
            f'text-anchor="{anchor}">{escape(short_month_year(day))}</text>'
        )
    for value, colour, name in (
        (baseline, BASELINE, "baseline"),
        (target, TARGET, "target"),
    ):
        if value is None:
            continue
        text = f"{'▲ ' if name == 'target' else ''}{_label(value)}{suffix}"
        parts.append(
            f'<line class="chart__{name}" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{"6 4" if name == "target" else "2 3"}" x1="{left}" '
            f'x2="{left + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>'
            f'<text font-size="11" fill="{colour}" x="{left + plot_w + 6}" '
            f'y="{y(value) + 4:.1f}">{escape(text)}</text>'
        )
    if target_date:
        parts.append(
            f'<line stroke="{TARGET}" stroke-dasharray="2 3" x1="{x(target_date):.1f}" '
            f'x2="{x(target_date):.1f}" y1="{top}" y2="{top + plot_h}"/>'
        )
    ordered = sorted(points, key=lambda p: p.day)
    if len(ordered) >= 2:
        parts.append(
            f'<polyline fill="none" stroke="{MEASURED}" stroke-width="2" points="'
            + " ".join(f"{x(p.day):.1f},{y(p.value):.1f}" for p in ordered)
            + '"/>'
        )
    for p in ordered:
        parts.append(
            f'<circle cx="{x(p.day):.1f}" cy="{y(p.value):.1f}" r="4" fill="{MEASURED}">'
            f"<title>{escape(short_date(p.day))}: "
            f"{escape(_label(p.value))}{escape(suffix)}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above
