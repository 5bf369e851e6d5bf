"""`python -m stelsel frameworks load [FILE …]`: validate and load framework files."""

from stelsel.frameworks.services import frameworks_load
from stelsel.lib.library_command import LibraryLoadCommand


class Command(LibraryLoadCommand):
    help = "Manage the framework library. Actions: load [FILE …] (default: the shipped library)."
    noun = "framework"

    def load(self, paths):
        return frameworks_load(paths)
