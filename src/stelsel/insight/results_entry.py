"""A school's own primary results for one year, entered before the inspectorate publishes them.

A school knows its doorstroomtoets results in spring; the inspectorate publishes them with its
next results file, months later. Entered here, they show the coming three-year window and what
is needed next year at once. The inspectorate's figures win: a year it has published cannot be
entered, and a year inside its results period cannot be filled in either, because the outcome
of that period is the inspectorate's. An entry the inspectorate later publishes over stays
stored but no longer counts (`outcomes.ovt_data` takes the inspectorate's year).

Everything is checked before anything is written and every problem is named at once; the write
and the refresh of the board's signals are one transaction, so a signal never disagrees with
the figures it rests on.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from stelsel.insight.models import Ovt, PoResult, PublishedOutcome, ResultSource
from stelsel.insight.signals import signals_refresh

MAX_PUPILS = 1000
# A percentage typed with one decimal (83,3 for 50 of 60 levels) is the same figure rounded.
ROUNDING_TOLERANCE = Decimal("0.05")
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def school_year_now(today: date | None = None) -> int:
    """The current school year, named by the calendar year in which it ends (August to July)."""
    today = today or timezone.localdate()
    return today.year + 1 if today.month >= 8 else today.year


def school_year_label(year: int) -> str:
    return f"{year - 1}-{year}"


def official_last_year(ovt: Ovt) -> int | None:
    """The last year of the inspectorate's newest results period for this OVT, if any."""
    results = PoResult.objects.filter(ovt=ovt, source=ResultSource.INSPECTORATE).aggregate(
        last=Max("year")
    )["last"]
    published = PublishedOutcome.objects.filter(ovt=ovt).aggregate(last=Max("last_year"))["last"]
    known = [y for y in (results, published) if y is not None]
    return max(known) if known else None


@dataclass(frozen=True)
class EntryYears:
    """The years a school may enter for an OVT: after the inspectorate's period, up to now."""

    first: int
    last: int
    official_last: int | None

    @property
    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))

    @property
    def default(self) -> int | None:
        if self.first > self.last:
            return None
        if self.official_last is not None:
            return min(max(self.official_last + 1, self.first), self.last)
        return self.last


def entry_years(ovt: Ovt, *, today: date | None = None) -> EntryYears:
    """After the inspectorate's last year and at most two years back, so that what is entered
    can count in a coming window; never beyond the current school year."""
    now = school_year_now(today)
    official = official_last_year(ovt)
    first = now - 2 if official is None else max(official + 1, now - 2)
    return EntryYears(first, now, official)


def _decimal(value) -> Decimal | None:
    """A number as typed: `85`, `85,5` and `85.50`; None when it is not one."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return Decimal(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _pupils(value, errors: dict) -> int | None:
    if _blank(value):
        errors["pupils"] = _("Enter the number of pupils who took the doorstroomtoets.")
        return None
    number = _decimal(value)
    if number is None or number != number.to_integral_value():
        errors["pupils"] = _("The number of pupils must be a whole number, such as 24.")
        return None
    if number < 0:
        errors["pupils"] = _("The number of pupils cannot be negative.")
        return None
    if number > MAX_PUPILS:
        errors["pupils"] = _(
            "%(n)s pupils in one year is not plausible for one school: at most %(max)s."
        ) % {"n": number, "max": MAX_PUPILS}
        return None
    return int(number)


def _percentage(value, name: str, label: str, errors: dict) -> Decimal | None:
    text = "" if value is None else str(value).strip()
    if text.endswith("%"):
        errors[name] = _("Enter %(label)s without the percent sign, for example 85,5.") % {
            "label": label
        }
        return None
    number = _decimal(value)
    if number is None:
        if ("," in text and "." in text) or text.count(",") > 1 or text.count(".") > 1:
            errors[name] = _(
                "Enter %(label)s with one decimal sign, a comma or a point, for example 85,5."
            ) % {"label": label}
        else:
            errors[name] = _(
                "%(label)s must be a number, for example 85,5: “%(value)s” is not."
            ) % {
                "label": label[:1].upper() + label[1:],
                "value": text[:40],
            }
        return None
    if not 0 <= number <= 100:
        errors[name] = _("%(label)s is a percentage between 0 and 100, not %(value)s.") % {
            "label": label[:1].upper() + label[1:],
            "value": text,
        }
        return None
    if number != number.quantize(Decimal("0.01")):
        errors[name] = _("Enter %(label)s with at most two decimals.") % {"label": label}
        return None
    return number.quantize(Decimal("0.01"))


def _reachable(percentage: Decimal, pupils: int, name: str, label: str, errors: dict) -> None:
    """A percentage is reference levels reached out of 3 × pupils: with 20 pupils it moves in
    steps of 1/60. A value between the steps means the percentage or the pupils are wrong."""
    levels = 3 * pupils
    reached = (percentage * levels / 100).to_integral_value(rounding=ROUND_HALF_UP)
    if abs(percentage - reached * 100 / levels) <= ROUNDING_TOLERANCE:
        return
    exact = percentage * levels / 100
    lower = int(exact)
    nearest = [
        (Decimal(r) * 100 / levels).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for r in (lower, lower + 1)
        if 0 <= r <= levels
    ]
    errors[name] = _(
        "With %(pupils)s pupils (%(levels)s reference levels) %(label)s cannot be %(value)s: the "
        "nearest possible values are %(nearest)s. Check the percentage and the number of pupils."
    ) % {
        "pupils": pupils,
        "levels": levels,
        "label": label,
        "value": formats.number_format(percentage, 2),
        "nearest": _(" and ").join(formats.number_format(n, 2) for n in nearest),
    }


def _check_year(ovt: Ovt, year, today: date | None, errors: dict) -> int | None:
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors["year"] = _("Choose the school year of the results.")
        return None
    allowed = entry_years(ovt, today=today)
    if PoResult.objects.filter(ovt=ovt, year=year, source=ResultSource.INSPECTORATE).exists():
        errors["year"] = _(
            "The inspectorate's figures for %(year)s are in Stelsel already. They count, and own "
            "figures cannot replace them."
        ) % {"year": school_year_label(year)}
    elif year > allowed.last:
        errors["year"] = _("%(year)s lies in the future: the current school year is %(now)s.") % {
            "year": school_year_label(year),
            "now": school_year_label(allowed.last),
        }
    elif allowed.official_last is not None and year <= allowed.official_last:
        errors["year"] = _(
            "%(year)s lies within the inspectorate's results period, which runs to %(last)s: its "
            "outcome is the inspectorate's. Enter a year after %(last)s."
        ) % {
            "year": school_year_label(year),
            "last": school_year_label(allowed.official_last),
        }
    elif year < allowed.first:
        errors["year"] = _(
            "%(year)s is too long ago to count in a coming window: enter %(first)s or later."
        ) % {"year": school_year_label(year), "first": school_year_label(allowed.first)}
    return year


def clean_entry(*, ovt: Ovt, year, pupils, fundamental, target, today=None) -> dict:
    """Every check of an entry, with all problems at once (ValidationError per field)."""
    errors: dict[str, str] = {}
    if ovt.school_id is None or ovt.linked_at is None:
        raise ValidationError(
            _(
                "This inspectorate school is not linked to a school of the board yet: link it "
                "first, then enter its results."
            )
        )
    year = _check_year(ovt, year, today, errors)
    count = _pupils(pupils, errors)
    labels = {"fundamental": _("the %1F"), "target": _("the %1S/2F")}
    values: dict[str, Decimal | None] = {"fundamental": None, "target": None}
    for name, raw in (("fundamental", fundamental), ("target", target)):
        if count == 0:
            if not _blank(raw) and _decimal(raw) != 0:
                errors[name] = _("With 0 pupils there are no results: leave the percentages empty.")
            continue
        if _blank(raw):
            errors[name] = _("Enter %(label)s.") % {"label": labels[name]}
            continue
        values[name] = _percentage(raw, name, labels[name], errors)
        if values[name] is not None and count:
            _reachable(values[name], count, name, labels[name], errors)
    if (
        values["fundamental"] is not None
        and values["target"] is not None
        and "fundamental" not in errors
        and "target" not in errors
        and values["target"] > values["fundamental"]
    ):
        errors["target"] = _(
            "The %%1S/2F (%(target)s) cannot be above the %%1F (%(fundamental)s): a pupil who "
            "reaches the target level has reached the fundamental level too."
        ) % {
            "target": formats.number_format(values["target"], 2),
            "fundamental": formats.number_format(values["fundamental"], 2),
        }
    if errors:
        raise ValidationError(errors)
    return {
        "year": year,
        "pupils": count,
        "fundamental": values["fundamental"],
        "target": values["target"],
    }


def po_result_enter(
    *, ovt: Ovt, year, pupils, fundamental, target, user, today: date | None = None
) -> PoResult:
    """Store (or correct) the school's own results of `ovt` for `year`; refresh the signals.

    Percentages may be typed with a decimal comma or point. The caller has checked that `user`
    may enter data for the OVT's school."""
    with transaction.atomic():
        # Checked inside the transaction: an import of the same year may have just landed.
        Ovt.objects.select_for_update().filter(pk=ovt.pk).first()
        clean = clean_entry(
            ovt=ovt, year=year, pupils=pupils, fundamental=fundamental, target=target, today=today
        )
        result, _created = PoResult.objects.update_or_create(
            ovt=ovt,
            year=clean["year"],
            source=ResultSource.SCHOOL,
            defaults={
                "pupils": clean["pupils"],
                "fundamental": clean["fundamental"],
                "target": clean["target"],
                "masked": False,
                "entered_by": user,
                "updated_at": timezone.now(),
            },
        )
        signals_refresh(ovt.school.board)
    return result


def po_result_delete(*, result: PoResult) -> None:
    """Remove a school's own entry (never the inspectorate's figures); refresh the signals."""
    if result.source != ResultSource.SCHOOL:
        raise ValidationError(_("Only a school's own entry can be removed here."))
    board = result.ovt.school.board if result.ovt.school_id else result.ovt.board
    with transaction.atomic():
        result.delete()
        if board is not None:
            signals_refresh(board)
