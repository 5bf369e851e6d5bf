"""`python -m stelsel report_templates load [FILE …]`: validate and load report templates."""

from stelsel.lib.library_command import LibraryLoadCommand
from stelsel.reports.library import templates_load


class Command(LibraryLoadCommand):
    help = "Manage the report template library. Actions: load [FILE …] (default: the library)."
    noun = "report template"

    def load(self, paths):
        return templates_load(paths)
