"""`python -m stelsel demo`: load the frameworks and the demo boards, print the logins."""

from django.core.management.base import BaseCommand

from stelsel.demo.board import DEMO_PASSWORD, demo_board_create
from stelsel.frameworks.services import frameworks_load


class Command(BaseCommand):
    help = "Load the framework library and the fictional demo boards (idempotent)."

    def handle(self, *args, **options):
        result = frameworks_load()
        self.stdout.write(
            f"Frameworks: {len(result.created)} loaded, {len(result.unchanged)} already present."
        )
        logins = demo_board_create()
        width = max(len(login.email) for login in logins)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for login in logins:
            self.stdout.write(f"  {login.email.ljust(width)}  {login.name} — {login.description}")
        self.stdout.write("")
