"""Importing the inspectorate's results and schoolweging files: planned, then applied at once.

An import is parsed and checked whole before anything is written; a dry run and the web preview
show exactly the plan that confirming applies. The write is one transaction. Without a board the
import is national: every OVT in the file is stored and belongs to the board its BGNR names (or
the board of the school it is linked to). For one board, only the OVTs of that board are kept;
the others are counted and named in the report, never dropped without a word.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from stelsel.insight import po_model
from stelsel.insight.library import norms_ensure_loaded, po_norms_by_period
from stelsel.insight.models import (
    DataImport,
    ImportKind,
    Ovt,
    PoResult,
    PublishedOutcome,
    ResultSource,
    Schoolweging,
)
from stelsel.insight.results_file import ResultsFile, parse_results
from stelsel.insight.schoolweging_file import SchoolwegingFile, parse_schoolweging
from stelsel.insight.sheets import DataFileError
from stelsel.organisations.models import Board, School


@dataclass(frozen=True)
class Difference:
    ovt: str
    row: int
    field: str
    published: str
    computed: str

    def __str__(self) -> str:
        where = f"{self.ovt} (row {self.row})" if self.row else self.ovt
        return f"{where}: {self.field}: file {self.published}, Stelsel {self.computed}"


@dataclass
class ImportReport:
    file: str
    kind: str
    period: str
    rows: int = 0
    kept: list[str] = field(default_factory=list)  # OVT codes written
    other_board: list[str] = field(default_factory=list)
    unknown_brin: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    applied: bool = False
    sha256: str = ""


def _text(value) -> str:
    return "" if value is None else str(value)


def _board(board_number: str | None) -> Board | None:
    if board_number is None:
        return None
    board = Board.objects.filter(number=board_number.strip().zfill(5)).first()
    if board is None:
        raise DataFileError(_("Stelsel knows no board numbered %(n)s") % {"n": board_number})
    return board


def _brins_known() -> dict[str, int]:
    return dict(School.objects.values_list("instellingscode", "board_id").order_by("pk"))


def _belongs(
    code: str,
    board: Board,
    stored: dict[str, Ovt],
    board_brins: set[str],
    numbers: dict[str, str],
) -> bool:
    """Whether an OVT of the file is the board's: the board has it (linked or named), the
    inspectorate names the board (BGNR, stored or in the schoolweging file imported along),
    or, for an OVT no board has, its BRIN is one of the board's schools."""
    ovt = stored.get(code)
    if ovt is not None and ovt.board_id == board.pk:
        return True
    number = numbers.get(code) or (ovt.board_number if ovt is not None else "")
    if number:
        return number == board.number
    if ovt is not None and ovt.board_id is not None:
        return False
    return code.split("|")[0] in board_brins


def _period_text(first: int, last: int) -> str:
    """School years 2022..2024 (named by end year) as the inspectorate writes them."""
    return f"{first - 1}/{first}-{last - 1}/{last}"


def _check_along(parsed: ResultsFile, along: SchoolwegingFile) -> None:
    """A schoolweging file imported along with results must be the one they need: the 3-year
    mean over the school years before their last one."""
    needed = (parsed.first_year - 1, parsed.last_year - 1)
    if along.three_year == needed:
        return
    if along.three_year is None:
        reason = _(
            "this schoolweging file has no 3-year sheet (Driejaarsgemiddelde); the results of "
            "%(period)s need the 3-year schoolweging of %(needed)s"
        )
        held = ""
    else:
        reason = _(
            "this is the schoolweging of %(held)s, but the results of %(period)s need the "
            "schoolweging of %(needed)s; upload the schoolweging file of that period"
        )
        held = _period_text(*along.three_year)
    raise DataFileError(
        reason % {"held": held, "period": parsed.period, "needed": _period_text(*needed)},
        file=along.file,
    )


def _schoolweging_for(parsed: ResultsFile, codes: list[str]) -> dict[str, Decimal | None]:
    """The stored 3-year schoolweging that applies to these results, per OVT."""
    return dict(
        Schoolweging.objects.filter(
            ovt__code__in=codes,
            first_year=parsed.first_year - 1,
            last_year=parsed.last_year - 1,
        ).values_list("ovt__code", "value")
    )


def plan_results(
    data: bytes,
    file: str,
    *,
    board_number: str | None = None,
    along: SchoolwegingFile | None = None,
) -> tuple[ResultsFile, ImportReport]:
    """Parse, scope and check the results file against Stelsel's own computation.

    `along` is a schoolweging file imported in the same go (before these results): its 3-year
    values and board numbers count as if already stored, and it must be of the right period.
    """
    norms_ensure_loaded()
    board = _board(board_number)
    parsed = parse_results(data, file)
    if along is not None:
        _check_along(parsed, along)
    report = ImportReport(file, ImportKind.INSPECTIE_RESULTS, parsed.period, rows=len(parsed.rows))
    report.sha256 = file_hash(data)
    codes = [row.ovt for row in parsed.rows]
    stored = {o.code: o for o in Ovt.objects.filter(code__in=codes)}
    brins = _brins_known()
    board_brins = {b for b, owner in brins.items() if board and owner == board.pk}
    norms = po_norms_by_period().get(parsed.last_year)
    if norms is None:
        report.warnings.append(
            _("Stelsel's library has no norms for the results period %(period)s; %(what)s")
            % {
                "period": parsed.period,
                "what": _("the file's own signalling values are used")
                if parsed.computed_columns
                else _("outcomes cannot be computed until the norms are added"),
            }
        )
    applied = _schoolweging_for(parsed, codes)
    numbers: dict[str, str] = {}
    if along is not None:
        span = (parsed.first_year - 1, parsed.last_year - 1)
        applied.update(
            (row.ovt, row.value) for row in along.rows if (row.first_year, row.last_year) == span
        )
        numbers = {row.ovt: row.board_number for row in along.rows if row.board_number}
    if not applied and not parsed.computed_columns:
        other = (
            Schoolweging.objects.filter(ovt__code__in=codes, last_year__gt=F("first_year"))
            .values_list("first_year", "last_year")
            .order_by("-last_year")
            .first()
        )
        if other:
            raise DataFileError(
                _(
                    "these results (%(period)s) need the schoolweging of %(needed)s, but Stelsel "
                    "holds the schoolweging of %(held)s only; "
                    "import the right schoolweging file first"
                )
                % {
                    "period": parsed.period,
                    "needed": _period_text(parsed.first_year - 1, parsed.last_year - 1),
                    "held": _period_text(*other),
                },
                file=file,
            )
        report.warnings.append(
            _(
                "no schoolweging for %(period)s is stored and the file has none: 1S/2F shows "
                "too little data until the schoolweging file is imported"
            )
            % {"period": f"{parsed.first_year - 1}-{parsed.last_year - 1}"}
        )
    for row in parsed.rows:
        if board and not _belongs(row.ovt, board, stored, board_brins, numbers):
            report.other_board.append(row.ovt)
            continue
        report.kept.append(row.ovt)
        if row.ovt.split("|")[0] not in brins:
            report.unknown_brin.append(row.ovt)
        published = row.published
        schoolweging = applied.get(row.ovt)
        if schoolweging is None and published is not None:
            schoolweging = published.schoolweging
        if published is None:
            continue
        if row.ovt in applied and _differs(applied[row.ovt], published.schoolweging):
            report.differences.append(
                Difference(
                    row.ovt,
                    row.row,
                    "schoolweging",
                    _text(published.schoolweging),
                    _text(applied[row.ovt]),
                )
            )
        use = norms or _file_norms(published)
        for result in po_model.school_results(row.years, schoolweging, use):
            _compare(report, row, result, published)
    report.counts["OVTs in file"] = len(parsed.rows)
    report.counts["OVTs imported"] = len(report.kept)
    if board:
        report.counts["OVTs of other boards"] = len(report.other_board)
    report.counts["OVTs whose BRIN matches no school in Stelsel"] = len(report.unknown_brin)
    report.counts["differences from the published values"] = len(report.differences)
    return parsed, report


def _differs(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > Decimal("0.01")


def _file_norms(published) -> po_model.Norms:
    """Norms from the file's own row, for a period the library does not hold."""
    fundamental = published.norms.get("1F") or Decimal(85)
    bands: tuple = ()
    target = published.norms.get("1S/2F")
    if target is not None and published.band.startswith("["):
        lower, upper = published.band.strip("[)").split(",")
        bands = ((Decimal(lower), Decimal(upper), target),)
    return po_model.Norms(fundamental=fundamental, bands=bands)


def _compare(report: ImportReport, row, result: po_model.Result, published) -> None:
    indicator = result.indicator
    if result.masked:
        return  # nothing of ours to compare: the file's figures are all there is
    checks = [
        (f"3-year %{indicator}", result.percentage, published.percentages.get(indicator)),
        (f"outcome {indicator}", result.outcome, published.outcomes.get(indicator)),
        (f"signalling value {indicator}", result.norm, published.norms.get(indicator)),
    ]
    if indicator == "1F":
        checks.append(("pupils over 3 years", result.pupils, published.pupils))
    else:
        checks.append(("schoolweging band", result.band or "", published.band))
    for name, ours, theirs in checks:
        if isinstance(ours, Decimal) or isinstance(theirs, Decimal):
            if ours is None and theirs is None:
                continue
            if ours is None or theirs is None or Decimal(ours) != Decimal(theirs):
                report.differences.append(
                    Difference(row.ovt, row.row, name, _text(theirs), _text(ours))
                )
        elif _text(ours) != _text(theirs):
            report.differences.append(
                Difference(row.ovt, row.row, name, _text(theirs), _text(ours))
            )


def _upsert_ovts(
    codes: list[str],
    names: dict[str, str],
    board_numbers: dict[str, str],
    *,
    board: Board | None = None,
) -> dict[str, int]:
    """Create or update the OVTs; `board` is the board whose own import judged them its own
    (by BRIN), for those that no BGNR assigns."""
    existing = {o.code: o for o in Ovt.objects.filter(code__in=codes)}
    boards = dict(Board.objects.values_list("number", "pk"))
    new, changed = [], []
    for code in codes:
        ovt = existing.get(code)
        number = board_numbers.get(code, "")
        owner = boards.get(number) or (board.pk if board is not None else None)
        if ovt is None:
            new.append(
                Ovt(
                    code=code,
                    brin=code.split("|")[0],
                    name=names.get(code, ""),
                    board_number=number,
                    board_id=owner,
                )
            )
            continue
        dirty = False
        if names.get(code) and ovt.name != names[code]:
            ovt.name, dirty = names[code], True
        if number and ovt.board_number != number:
            ovt.board_number, dirty = number, True
            if ovt.school_id is None:
                ovt.board_id = boards.get(number)
        if ovt.board_id is None and owner is not None:
            ovt.board_id, dirty = owner, True
        if dirty:
            changed.append(ovt)
    Ovt.objects.bulk_create(new, batch_size=1000)
    Ovt.objects.bulk_update(changed, ["name", "board_number", "board"], batch_size=1000)
    return dict(Ovt.objects.filter(code__in=codes).values_list("code", "pk"))


def apply_results(parsed: ResultsFile, report: ImportReport, *, user=None, board=None) -> None:
    keep = set(report.kept)
    rows = [row for row in parsed.rows if row.ovt in keep]
    with transaction.atomic():
        ids = _upsert_ovts([r.ovt for r in rows], {}, {}, board=board)
        PoResult.objects.filter(
            ovt_id__in=ids.values(),
            year__in=parsed.years,
            source=ResultSource.INSPECTORATE,
        ).delete()
        PoResult.objects.bulk_create(
            (
                PoResult(
                    ovt_id=ids[row.ovt],
                    year=year.year,
                    source=ResultSource.INSPECTORATE,
                    pupils=year.pupils,
                    fundamental=year.fundamental,
                    target=year.target,
                    masked=year.masked,
                )
                for row in rows
                for year in row.years
                if year.present
            ),
            batch_size=2000,
        )
        if parsed.computed_columns:
            # A file without the inspectorate's computed columns says nothing about them: the
            # outcomes published before (the only figures of masked years) stay.
            PublishedOutcome.objects.filter(
                ovt_id__in=ids.values(), last_year=parsed.last_year
            ).delete()
        PublishedOutcome.objects.bulk_create(
            (
                PublishedOutcome(
                    ovt_id=ids[row.ovt],
                    last_year=parsed.last_year,
                    indicator=indicator,
                    percentage=row.published.percentages.get(indicator),
                    pupils=row.published.pupils,
                    schoolweging=row.published.schoolweging,
                    norm=row.published.norms.get(indicator),
                    outcome=row.published.outcomes.get(indicator, ""),
                )
                for row in rows
                if row.published is not None
                for indicator in po_model.INDICATORS
            ),
            batch_size=2000,
        )
        _record(report, parsed.file, user=user, board=board)
    report.applied = True


def _record(report: ImportReport, file: str, *, user, board) -> None:
    DataImport.objects.create(
        board=board,
        kind=report.kind,
        file_name=file.rsplit("/", 1)[-1][:255],
        sha256=report.sha256,
        rows=report.rows,
        summary={
            "period": report.period,
            "counts": dict(report.counts),
            "differences": len(report.differences),
        },
        imported_by=user,
    )


def import_results(
    data: bytes, file: str, *, board_number: str | None = None, dry_run: bool = False, user=None
) -> ImportReport:
    parsed, report = plan_results(data, file, board_number=board_number)
    if not dry_run:
        apply_results(parsed, report, user=user, board=_board(board_number))
    return report


def plan_schoolweging(
    data: bytes, file: str, *, board_number: str | None = None
) -> tuple[SchoolwegingFile, ImportReport]:
    board = _board(board_number)
    parsed = parse_schoolweging(data, file)
    report = ImportReport(
        file, ImportKind.SCHOOLWEGING, ", ".join(parsed.periods), rows=len(parsed.rows)
    )
    report.sha256 = file_hash(data)
    brins = _brins_known()
    kept: set[str] = set()
    other: set[str] = set()
    for row in parsed.rows:
        if board and row.board_number != board.number:
            other.add(row.ovt)
            continue
        kept.add(row.ovt)
    report.kept = sorted(kept)
    report.other_board = sorted(other - kept)
    report.unknown_brin = sorted(c for c in kept if c.split("|")[0] not in brins)
    report.counts["OVTs in file"] = len({r.ovt for r in parsed.rows})
    report.counts["OVTs imported"] = len(kept)
    if board:
        report.counts["OVTs of other boards"] = len(report.other_board)
    report.counts["OVTs whose BRIN matches no school in Stelsel"] = len(report.unknown_brin)
    if parsed.three_year and parsed.yearly:
        first, last = parsed.three_year
        by_ovt: dict[str, dict[int, Decimal | None]] = {}
        for row in parsed.rows:
            if row.first_year == row.last_year and first <= row.last_year <= last:
                by_ovt.setdefault(row.ovt, {})[row.last_year] = row.value
        for row in parsed.rows:
            if (row.first_year, row.last_year) != (first, last) or row.value is None:
                continue
            mine = po_model.schoolweging_applied(list(by_ovt.get(row.ovt, {}).values()))
            if _differs(mine, row.value):
                report.differences.append(
                    Difference(row.ovt, 0, "3-year schoolweging", _text(row.value), _text(mine))
                )
    report.counts["differences from the published values"] = len(report.differences)
    return parsed, report


def apply_schoolweging(
    parsed: SchoolwegingFile, report: ImportReport, *, user=None, board=None
) -> None:
    keep = set(report.kept)
    rows = [row for row in parsed.rows if row.ovt in keep]
    names = {row.ovt: row.name for row in rows if row.name}
    numbers = {row.ovt: row.board_number for row in rows if row.board_number}
    with transaction.atomic():
        ids = _upsert_ovts(sorted(keep), names, numbers)
        spans = {(row.first_year, row.last_year) for row in rows}
        for first, last in spans:
            Schoolweging.objects.filter(
                ovt_id__in=ids.values(), first_year=first, last_year=last
            ).delete()
        Schoolweging.objects.bulk_create(
            (
                Schoolweging(
                    ovt_id=ids[row.ovt],
                    first_year=row.first_year,
                    last_year=row.last_year,
                    value=row.value,
                    pupils=row.pupils,
                    spread=row.spread,
                )
                for row in rows
            ),
            batch_size=2000,
        )
        _record(report, parsed.file, user=user, board=board)
    report.applied = True


def import_schoolweging(
    data: bytes, file: str, *, board_number: str | None = None, dry_run: bool = False, user=None
) -> ImportReport:
    parsed, report = plan_schoolweging(data, file, board_number=board_number)
    if not dry_run:
        apply_schoolweging(parsed, report, user=user, board=_board(board_number))
    return report


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
