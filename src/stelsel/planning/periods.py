"""A plan's period: dates moved by whole months, months counted, periods that overlap.

Plans run from one day to another (a school year, four years). A goal serves a goal of another
plan only while both plans run at the same time, and a plan carried on moves its dates as far as
its start moved, so these few date sums are shared by the services of plans and goals and by
the page that proposes the next plan's period.
"""

from datetime import date

from stelsel.lib.date_formats import short_date


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (a period of 1 August to 1 August is twelve)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def periods_overlap(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


def period_text(plan) -> str:
    """A plan's period as the services' messages name it."""
    return f"{short_date(plan.starts_on)} – {short_date(plan.ends_on)}"
