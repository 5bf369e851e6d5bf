"""`python -m stelsel import KIND FILE [--board NUMBER] [--dry-run]`: public data files.

Kinds: `duo-schools` (DUO's files of all school locations), `inspectie-results` (the
inspectorate's "Leerresultaten primair onderwijs"), `schoolweging` (the inspectorate's
schoolweging file), `duo-exams` (DUO's exam results per location) and `duo-pupils` (DUO's
pupil counts per location). Every import is checked whole first and written in one transaction; a
problem stops it with the file, row and column, and nothing is changed.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from stelsel.insight.duo_imports import DuoReport, import_exams, import_pupils
from stelsel.insight.imports import ImportReport, import_results, import_schoolweging
from stelsel.insight.refresh import signals_refresh_after_import
from stelsel.insight.sheets import DataFileError
from stelsel.organisations.duo_schools import DuoFileError, import_school_locations

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Import public data files. Kinds: duo-schools (DUO files of all school locations), "
        "inspectie-results (the inspectorate's primary results), schoolweging (the "
        "inspectorate's schoolweging file), duo-exams (DUO's exam results per school "
        "location), duo-pupils (DUO's pupil counts per school location)."
    )

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        duo = kinds.add_parser("duo-schools", help="DUO file of all school locations (PO or VO)")
        duo.add_argument("file", metavar="FILE")
        duo.add_argument("--board", metavar="NUMBER", help="only this board's schools")
        duo.add_argument("--dry-run", action="store_true", help="report, change nothing")
        duo.add_argument(
            "--board-only",
            action="store_true",
            help="as a board's own import: refuse schools of other boards, keep board names",
        )
        duo.add_argument("--verbose-changes", action="store_true", help="list every change")
        results = kinds.add_parser(
            "inspectie-results", help="the inspectorate's Leerresultaten primair onderwijs"
        )
        results.add_argument("file", metavar="FILE")
        results.add_argument("--board", metavar="NUMBER", help="only this board's schools")
        results.add_argument("--dry-run", action="store_true", help="report, change nothing")
        weging = kinds.add_parser("schoolweging", help="the inspectorate's schoolweging file")
        weging.add_argument("file", metavar="FILE")
        weging.add_argument("--board", metavar="NUMBER", help="only this board's schools")
        weging.add_argument("--dry-run", action="store_true", help="report, change nothing")
        for kind, what in (
            ("duo-exams", "DUO's exam results per school location (geslaagden, gezakten, cijfers)"),
            ("duo-pupils", "DUO's pupil counts per school location (on 1 October)"),
        ):
            duo_kind = kinds.add_parser(kind, help=what)
            duo_kind.add_argument("file", metavar="FILE")
            duo_kind.add_argument("--board", metavar="NUMBER", help="only this board's schools")
            duo_kind.add_argument("--dry-run", action="store_true", help="report, change nothing")
            duo_kind.add_argument(
                "--year",
                type=int,
                metavar="YEAR",
                help="the school year by the year it ends (2019 for 2018-2019), for a file "
                "without a SCHOOLJAAR column",
            )

    @no_translations
    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if options["kind"] == "duo-schools":
            return self.duo_schools(path, options)
        if options["kind"] in ("duo-exams", "duo-pupils"):
            return self.duo_figures(path, options)
        importer = import_results if options["kind"] == "inspectie-results" else import_schoolweging
        try:
            report = importer(
                path.read_bytes(),
                str(path),
                board_number=options["board"],
                dry_run=options["dry_run"],
            )
        except DataFileError as exc:
            message = str(exc) if str(exc).startswith(str(path)) else f"{path}: {exc}"
            raise CommandError(f"{message}; nothing was changed") from None
        self.report(report, dry_run=options["dry_run"])
        if report.applied:
            new = signals_refresh_after_import(report)
            if new is None:
                self.stdout.write("Signals: the refresh is queued for the task worker.")
            else:
                self.stdout.write(f"Signals: {new} new.")

    def report(self, report: ImportReport, *, dry_run: bool) -> None:
        self.stdout.write(f"{report.file}: {report.rows} rows, period {report.period}")
        for key, value in report.counts.items():
            self.stdout.write(f"  {key}: {value}")
        for warning in report.warnings:
            self.stdout.write(f"  warning: {warning}")
        for label, codes in (
            ("of other boards or not known as this board's, not imported", report.other_board),
            ("BRIN matches no school in Stelsel (stored, not linked)", report.unknown_brin),
        ):
            if codes:
                more = f" … and {len(codes) - SHOWN} more" if len(codes) > SHOWN else ""
                self.stdout.write(f"  {label}: {', '.join(codes[:SHOWN])}{more}")
        for difference in report.differences:
            self.stdout.write(f"  difference: {difference}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported: {len(report.kept)} OVTs."))

    def duo_schools(self, path: Path, options) -> None:
        try:
            plan = import_school_locations(
                path.read_bytes(),
                board_number=options["board"],
                dry_run=options["dry_run"],
                national=not options["board_only"],
            )
        except DuoFileError as exc:
            raise CommandError(f"{path}: {exc}; nothing was changed") from None
        self.stdout.write(f"{path}: {plan.rows} school locations of {plan.boards_in_file} boards")
        for key, value in plan.counts.items():
            self.stdout.write(f"  {key.replace('_', ' ')}: {value}")
        shown = plan.changes if options["verbose_changes"] else plan.changes[:SHOWN]
        for change in shown:
            detail = ", ".join(f"{k}: {old!r} → {new!r}" for k, (old, new) in change.fields.items())
            self.stdout.write(f"  {change.action} {change.code} {change.label} {detail}".rstrip())
        if len(plan.changes) > len(shown):
            self.stdout.write(f"  … and {len(plan.changes) - len(shown)} more changes")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed.")
        elif not plan.has_changes:
            self.stdout.write("Nothing to change.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported: {len(plan.changes)} changes."))

    def duo_figures(self, path: Path, options) -> None:
        importer = import_exams if options["kind"] == "duo-exams" else import_pupils
        try:
            report = importer(
                path.read_bytes(),
                str(path),
                board_number=options["board"],
                year=options["year"],
                dry_run=options["dry_run"],
            )
        except DataFileError as exc:
            message = str(exc) if str(exc).startswith(str(path)) else f"{path}: {exc}"
            raise CommandError(f"{message}; nothing was changed") from None
        self.duo_report(report, dry_run=options["dry_run"])

    def duo_report(self, report: DuoReport, *, dry_run: bool) -> None:
        years = ", ".join(str(y) for y in report.years)
        self.stdout.write(f"{report.file}: {report.rows} rows, year {years}")
        for label, value in report.labelled_counts():
            self.stdout.write(f"  {label}: {value}")
        for warning in report.warnings:
            self.stdout.write(f"  warning: {warning}")
        for label, codes in (
            ("of other boards or not known as this board's, not imported", report.other_board),
            ("not known in Stelsel, not imported", report.unknown_locations),
        ):
            if codes:
                more = f" … and {len(codes) - SHOWN} more" if len(codes) > SHOWN else ""
                self.stdout.write(f"  {label}: {', '.join(codes[:SHOWN])}{more}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
            return
        imported = report.counts["locations_imported"]
        self.stdout.write(self.style.SUCCESS(f"Imported: {imported} school locations."))
        if report.kind == "duo-pupils":
            if report.new_signals is None:
                self.stdout.write("Signals: the refresh is queued for the task worker.")
            else:
                self.stdout.write(f"Signals: {report.new_signals} new.")
