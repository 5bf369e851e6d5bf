"""`python -m stelsel questionnaires load [FILE …]`: validate and load questionnaire files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from stelsel.selfevaluation.library import QuestionnaireFileError, questionnaires_load


class Command(BaseCommand):
    help = "Manage the questionnaire library. Actions: load [FILE …] (default: the library)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("load", help="validate and load questionnaire files")
        load.add_argument("files", nargs="*", metavar="FILE")

    @no_translations
    def handle(self, *args, **options):
        try:
            result = questionnaires_load([Path(f) for f in options["files"]] or None)
        except QuestionnaireFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(exc.problems)} problem(s) found; no questionnaire was loaded"
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
