"""Filters for showing block snapshots: their cells and dates are plain JSON values."""

import datetime
import html
import re

from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.filter
def cell_value(value) -> str:
    """A cell as the reader reads it: numbers in the language's notation (1.234,5 in Dutch)."""
    if isinstance(value, float):
        # As many decimals as the figure has, at most two, rounded (not cut off).
        decimals = 0 if value == int(value) else min(2, len(repr(value).partition(".")[2]))
        return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)
    if isinstance(value, int) and not isinstance(value, bool):
        return number_format(value, use_l10n=True, force_grouping=abs(value) >= 10_000)
    return "" if value is None else str(value)


@register.filter
def iso_date(value):
    """An ISO date string of a snapshot as a date, for the date filters ("" when not one)."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return ""


@register.filter
def short_hash(value: str) -> str:
    """The first 16 characters of a content hash, in groups of four, to read aloud."""
    value = (value or "")[:16]
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


SVG = re.compile(r"<svg\b.*?</svg>", re.S)
SVG_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)


@register.filter
def charts_of(svg: str) -> list[dict]:
    """A block's charts one by one, each with its own title to show beside it (the title a
    screen reader reads as the chart's alternative text), on the page as in the PDF."""
    charts = []
    for match in SVG.finditer(svg or ""):
        title = SVG_TITLE.search(match.group(0))
        charts.append(
            {
                "svg": mark_safe(match.group(0)),  # noqa: S308 - made by Stelsel, as on the page
                "title": html.unescape(title.group(1)) if title else "",
            }
        )
    return charts
