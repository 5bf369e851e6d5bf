"""`python -m stelsel invite EMAIL --board NUMBER --role ROLE [--school CODE]`.

How the first board executive of a new installation gets in: the board comes from a DUO import
(or exists already), and the invitation link is printed as well as emailed.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import Role
from stelsel.organisations.services import invitation_create


class Command(BaseCommand):
    help = "Invite a person by email to a role on a board (or one of its schools)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--board", required=True, metavar="NUMBER", help="the board's five-digit number"
        )
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--school",
            metavar="VESTIGINGSCODE",
            help="for school roles: the school's vestigingscode",
        )
        parser.add_argument("--name", default="")

    def handle(self, *args, **options):
        board = Board.objects.filter(number=options["board"]).first()
        if board is None:
            raise CommandError(
                f"no board with number {options['board']}; import it first "
                "with `import duo-schools`"
            )
        school = None
        if options["school"]:
            school = School.objects.filter(
                board=board, vestigingscode=options["school"].upper()
            ).first()
            if school is None:
                raise CommandError(f"board {board.number} has no school {options['school']}")
        try:
            invitation, link = invitation_create(
                board=board,
                school=school,
                email=options["email"],
                role=options["role"],
                name=options["name"],
                invited_by=None,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Invited {invitation.email} as {options['role']} on {board.name}.")
        self.stdout.write(f"Link (valid 14 days, single use): {link}")
