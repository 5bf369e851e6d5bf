"""Reading data files as tables of text: ODS and XLSX with python-calamine, CSV by sniffing.

Every cell comes back as text, the way it reads in the file, so the importers apply one set of
rules to all three formats. Formulas are refused, never evaluated; so are password-protected
and old binary workbooks, oversized and empty files, and anything that looks like data about
individual pupils: Stelsel holds aggregates per school only.
"""

import csv
import html
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

MAX_BYTES_DEFAULT = 25 * 1024 * 1024


class DataFileError(ValueError):
    """A file that cannot be imported, with where (file, sheet, row, column) and what was expected.

    `row` is the 1-based row of the sheet as a spreadsheet program shows it (1 = header).
    """

    def __init__(self, reason: str, *, file: str = "", sheet: str = "", row=None, column=""):
        self.reason, self.file, self.sheet, self.row, self.column = reason, file, sheet, row, column
        super().__init__(self.where() + reason)

    def where(self) -> str:
        parts = [p for p in (self.file, self.sheet) if p]
        if self.row is not None:
            parts.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            parts.append(_("column %(column)s") % {"column": self.column})
        return ", ".join(parts) + ": " if parts else ""


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]  # rows[0] is the header row


def max_bytes() -> int:
    return getattr(settings, "INSIGHT_MAX_UPLOAD_BYTES", MAX_BYTES_DEFAULT)


def decode(data: bytes) -> str:
    """BOM → UTF-8 → Windows-1252, the order in which DUO's files are tried."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


XLSX_FORMULA = re.compile(rb'<(?:\w+:)?c r="([A-Z]+)([0-9]+)"[^>]*>\s*<(?:\w+:)?f[ >/][^<]*')
XLSX_TAG = re.compile(rb"<(?:\w+:)?(?:sheet|Relationship) [^>]*>")
ODS_TAG = re.compile(rb"<table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*)")


def _attribute(tag: bytes, name: bytes) -> str:
    found = re.search(rb"(?:^|\s)" + re.escape(name) + rb"""=(?:"([^"]*)"|'([^']*)')""", tag)
    if not found:
        return ""
    return html.unescape((found.group(1) or found.group(2) or b"").decode("utf-8", "replace"))


def _xlsx_sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part (`xl/worksheets/sheet1.xml`) → the sheet's name as the program shows it."""
    names = set(archive.namelist())
    if not {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= names:
        return {}
    targets = {
        _attribute(tag, b"Id"): _attribute(tag, b"Target")
        for tag in XLSX_TAG.findall(archive.read("xl/_rels/workbook.xml.rels"))
    }
    out = {}
    for tag in XLSX_TAG.findall(archive.read("xl/workbook.xml")):
        target = targets.get(_attribute(tag, b"r:id"), "")
        out["xl/" + target.removeprefix("/xl/").removeprefix("xl/")] = _attribute(tag, b"name")
    return out


def _ods_formula(content: bytes) -> tuple[str, int, int, str] | None:
    """Sheet, row, column and text of the first formula in an ODS `content.xml`, if any."""
    at = content.find(b"table:formula=")
    if at < 0:
        return None
    cell_start = content.rfind(b"<", 0, at)
    sheet, row, row_step, column, column_step = "", 0, 1, 0, 1
    for found in ODS_TAG.finditer(content, 0, cell_start):
        kind, attributes = found.group(1), found.group(2)
        if kind == b"table":
            sheet, row, row_step = _attribute(attributes, b"table:name"), 0, 1
        elif kind == b"table-row":
            row += row_step
            row_step = int(_attribute(attributes, b"table:number-rows-repeated") or 1)
            column, column_step = 0, 1
        else:
            column += column_step
            column_step = int(_attribute(attributes, b"table:number-columns-repeated") or 1)
    tag = content[cell_start : content.find(b">", at) + 1]
    return sheet, row, column + column_step, _attribute(tag, b"table:formula")


def column_letters(index: int) -> str:
    """1 → A, 27 → AA: a column as spreadsheet programs name it."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _formula_error(file: str, sheet: str, row, column: str, formula: str) -> DataFileError:
    reason = (
        _("holds a formula (%(formula)s); save the sheet with values only")
        % {"formula": formula[:40]}
        if formula
        else _("holds a formula; save the sheet with values only")
    )
    return DataFileError(
        reason,
        file=file,
        sheet=sheet,
        row=row,
        column=column,
    )


def _refuse_formulas(data: bytes, file: str) -> None:
    """Formulas are refused, and said where they are: a results file holds values, and
    nothing here evaluates a formula."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                part = archive.read(name)
                found = XLSX_FORMULA.search(part)
                if found is None and not re.search(rb"<(?:\w+:)?f[ >/]", part):
                    continue
                sheet = _xlsx_sheet_names(archive).get(name, "")
                if found is None:  # a formula in a shape the pattern above does not know
                    raise _formula_error(file, sheet, None, "", "")
                formula = found.group(0).rsplit(b">", 1)[-1].decode("utf-8", "replace")
                raise _formula_error(
                    file,
                    sheet,
                    int(found.group(2)),
                    found.group(1).decode(),
                    "=" + html.unescape(formula) if formula else "",
                )
            if name == "content.xml":
                found = _ods_formula(archive.read(name))
                if found:
                    sheet, row, column, formula = found
                    raise _formula_error(
                        file, sheet, row, column_letters(column), formula.removeprefix("of:")
                    )


MAX_ZIP_ENTRIES = 1000
UNPACKED_FACTOR = 10


def _refuse_zip_bomb(data: bytes, file: str) -> None:
    """A workbook is a zip: refuse one that would unpack to far more than any real data file
    (a few megabytes packed to gigabytes would otherwise be read into memory)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        unpacked = sum(info.file_size for info in infos)
    if len(infos) > MAX_ZIP_ENTRIES or unpacked > UNPACKED_FACTOR * max_bytes():
        raise DataFileError(
            _("the workbook unpacks to more than %(limit)s, the most Stelsel reads")
            % {"limit": filesizeformat(UNPACKED_FACTOR * max_bytes())},
            file=file,
        )


def refuse_cells_beyond_header(sheet: Sheet, file: str) -> None:
    """Every value must stand under a named column. A value beyond the header, or under an
    empty header cell, means the row was split wrongly (a decimal comma in a `,`-separated
    file: `31,47` read as 31 and 47) and would be stored as a wrong number."""
    if not sheet.rows:
        return
    header = sheet.rows[0]
    width = max((i + 1 for i, name in enumerate(header) if name.strip()), default=0)
    for number, row in enumerate(sheet.rows[1:], start=2):
        for index, cell in enumerate(row):
            if cell.strip() and (index >= width or not header[index].strip()):
                raise DataFileError(
                    _(
                        "a value (“%(cell)s”) stands in column %(column)s, which has no name in "
                        "the header; is a decimal comma used in a file separated by commas?"
                    )
                    % {"cell": cell.strip()[:30], "column": column_letters(index + 1)},
                    file=file,
                    sheet=sheet.name,
                    row=number,
                )


def read_tables(data: bytes, file: str) -> list[Sheet]:
    """All sheets of an ODS or XLSX workbook, or the one table of a CSV file."""
    if not data.strip():
        raise DataFileError(_("the file is empty"), file=file)
    if len(data) > max_bytes():
        raise DataFileError(
            _("the file is larger than %(limit)s, the most Stelsel reads")
            % {"limit": filesizeformat(max_bytes())},
            file=file,
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataFileError(
            _(
                "this is a password-protected or old binary (.xls) workbook; "
                "save it without a password as .xlsx, .ods or .csv"
            ),
            file=file,
        )
    if data.startswith(b"PK\x03\x04"):
        try:
            _refuse_zip_bomb(data, file)
            _refuse_formulas(data, file)
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheets = [
                Sheet(
                    name,
                    [
                        [_cell(v) for v in row]
                        for row in workbook.get_sheet_by_name(name).to_python()
                    ],
                )
                for name in workbook.sheet_names
            ]
        except (CalamineError, zipfile.BadZipFile, ValueError) as exc:
            if isinstance(exc, DataFileError):
                raise
            raise DataFileError(
                _("not a readable spreadsheet (.ods, .xlsx) or CSV file"), file=file
            ) from None
        return sheets
    return [Sheet("", read_csv(data, file))]


def read_csv(data: bytes, file: str) -> list[list[str]]:
    try:
        text = decode(data)
    except UnicodeDecodeError:
        raise DataFileError(_("not a text file in UTF-8 or Windows-1252"), file=file) from None
    if "\x00" in text:
        raise DataFileError(_("not a readable spreadsheet (.ods, .xlsx) or CSV file"), file=file)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = [
        [cell.strip() for cell in row]
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]
    for number, row in enumerate(rows, start=1):
        for index, cell in enumerate(row):
            if cell[:1] in ("=", "+", "@") and not _number_like(cell):
                raise DataFileError(
                    _("holds a formula (%(cell)s); save the file with values only")
                    % {"cell": cell[:30]},
                    file=file,
                    row=number,
                    column=rows[0][index] if index < len(rows[0]) else str(index + 1),
                )
    return [row for row in rows if any(row)]


def _number_like(cell: str) -> bool:
    return bool(re.fullmatch(r"\+?[0-9]+([.,][0-9]+)?", cell))


# Headers that name data about individual pupils. Stelsel refuses a file that has them.
PERSONAL_HEADERS = re.compile(
    r"^(naam|voornaam|voornamen|achternaam|roepnaam|tussenvoegsel|geboortedatum|"
    r"geboorte ?datum|birth ?date|date of birth|bsn|burgerservicenummer|"
    r"(persoons|onderwijs)nummer|pgn|leerling ?(nummer|id|naam)|pupil ?(id|name)|"
    r"geslacht|postcode|adres|e-?mail|first name|last name|surname)$",
    re.IGNORECASE,
)


def _elfproef(digits: str) -> bool:
    if not re.fullmatch(r"[0-9]{9}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0 and digits != "000000000"


def refuse_pupil_data(sheet: Sheet, file: str, *, allowed: set[str] = frozenset()) -> None:
    """Refuse columns that identify pupils: names, birth dates, citizen or education numbers."""
    if not sheet.rows:
        return
    header = sheet.rows[0]
    for name in header:
        if name.strip().lower() in allowed:
            continue
        if PERSONAL_HEADERS.match(name.strip()):
            raise DataFileError(
                _(
                    "this looks like data about individual pupils (column “%(name)s”); "
                    "Stelsel holds figures per school only"
                )
                % {"name": name},
                file=file,
                sheet=sheet.name,
                row=1,
                column=name,
            )
    for number, row in enumerate(sheet.rows[1:], start=2):
        for index, cell in enumerate(row):
            if _elfproef(cell.replace(" ", "")):
                raise DataFileError(
                    _(
                        "this looks like a citizen service number; Stelsel holds figures per "
                        "school only, never data about a pupil"
                    ),
                    file=file,
                    sheet=sheet.name,
                    row=number,
                    column=header[index] if index < len(header) else str(index + 1),
                )
