"""Writing the measurements of a board's own indicators: by hand, from a file, or by the API.

The page, the file import and the API check a measurement by the same rules, here: the
indicator is measured (it has a unit), in use, and applies to the unit (a school, or the board
itself); the reference date has passed and is not before 2000; the value is a number with at
most two decimals that fits the unit (a percentage lies between 0 and 100); and a unit has one
value per indicator and date. Nothing is written unless all of it holds. After a write the
board's signals are refreshed in the same transaction, so a value below the norm shows at once
and a corrected one closes its signal.
"""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.insight.models import Measurement
from stelsel.insight.signals import signals_refresh
from stelsel.lib.dates import plausible_date
from stelsel.organisations.models import Board, School
from stelsel.picture.models import Indicator, indicator_levels
from stelsel.planning.numbers import parse_number

EARLIEST = datetime.date(2000, 1, 1)
NUMBER_LIKE = re.compile(r"^[+-]?[0-9.,\s\u00a0]+$")
PERCENT = "%"
MAX_SOURCE = 200


def measured_indicators(board: Board):
    """The board's own indicators that take measurements: those with a unit, in use."""
    return Indicator.objects.filter(board=board, active=True).exclude(unit="")


def fits_unit(indicator: Indicator, school: School | None) -> bool:
    """Whether the indicator is measured for this unit: a school, or the board itself."""
    return indicator.level in indicator_levels(school)


def date_error(day: datetime.date | None) -> str | None:
    if day is None:
        return _("Give the reference date.")
    if not plausible_date(day) or day < EARLIEST:
        return _("Give a reference date in the year 2000 or later.")
    if day > timezone.localdate():
        return _("The reference date lies in the future; a measurement is of a day that has been.")
    return None


def value_error(indicator: Indicator, value: Decimal) -> str | None:
    """What is wrong with a number as a value of this indicator, if anything."""
    if value != value.quantize(Decimal("0.01")):
        return _("Give the value with at most two decimals.")
    if indicator.unit == PERCENT and not 0 <= value <= 100:
        return _("A percentage lies between 0 and 100; %(value)s is not one.") % {"value": value}
    return None


def parse_value(indicator: Indicator, raw) -> tuple[Decimal | None, str | None]:
    """A value as people type it ("7,5", "7.5", 7.5; "85%" for a percentage), checked."""
    if isinstance(raw, str):
        text = raw.strip()
        if text.endswith("%"):
            if indicator.unit != PERCENT:
                return None, _(
                    "This indicator is measured in %(unit)s, not in percent: give the value as "
                    "a number."
                ) % {"unit": indicator.unit}
            text = text[:-1].strip()
        if text and not NUMBER_LIKE.match(text):
            return None, _(
                "The value must be a number, such as 85 or 7,5: “%(value)s” is not one."
            ) % {"value": text[:40]}
        raw = text
    value, error = parse_number(raw, label=_("value"))
    if error:
        return None, error
    if value is None:
        return None, _("Give the value.")
    error = value_error(indicator, value)
    return (None, error) if error else (value, None)


def duplicate_exists(indicator, school, day, *, exclude_pk=None) -> bool:
    found = Measurement.objects.filter(indicator=indicator, school=school, measured_on=day)
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.exists()


def _duplicate_message(school: School | None) -> str:
    if school is None:
        return _("The board already has a value of this indicator on this date; change that one.")
    return _("%(school)s already has a value of this indicator on this date; change that one.") % {
        "school": school.name
    }


def _check(*, board, indicator, school, measured_on, raw_value, source, exclude_pk=None):
    errors: dict[str, list[str]] = {}
    if indicator.board_id != board.pk or (school is not None and school.board_id != board.pk):
        raise ValueError("the indicator and the school must be the board's own")
    if not indicator.unit:
        errors["indicator"] = [
            _("This indicator has no unit of measurement; give it one in the own indicators.")
        ]
    elif not indicator.active and exclude_pk is None:
        errors["indicator"] = [_("This indicator is retired; it takes no new measurements.")]
    elif not fits_unit(indicator, school):
        errors["school"] = [
            _("This indicator is measured for the board itself, not for a school.")
            if school is not None
            else _("This indicator is measured per school: choose a school.")
        ]
    day_error = date_error(measured_on)
    if day_error:
        errors["measured_on"] = [day_error]
    value, error = parse_value(indicator, raw_value)
    if error:
        errors["value"] = [error]
    source = (source or "").strip()
    if len(source) > MAX_SOURCE:
        errors["source"] = [_("Keep the source under %(n)s characters.") % {"n": MAX_SOURCE}]
    if not errors and duplicate_exists(indicator, school, measured_on, exclude_pk=exclude_pk):
        errors["measured_on"] = [_duplicate_message(school)]
    if errors:
        raise ValidationError(errors)
    return value, source


def _save(measurement: Measurement) -> Measurement:
    try:
        with transaction.atomic():
            measurement.save()
    except IntegrityError:  # the same value entered twice at once
        raise ValidationError({"measured_on": [_duplicate_message(measurement.school)]}) from None
    return measurement


@transaction.atomic
def measurement_create(
    *,
    board: Board,
    indicator: Indicator,
    school: School | None,
    measured_on: datetime.date | None,
    value,
    source: str = "",
    user=None,
) -> Measurement:
    """A new value of an own indicator for a school (or the board itself, `school` None)."""
    number, source = _check(
        board=board,
        indicator=indicator,
        school=school,
        measured_on=measured_on,
        raw_value=value,
        source=source,
    )
    measurement = _save(
        Measurement(
            board=board,
            indicator=indicator,
            school=school,
            measured_on=measured_on,
            value=number,
            source=source,
            entered_by=user,
            updated_at=timezone.now(),
        )
    )
    signals_refresh(board)
    return measurement


@transaction.atomic
def measurement_update(
    *, measurement: Measurement, measured_on: datetime.date | None, value, source: str = "", user
) -> Measurement:
    """Correct a value, its date or its source; the indicator and the unit stay."""
    board = measurement.board
    number, source = _check(
        board=board,
        indicator=measurement.indicator,
        school=measurement.school,
        measured_on=measured_on,
        raw_value=value,
        source=source,
        exclude_pk=measurement.pk,
    )
    measurement.measured_on, measurement.value, measurement.source = measured_on, number, source
    measurement.entered_by, measurement.updated_at = user, timezone.now()
    _save(measurement)
    signals_refresh(board)
    return measurement


@transaction.atomic
def measurement_delete(*, measurement: Measurement) -> None:
    board = measurement.board
    measurement.delete()
    signals_refresh(board)
