"""`python -m stelsel import duo-schools FILE [--board NUMBER] [--dry-run]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from stelsel.organisations.duo_schools import DuoFileError, import_school_locations


class Command(BaseCommand):
    help = "Import public data files. Kinds: duo-schools (DUO files of all school locations)."

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

    @no_translations
    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
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
        shown = plan.changes if options["verbose_changes"] else plan.changes[:20]
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
