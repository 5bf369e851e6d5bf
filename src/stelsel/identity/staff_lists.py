"""Reading a staff list into rows: a CSV or Excel file, or addresses pasted into a form.

Schools keep their staff lists in whatever the administration system exports: CSV from Excel in
Windows-1252 with semicolons, UTF-8 with a byte-order mark and commas, an .xlsx workbook, or a
column of addresses copied from a mail program. All of them end up as the same rows, numbered
as the person sees them in their file (the header is row 1), so a problem can be pointed at.
Checking the rows against the board is `staff_import`'s.
"""

import codecs
import csv
import io
import re
import zipfile
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 30

# Header names, compared after lower-casing and dropping spaces, dashes and underscores.
HEADERS = {
    "name": {"naam", "name", "volledigenaam", "fullname"},
    "email": {"email", "emailadres", "emailaddress", "mail", "mailadres"},
    "school": {"school", "locatie", "vestiging", "schoolnaam"},
    "role": {"rol", "role", "functie"},
}


class StaffListError(Exception):
    """The list cannot be read at all; the message says why, for the person who uploaded it."""


@dataclass(frozen=True)
class ListRow:
    row: int  # as the person sees it: in a file the header is row 1, in a paste the first line
    name: str
    email: str
    school: str
    role: str

    def as_dict(self) -> dict:
        return asdict(self)


def _header_key(cell: str) -> str | None:
    plain = re.sub(r"[\s\-_.]", "", cell.strip().lower())
    for key, names in HEADERS.items():
        if plain in names:
            return key
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _cell(values: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    return values[index] if index is not None and index < len(values) else ""


def _rows_from_table(table, *, school: str = "", role: str = "") -> list[ListRow]:
    """Rows from a table whose first non-empty row is the header; blank cells for school and
    role take the given defaults."""
    rows: list[ListRow] = []
    columns: dict[str, int] | None = None
    for number, cells in enumerate(table, start=1):
        values = [_text(cell) for cell in cells]
        if not any(values):
            continue
        if columns is None:
            columns = {}
            for index, value in enumerate(values):
                key = _header_key(value)
                if key and key not in columns:
                    columns[key] = index
            if "email" not in columns:
                raise StaffListError(
                    _(
                        "The list has no email column. The first row must name the columns, "
                        "for example: name, email, school, role."
                    )
                )
            continue
        if len(rows) >= MAX_ROWS:
            raise StaffListError(
                _("The list has more than %(max)d people; split it into smaller lists.")
                % {"max": MAX_ROWS}
            )

        rows.append(
            ListRow(
                row=number,
                name=_cell(values, columns, "name"),
                email=_cell(values, columns, "email"),
                school=_cell(values, columns, "school") or school,
                role=_cell(values, columns, "role") or role,
            )
        )
    if not rows:
        raise StaffListError(_("The list is empty: there is nobody in it."))
    return rows


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise _not_a_list() from None
    if "\x00" in text:
        raise _not_a_list()
    return text


def _not_a_list() -> StaffListError:
    return StaffListError(
        _("This file is not a CSV or Excel (.xlsx) file. Save the list as one of those.")
    )


def _delimiter(text: str) -> str:
    """The separator the header line uses most: semicolon (Dutch Excel), comma or tab."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_csv(data: bytes, **defaults) -> list[ListRow]:
    text = _decode(data)
    try:
        return _rows_from_table(
            csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)), **defaults
        )
    except csv.Error:
        raise _not_a_list() from None


def read_xlsx(data: bytes, **defaults) -> list[ListRow]:
    """The first sheet of a workbook, values as shown (formulas by their last result)."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _not_a_list() from None
    try:
        if not workbook.worksheets:
            raise StaffListError(_("The list is empty: there is nobody in it."))
        # A sheet may claim a million rows and sixteen thousand columns in a few bytes: read no
        # wider than a list's columns can be and no further than its rows can reach.
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS + 500, values_only=True)
        return _rows_from_table(rows, **defaults)
    finally:
        workbook.close()


def read_file(
    data: bytes, filename: str = "", *, school: str = "", role: str = ""
) -> list[ListRow]:
    """Rows of an uploaded list; the content decides whether it is a workbook or CSV."""
    if len(data) > MAX_BYTES:
        raise StaffListError(
            _("The file is larger than %(max)d MB.") % {"max": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise StaffListError(_("The list is empty: there is nobody in it."))
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data, school=school, role=role)
    if data.startswith(b"\xd0\xcf\x11\xe0") or filename.lower().endswith((".xls", ".ods")):
        raise StaffListError(
            _("Old Excel (.xls) and other spreadsheet files cannot be read; save as .xlsx or CSV.")
        )
    return read_csv(data, school=school, role=role)


_ANGLED = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]*)>\s*$")


def _split_line(line: str) -> tuple[str, str]:
    """Name and address of one pasted line: `email`, `Name <email>`, `Name; email`,
    `Name, email`, `Name<tab>email` (the address may also come first) or `Name email`."""
    match = _ANGLED.match(line)
    if match:
        return " ".join(match["name"].split()).strip("\"'"), match["email"].strip()
    for sep in ("\t", ";", ","):
        if sep in line:
            first, last = (" ".join(part.split()) for part in line.rsplit(sep, 1))
            if "@" in first and "@" not in last:
                first, last = last, first
            return first.strip(" \"'"), last
    words = line.split()
    if len(words) > 1 and "@" in words[-1]:
        return " ".join(words[:-1]).strip("\"'"), words[-1]
    return "", line.strip()


def read_paste(text: str, *, school: str = "", role: str = "") -> list[ListRow]:
    """Rows of pasted lines, one person per line; every line gets the form's school and role."""
    if len(text.encode()) > MAX_BYTES:
        raise StaffListError(
            _("The text is larger than %(max)d MB.") % {"max": MAX_BYTES // (1024 * 1024)}
        )
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if len(rows) >= MAX_ROWS:
            raise StaffListError(
                _("The list has more than %(max)d people; split it into smaller lists.")
                % {"max": MAX_ROWS}
            )
        name, email = _split_line(line)
        rows.append(ListRow(row=number, name=name, email=email, school=school, role=role))
    if not rows:
        raise StaffListError(_("The list is empty: there is nobody in it."))
    return rows
