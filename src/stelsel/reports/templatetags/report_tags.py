"""Filters for showing block snapshots: their cells and dates are plain JSON values."""

import datetime

from django import template
from django.utils.formats import number_format

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
