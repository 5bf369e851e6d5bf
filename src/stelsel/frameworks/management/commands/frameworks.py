"""`python -m stelsel frameworks load [FILE …]`: validate and load framework files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from stelsel.frameworks.schema import FrameworkFileError
from stelsel.frameworks.services import frameworks_load


class Command(BaseCommand):
    help = "Manage the framework library. Actions: load [FILE …] (default: the shipped library)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("load", help="validate and load framework files")
        load.add_argument("files", nargs="*", metavar="FILE")

    @no_translations
    def handle(self, *args, **options):
        paths = [Path(name) for name in options["files"]]
        try:
            result = frameworks_load(paths or None)
        except FrameworkFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(exc.problems)} problem(s) found; no framework was loaded"
            ) from None
        for label in result.created:
            self.stdout.write(f"loaded {label}")
        for label in result.unchanged:
            self.stdout.write(f"unchanged {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.created)} loaded, {len(result.unchanged)} already present"
            )
        )
