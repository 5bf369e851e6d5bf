"""Parsing the inspectorate's schoolweging file: one sheet per school year and a 3-year sheet.

The yearly sheets are named after their school year (`2023-2024`) and hold `OVT`, `Naam`,
`BGNR`, `schoolweging`, `aantal_leerlingen` and `spreiding`; the sheet `Driejaarsgemiddelde`
holds the mean the inspectorate applies to the next results period, under a header that names
its three school years (`schoolweging 2021-2022, 2022-2023, 2023-2024`). A CSV holds one such
table; a yearly CSV names its year in the header (`schoolweging 2023-2024`).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from stelsel.insight.numbers import ColumnReader
from stelsel.insight.results_file import OVT, is_results_sheet
from stelsel.insight.sheets import (
    DataFileError,
    Sheet,
    read_tables,
    refuse_cells_beyond_header,
    refuse_pupil_data,
)

SCHOOL_YEAR = re.compile(r"(20[0-9]{2})\s*[-/]\s*(20[0-9]{2})")
BOARD_NUMBER = re.compile(r"[0-9]{1,5}")


@dataclass
class SchoolwegingRow:
    ovt: str
    name: str
    board_number: str
    first_year: int
    last_year: int
    value: Decimal | None
    pupils: int | None = None
    spread: Decimal | None = None


@dataclass
class SchoolwegingFile:
    file: str
    rows: list[SchoolwegingRow] = field(default_factory=list)
    yearly: list[int] = field(default_factory=list)  # school years (by end year) with a sheet
    three_year: tuple[int, int] | None = None

    @property
    def periods(self) -> list[str]:
        """The school years of the yearly sheets, then the 3-year mean as the inspectorate
        writes it (2021/2022-2023/2024), so it is not read as a school year."""
        out = [f"{y - 1}-{y}" for y in sorted(self.yearly)]
        if self.three_year:
            first, last = self.three_year
            out.append(f"{first - 1}/{first}-{last - 1}/{last}")
        return out


def _key(name: str) -> str:
    return re.sub(r"[\s_]+", " ", name.strip().lower())


def _years(text: str) -> list[int]:
    """The school years named in a text, each by the year it ends in."""
    found = []
    for start, end in SCHOOL_YEAR.findall(text):
        if int(end) != int(start) + 1:
            raise ValueError(text)
        found.append(int(end))
    return found


def parse_schoolweging(data: bytes, file: str) -> SchoolwegingFile:
    sheets = read_tables(data, file)
    parsed = SchoolwegingFile(file)
    for sheet in sheets:
        if not sheet.rows or is_results_sheet(sheet):
            continue
        header = [_key(c) for c in sheet.rows[0]]
        if "ovt" not in header or not any(h.startswith("schoolweging") for h in header):
            continue
        refuse_pupil_data(sheet, file, allowed={"naam"})  # the school's name
        refuse_cells_beyond_header(sheet, file)
        _parse_sheet(sheet, header, parsed, file)
    if not parsed.rows and not parsed.yearly and not parsed.three_year:
        raise DataFileError(_not_schoolweging(sheets, file), file=file)
    return parsed


def _not_schoolweging(sheets: list[Sheet], file: str) -> str:
    """What the file seems to be instead, so a user who picked the wrong file sees which."""
    if any(is_results_sheet(sheet) for sheet in sheets):
        kind = _("the inspectorate's results file for primary education")
    elif any(
        {"bevoegd gezag nummer", "vestigingsnummer", "vestigingscode"}
        & {_key(c) for c in sheet.rows[0]}
        for sheet in sheets
        if sheet.rows
    ):
        kind = _("a DUO file of school locations")
    else:
        for sheet in sheets:
            refuse_pupil_data(sheet, file)
        kind = _("another kind of file")
    return _(
        "this is %(kind)s, not the inspectorate's schoolweging file: no sheet has the "
        "columns OVT, Naam, BGNR and schoolweging"
    ) % {"kind": kind}


def _parse_sheet(sheet: Sheet, header: list[str], parsed: SchoolwegingFile, file: str) -> None:
    value_column = next(i for i, h in enumerate(header) if h.startswith("schoolweging"))
    try:
        named = _years(sheet.rows[0][value_column]) or _years(sheet.name)
    except ValueError:
        named = []
    if len(named) == 3 and named == list(range(named[0], named[0] + 3)):
        first, last = named[0], named[-1]
        if parsed.three_year and parsed.three_year != (first, last):
            raise DataFileError(_("two 3-year sheets of different periods"), file=file)
        parsed.three_year = (first, last)
    elif len(named) == 1:
        first = last = named[0]
        if last in parsed.yearly:
            raise DataFileError(
                _("two sheets for the school year %(year)s") % {"year": f"{last - 1}-{last}"},
                file=file,
                sheet=sheet.name,
            )
        parsed.yearly.append(last)
    else:
        raise DataFileError(
            _(
                "cannot tell which school year this sheet is about; name it after the school "
                "year (2023-2024) or name the years in the header (schoolweging 2023-2024)"
            ),
            file=file,
            sheet=sheet.name,
            row=1,
            column=sheet.rows[0][value_column],
        )
    columns = {name: header.index(name) for name in ("ovt", "naam", "bgnr") if name in header}
    for required in ("ovt", "bgnr"):
        if required not in columns:
            raise DataFileError(
                _("the column “%(name)s” is missing") % {"name": required.upper()},
                file=file,
                sheet=sheet.name,
                row=1,
            )
    optional = {
        name: header.index(name)
        for name in ("aantal leerlingen", "spreiding")
        if name in header and first == last
    }
    raw = sheet.rows[0]
    readers = {i: ColumnReader(raw[i], file=file, sheet=sheet.name) for i in range(len(raw))}
    seen: dict[str, int] = {}
    for number, cells in enumerate(sheet.rows[1:], start=2):
        cells = cells + [""] * (len(raw) - len(cells))
        ovt = cells[columns["ovt"]].strip().upper()
        if not OVT.fullmatch(ovt):
            raise DataFileError(
                _("expected an OVT code such as 00AP|C1, found “%(cell)s”") % {"cell": ovt[:40]},
                file=file,
                sheet=sheet.name,
                row=number,
                column=raw[columns["ovt"]],
            )
        if ovt in seen:
            raise DataFileError(
                _("%(ovt)s appears twice (also in row %(other)d)")
                % {"ovt": ovt, "other": seen[ovt]},
                file=file,
                sheet=sheet.name,
                row=number,
                column=raw[columns["ovt"]],
            )
        seen[ovt] = number
        board = cells[columns["bgnr"]].strip()
        if board and not BOARD_NUMBER.fullmatch(board):
            raise DataFileError(
                _("expected a board number of up to 5 digits, found “%(cell)s”")
                % {"cell": board[:20]},
                file=file,
                sheet=sheet.name,
                row=number,
                column=raw[columns["bgnr"]],
            )
        text = cells[value_column].strip()
        value = (
            None
            if text == ""
            else readers[value_column].decimal(
                text, number, low=0, high=100, what=_("a schoolweging")
            )
        )
        pupils = spread = None
        if "aantal leerlingen" in optional and cells[optional["aantal leerlingen"]].strip():
            pupils = readers[optional["aantal leerlingen"]].count(
                cells[optional["aantal leerlingen"]].strip(), number
            )
        if "spreiding" in optional and cells[optional["spreiding"]].strip():
            spread = readers[optional["spreiding"]].decimal(
                cells[optional["spreiding"]].strip(), number, low=0, high=100
            )
        parsed.rows.append(
            SchoolwegingRow(
                ovt=ovt,
                name=cells[columns["naam"]].strip()[:200] if "naam" in columns else "",
                board_number=board.zfill(5) if board else "",
                first_year=first,
                last_year=last,
                value=value,
                pupils=pupils,
                spread=spread,
            )
        )
