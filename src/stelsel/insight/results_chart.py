"""A school's yearly percentages of one indicator against the signalling value, as SVG.

Drawn on the server with presentation attributes, never style attributes, so the page's
content security policy holds and a printed page draws the same chart. Every bar carries its
value as text and own entries are hatched and labelled, so colour is never the only signal; the
page shows the same figures in the table beside the chart.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

INSPECTORATE = "#0072B2"
OWN = "#00704F"
NORM = "#A2261D"
GRID = "#c9d2dc"
INK = "#1b2430"
MUTED = "#4f5b69"


@dataclass(frozen=True)
class Bar:
    year: int
    label: str  # the school year, short: 24-25
    value: Decimal | None
    own: bool = False
    masked: bool = False


@dataclass(frozen=True)
class NormLine:
    label: str
    value: Decimal


def _number(value: Decimal) -> str:
    return formats.number_format(value, 2)


def years_chart(bars: list[Bar], norms: list[NormLine], *, title: str, chart_id: str) -> SafeString:
    """Bars per year on a 0-100 scale, the signalling values as dashed labelled lines."""
    width, height = 420, 250
    left, right, top, bottom = 42, 118, 16, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / max(len(bars), 1)
    bar_w = min(44.0, slot * 0.62)

    def y(value: Decimal | float) -> float:
        return top + plot_h * (1 - float(value) / 100)

    title_id = f"{chart_id}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{escape(title_id)}" class="chart chart--years">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<defs><pattern id="{escape(chart_id)}-own" width="6" height="6" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{OWN}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern></defs>',
    ]
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            f'<line stroke="{GRID}" x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/><text font-size="12" fill="{MUTED}" x="{left - 6}" '
            f'y="{y(tick) + 4:.1f}" text-anchor="end">{tick}%</text>'
        )
    for index, bar in enumerate(bars):
        centre = left + slot * (index + 0.5)
        parts.append(
            f'<text font-size="13" fill="{INK}" x="{centre:.1f}" y="{top + plot_h + 17}" '
            f'text-anchor="middle">{escape(bar.label)}</text>'
        )
        if bar.own:
            parts.append(
                f'<text font-size="12" fill="{OWN}" x="{centre:.1f}" y="{top + plot_h + 33}" '
                f'text-anchor="middle">{escape(_("own entry"))}</text>'
            )
        if bar.masked or bar.value is None:
            mark = "*" if bar.masked else "—"
            parts.append(
                f'<text font-size="16" fill="{MUTED}" x="{centre:.1f}" y="{top + plot_h - 8}" '
                f'text-anchor="middle">{mark}</text>'
            )
            continue
        fill = f"url(#{escape(chart_id)}-own)" if bar.own else INSPECTORATE
        top_y = y(bar.value)
        value_y = max(top_y - 4, top + 10)
        parts.append(
            f'<rect x="{centre - bar_w / 2:.1f}" y="{top_y:.1f}" width="{bar_w:.1f}" '
            f'height="{top + plot_h - top_y:.1f}" fill="{fill}">'
            f"<title>{escape(bar.label)}: {escape(_number(bar.value))}%</title></rect>"
            f'<text font-size="13" fill="{INK}" x="{centre:.1f}" y="{value_y:.1f}" '
            f'text-anchor="middle">{escape(_number(bar.value))}</text>'
        )
    label_ys: list[float] = []
    for norm in norms:
        line_y = y(norm.value)
        label_y = line_y + 4
        while any(abs(label_y - other) < 15 for other in label_ys):
            label_y += 15
        label_ys.append(label_y)
        parts.append(
            f'<line stroke="{NORM}" stroke-width="2" stroke-dasharray="6 4" x1="{left}" '
            f'x2="{left + plot_w}" y1="{line_y:.1f}" y2="{line_y:.1f}"/>'
            f'<text font-size="13" fill="{NORM}" x="{left + plot_w + 6}" y="{label_y:.1f}">'
            f"{escape(norm.label)} {escape(_number(norm.value))}</text>"
        )
    parts.append(
        f'<line stroke="{MUTED}" x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" '
        f'y2="{top + plot_h}"/></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above
