"""Reading the numbers of the inspectorate's and DUO's files, strictly.

Percentages come with a decimal comma (`94,44`), the schoolweging with a point (`31.47`); both
are read, but within one column one sign only, and a value with both signs (a thousands
separator) is refused: `1.234,5` and `1,234.5` mean different numbers to different programs.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from stelsel.insight.sheets import DataFileError

NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


class ColumnReader:
    """Reads one column's cells, remembering which decimal sign it uses."""

    def __init__(self, column: str, *, file: str, sheet: str = ""):
        self.column, self.file, self.sheet = column, file, sheet
        self.sign: str | None = None

    def error(self, row: int, reason: str) -> DataFileError:
        return DataFileError(reason, file=self.file, sheet=self.sheet, row=row, column=self.column)

    def decimal(self, cell: str, row: int, *, low=None, high=None, what: str = "") -> Decimal:
        if not NUMBER.fullmatch(cell):
            raise self.error(
                row,
                _("expected %(what)s, found “%(cell)s”")
                % {"what": what or _("a number"), "cell": cell[:40]},
            )
        sign = "," if "," in cell else "." if "." in cell else None
        if sign:
            if self.sign and sign != self.sign:
                raise self.error(
                    row,
                    _("“%(cell)s” uses another decimal sign than the rows above it (%(sign)s)")
                    % {"cell": cell, "sign": self.sign},
                )
            self.sign = sign
        try:
            value = Decimal(cell.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
            raise self.error(row, _("expected a number")) from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.error(
                row,
                _("expected %(what)s between %(low)s and %(high)s, found %(cell)s")
                % {"what": what or _("a number"), "low": low, "high": high, "cell": cell},
            )
        return value

    def count(self, cell: str, row: int, *, what: str = "") -> int:
        value = self.decimal(cell, row, what=what or _("a number of pupils"))
        if value < 0 or value != value.to_integral_value():
            raise self.error(
                row,
                _("expected %(what)s (a whole number, 0 or more), found %(cell)s")
                % {"what": what or _("a number of pupils"), "cell": cell},
            )
        return int(value)
