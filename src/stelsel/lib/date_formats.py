"""The kinds of date Stelsel shows, each written one way per language.

The patterns live in the format modules (`stelsel.lib.formats.<language>.formats`); these
functions name the kind, so a template says `|short_date` and code says `short_date(day)`
instead of spelling a pattern that drifts from page to page. Aware datetimes are shown in local
time.
"""

import datetime as dt

from django.conf import settings
from django.utils import formats, timezone, translation

KINDS = {
    "full_date": "DATE_FORMAT",
    "short_date": "SHORT_DATE_FORMAT",
    "weekday_date": "WEEKDAY_DATE_FORMAT",
    "short_weekday_date": "SHORT_WEEKDAY_DATE_FORMAT",
    "month_year": "YEAR_MONTH_FORMAT",
    "short_month_year": "SHORT_YEAR_MONTH_FORMAT",
    "date_time": "DATETIME_FORMAT",
}


def pattern(name: str) -> str:
    """The pattern called `name` in the active language's format module (Django looks up only
    its own names; the weekday and short month-year kinds are Stelsel's)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    for module in formats.get_format_modules(language):
        if hasattr(module, name):
            return getattr(module, name)
    for module in formats.get_format_modules("en"):
        if hasattr(module, name):
            return getattr(module, name)
    raise LookupError(name)


def _show(value, name: str) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, pattern(name))


def full_date(value) -> str:
    return _show(value, "DATE_FORMAT")


def short_date(value) -> str:
    return _show(value, "SHORT_DATE_FORMAT")


def weekday_date(value) -> str:
    return _show(value, "WEEKDAY_DATE_FORMAT")


def short_weekday_date(value) -> str:
    return _show(value, "SHORT_WEEKDAY_DATE_FORMAT")


def month_year(value) -> str:
    return _show(value, "YEAR_MONTH_FORMAT")


def short_month_year(value) -> str:
    return _show(value, "SHORT_YEAR_MONTH_FORMAT")


def date_time(value) -> str:
    return _show(value, "DATETIME_FORMAT")
