"""A report's figures as an Excel workbook (openpyxl): an overview sheet about the report, then
one sheet per data block with its tables one below the other.

Numbers stay numbers (to calculate with); a cell the report leaves empty (missing, or withheld
because a group is too small) is an empty cell, and the table's note under it says why. Text
that a spreadsheet would run as a formula is written as text.
"""

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from stelsel.reports.outputs.common import Progress, about, is_number, source_line, ticker
from stelsel.reports.text import plain
from stelsel.selfevaluation.exports import safe

HEADER_FILL = PatternFill("solid", fgColor="EEF4FB")
MUTED = Font(color="4F5B69", italic=True)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
SHEET_NAME_LIMIT = 31
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, not starting or
    ending with an apostrophe, and unlike every name already taken (compared as Excel does,
    without regard to case)."""
    base = FORBIDDEN.sub(" ", title)
    base = re.sub(r"\s+", " ", base).strip().strip("'").strip() or _("Section")
    name = base[:SHEET_NAME_LIMIT].rstrip()
    number = 2
    # Excel keeps "History" for itself: a sheet of that name makes a workbook it must repair.
    while name.lower() in taken or name.lower() == "history":
        suffix = f" ({number})"
        name = base[: SHEET_NAME_LIMIT - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(name.lower())
    return name


def _value(value):
    if value is None:
        return None
    if is_number(value):
        return value
    return safe(str(value))


def _line(sheet, row: int, text: str, font=None) -> int:
    cell = sheet.cell(row=row, column=1, value=safe(text))
    if font is not None:
        cell.font = font
    return row + 1


def _table(sheet, row: int, table: dict, widths: dict[int, int]) -> int:
    row = _line(sheet, row, table["caption"], BOLD)
    for index, title in enumerate(table["columns"], start=1):
        cell = sheet.cell(row=row, column=index, value=safe(title))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths[index] = max(widths.get(index, 10), min(len(title) + 2, 30))
    row += 1
    for values in table["rows"]:
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=index, value=_value(value))
            if isinstance(value, str):
                widths[index] = max(widths.get(index, 10), min(len(value) + 2, 60))
                if len(value) > 60:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    if table.get("note"):
        row = _line(sheet, row, table["note"], MUTED)
    return row + 1


def _overview(sheet, snapshot: dict) -> None:
    info = about(snapshot)
    sheet.title = sheet_name(_("Overview"), set())
    sheet.cell(row=1, column=1, value=safe(info.title)).font = TITLE
    row = 3
    for label, value in info.lines():
        sheet.cell(row=row, column=1, value=safe(label)).font = BOLD
        sheet.cell(row=row, column=2, value=safe(value))
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value=_("Contents")).font = BOLD
    row += 1
    for section in snapshot.get("sections", []):
        sheet.cell(row=row, column=1, value=safe(section["title"]))
        if section["kind"] == "text" and section.get("text", "").strip():
            text = sheet.cell(row=row, column=2, value=safe(plain(section["text"])))
            text.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90


def render(snapshot: dict, progress: Progress = None) -> bytes:
    book = Workbook()
    _overview(book.active, snapshot)
    taken = {book.active.title.lower()}
    sections = snapshot.get("sections", [])
    step = ticker(progress, 0.0, 0.95, len(sections))
    for section in sections:
        block = section.get("block")
        if not block:
            step()
            continue
        sheet = book.create_sheet(sheet_name(section["title"], taken))
        row = _line(sheet, 1, section["title"], TITLE)
        row = _line(sheet, row, source_line(block), MUTED) + 1
        widths: dict[int, int] = {}
        for table in block.get("tables", []):
            row = _table(sheet, row, table, widths)
        for note in block.get("notes", []):
            row = _line(sheet, row, note, MUTED)
        if block.get("empty") and not block.get("tables"):
            row = _line(sheet, row, block["empty"], MUTED)
        for index, width in widths.items():
            sheet.column_dimensions[get_column_letter(index)].width = width
        step()
    buffer = io.BytesIO()
    book.save(buffer)
    if progress is not None:
        progress(1.0)
    return buffer.getvalue()
