"""PDF and Excel exports of results. Both take the same Results object as the page, so the
same cells are hidden: an export can never show what the page suppressed."""

import io
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from stelsel.lib.date_formats import short_date
from stelsel.selfevaluation.aggregation import Cell, CellState
from stelsel.selfevaluation.selectors import Results

PDF_CSS = Path(__file__).resolve().parent / "static" / "selfevaluation" / "report.css"
HEADER_FILL = PatternFill("solid", fgColor="EEF4FB")


def cell_text(cell: Cell) -> str:
    if cell.state != CellState.PUBLISHED:
        return _("too few answers")
    return "" if cell.mean is None else f"{cell.mean:.1f}"


def _cell_values(cell: Cell) -> tuple:
    """Mean, n, spread and don't-know share, or the reason in the first column and blanks."""
    if cell.state != CellState.PUBLISHED:
        return cell_text(cell), None, None, None
    mean = None if cell.mean is None else round(cell.mean, 2)
    share = None if cell.dont_know_share is None else round(cell.dont_know_share, 3)
    spread = "/".join(str(n) for n in cell.distribution) if cell.distribution else None
    return mean, cell.n, spread, share


def results_workbook(results: Results) -> bytes:
    book = Workbook()
    about = book.active
    about.title = _("About")
    round_ = results.round
    rows = [
        (_("Round"), round_.title),
        (_("Questionnaire"), round_.questionnaire_version.name),
        (_("For"), str(round_.school or round_.board)),
        (_("Period"), f"{short_date(round_.opens_on)} – {short_date(round_.closes_on)}"),
        (_("Anonymity threshold (k)"), round_.k),
        (_("Exported on"), short_date(timezone.localdate())),
        (
            _("Note"),
            _(
                "A group's figures are shown when at least k of them gave an answer other "
                "than “don't know”. A group that is not shown is left out of every figure, "
                "the total included (“all groups shown”)."
            ),
        ),
        *((_("Not shown"), note) for note in results.notes()),
    ]
    for row in rows:
        _append(about, list(row))
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 80

    groups = [str(p) for p in results.perspectives] + [results.total_label]
    standards = book.create_sheet(_("Per standard"))
    _header(standards, [_("Standard"), _("Name")] + groups)
    for section in results.sections:
        cells = [section.row.cells[p.pk] for p in results.perspectives] + [section.row.total]
        _append(
            standards,
            [section.section.standard.code, section.section.standard.name]
            + [_cell_values(c)[0] for c in cells],
        )

    statements = book.create_sheet(_("Per statement"))
    columns = [_("Standard"), _("Code"), _("Statement")]
    for group in groups:
        columns += [
            # Whole phrases, not f-strings: message extraction does not look inside f-strings.
            _("%(group)s: mean") % {"group": group},
            _("%(group)s: n") % {"group": group},
            _("%(group)s: spread") % {"group": group},
            _("%(group)s: don’t know") % {"group": group},
        ]
    _header(statements, columns)
    for section in results.sections:
        for item in section.items:
            row = [section.section.standard.code, item.item.code, item.item.text]
            cells = [item.row.cells[p.pk] for p in results.perspectives] + [item.row.total]
            for cell in cells:
                row.extend(_cell_values(cell))
            _append(statements, row)
    statements.column_dimensions["C"].width = 60
    for row in statements.iter_rows(min_row=2, min_col=3, max_col=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    comments = book.create_sheet(_("Comments"))
    _header(comments, [_("Standard"), _("Perspective"), _("Comment")])
    names = {p.pk: str(p) for p in results.perspectives}
    for section in results.sections:
        for perspective_id, texts in section.comments.items():
            for text in texts:
                _append(comments, [section.section.standard.code, names[perspective_id], text])
    comments.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """Text that a spreadsheet would run as a formula is written as text (a comment such as
    `=HYPERLINK(…)` comes from an anonymous respondent)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _append(sheet, row: list) -> None:
    sheet.append([safe(value) for value in row])


def _header(sheet, titles: list[str]) -> None:
    _append(sheet, titles)
    for index, _title in enumerate(titles, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = max(
            sheet.column_dimensions[get_column_letter(index)].width or 0, 14
        )
    sheet.freeze_panes = "A2"


def results_pdf(context: dict) -> bytes:
    """The results page's content as a printable report (same context, same cells)."""
    from weasyprint import CSS, HTML

    html = render_to_string("selfevaluation/results_pdf.html", context)
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PDF_CSS))])
