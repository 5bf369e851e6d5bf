"""`python -m stelsel demo`: load the frameworks and the demo boards, print the logins."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from stelsel.demo.board import (
    BOARD_NUMBER,
    DEMO_PASSWORD,
    INSUFFICIENT_SCHOOL,
    SINGLE_SCHOOL_BOARD_NUMBER,
    demo_board_create,
)
from stelsel.demo.insight import demo_insight_create
from stelsel.demo.picture import demo_follow_up_create, demo_picture_create
from stelsel.demo.plans import (
    demo_calendar_create,
    demo_plans_create,
    demo_single_school_calendar_create,
)
from stelsel.demo.reports import demo_reports_create
from stelsel.demo.selfevaluation import demo_selfevaluation_create
from stelsel.demo.trajectories import demo_trajectories_create
from stelsel.frameworks.services import frameworks_load
from stelsel.organisations.models import Board


class Command(BaseCommand):
    help = "Load the framework library and the fictional demo boards (idempotent)."

    def handle(self, *args, **options):
        result = frameworks_load()
        self.stdout.write(
            f"Frameworks: {len(result.created)} loaded, {len(result.unchanged)} already present."
        )
        logins = demo_board_create()
        board = Board.objects.get(number=BOARD_NUMBER)
        demo_selfevaluation_create(
            board,
            board.schools.get(vestigingscode=INSUFFICIENT_SCHOOL),
            get_user_model().objects.get(email="kwaliteit@demo.stelsel.nl"),
        )
        insufficient = board.schools.get(vestigingscode=INSUFFICIENT_SCHOOL)
        token = demo_picture_create(board, insufficient)
        # In the story's order: the plan of approach takes up the actions in April, before
        # the follow-up in the autumn, so each action's history reads in order.
        demo_plans_create(board, insufficient)
        demo_follow_up_create(board, insufficient)
        demo_calendar_create(board)
        demo_single_school_calendar_create(Board.objects.get(number=SINGLE_SCHOOL_BOARD_NUMBER))
        demo_insight_create()
        # Last: the reports are composed from everything above.
        demo_reports_create(board)
        # The support programme, with the board in a trajectory and its advisor's access
        # resting on the board's consent.
        logins += demo_trajectories_create(board)
        width = max(len(login.email) for login in logins)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for login in logins:
            self.stdout.write(f"  {login.email.ljust(width)}  {login.name} — {login.description}")
        if token:
            self.stdout.write("")
            self.stdout.write(
                f"Inspector's link to KBS Sint Jozef (read-only, no account, valid 14 days): "
                f"/inzage/{token}/"
            )
        self.stdout.write("")
