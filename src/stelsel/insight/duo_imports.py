"""Importing DUO's exam results and pupil counts: planned whole, then applied at once.

DUO's locations are Stelsel's schools, matched on the vestigingscode. Without a board the
import is the administrator's national one: every row of a school Stelsel knows is stored,
under that school's board. For one board, only its schools are stored; rows of other boards'
schools are counted and named. Rows of locations Stelsel does not know are always reported,
never dropped without a word. A dry run and the web preview show exactly the plan that
confirming applies; the write is one transaction.

Exam results are stored per school, year and line of DUO's file, replacing what an earlier
import stored for the same schools and years. Pupil counts become measurements of the board's
own indicator "Leerlingen op 1 oktober" (created when the board has none), one per school and
1 October; a location whose count DUO hides in part (`<5` in one of its rows) has no exact
total and is reported instead of stored.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.insight.duo_files import ExamFile, PupilFile, parse_exams, parse_pupils
from stelsel.insight.imports import file_hash
from stelsel.insight.models import DataImport, ExamResult, ImportKind, Measurement
from stelsel.insight.refresh import refresh_boards
from stelsel.insight.sheets import DataFileError
from stelsel.organisations.models import Board, School, SchoolKind
from stelsel.picture.entries.services import indicator_create
from stelsel.picture.models import Direction, Indicator, IndicatorLevel, Perspective

PUPILS_CODE = "LLN-1OKT"
# Stored data, not interface text: the board's indicator is named in Dutch, as DUO names it.
PUPILS_TITLE = "Leerlingen op 1 oktober"
PUPILS_UNIT = "leerlingen"


# What the counts of a report mean, for the command line and the web preview.
COUNT_LABELS = {
    "rows": gettext_lazy("rows"),
    "locations_in_file": gettext_lazy("school locations in the file"),
    "locations_imported": gettext_lazy("school locations imported"),
    "locations_other_board": gettext_lazy("school locations of other boards, not imported"),
    "locations_unknown": gettext_lazy("school locations Stelsel does not know, not imported"),
    "locations_masked": gettext_lazy(
        "school locations whose count DUO hides in part, not imported"
    ),
    "exam_lines_imported": gettext_lazy("exam lines imported"),
    "exam_lines_masked": gettext_lazy("exam lines with counts hidden by DUO (<5)"),
    "pupil_counts_imported": gettext_lazy("pupil counts imported"),
}


@dataclass
class DuoReport:
    """What an import found and (once applied) did; the same for the dry run and the web."""

    file: str
    kind: str
    rows: int = 0
    years: list[int] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # vestigingscodes written
    other_board: list[str] = field(default_factory=list)
    unknown_locations: list[str] = field(default_factory=list)
    masked: list[str] = field(default_factory=list)  # pupils: total hidden in part
    not_vo: list[str] = field(default_factory=list)  # exams: schools Stelsel holds as not VO
    warnings: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # keys of COUNT_LABELS
    board_ids: set[int] = field(default_factory=set)
    sha256: str = ""
    applied: bool = False
    new_signals: int | None = 0  # None: queued for the task worker

    def labelled_counts(self) -> list[tuple[str, int]]:
        return [(str(COUNT_LABELS[key]), value) for key, value in self.counts.items()]


def _board(board_number: str | None) -> Board | None:
    if board_number is None:
        return None
    board = Board.objects.filter(number=str(board_number).strip().zfill(5)).first()
    if board is None:
        raise DataFileError(_("Stelsel knows no board numbered %(n)s") % {"n": board_number})
    return board


def _scope(report: DuoReport, codes: list[str], board: Board | None) -> dict[str, School]:
    """The schools of the file the import writes to; the rest go into the report."""
    schools = {s.vestigingscode: s for s in School.objects.filter(vestigingscode__in=set(codes))}
    kept = {}
    for code in dict.fromkeys(codes):
        school = schools.get(code)
        if school is None:
            report.unknown_locations.append(code)
        elif board is not None and school.board_id != board.pk:
            report.other_board.append(code)
        else:
            kept[code] = school
            report.kept.append(code)
            report.board_ids.add(school.board_id)
    return kept


def _count_scope(report: DuoReport, board: Board | None) -> None:
    report.counts["locations_in_file"] = (
        len(report.kept) + len(report.other_board) + len(report.unknown_locations)
    )
    report.counts["locations_imported"] = len(report.kept) - len(report.masked)
    if board is not None:
        report.counts["locations_other_board"] = len(report.other_board)
    report.counts["locations_unknown"] = len(report.unknown_locations)


# --- exam results ------------------------------------------------------------------------------


@dataclass
class ExamPlan:
    parsed: ExamFile
    report: DuoReport
    schools: dict[str, School]
    board: Board | None


def plan_exams(
    data: bytes, file: str, *, board_number: str | None = None, year: int | None = None
) -> ExamPlan:
    board = _board(board_number)
    parsed = parse_exams(data, file, year=year)
    report = DuoReport(file, ImportKind.DUO_EXAMS, rows=len(parsed.rows), years=parsed.years)
    report.sha256 = file_hash(data)
    schools = _scope(report, [row.vestigingscode for row in parsed.rows], board)
    report.not_vo = sorted(code for code, s in schools.items() if s.kind != SchoolKind.VO)
    if report.not_vo:
        report.warnings.append(
            _(
                "%(n)d school location(s) with exam results are not secondary schools in "
                "Stelsel (%(codes)s); their results are stored all the same"
            )
            % {"n": len(report.not_vo), "codes": ", ".join(report.not_vo[:10])}
        )
    stored = [row for row in parsed.rows if row.vestigingscode in schools]
    report.counts["rows"] = len(parsed.rows)
    _count_scope(report, board)
    report.counts["exam_lines_imported"] = len(stored)
    report.counts["exam_lines_masked"] = sum(1 for row in stored if row.masked)
    return ExamPlan(parsed, report, schools, board)


def apply_exams(plan: ExamPlan, *, user=None) -> DuoReport:
    """Replace the stored exam results of the file's schools and years, in one transaction."""
    report, schools = plan.report, plan.schools
    rows = [row for row in plan.parsed.rows if row.vestigingscode in schools]
    with transaction.atomic():
        ExamResult.objects.filter(
            school__in=[s.pk for s in schools.values()], year__in=plan.parsed.years
        ).delete()
        ExamResult.objects.bulk_create(
            (
                ExamResult(
                    school=schools[row.vestigingscode],
                    year=row.year,
                    afdeling=row.afdeling,
                    onderwijstype=row.onderwijstype,
                    leerweg=row.leerweg,
                    sector=row.sector,
                    programme=row.programme,
                    candidates=row.candidates,
                    passed=row.passed,
                    failed=row.failed,
                    school_exam_mean=row.school_exam_mean,
                    central_exam_mean=row.central_exam_mean,
                    list_mean=row.list_mean,
                )
                for row in rows
            ),
            batch_size=2000,
        )
        _record(report, user=user, board=plan.board)
    report.applied = True
    return report


def import_exams(
    data: bytes,
    file: str,
    *,
    board_number: str | None = None,
    year: int | None = None,
    dry_run: bool = False,
    user=None,
) -> DuoReport:
    plan = plan_exams(data, file, board_number=board_number, year=year)
    return plan.report if dry_run else apply_exams(plan, user=user)


# --- pupil counts ------------------------------------------------------------------------------


@dataclass
class PupilPlan:
    parsed: PupilFile
    report: DuoReport
    schools: dict[str, School]
    totals: dict[tuple[str, date], int]  # (vestigingscode, 1 October) → pupils
    board: Board | None


def plan_pupils(
    data: bytes, file: str, *, board_number: str | None = None, year: int | None = None
) -> PupilPlan:
    board = _board(board_number)
    parsed = parse_pupils(data, file, year=year)
    report = DuoReport(
        file,
        ImportKind.DUO_PUPILS,
        rows=len(parsed.rows),
        years=sorted({d.year + 1 for d in parsed.dates}),
    )
    report.sha256 = file_hash(data)
    schools = _scope(report, [row.vestigingscode for row in parsed.rows], board)
    sums: dict[tuple[str, date], int] = defaultdict(int)
    hidden: set[tuple[str, date]] = set()
    for row in parsed.rows:
        if row.vestigingscode not in schools:
            continue
        key = (row.vestigingscode, row.measured_on)
        if row.pupils is None:
            hidden.add(key)
        else:
            sums[key] += row.pupils
    totals = {key: n for key, n in sums.items() if key not in hidden}
    report.masked = sorted({code for code, _day in hidden})
    if report.masked:
        report.warnings.append(
            _(
                "DUO hides a count (<5) of %(n)d school location(s) (%(codes)s): their total "
                "is not exact, so it is not stored"
            )
            % {"n": len(report.masked), "codes": ", ".join(report.masked[:10])}
        )
    report.counts["rows"] = len(parsed.rows)
    _count_scope(report, board)
    report.counts["pupil_counts_imported"] = len(totals)
    report.counts["locations_masked"] = len(report.masked)
    return PupilPlan(parsed, report, schools, totals, board)


def pupils_indicator(board: Board) -> Indicator:
    """The board's "Leerlingen op 1 oktober", created the first time it is needed."""
    found = Indicator.objects.filter(board=board, code__iexact=PUPILS_CODE).first()
    if found is not None:
        return found
    return indicator_create(
        board=board,
        perspective=Perspective.EXPECTATIONS,
        level=IndicatorLevel.SCHOOL,
        code=PUPILS_CODE,
        title=PUPILS_TITLE,
        description="Aantal leerlingen per school op 1 oktober, uit de open data van DUO.",
        unit=PUPILS_UNIT,
        direction=Direction.HIGHER,
    )


def apply_pupils(plan: PupilPlan, *, user=None) -> DuoReport:
    """Store the counts as measurements in one transaction; refresh the boards' signals."""
    report = plan.report
    source = f"DUO: {plan.parsed.file.replace(chr(92), '/').rsplit('/', 1)[-1]}"[:200]
    with transaction.atomic():
        by_board: dict[int, list[tuple[School, date, int]]] = defaultdict(list)
        for (code, day), pupils in plan.totals.items():
            school = plan.schools[code]
            by_board[school.board_id].append((school, day, pupils))
        boards = Board.objects.in_bulk(list(by_board))
        for board_id, counts in by_board.items():
            indicator = pupils_indicator(boards[board_id])
            existing = {
                (m.school_id, m.measured_on): m
                for m in Measurement.objects.filter(
                    indicator=indicator,
                    school__in=[school.pk for school, _d, _n in counts],
                    measured_on__in={day for _s, day, _n in counts},
                )
            }
            new, changed = [], []
            for school, day, pupils in counts:
                measurement = existing.get((school.pk, day))
                if measurement is None:
                    new.append(
                        Measurement(
                            board_id=board_id,
                            indicator=indicator,
                            school=school,
                            measured_on=day,
                            value=Decimal(pupils),
                            source=source,
                            entered_by=user,
                        )
                    )
                elif measurement.value != pupils or measurement.source != source:
                    measurement.value, measurement.source = Decimal(pupils), source
                    measurement.entered_by = user
                    changed.append(measurement)
            Measurement.objects.bulk_create(new, batch_size=2000)
            Measurement.objects.bulk_update(
                changed, ["value", "source", "entered_by"], batch_size=2000
            )
        _record(report, user=user, board=plan.board)
        report.applied = True
        report.new_signals = _refresh(report.board_ids)
    return report


def import_pupils(
    data: bytes,
    file: str,
    *,
    board_number: str | None = None,
    year: int | None = None,
    dry_run: bool = False,
    user=None,
) -> DuoReport:
    plan = plan_pupils(data, file, board_number=board_number, year=year)
    return plan.report if dry_run else apply_pupils(plan, user=user)


# --- shared --------------------------------------------------------------------------------------


def _refresh(board_ids: set[int]) -> int | None:
    """New counts can bring an own indicator below its norm or target: refresh the signals of
    the boards the import touched, each with one digest of what is new (queued for the task
    worker when a national file touches many boards)."""
    return refresh_boards(list(Board.objects.filter(pk__in=board_ids).order_by("pk")))


def _record(report: DuoReport, *, user, board: Board | None) -> None:
    DataImport.objects.create(
        board=board,
        kind=report.kind,
        file_name=report.file.replace("\\", "/").rsplit("/", 1)[-1][:255],
        sha256=report.sha256,
        rows=report.rows,
        summary={
            "period": ", ".join(f"{year - 1}-{year}" for year in report.years),
            "years": report.years,
            "counts": dict(report.counts),
            "unknown_locations": len(report.unknown_locations),
        },
        imported_by=user,
    )
