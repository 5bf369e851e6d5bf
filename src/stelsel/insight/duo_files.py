"""Parsing DUO's open-data files of exam results and pupil counts per school location.

DUO publishes them as CSV: semicolon-separated, decimal commas, values padded with spaces,
quoted names with doubled quotes, counts of 1 to 4 hidden as `<5`. Older files are
Windows-1252 and name a location `BRIN NUMMER` + `VESTIGINGSNUMMER`; newer ones are UTF-8
(some with a byte order mark) and say `INSTELLINGSCODE` + `VESTIGINGSCODE`. Column names vary a
little between files and years; the ones accepted are listed below, and a file without the
columns it needs is refused with what was expected, never guessed at.

The year of the figures is taken from a column when the file has one (`SCHOOLJAAR` such as
`2018-2019`, or `EXAMENJAAR`/`PEILDATUM`); otherwise the person importing gives it. The file
name is not relied on, but when it names a school year that contradicts the year given, the
file is refused: a year's results stored under the wrong year are worse than none.

Every problem stops the parse with the file, row and column and what was expected. The parse
reads the whole file before anything is planned or written.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from stelsel.insight.numbers import ColumnReader
from stelsel.insight.sheets import DataFileError, Sheet, decode, max_bytes, refuse_pupil_data
from stelsel.organisations.duo_schools import BRIN, LOCATION_NUMBER, VESTIGINGSCODE

MASKED = "<5"
IDENTIFIERS = {
    "instellingscode": ("INSTELLINGSCODE", "BRIN NUMMER", "BRINNUMMER", "BRIN"),
    "vestigingscode": ("VESTIGINGSCODE", "VESTIGINGSNUMMER", "BRINVESTIGINGSNUMMER"),
    "name": ("INSTELLINGSNAAM VESTIGING", "VESTIGINGSNAAM", "NAAM VESTIGING"),
    "board_number": ("BEVOEGD GEZAG NUMMER", "BEVOEGD GEZAG"),
}
EXAM_COLUMNS = {
    **IDENTIFIERS,
    "onderwijstype": ("ONDERWIJSTYPE VO", "ONDERWIJSTYPE"),
    "leerweg": ("LEERWEG VMBO", "LEERWEG"),
    "sector": ("VMBO SECTOR", "SECTOR"),
    "programme": ("AFDELING", "PROFIEL", "OPLEIDINGSNAAM"),
    "candidates": ("EXAMENKANDIDATEN", "AANTAL EXAMENKANDIDATEN"),
    "passed": ("GESLAAGDEN", "AANTAL GESLAAGDEN"),
    "failed": ("GEZAKTEN", "AANTAL GEZAKTEN"),
    "school_exam_mean": ("GEMIDDELD CIJFER SCHOOLEXAMEN", "GEMIDDELD CIJFER SE"),
    "central_exam_mean": ("GEMIDDELD CIJFER CENTRAAL EXAMEN", "GEMIDDELD CIJFER CE"),
    "list_mean": ("GEMIDDELD CIJFER CIJFERLIJST",),
    "school_year": ("SCHOOLJAAR",),
    "exam_year": ("EXAMENJAAR",),
}
EXAM_REQUIRED = (
    "instellingscode",
    "vestigingscode",
    "onderwijstype",
    "leerweg",
    "candidates",
    "passed",
    "central_exam_mean",
)
PUPIL_COLUMNS = {
    **IDENTIFIERS,
    "total": (
        "TOTAAL",
        "TOTAAL AANTAL LEERLINGEN",
        "AANTAL LEERLINGEN",
        "TOTAAL LEERLINGEN",
        "LEERLINGEN",
    ),
    "reference_date": ("PEILDATUM", "TELDATUM", "PEILDATUM LEERLINGEN"),
    "school_year": ("SCHOOLJAAR",),
}
PUPIL_REQUIRED = ("instellingscode", "vestigingscode", "total")
# Columns that split a location's pupils into groups whose counts add up to its total.
PUPIL_GROUPS = (
    "ONDERWIJSTYPE VO",
    "ONDERWIJSTYPE",
    "LEERWEG",
    "LEERWEG VMBO",
    "OPLEIDINGSCODE",
    "OPLEIDINGSNAAM",
    "ELEMENTCODE",
    "ELEMENTNAAM",
    "SOORT PO",
    "AFDELING",
    "GESLACHT",
)
ONDERWIJSTYPES = {"VMBO": "VMBO", "HAVO": "HAVO", "VWO": "VWO"}
LEERWEGEN = {
    "BL": "vmbo-b",
    "BB": "vmbo-b",
    "KL": "vmbo-k",
    "KB": "vmbo-k",
    "GL": "vmbo-gt",
    "TL": "vmbo-gt",
    "GT": "vmbo-gt",
}
SCHOOL_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s*[-/]\s*((?:19|20)[0-9]{2})")
PLAIN_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
FORMULA_START = ("=", "+", "@")
NUMBER_LIKE = re.compile(r"\+?[0-9]+([.,][0-9]+)?")


def header_key(name: str) -> str:
    """DUO writes `BRIN NUMMER`, `BRIN_NUMMER` and ` brin nummer `: all the same column."""
    return re.sub(r"[\s_]+", " ", name.strip().strip('"').upper())


@dataclass
class Table:
    """A DUO CSV file as text cells, each row with its line in the file (1 = the header)."""

    file: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    columns: dict[str, int] = field(default_factory=dict)

    def error(self, reason: str, row: int | None = None, column: str = "") -> DataFileError:
        return DataFileError(reason, file=self.file, row=row, column=column)

    def has(self, key: str) -> bool:
        return key in self.columns

    def name(self, key: str) -> str:
        return self.header[self.columns[key]]

    def cell(self, cells: list[str], key: str) -> str:
        return cells[self.columns[key]] if key in self.columns else ""

    def as_sheet(self) -> Sheet:
        """The rows at their lines (blank lines kept empty), for checks that name a row."""
        lines: list[list[str]] = [self.header]
        for number, cells in self.rows:
            lines.extend([] for _ in range(number - 1 - len(lines)))
            lines.append(cells)
        return Sheet("", lines)


def read_table(data: bytes, file: str) -> Table:
    """The CSV as rows of cleaned text cells, with their line numbers; refuse what is not one."""
    if len(data) > max_bytes():
        raise DataFileError(
            _("the file is larger than %(limit)s, the most Stelsel reads")
            % {"limit": filesizeformat(max_bytes())},
            file=file,
        )
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise DataFileError(
            _(
                "this is a spreadsheet; DUO publishes this file as CSV: upload the CSV as "
                "downloaded (or save the sheet as CSV, separated by semicolons)"
            ),
            file=file,
        )
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        raise DataFileError(
            _("not a text file in UTF-8 or Windows-1252"),
            file=file,
            row=data[: exc.start].count(b"\n") + 1,
        ) from None
    if not text.strip():
        raise DataFileError(_("the file is empty"), file=file)
    if "\x00" in text:
        raise DataFileError(_("not a CSV file (it holds NUL bytes)"), file=file)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        header = [" ".join(h.split()) for h in next(reader)]
        line = reader.line_num + 1
        for raw in reader:
            number, line = line, reader.line_num + 1
            rows.append((number, [" ".join(cell.split()) for cell in raw]))
    except csv.Error as exc:
        raise DataFileError(
            _("not readable as CSV (%(error)s)") % {"error": exc}, file=file, row=line
        ) from None
    width = len(header)
    kept = []
    for number, cells in rows:
        if not any(cells):
            continue  # a blank line, as at the end of many files
        if len(cells) == width + 1 and cells[-1] == "":
            cells = cells[:-1]  # a trailing separator
        if len(cells) != width:
            raise DataFileError(
                _("expected %(width)d fields as in the header, found %(found)d")
                % {"width": width, "found": len(cells)},
                file=file,
                row=number,
            )
        for index, cell in enumerate(cells):
            if cell.startswith(FORMULA_START) and not NUMBER_LIKE.fullmatch(cell):
                raise DataFileError(
                    _("holds a formula (%(cell)s); save the file with values only")
                    % {"cell": cell[:30]},
                    file=file,
                    row=number,
                    column=header[index],
                )
        kept.append((number, cells))
    return Table(file=file, header=header, rows=kept)


def _find_columns(
    table: Table, columns: dict[str, tuple[str, ...]], required: tuple[str, ...], expected: str
) -> None:
    keys = [header_key(h) for h in table.header]
    for key, aliases in columns.items():
        found = [keys.index(alias) for alias in aliases if alias in keys]
        if found:
            table.columns[key] = found[0]
    missing = [columns[key][0] for key in required if key not in table.columns]
    if missing:
        raise table.error(
            _("missing column(s) %(missing)s; expected %(expected)s")
            % {"missing": ", ".join(missing), "expected": expected},
            row=1,
        )


def _location(table: Table, cells: list[str], number: int) -> tuple[str, str]:
    brin = table.cell(cells, "instellingscode").upper()
    if not brin.isascii() or not BRIN.fullmatch(brin):
        raise table.error(
            _("expected an instellingscode of two digits and two letters, found “%(value)s”")
            % {"value": brin[:20]},
            row=number,
            column=table.name("instellingscode"),
        )
    vestiging = table.cell(cells, "vestigingscode").upper()
    if vestiging.isascii() and LOCATION_NUMBER.fullmatch(vestiging):
        vestiging = brin + vestiging.zfill(2)
    if not (vestiging.isascii() and VESTIGINGSCODE.fullmatch(vestiging)) or not (
        vestiging.startswith(brin)
    ):
        raise table.error(
            _(
                "expected a vestigingscode: the instellingscode %(brin)s followed by two digits, "
                "found “%(value)s”"
            )
            % {"brin": brin, "value": vestiging[:20]},
            row=number,
            column=table.name("vestigingscode"),
        )
    return brin, vestiging


def _count(table: Table, reader: ColumnReader, cells, key: str, number: int) -> int | None:
    """A count, None when DUO hides it (`<5`); empty is a mistake, not a zero."""
    cell = table.cell(cells, key)
    if cell == MASKED:
        return None
    if not cell:
        raise table.error(
            _("expected a number (or <5), found an empty cell"),
            row=number,
            column=table.name(key),
        )
    return reader.count(cell, number, what=_("a count"))


def _mean(reader: ColumnReader, cell: str, number: int) -> Decimal | None:
    if not cell or cell == MASKED:
        return None
    return reader.decimal(cell, number, low=Decimal(1), high=Decimal(10), what=_("a mean grade"))


# --- years -----------------------------------------------------------------------------------


def school_year_end(cell: str) -> int | None:
    """`2018-2019`, `2018/2019` and `2018 - 2019` name the school year ending in 2019."""
    found = SCHOOL_YEAR.fullmatch(cell.strip())
    if found and int(found.group(2)) == int(found.group(1)) + 1:
        return int(found.group(2))
    return None


def year_in_file_name(file: str) -> int | None:
    name = file.replace("\\", "/").rsplit("/", 1)[-1]
    for found in re.finditer(r"((?:19|20)[0-9]{2})[-_]((?:19|20)[0-9]{2})", name):
        if int(found.group(2)) == int(found.group(1)) + 1:
            return int(found.group(2))
    return None


def check_given_year(file: str, year: int | None, needed: bool) -> None:
    """The year a person gives must be there when the file has none, and must not contradict
    the school year the file's name states."""
    if year is None:
        if needed:
            raise DataFileError(
                _(
                    "the file has no column with the school year; give the year of the figures "
                    "(the calendar year in which the school year ends: 2019 for 2018-2019)"
                ),
                file=file,
            )
        return
    if not 2000 <= year <= 2100:
        raise DataFileError(_("the year %(year)s is not a school year") % {"year": year}, file=file)
    named = year_in_file_name(file)
    if named is not None and named != year:
        raise DataFileError(
            _(
                "the file's name says %(first)s-%(last)s (the year %(last)s), but the year given "
                "is %(year)s; years are named by the calendar year in which the school year ends"
            )
            % {"first": named - 1, "last": named, "year": year},
            file=file,
        )


def _row_year(table: Table, cells, number: int, given: int | None) -> int:
    if table.has("exam_year"):
        cell = table.cell(cells, "exam_year")
        if not PLAIN_YEAR.fullmatch(cell):
            raise table.error(
                _("expected the exam year such as 2019, found “%(value)s”") % {"value": cell[:20]},
                row=number,
                column=table.name("exam_year"),
            )
        year = int(cell)
        column = "exam_year"
    elif table.has("school_year"):
        cell = table.cell(cells, "school_year")
        year = school_year_end(cell)
        column = "school_year"
        if year is None:
            raise table.error(
                _(
                    "expected a school year such as 2018-2019, found “%(value)s” (a single year "
                    "does not say whether the school year starts or ends in it)"
                )
                % {"value": cell[:20]},
                row=number,
                column=table.name("school_year"),
            )
    else:
        return given  # checked before: given when the file has no year
    if given is not None and year != given:
        raise table.error(
            _("the file says %(found)s here, but the year given is %(given)s")
            % {"found": year, "given": given},
            row=number,
            column=table.name(column),
        )
    return year


# --- exam results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExamRow:
    row: int
    instellingscode: str
    vestigingscode: str
    name: str
    board_number: str
    year: int
    onderwijstype: str
    leerweg: str
    sector: str
    programme: str
    afdeling: str
    candidates: int | None
    passed: int | None
    failed: int | None
    school_exam_mean: Decimal | None
    central_exam_mean: Decimal | None
    list_mean: Decimal | None

    @property
    def key(self) -> tuple:
        return (
            self.vestigingscode,
            self.year,
            self.onderwijstype,
            self.leerweg,
            self.sector,
            self.programme,
        )

    @property
    def masked(self) -> bool:
        return None in (self.candidates, self.passed)


@dataclass
class ExamFile:
    file: str
    rows: list[ExamRow]

    @property
    def years(self) -> list[int]:
        return sorted({row.year for row in self.rows})


EXAMS_EXPECTED = (
    "DUO's file of exam results per school location (geslaagden, gezakten en cijfers) with "
    "BRIN NUMMER or INSTELLINGSCODE, VESTIGINGSNUMMER or VESTIGINGSCODE, ONDERWIJSTYPE VO, "
    "LEERWEG VMBO, EXAMENKANDIDATEN, GESLAAGDEN and GEMIDDELD CIJFER CENTRAAL EXAMEN"
)


def _afdeling(table: Table, cells, number: int) -> tuple[str, str, str]:
    raw = table.cell(cells, "onderwijstype").upper()
    kind = ONDERWIJSTYPES.get(raw)
    if kind is None:
        raise table.error(
            _("expected VMBO, HAVO or VWO, found “%(value)s”") % {"value": raw[:20]},
            row=number,
            column=table.name("onderwijstype"),
        )
    leerweg = table.cell(cells, "leerweg").upper()
    if kind != "VMBO":
        if leerweg:
            raise table.error(
                _("%(kind)s has no vmbo leerweg, found “%(value)s”")
                % {"kind": kind, "value": leerweg[:20]},
                row=number,
                column=table.name("leerweg"),
            )
        return kind, "", kind.lower()
    if leerweg not in LEERWEGEN:
        raise table.error(
            _("expected the vmbo leerweg BL, KL, GL or TL, found “%(value)s”")
            % {"value": leerweg[:20]},
            row=number,
            column=table.name("leerweg"),
        )
    return kind, leerweg, LEERWEGEN[leerweg]


def parse_exams(data: bytes, file: str, *, year: int | None = None) -> ExamFile:
    """Parse DUO's exam results file; raise DataFileError at the first problem."""
    table = read_table(data, file)
    _find_columns(table, EXAM_COLUMNS, EXAM_REQUIRED, EXAMS_EXPECTED)
    refuse_pupil_data(table.as_sheet(), file)
    check_given_year(file, year, needed=not (table.has("school_year") or table.has("exam_year")))
    if not table.rows:
        raise table.error(_("the file has a header but no rows"), row=2)
    readers = {
        key: ColumnReader(table.name(key), file=file)
        for key in (
            "candidates",
            "passed",
            "failed",
            "school_exam_mean",
            "central_exam_mean",
            "list_mean",
        )
        if table.has(key)
    }
    rows: list[ExamRow] = []
    seen: dict[tuple, int] = {}
    for number, cells in table.rows:
        brin, vestiging = _location(table, cells, number)
        kind, leerweg, afdeling = _afdeling(table, cells, number)
        counts = {
            key: _count(table, readers[key], cells, key, number)
            for key in ("candidates", "passed", "failed")
            if table.has(key)
        }
        candidates, passed, failed = (counts.get(k) for k in ("candidates", "passed", "failed"))
        if candidates is not None and passed is not None and passed > candidates:
            raise table.error(
                _("more passed (%(passed)s) than candidates (%(candidates)s)")
                % {"passed": passed, "candidates": candidates},
                row=number,
                column=table.name("passed"),
            )
        if None not in (candidates, passed, failed) and passed + failed != candidates:
            raise table.error(
                _("passed (%(passed)s) and failed (%(failed)s) do not add up to %(candidates)s")
                % {"passed": passed, "failed": failed, "candidates": candidates},
                row=number,
                column=table.name("failed"),
            )
        means = {
            key: _mean(readers[key], table.cell(cells, key), number)
            for key in ("school_exam_mean", "central_exam_mean", "list_mean")
            if table.has(key)
        }
        row = ExamRow(
            row=number,
            instellingscode=brin,
            vestigingscode=vestiging,
            name=table.cell(cells, "name")[:200],
            board_number=table.cell(cells, "board_number"),
            year=_row_year(table, cells, number, year),
            onderwijstype=kind,
            leerweg=leerweg,
            sector=table.cell(cells, "sector")[:60],
            programme=table.cell(cells, "programme")[:200],
            afdeling=afdeling,
            candidates=candidates,
            passed=passed,
            failed=failed,
            school_exam_mean=means.get("school_exam_mean"),
            central_exam_mean=means.get("central_exam_mean"),
            list_mean=means.get("list_mean"),
        )
        if row.key in seen:
            raise table.error(
                _("the same location, year and exam line appears twice (also on row %(other)d)")
                % {"other": seen[row.key]},
                row=number,
                column=table.name("vestigingscode"),
            )
        seen[row.key] = number
        rows.append(row)
    return ExamFile(file=file, rows=rows)


# --- pupil counts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PupilRow:
    row: int
    instellingscode: str
    vestigingscode: str
    name: str
    board_number: str
    measured_on: date
    group: tuple[str, ...]
    pupils: int | None  # None: hidden by DUO as <5


@dataclass
class PupilFile:
    file: str
    rows: list[PupilRow]
    total_column: str

    @property
    def dates(self) -> list[date]:
        return sorted({row.measured_on for row in self.rows})


PUPILS_EXPECTED = (
    "DUO's file of pupils per school location with BRIN NUMMER or INSTELLINGSCODE, "
    "VESTIGINGSNUMMER or VESTIGINGSCODE and a total column (TOTAAL or AANTAL LEERLINGEN)"
)
DATE_FORMATS = (
    re.compile(r"(?P<y>(?:19|20)[0-9]{2})(?P<m>[0-9]{2})(?P<d>[0-9]{2})"),
    re.compile(r"(?P<y>(?:19|20)[0-9]{2})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"),
    re.compile(r"(?P<d>[0-9]{1,2})[-/](?P<m>[0-9]{1,2})[-/](?P<y>(?:19|20)[0-9]{2})"),
)


def _reference_date(table: Table, cells, number: int, given: int | None) -> date:
    """1 October of the school year: from a reference date (which must be 1 October), a school
    year column, or the year given (the school year's end: 2024 means 1 October 2023)."""
    if table.has("reference_date"):
        cell = table.cell(cells, "reference_date")
        column = table.name("reference_date")
        found = next((f.fullmatch(cell) for f in DATE_FORMATS if f.fullmatch(cell)), None)
        try:
            day = date(int(found["y"]), int(found["m"]), int(found["d"])) if found else None
        except ValueError:
            day = None
        if day is None:
            raise table.error(
                _("expected a date such as 20231001 or 01-10-2023, found “%(value)s”")
                % {"value": cell[:20]},
                row=number,
                column=column,
            )
        if (day.month, day.day) != (10, 1):
            raise table.error(
                _(
                    "the pupils were counted on %(date)s; Stelsel keeps the count of 1 October "
                    "(the indicator “Leerlingen op 1 oktober”)"
                )
                % {"date": day.isoformat()},
                row=number,
                column=column,
            )
        end = day.year + 1
        if given is not None and end != given:
            raise table.error(
                _(
                    "the file says %(date)s here (school year %(first)s-%(last)s), but the year "
                    "given is %(given)s"
                )
                % {"date": day.isoformat(), "first": day.year, "last": end, "given": given},
                row=number,
                column=column,
            )
        return day
    return date(_row_year(table, cells, number, given) - 1, 10, 1)


def parse_pupils(data: bytes, file: str, *, year: int | None = None) -> PupilFile:
    """Parse DUO's pupil counts per location; raise DataFileError at the first problem."""
    table = read_table(data, file)
    _find_columns(table, PUPIL_COLUMNS, PUPIL_REQUIRED, PUPILS_EXPECTED)
    refuse_pupil_data(table.as_sheet(), file, allowed={"geslacht"})
    check_given_year(
        file, year, needed=not (table.has("reference_date") or table.has("school_year"))
    )
    if not table.rows:
        raise table.error(_("the file has a header but no rows"), row=2)
    keys = [header_key(h) for h in table.header]
    groups = [keys.index(g) for g in PUPIL_GROUPS if g in keys]
    reader = ColumnReader(table.name("total"), file=file)
    rows: list[PupilRow] = []
    seen: dict[tuple, int] = {}
    for number, cells in table.rows:
        brin, vestiging = _location(table, cells, number)
        row = PupilRow(
            row=number,
            instellingscode=brin,
            vestigingscode=vestiging,
            name=table.cell(cells, "name")[:200],
            board_number=table.cell(cells, "board_number"),
            measured_on=_reference_date(table, cells, number, year),
            group=tuple(cells[i] for i in groups),
            pupils=_count(table, reader, cells, "total", number),
        )
        key = (row.vestigingscode, row.measured_on, row.group)
        if key in seen:
            raise table.error(
                _("the same location and date appears twice (also on row %(other)d)")
                % {"other": seen[key]},
                row=number,
                column=table.name("vestigingscode"),
            )
        seen[key] = number
        rows.append(row)
    return PupilFile(file=file, rows=rows, total_column=table.name("total"))
