"""A school's own figures from another system: a CSV or spreadsheet export, read through a
column mapping the board saves and reuses, planned, then applied at once.

Pupil-tracking, survey and absence systems each export their own columns. The mapping says
which column names the school (by BRIN and vestiging code, or by name; or one school for the
whole file), which holds the reference date (or one date for the whole file), and which
columns feed which own indicator. A saved mapping is reused as long as the file still has its
columns; otherwise the missing ones are named.

The plan checks every row before anything is written and names each problem with its row,
column and what was expected: an unknown school, another board's school, a school the user may
not enter figures for, a date in the future, a value that does not fit the indicator's unit, two
rows for the same school, indicator and date. A plan with problems is not applied; a plan
without them is applied in one transaction, the same rules as entry by hand (`measurements`).
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.insight.measurements import (
    PERCENT,
    date_error,
    fits_unit,
    measured_indicators,
    value_error,
)
from stelsel.insight.models import ColumnMapping, DataImport, ImportKind, Measurement
from stelsel.insight.numbers import ColumnReader
from stelsel.insight.sheets import DataFileError, Sheet, read_tables, refuse_pupil_data
from stelsel.insight.signals import signals_refresh
from stelsel.organisations.access import has_unit_permission
from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import Permission
from stelsel.organisations.units import BOARD_UNIT

BY_CODE, BY_NAME = "code", "name"
SAMPLE_ROWS = 3
MAX_CELL = 60  # characters of a cell kept for the mapping page's sample
MAX_PROBLEMS = 500  # a file this wrong is shown in part; nothing of it is applied anyway


# --- The mapping ----------------------------------------------------------------------------


@dataclass
class Mapping:
    """How one export's columns map onto measurements; saved as `ColumnMapping.columns`."""

    values: list[tuple[str, int]]  # (column, own indicator id)
    school_column: str = ""
    school_by: str = BY_CODE
    vestiging_column: str = ""  # a separate vestiging number beside a BRIN column
    unit: str = ""  # one unit for the whole file: a school's id, or BOARD_UNIT
    date_column: str = ""
    date: datetime.date | None = None  # one reference date for the whole file
    sheet: str = ""
    source: str = ""

    def columns(self) -> list[str]:
        """The file columns the mapping reads, in the order they are named."""
        used = [self.school_column, self.vestiging_column, self.date_column]
        return [c for c in used if c] + [column for column, _id in self.values]

    def missing(self, headers: list[str]) -> list[str]:
        present = set(headers)
        return [c for c in self.columns() if c not in present]

    def to_json(self) -> dict:
        return {
            "version": 1,
            "sheet": self.sheet,
            "school": (
                {"unit": self.unit}
                if self.unit
                else {
                    "column": self.school_column,
                    "by": self.school_by,
                    "vestiging_column": self.vestiging_column,
                }
            ),
            "date": (
                {"fixed": self.date.isoformat()} if self.date else {"column": self.date_column}
            ),
            "values": [{"column": c, "indicator": i} for c, i in self.values],
            "source": self.source,
        }

    @classmethod
    def from_json(cls, data) -> "Mapping":
        """A saved mapping; one that no longer reads (edited by hand) is refused."""
        try:
            school, day = data["school"], data["date"]
            return cls(
                values=[(str(v["column"]), int(v["indicator"])) for v in data["values"]],
                school_column=str(school.get("column", "")),
                school_by=BY_NAME if school.get("by") == BY_NAME else BY_CODE,
                vestiging_column=str(school.get("vestiging_column", "")),
                unit=str(school.get("unit", "")),
                date_column=str(day.get("column", "")),
                date=datetime.date.fromisoformat(day["fixed"]) if day.get("fixed") else None,
                sheet=str(data.get("sheet", "")),
                source=str(data.get("source", ""))[:200],
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise DataFileError(
                _("this saved column mapping cannot be read; map the columns again")
            ) from None


def column_mapping_save(*, board: Board, name: str, mapping: Mapping) -> ColumnMapping:
    """Keep a mapping under a name for the next export of the same kind; the same name
    replaces the earlier one."""
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError({"save_as": _("Give the mapping a name.")})
    saved, _created = ColumnMapping.objects.update_or_create(
        board=board, name=name, defaults={"columns": mapping.to_json()}
    )
    return saved


# --- Reading the export ---------------------------------------------------------------------


def read_export(data: bytes, file: str) -> list[Sheet]:
    """The sheets of the export that hold a table: a header row of distinct names and rows of
    figures (a sheet of explanation alone is left out). Refused whole: formulas, protected or
    unreadable workbooks, empty or oversized files (`sheets`), and any sheet that looks like
    data about individual pupils."""
    sheets = [s for s in read_tables(data, file) if s.rows and any(s.rows[0])]
    for sheet in sheets:
        refuse_pupil_data(sheet, file)
    tables = [s for s in sheets if len(s.rows) > 1]
    if not tables:
        raise DataFileError(
            _("the table has a header row but no rows of figures")
            if sheets
            else _("the file holds no table with a header row"),
            file=file,
        )
    for sheet in tables:
        seen: set[str] = set()
        for name in sheet.rows[0]:
            if name and name in seen:
                raise DataFileError(
                    _("two columns are called “%(name)s”; give every column its own name")
                    % {"name": name},
                    file=file,
                    sheet=sheet.name,
                    column=name,
                )
            seen.add(name)
    return tables


def outline(sheets: list[Sheet]) -> list[dict]:
    """What the mapping step shows of each sheet: its columns and the first few rows."""
    return [
        {
            "name": sheet.name,
            "headers": sheet.rows[0],
            "rows": len(sheet.rows) - 1,
            "sample": [
                [cell[:MAX_CELL] for cell in row] for row in sheet.rows[1 : 1 + SAMPLE_ROWS]
            ],
        }
        for sheet in sheets
    ]


def pick_sheet(sheets: list[Sheet], name: str, file: str) -> Sheet:
    if not name:
        return sheets[0]
    for sheet in sheets:
        if sheet.name == name:
            return sheet
    raise DataFileError(_("the file has no sheet “%(name)s”") % {"name": name}, file=file)


# --- The plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int | None  # the row as a spreadsheet program numbers it (1 = header)
    column: str
    message: str


@dataclass
class PlannedValue:
    row: int
    school: School | None
    indicator_id: int
    indicator: str
    unit: str
    measured_on: datetime.date
    value: Decimal
    action: str  # "create", "update" or "unchanged"
    previous: Decimal | None = None


@dataclass
class OwnFiguresPlan:
    file: str
    sheet: str
    rows: int = 0
    values: list[PlannedValue] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    empty_cells: int = 0
    source: str = ""
    warnings: list[str] = field(default_factory=list)  # worth a look, not in the way

    @property
    def ok(self) -> bool:
        return not self.problem_count

    @property
    def counts(self) -> Counter:
        return Counter(v.action for v in self.values)

    def add(self, row: int | None, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, column, message))


def _clean_code(text: str) -> str:
    return re.sub(r"[\s\-|]", "", text).upper()


def _clean_name(text: str) -> str:
    return " ".join(text.split()).casefold()


class _Schools:
    """Finds the board's school a row names, in one query for the board and one for the codes
    that belong to no school of it."""

    def __init__(self, board: Board):
        self.board = board
        self.schools = list(School.objects.filter(board=board).order_by("pk"))
        self.by_code = {s.vestigingscode.upper(): s for s in self.schools if s.vestigingscode}
        self.by_brin: dict[str, list[School]] = {}
        self.by_name: dict[str, list[School]] = {}
        for school in self.schools:
            self.by_brin.setdefault(school.instellingscode.upper(), []).append(school)
            self.by_name.setdefault(_clean_name(school.name), []).append(school)

    def find(self, text: str, by: str) -> tuple[School | None, str | None, str | None]:
        """(school, None, None), or (None, problem, unknown code to look up elsewhere)."""
        if by == BY_NAME:
            found = self.by_name.get(_clean_name(text), [])
            if len(found) == 1:
                return found[0], None, None
            if found:
                return (
                    None,
                    _(
                        "several schools of this board are called “%(name)s”; map the "
                        "schools by code"
                    )
                    % {"name": text},
                    None,
                )
            return None, _("no school of this board is called “%(name)s”") % {"name": text}, None
        code = _clean_code(text)
        if code in self.by_code:
            return self.by_code[code], None, None
        locations = self.by_brin.get(code, [])
        if len(locations) == 1:
            return locations[0], None, None
        if locations:
            return (
                None,
                _(
                    "BRIN %(brin)s has several locations in this board; give the vestiging code "
                    "(such as %(brin)s00) or map a column with the vestiging number"
                )
                % {"brin": code},
                None,
            )
        return None, None, code

    def elsewhere(self, codes: set[str]) -> set[str]:
        """The codes that name a school of another board."""
        if not codes:
            return set()
        others = School.objects.exclude(board=self.board).filter(
            Q(vestigingscode__in=codes) | Q(instellingscode__in=codes)
        )
        found = set()
        for vestiging, brin in others.values_list("vestigingscode", "instellingscode"):
            found |= {vestiging.upper(), brin.upper()}
        return found & codes


DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?")
DATE_DUTCH = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


def parse_day(text: str) -> datetime.date | None:
    """A date as exports write it: 2025-10-01 (also with a midnight time, as spreadsheets give
    it), or day first as Dutch systems do: 1-10-2025, 01/10/2025, 1.10.2025."""
    text = text.strip()
    try:
        if found := DATE_ISO.fullmatch(text):
            year, month, day = (int(g) for g in found.groups())
            return datetime.date(year, month, day)
        if found := DATE_DUTCH.fullmatch(text):
            day, month, year = (int(g) for g in found.groups())
            return datetime.date(year, month, day)
    except ValueError:
        return None
    return None


def _unit_for_file(mapping: Mapping, user, board: Board, schools: _Schools, file: str):
    """The one unit a mapping names for the whole file, checked: a school of the board (or the
    board itself) where the user enters figures."""
    if mapping.unit == BOARD_UNIT:
        if not has_unit_permission(user, board, Permission.ENTER_DATA, None):
            raise DataFileError(
                _("only the board office enters the board's own figures"), file=file
            )
        return None
    school = next((s for s in schools.schools if str(s.pk) == mapping.unit), None)
    if school is None:
        raise DataFileError(_("the mapping names a school that is not this board's"), file=file)
    if not has_unit_permission(user, board, Permission.ENTER_DATA, school):
        raise DataFileError(
            _("you may not enter figures for %(school)s") % {"school": school.name}, file=file
        )
    return school


def plan_own_figures(
    data: bytes, file: str, mapping: Mapping, *, board: Board, user
) -> OwnFiguresPlan:
    """Read the export through the mapping and check every row; write nothing.

    A problem with the file as a whole (unreadable, pupil data, columns the mapping needs that
    the file lacks, an indicator that is no longer measured) raises DataFileError; problems
    with rows are collected in the plan, each with its row and column."""
    sheets = read_export(data, file)
    sheet = pick_sheet(sheets, mapping.sheet, file)
    headers = sheet.rows[0]
    missing = mapping.missing(headers)
    if missing:
        raise DataFileError(
            _("the file lacks the column(s) the mapping needs: %(columns)s")
            % {"columns": ", ".join(f"“{c}”" for c in missing)},
            file=file,
            sheet=sheet.name,
        )
    if not mapping.values:
        raise DataFileError(_("map at least one column to an own indicator"), file=file)
    indicators = {i.pk: i for i in measured_indicators(board)}
    for column, indicator_id in mapping.values:
        if indicator_id not in indicators:
            raise DataFileError(
                _("column “%(column)s” feeds an indicator that is no longer measured; map it again")
                % {"column": column},
                file=file,
                sheet=sheet.name,
                column=column,
            )
    schools = _Schools(board)
    fixed_unit = mapping.unit
    school_for_file = _unit_for_file(mapping, user, board, schools, file) if fixed_unit else None
    if not fixed_unit and not mapping.school_column:
        raise DataFileError(
            _("map the column that names the school, or choose one school"), file=file
        )
    if mapping.date is None and not mapping.date_column:
        raise DataFileError(
            _("map the column with the reference date, or give one date"), file=file
        )
    if mapping.date is not None and (error := date_error(mapping.date)):
        raise DataFileError(error, file=file)
    index = {name: i for i, name in enumerate(headers)}
    readers = {
        column: ColumnReader(column, file=file, sheet=sheet.name) for column, _id in mapping.values
    }
    plan = OwnFiguresPlan(
        file=file, sheet=sheet.name, rows=len(sheet.rows) - 1, source=mapping.source or file
    )

    def cell(row: list[str], column: str) -> str:
        position = index[column]
        return row[position].strip() if position < len(row) else ""

    # First the schools and dates of every row, so that codes of other boards are looked up at
    # once; then the values.
    rows = []
    unknown: dict[int, str] = {}
    for number, row in enumerate(sheet.rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        school, problem = school_for_file, None
        if not fixed_unit:
            text = cell(row, mapping.school_column)
            if mapping.vestiging_column:
                vestiging = cell(row, mapping.vestiging_column)
                if vestiging.isdigit():
                    text = _clean_code(text) + vestiging.zfill(2)
                elif vestiging:
                    plan.add(
                        number,
                        mapping.vestiging_column,
                        _("expected a vestiging number such as 00 or 1, found “%(cell)s”")
                        % {"cell": vestiging[:40]},
                    )
                    continue
            if not text:
                plan.add(number, mapping.school_column, _("expected a school, found nothing"))
                continue
            school, problem, code = schools.find(text, mapping.school_by)
            if problem:
                plan.add(number, mapping.school_column, problem)
                continue
            if school is None:
                unknown[number] = code
        day = mapping.date
        if day is None:
            text = cell(row, mapping.date_column)
            day = parse_day(text)
            if day is None:
                plan.add(
                    number,
                    mapping.date_column,
                    _("expected a date such as 2025-10-01 or 1-10-2025, found “%(cell)s”")
                    % {"cell": text[:40]},
                )
                continue
            if error := date_error(day):
                plan.add(number, mapping.date_column, error)
                continue
        rows.append((number, row, school, day))
    elsewhere = schools.elsewhere(set(unknown.values()))
    for number, code in unknown.items():
        plan.add(
            number,
            mapping.school_column,
            _("“%(code)s” is a school of another board; Stelsel takes this board's figures only")
            % {"code": code}
            if code in elsewhere
            else _("no school of this board has the code “%(code)s”") % {"code": code},
        )
    seen: dict[tuple[int, int | None, datetime.date], int] = {}
    planned: list[PlannedValue] = []
    for number, row, school, day in rows:
        if number in unknown:
            continue
        if not fixed_unit and not has_unit_permission(user, board, Permission.ENTER_DATA, school):
            plan.add(
                number,
                mapping.school_column,
                _("you may not enter figures for %(school)s") % {"school": school.name},
            )
            continue
        for column, indicator_id in mapping.values:
            text = cell(row, column)
            if not text:
                plan.empty_cells += 1
                continue
            indicator = indicators[indicator_id]
            if indicator.unit == PERCENT and text.endswith("%"):
                text = text[:-1].strip()
            try:
                value = readers[column].decimal(text, number, what=_("a number"))
            except DataFileError as exc:
                plan.add(number, column, exc.reason)
                continue
            error = value_error(indicator, value)
            if error is None and not fits_unit(indicator, school):
                error = (
                    _("%(indicator)s is measured per school, not for the board itself")
                    if school is None
                    else _("%(indicator)s is measured for the board itself, not per school")
                ) % {"indicator": indicator.code}
            if error:
                plan.add(number, column, error)
                continue
            key = (indicator_id, school.pk if school else None, day)
            if key in seen:
                plan.add(
                    number,
                    column,
                    _(
                        "row %(row)d already gives %(indicator)s of this school on %(day)s; "
                        "a school has one value per indicator and date"
                    )
                    % {"row": seen[key], "indicator": indicator.code, "day": day.isoformat()},
                )
                continue
            seen[key] = number
            planned.append(
                PlannedValue(
                    row=number,
                    school=school,
                    indicator_id=indicator_id,
                    indicator=f"{indicator.code} {indicator.title}",
                    unit=indicator.unit,
                    measured_on=day,
                    value=value,
                    action="create",
                )
            )
    _compare(board, planned)
    plan.values = planned
    plan.warnings = _fraction_warnings(mapping, planned, indicators)
    return plan


def _fraction_warnings(mapping: Mapping, planned: list[PlannedValue], indicators) -> list[str]:
    """A spreadsheet shows 85% but holds 0.85: a percentage column whose values are all at
    most 1 probably holds fractions, which the preview says before they are imported."""
    warnings = []
    for column, indicator_id in mapping.values:
        if indicators[indicator_id].unit != PERCENT:
            continue
        values = [v.value for v in planned if v.indicator_id == indicator_id]
        if values and all(0 <= v <= 1 for v in values) and any(v for v in values):
            warnings.append(
                _(
                    "Every value in column “%(column)s” is between 0 and 1, while %(indicator)s "
                    "counts in percent: if the spreadsheet shows 85%% as 0.85, save the column "
                    "as numbers from 0 to 100 first."
                )
                % {"column": column, "indicator": indicators[indicator_id].code}
            )
    return warnings


def _compare(board: Board, planned: list[PlannedValue]) -> None:
    """Mark each value new, changed or unchanged against what is stored, in one query."""
    if not planned:
        return
    stored = {
        (m.indicator_id, m.school_id, m.measured_on): m.value
        for m in Measurement.objects.filter(
            board=board,
            indicator_id__in={v.indicator_id for v in planned},
            measured_on__in={v.measured_on for v in planned},
        )
    }
    for value in planned:
        key = (value.indicator_id, value.school.pk if value.school else None, value.measured_on)
        if key in stored:
            value.previous = stored[key]
            value.action = "unchanged" if stored[key] == value.value else "update"


# --- Applying -------------------------------------------------------------------------------


def apply_own_figures(plan: OwnFiguresPlan, *, board: Board, user, sha256: str) -> Counter:
    """Write the planned values at once, record the import and refresh the board's signals."""
    if not plan.ok:
        raise DataFileError(
            _("the file has %(n)d problem(s); nothing was imported") % {"n": plan.problem_count},
            file=plan.file,
        )
    now = timezone.now()
    new = [v for v in plan.values if v.action == "create"]
    changed = {
        (v.indicator_id, v.school.pk if v.school else None, v.measured_on): v
        for v in plan.values
        if v.action == "update"
    }
    try:
        with transaction.atomic():
            Measurement.objects.bulk_create(
                Measurement(
                    board=board,
                    indicator_id=v.indicator_id,
                    school=v.school,
                    measured_on=v.measured_on,
                    value=v.value,
                    source=plan.source[:200],
                    entered_by=user,
                    updated_at=now,
                )
                for v in new
            )
            updates = []
            if changed:
                for m in (
                    Measurement.objects.select_for_update()
                    .filter(
                        board=board,
                        indicator_id__in={k[0] for k in changed},
                        measured_on__in={k[2] for k in changed},
                    )
                    .order_by("pk")
                ):
                    v = changed.get((m.indicator_id, m.school_id, m.measured_on))
                    if v is not None:
                        m.value, m.source, m.entered_by, m.updated_at = (
                            v.value,
                            plan.source[:200],
                            user,
                            now,
                        )
                        updates.append(m)
                Measurement.objects.bulk_update(
                    updates, ["value", "source", "entered_by", "updated_at"]
                )
            counts = plan.counts
            DataImport.objects.create(
                board=board,
                kind=ImportKind.OWN_FIGURES,
                file_name=plan.file.rsplit("/", 1)[-1][:255],
                sha256=sha256,
                rows=plan.rows,
                summary={
                    "sheet": plan.sheet,
                    "created": counts["create"],
                    "updated": counts["update"],
                    "unchanged": counts["unchanged"],
                    "empty_cells": plan.empty_cells,
                },
                imported_by=user,
                imported_at=now,
            )
            signals_refresh(board)
    except IntegrityError:  # someone entered one of these values since the preview
        raise DataFileError(
            _("some of these values were entered meanwhile; nothing was imported, preview again"),
            file=plan.file,
        ) from None
    return counts
