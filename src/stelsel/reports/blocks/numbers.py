"""Pupil numbers and own indicators: per school of the report, its pupils per school year, and
the latest value of each of the board's own measured indicators with how it stands.

Pupil numbers are the measurements of the board's indicator "Leerlingen op 1 oktober"
(`duo_imports.PUPILS_CODE`), which the import of DUO's counts fills and a school may enter by
hand; the count of a school year is the one on its latest reference date in that year. The own
indicators are those of the own-indicators page (`measurements.measured_indicators`), each unit
with its last values read as that page reads them and judged by its own `IndicatorBlock`: the
same standing against norm and target, the same trend. Only values measured up to the end of
the report's period count, so a report says what was known of its period.

Two queries for the indicators and all their values, whatever the number of schools.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from stelsel.insight.duo_imports import PUPILS_CODE
from stelsel.insight.measurements import fits_unit, measured_indicators
from stelsel.insight.models import Measurement
from stelsel.insight.own_indicators import TREND_LENGTH, IndicatorBlock, UnitRow
from stelsel.lib.date_formats import short_date
from stelsel.meetings.holidays import school_year_of
from stelsel.picture.models import Indicator, IndicatorLevel
from stelsel.reports.blocks import BlockKind, Scope, register, table

KEY = "numbers"


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _indicators(scope: Scope) -> tuple[Indicator | None, list[Indicator]]:
    """The pupil-count indicator (in use or retired) and the other measured own indicators,
    in the order of the own-indicators page."""
    found = (
        measured_indicators(scope.board)
        | Indicator.objects.filter(board=scope.board, code__iexact=PUPILS_CODE)
    ).order_by("perspective", "position", "code")
    pupils, own = None, []
    for indicator in found:
        if indicator.code.upper() == PUPILS_CODE:
            pupils = indicator
        else:
            own.append(indicator)
    return pupils, own


def _measurements(scope: Scope, indicators: list[Indicator]) -> dict:
    """The values of `indicators` for the scope's units up to the period's end, oldest first,
    per (indicator id, school id); the board's own under school id None."""
    units = Q(school_id__in=scope.school_ids)
    if scope.board_level:
        units |= Q(school__isnull=True)
    found: dict[tuple[int, int | None], list[Measurement]] = defaultdict(list)
    for m in (
        Measurement.objects.filter(board=scope.board, indicator__in=[i.pk for i in indicators])
        .filter(units, measured_on__lte=scope.end)
        .order_by("measured_on", "pk")
    ):
        found[(m.indicator_id, m.school_id)].append(m)
    return found


def _pupil_table(scope: Scope, indicator: Indicator, values: dict) -> dict | None:
    per_school: dict[int, dict[str, Measurement]] = {}
    years: set[str] = set()
    for school in scope.schools:
        counts: dict[str, Measurement] = {}
        for m in values.get((indicator.pk, school.pk), []):
            counts[school_year_of(m.measured_on)] = m  # oldest first: the latest one stays
        per_school[school.pk] = counts
        years |= set(counts)
    if not years:
        return None
    columns = sorted(years)
    rows = [
        [
            school.name,
            *(
                _number(per_school[school.pk][y].value) if y in per_school[school.pk] else None
                for y in columns
            ),
        ]
        for school in scope.schools
    ]
    return table(
        _("Pupils per school year"),
        [_("School"), *columns],
        rows,
        _(
            "The number of pupils on the latest reference date of each school year (DUO counts "
            "on 1 October); source: %(indicator)s."
        )
        % {"indicator": f"{indicator.code} {indicator.title}"},
    )


def _units(scope: Scope, indicator: Indicator) -> list:
    """The units of the report the indicator is measured for, as the own-indicators page lists
    them: the board itself first (for a board report), then the schools."""
    units: list = []
    if scope.board_level and fits_unit(indicator, None):
        units.append(None)
    if indicator.level != IndicatorLevel.BOARD:
        units.extend(scope.schools)
    return units


def _own_table(scope: Scope, indicators: list[Indicator], values: dict) -> dict | None:
    rows = []
    for indicator in indicators:
        block = IndicatorBlock(indicator)
        for school in _units(scope, indicator):
            recent = values.get((indicator.pk, school.pk if school else None), [])
            block.rows.append(
                UnitRow(
                    school=school,
                    name=school.name if school else scope.board.name,
                    recent=recent[-TREND_LENGTH:],
                    can_enter=False,
                )
            )
        for line in block.lines():
            latest = line["row"].latest
            standing = str(line["standing_label"]) or (
                _("no norm or target") if latest is not None else None
            )
            rows.append(
                [
                    f"{indicator.code} {indicator.title}",
                    line["row"].name,
                    _number(latest.value) if latest else None,
                    indicator.unit,
                    short_date(latest.measured_on) if latest else None,
                    standing,
                    str(line["trend_label"]) or None,
                    _number(indicator.norm),
                    _number(indicator.target),
                ]
            )
    if not any(row[2] is not None for row in rows):
        return None
    return table(
        _("Own indicators: the latest value"),
        [
            _("Indicator"),
            _("For"),
            _("Latest value"),
            pgettext("measure", "Unit"),
            _("Reference date"),
            _("Against norm and target"),
            _("Trend"),
            _("Own norm"),
            _("Target"),
        ],
        rows,
        _("The trend follows the last three values, with the indicator's better direction."),
    )


def collect(scope: Scope) -> dict:
    pupils, own = _indicators(scope)
    values = _measurements(scope, [*own, *([pupils] if pupils else [])])
    tables = [
        found
        for found in (
            _pupil_table(scope, pupils, values) if pupils else None,
            _own_table(scope, own, values),
        )
        if found is not None
    ]
    latest = max((ms[-1].measured_on for ms in values.values() if ms), default=timezone.localdate())
    snapshot = {
        "source": _("Own indicators"),
        "source_path": reverse("insight:indicators", args=[scope.board.pk]),
        "as_of": latest.isoformat(),
        "tables": tables,
        "notes": [
            _("Values measured up to %(date)s.") % {"date": short_date(scope.end)},
        ]
        if tables
        else [],
    }
    if not tables:
        snapshot["empty"] = _(
            "No pupil numbers or values of own indicators are held for these schools up to "
            "%(date)s."
        ) % {"date": short_date(scope.end)}
    return snapshot


register(
    BlockKind(
        key=KEY,
        label=gettext_lazy("Pupil numbers and own indicators"),
        description=gettext_lazy(
            "Per school the number of pupils in each school year, and the latest value of the "
            "board's own indicators against their norm and target."
        ),
        collect=collect,
    )
)
