"""`python -m stelsel signals --json [--board NUMBER]`: the primary results per OVT, one JSON
object per line, for other tools to read."""

import json

from django.core.management.base import BaseCommand, CommandError, no_translations

from stelsel.insight.outcomes import po_outcomes
from stelsel.insight.signals import outcome_record
from stelsel.organisations.models import Board


class Command(BaseCommand):
    help = "Print the results per school (OVT) and indicator as JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", required=True, help="JSON lines")
        parser.add_argument("--board", metavar="NUMBER", help="only this board's schools")

    @no_translations
    def handle(self, *args, **options):
        board = None
        if options["board"]:
            board = Board.objects.filter(number=options["board"].strip().zfill(5)).first()
            if board is None:
                raise CommandError(f"no board numbered {options['board']}")
        write = self.stdout.write
        for outcome in po_outcomes(board=board):
            write(json.dumps(outcome_record(outcome), ensure_ascii=False))
