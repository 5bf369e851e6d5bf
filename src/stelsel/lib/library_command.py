"""The `load [FILE …]` management command shared by the versioned libraries."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from stelsel.lib.yamlfiles import DataFileError, LoadResult


class LibraryLoadCommand(BaseCommand):
    """Subclasses name what they load and give the loader; the rest is the same."""

    noun = "file"  # what one file holds, for messages: "framework", "questionnaire"

    def load(self, paths: list[Path] | None) -> LoadResult:
        raise NotImplementedError

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("load", help=f"validate and load {self.noun} files")
        load.add_argument("files", nargs="*", metavar="FILE")

    @no_translations
    def handle(self, *args, **options):
        paths = [Path(name) for name in options["files"]]
        try:
            result = self.load(paths or None)
        except DataFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(exc.problems)} problem(s) found; no {self.noun} was loaded"
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
