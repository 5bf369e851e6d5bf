"""runserver that refuses to start while migrations are pending (Django only warns)."""

from django.contrib.staticfiles.management.commands.runserver import Command as StaticRunserver
from django.core.management.base import CommandError

from stelsel.lib.startup import PendingMigrations, ensure_migrated


class Command(StaticRunserver):
    def handle(self, *args, **options):
        try:
            ensure_migrated()
        except PendingMigrations as exc:
            raise CommandError(str(exc)) from None
        return super().handle(*args, **options)
