"""A board's own upload of the inspectorate's files: the results, the schoolweging, or both.

The page previews exactly what confirming writes: both files are planned before anything is
written, and the results are checked against the schoolweging that comes along with them (it
must be the 3-year schoolweging of their period). Confirming plans the same bytes again and
applies both files in one transaction, so nothing is ever half-imported; then the signals of the
board are refreshed. Only the board's own OVTs are kept: those the inspectorate names for the
board, those it linked, and, for OVTs nobody has, those whose BRIN is one of its schools.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.insight.duo_imports import COUNT_LABELS as DUO_COUNT_LABELS
from stelsel.insight.imports import (
    Difference,
    ImportReport,
    apply_results,
    apply_schoolweging,
    plan_results,
    plan_schoolweging,
)
from stelsel.insight.models import ImportKind, Outcome
from stelsel.insight.refresh import signals_refresh_after_import
from stelsel.insight.results_file import ResultsFile
from stelsel.insight.schoolweging_file import SchoolwegingFile
from stelsel.insight.sheets import DataFileError
from stelsel.organisations.models import Board

RESULTS = ImportKind.INSPECTIE_RESULTS
SCHOOLWEGING = ImportKind.SCHOOLWEGING
KINDS = (RESULTS, SCHOOLWEGING)

# How many OVT codes and differences a preview lists; the rest is counted.
SHOWN_CODES = 60
SHOWN_DIFFERENCES = 100

# The names the importer gives the compared figures, as a reader of the preview reads them.
FIELD_LABELS = {
    "pupils over 3 years": gettext_lazy("pupils over 3 years"),
    "schoolweging band": gettext_lazy("schoolweging band"),
    "schoolweging": gettext_lazy("schoolweging (3-year mean)"),
    "3-year schoolweging": gettext_lazy("schoolweging (3-year mean)"),
}
FIELD_PATTERNS = {
    "3-year %": gettext_lazy("3-year %%%(indicator)s"),
    "outcome ": gettext_lazy("outcome %(indicator)s"),
    "signalling value ": gettext_lazy("signalling value %(indicator)s"),
}
# The importer's counts (stored in the import history under these keys), as a reader reads them.
COUNT_LABELS = {
    "OVTs in file": gettext_lazy("Schools (OVTs) in the file"),
    "OVTs imported": gettext_lazy("Imported"),
    "OVTs of other boards": gettext_lazy("Not this board's (not imported)"),
    "OVTs whose BRIN matches no school in Stelsel": gettext_lazy(
        "BRIN matches no school in Stelsel"
    ),
    "differences from the published values": gettext_lazy(
        "Differences from the inspectorate's computation"
    ),
}


class UploadProblem(Exception):
    """A file that cannot be imported, with the form field it came in."""

    def __init__(self, field: str, error: DataFileError):
        self.field, self.error = field, error
        super().__init__(str(error))


@dataclass(frozen=True)
class UploadedFile:
    data: bytes
    name: str


@dataclass
class UploadPlan:
    kind: str
    results: tuple[ResultsFile, ImportReport] | None = None
    schoolweging: tuple[SchoolwegingFile, ImportReport] | None = None

    @property
    def reports(self) -> list[ImportReport]:
        """The reports in the order the files are applied: the schoolweging first."""
        return [plan[1] for plan in (self.schoolweging, self.results) if plan is not None]

    @property
    def main(self) -> ImportReport:
        return (self.results or self.schoolweging)[1]


def _plan_schoolweging(board: Board, upload: UploadedFile, field: str):
    try:
        return plan_schoolweging(upload.data, upload.name, board_number=board.number)
    except DataFileError as exc:
        raise UploadProblem(field, exc) from None


def _require_own(board: Board, report: ImportReport, field: str) -> None:
    if report.kept:
        return
    raise UploadProblem(
        field,
        DataFileError(
            _(
                "none of the %(count)d schools (OVTs) in this file is this board's (%(number)s). "
                "An OVT is the board's when the inspectorate's schoolweging file names the board "
                "or its BRIN is one of the board's schools: import the schoolweging file, or "
                "the board's schools from DUO, first"
            )
            % {"count": report.counts["OVTs in file"], "number": board.number},
            file=report.file,
        ),
    )


def inspectorate_plan(
    *, board: Board, kind: str, upload: UploadedFile, along: UploadedFile | None = None
) -> UploadPlan:
    """Check the upload whole and say what importing it for this board would do.

    `along` is the schoolweging file uploaded together with results; it is planned first so
    the results are compared with the schoolweging they will be computed with.
    """
    if kind not in KINDS:
        raise UploadProblem("kind", DataFileError(_("choose what you upload")))
    if kind == SCHOOLWEGING:
        if along is not None:
            raise UploadProblem(
                "schoolweging_file",
                DataFileError(_("a second file goes only with the results"), file=along.name),
            )
        plan = UploadPlan(kind, schoolweging=_plan_schoolweging(board, upload, "file"))
        _require_own(board, plan.schoolweging[1], "file")
        return plan
    plan = UploadPlan(kind)
    if along is not None:
        plan.schoolweging = _plan_schoolweging(board, along, "schoolweging_file")
        _require_own(board, plan.schoolweging[1], "schoolweging_file")
    try:
        plan.results = plan_results(
            upload.data,
            upload.name,
            board_number=board.number,
            along=plan.schoolweging[0] if plan.schoolweging else None,
        )
    except DataFileError as exc:
        from_along = along is not None and exc.file == along.name and along.name != upload.name
        raise UploadProblem("schoolweging_file" if from_along else "file", exc) from None
    _require_own(board, plan.results[1], "file")
    return plan


def inspectorate_apply(plan: UploadPlan, *, board: Board, user) -> int:
    """Write the planned files in one transaction, the schoolweging first; then refresh the
    board's signals (and queue its digest). Returns the number of new signals."""
    with transaction.atomic():
        if plan.schoolweging is not None:
            apply_schoolweging(*plan.schoolweging, user=user, board=board)
        if plan.results is not None:
            apply_results(*plan.results, user=user, board=board)
    return signals_refresh_after_import(plan.main)


def field_label(name: str) -> str:
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    for prefix, label in FIELD_PATTERNS.items():
        if name.startswith(prefix):
            return str(label) % {"indicator": name.removeprefix(prefix)}
    return name


def _value_label(name: str, value: str) -> str:
    if name.startswith("outcome ") and value in Outcome.values:
        return str(Outcome(value).label)
    return value or "—"


@dataclass(frozen=True)
class DifferenceRow:
    ovt: str
    row: int
    what: str
    published: str
    computed: str


def difference_rows(differences: list[Difference], limit: int) -> list[DifferenceRow]:
    """The first `limit` differences as the preview shows them."""
    return [
        DifferenceRow(
            d.ovt,
            d.row,
            field_label(d.field),
            _value_label(d.field, d.published),
            _value_label(d.field, d.computed),
        )
        for d in differences[:limit]
    ]


def count_rows(counts: dict) -> list[tuple[str, int]]:
    """An import's counts with their readable names (the history stores the importer's keys)."""
    labels = {**DUO_COUNT_LABELS, **COUNT_LABELS}
    return [(capfirst(str(labels.get(key, key))), value) for key, value in counts.items()]


def report_preview(report: ImportReport) -> dict:
    """What the preview shows of one file's plan: counts, warnings, and the OVTs and
    differences it found, the long lists cut short with the number left out."""
    return {
        "report": report,
        "kind_label": ImportKind(report.kind).label,
        "counts": count_rows(report.counts),
        "other_board": report.other_board[:SHOWN_CODES],
        "other_board_more": max(0, len(report.other_board) - SHOWN_CODES),
        "unknown_brin": report.unknown_brin[:SHOWN_CODES],
        "unknown_brin_more": max(0, len(report.unknown_brin) - SHOWN_CODES),
        "differences": difference_rows(report.differences, SHOWN_DIFFERENCES),
        "differences_more": max(0, len(report.differences) - SHOWN_DIFFERENCES),
    }
