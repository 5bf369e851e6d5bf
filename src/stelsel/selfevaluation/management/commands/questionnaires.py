"""`python -m stelsel questionnaires load [FILE …]`: validate and load questionnaire files."""

from stelsel.lib.library_command import LibraryLoadCommand
from stelsel.selfevaluation.library import questionnaires_load


class Command(LibraryLoadCommand):
    help = "Manage the questionnaire library. Actions: load [FILE …] (default: the library)."
    noun = "questionnaire"

    def load(self, paths):
        return questionnaires_load(paths)
