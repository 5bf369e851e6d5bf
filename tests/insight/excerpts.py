"""The inspectorate's excerpts in tests/insight/data, and files built from them at run time.

`leerresultaten-po-excerpt.ods` holds 61 schools of "Leerresultaten primair onderwijs
2023-2024-2025" (all 25 of board 41646 and 36 others), the original bytes.
`schoolweging-excerpt.ods` is "Schoolweging 2021/2022 - 2022/2023 - 2023/2024" cut to the same 61
OVTs: the rows of the other schools were removed from the sheets `Driejaarsgemiddelde`,
`2023-2024`, `2022-2023` and `2021-2022`; everything else is the published file. Bron: Inspectie
van het Onderwijs. `duo-alle-vestigingen-bo-excerpt.csv` is the first five lines of DUO's file of
all primary school locations.

The builders write the excerpt's table as CSV (either separator and decimal sign), XLSX and ODS,
so one set of figures is checked in every format the importer accepts.
"""

import csv
import io
import zipfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import openpyxl
from python_calamine import CalamineWorkbook

from stelsel.organisations.models import Board
from tests.factories import make_board, make_school

DATA = Path(__file__).resolve().parent / "data"
RESULTS = DATA / "leerresultaten-po-excerpt.ods"
SCHOOLWEGING = DATA / "schoolweging-excerpt.ods"
DUO_LOCATIONS = DATA / "duo-alle-vestigingen-bo-excerpt.csv"
BOARD = "41646"

# The columns of the results file without the inspectorate's computed columns.
YEARLY_COLUMNS = 10
# Columns with a decimal comma in the published file (percentages, pupils are whole numbers).
COMMA_COLUMNS = {1, 2, 4, 5, 7, 8, 14, 15}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


@cache
def _sheet(path: Path, name: str) -> tuple[tuple[str, ...], ...]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    return tuple(tuple(_text(v) for v in row) for row in rows if any(v != "" for v in row))


def results_rows() -> list[list[str]]:
    """The excerpt's `Data` sheet as text, header first, as a spreadsheet program shows it."""
    return [list(row) for row in _sheet(RESULTS, "Data")]


def without_computed(rows: list[list[str]]) -> list[list[str]]:
    return [row[:YEARLY_COLUMNS] for row in rows]


def with_decimal_point(rows: list[list[str]]) -> list[list[str]]:
    """The percentages with a decimal point instead of the published comma."""
    return [rows[0]] + [
        [c.replace(",", ".") if i in COMMA_COLUMNS else c for i, c in enumerate(row)]
        for row in rows[1:]
    ]


def board_ovts() -> dict[str, str]:
    """The OVTs the schoolweging excerpt names for board 41646, with their names."""
    return {
        row[0]: row[1] for row in _sheet(SCHOOLWEGING, "Driejaarsgemiddelde")[1:] if row[2] == BOARD
    }


def published_outcomes() -> dict[tuple[str, str], tuple[str, str]]:
    """(OVT, indicator) → (3-year percentage with a point, outcome) as the excerpt publishes."""
    words = {
        "Boven de signaleringswaarde": "above",
        "Onder de signaleringswaarde": "below",
        "Kleine school - Beoordeling over 5 jaar": "small_school",
        "Te weinig gegevens": "insufficient_data",
    }
    out = {}
    for row in results_rows()[1:]:
        out[(row[0], "1F")] = (row[14].replace(",", "."), words[row[17]])
        out[(row[0], "1S/2F")] = (row[15].replace(",", "."), words[row[18]])
    return out


def to_csv(rows, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def _typed(value: str):
    """A cell as a spreadsheet program keeps it: numbers written with a point (or none) are
    numbers, everything else (the inspectorate's decimal commas among it) is text."""
    try:
        return int(value) if value.isdigit() else float(value) if "." in value else value
    except ValueError:
        return value


def to_xlsx(rows, *, sheet: str = "Data", formulas: dict[str, str] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for number, row in enumerate(rows):
        worksheet.append(list(row) if number == 0 else [_typed(c) for c in row])
    for cell, formula in (formulas or {}).items():
        worksheet[cell] = formula
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def to_ods(sheets: dict[str, list[list[str]]], *, formulas: dict | None = None) -> bytes:
    """A plain ODS workbook of text cells; `formulas` maps (sheet, row, column), 1-based, to
    a formula written in that cell (with a cached value, as office programs save it)."""
    formulas = formulas or {}
    tables = []
    for name, rows in sheets.items():
        xml_rows = []
        for r, row in enumerate(rows, start=1):
            cells = []
            for c, value in enumerate(row, start=1):
                formula = formulas.get((name, r, c))
                if formula:
                    cells.append(
                        f"<table:table-cell table:formula={quoteattr('of:' + formula)} "
                        'office:value-type="float" office:value="2"><text:p>2</text:p>'
                        "</table:table-cell>"
                    )
                elif value == "":
                    cells.append("<table:table-cell/>")
                else:
                    cells.append(
                        '<table:table-cell office:value-type="string">'
                        f"<text:p>{escape(value)}</text:p></table:table-cell>"
                    )
            xml_rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
        tables.append(
            f"<table:table table:name={quoteattr(name)}>{''.join(xml_rows)}</table:table>"
        )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def schoolweging_sheets() -> dict[str, list[list[str]]]:
    """The schoolweging excerpt's data sheets as text."""
    return {
        name: [list(row) for row in _sheet(SCHOOLWEGING, name)]
        for name in ("Driejaarsgemiddelde", "2023-2024", "2022-2023", "2021-2022")
    }


def schoolweging_of_other_period() -> bytes:
    """The excerpt moved back one year: the schoolweging of 2020/2021-2022/2023, which the
    results 2023-2025 do not use."""
    sheets = schoolweging_sheets()
    three = sheets.pop("Driejaarsgemiddelde")
    three[0][3] = "schoolweging 2020-2021, 2021-2022, 2022-2023"
    moved = {"Driejaarsgemiddelde": three}
    for name, rows in sheets.items():
        start, end = (int(y) for y in name.split("-"))
        moved[f"{start - 1}-{end - 1}"] = rows
    return to_ods(moved)


def board_41646(*, schools: int | None = None, board: Board | None = None) -> Board:
    """Board 41646 with a school for each BRIN of its OVTs in the excerpt (or the first
    `schools` of them); `board` renumbers an existing board instead of making one."""
    if board is None:
        board = make_board(name="Stichting uit het uittreksel", number=BOARD)
    else:
        board.number = BOARD
        board.save()
    brins = sorted({code.split("|")[0] for code in board_ovts()})
    for n, brin in enumerate(brins[:schools] if schools is not None else brins):
        make_school(board, name=f"School {brin}", instellingscode=brin, vestigingscode=f"{brin}00")
        assert n < 100
    return board
