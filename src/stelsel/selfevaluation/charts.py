"""Server-rendered SVG charts of results; every chart has a table beside it on the page.

Styles are presentation attributes, not only classes, so WeasyPrint draws the same chart in
the PDF as the browser does on the page.

One definition serves the page and (later) the PDF. Suppressed groups are simply absent from a
chart: the table beside it says "too few answers".
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Colour-blind-safe palette (Okabe–Ito), one colour per perspective in a fixed order.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    values: list[float | None]  # one per axis, None when not published


def radar(
    axes: list[str],
    series: list[Series],
    *,
    scale_min: int,
    scale_max: int,
    title: str,
    size: int = 360,
) -> SafeString:
    """A radar chart: one axis per standard in the framework's order."""
    centre = size / 2
    radius = size / 2 - 56
    count = max(len(axes), 3)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        share = (value - scale_min) / (scale_max - scale_min)
        return centre + radius * share * math.cos(angle), centre + radius * share * math.sin(angle)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'role="img" aria-labelledby="radar-title" class="chart chart--radar">',
        f'<title id="radar-title">{escape(title)}</title>',
    ]
    for level in range(scale_min, scale_max + 1):
        ring = [point(i, level) for i in range(count)]
        parts.append(
            '<polygon class="chart__grid" fill="none" stroke="#c9d2dc" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in ring)
            + '"/>'
        )
    for index, label in enumerate(axes):
        x, y = point(index, scale_max)
        lx, ly = point(index, scale_max + (scale_max - scale_min) * 0.14)
        parts.append(
            f'<line class="chart__axis" stroke="#8795a5" x1="{centre}" y1="{centre}" '
            f'x2="{x:.1f}" y2="{y:.1f}"/>'
        )
        anchor = "middle" if abs(lx - centre) < 8 else ("start" if lx > centre else "end")
        parts.append(
            f'<text class="chart__label" font-size="12" fill="#1b2430" x="{lx:.1f}" y="{ly:.1f}" '
            f'text-anchor="{anchor}">{escape(label)}</text>'
        )
    for one in series:
        points = [point(i, v) for i, v in enumerate(one.values) if v is not None]
        if len(points) == len(axes) and len(points) >= 3:
            parts.append(
                f'<polygon fill="{one.colour}" fill-opacity="0.12" stroke="{one.colour}" '
                f'stroke-width="2" points="'
                + " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                + '"/>'
            )
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{one.colour}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above


def results_radar(results) -> SafeString:
    """A round's results page chart, also in a report: the mean per standard of each group
    shown (a suppressed group's mean is left out)."""
    return radar(
        [s.section.standard.code for s in results.sections],
        [
            Series(
                str(p),
                PALETTE[i % len(PALETTE)],
                [
                    s.row.cells[p.pk].mean if s.row.cells[p.pk].published else None
                    for s in results.sections
                ],
            )
            for i, p in enumerate(results.perspectives)
        ],
        scale_min=results.scale_min,
        scale_max=results.scale_max,
        title=_("Mean per standard and perspective"),
    )


def dots(
    series: list[Series], *, scale_min: int, scale_max: int, title: str, width: int = 240
) -> SafeString:
    """One line per item: a dot per perspective on the scale, joined like a dumbbell."""
    height = 22
    pad = 10

    def x(value: float) -> float:
        return pad + (width - 2 * pad) * (value - scale_min) / (scale_max - scale_min)

    values = [(s, s.values[0]) for s in series if s.values and s.values[0] is not None]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" class="chart chart--dots"><title>{escape(title)}</title>',
        f'<line class="chart__axis" stroke="#8795a5" x1="{pad}" y1="11" x2="{width - pad}" '
        'y2="11"/>',
    ]
    for tick in range(scale_min, scale_max + 1):
        parts.append(
            f'<line class="chart__grid" stroke="#c9d2dc" x1="{x(tick):.1f}" y1="6" '
            f'x2="{x(tick):.1f}" y2="16"/>'
        )
    if len(values) >= 2:
        low = min(v for _s, v in values)
        high = max(v for _s, v in values)
        parts.append(
            f'<line class="chart__span" stroke="#4f5b69" stroke-width="3" x1="{x(low):.1f}" '
            f'y1="11" x2="{x(high):.1f}" y2="11"/>'
        )
    for one, value in values:
        parts.append(
            f'<circle cx="{x(value):.1f}" cy="11" r="5" fill="{one.colour}">'
            f"<title>{escape(one.label)}: {value:.1f}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above
