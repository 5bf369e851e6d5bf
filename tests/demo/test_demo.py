"""The demo: frameworks and a realistic fictional board, idempotent, with every role."""

import pytest
from django.core.management import call_command

from stelsel.demo.board import BOARD_NUMBER, DEMO_PASSWORD
from stelsel.frameworks.models import FrameworkVersion
from stelsel.organisations.models import Board, InspectionJudgement, Membership, School
from stelsel.organisations.roles import Role

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_board_with_every_role_and_is_idempotent(capsys):
    call_command("demo")
    first = (Board.objects.count(), School.objects.count(), Membership.objects.count())
    call_command("demo")
    assert (Board.objects.count(), School.objects.count(), Membership.objects.count()) == first
    board = Board.objects.get(number=BOARD_NUMBER)
    schools = board.schools.all()
    assert 7 <= len(schools) <= 9
    assert any(s.kind == "sbo" for s in schools)
    assert any(s.inspection_judgement == InspectionJudgement.ONVOLDOENDE for s in schools)
    assert {m.role for m in board.memberships.all()} == set(Role)
    assert FrameworkVersion.objects.count() >= 4
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "bestuurder@demo.stelsel.nl" in out


def test_demo_users_can_sign_in(client):
    call_command("demo")
    assert (
        client.post(
            "/accounts/login/", {"login": "kwaliteit@demo.stelsel.nl", "password": DEMO_PASSWORD}
        ).status_code
        == 302
    )


def test_the_demo_has_plans_aligned_with_a_gap_and_goals_the_coach_flags():
    from stelsel.planning.coach.review import coach_plan
    from stelsel.planning.models import Goal, Plan

    call_command("demo")
    board = Board.objects.get(number=BOARD_NUMBER)
    strategic = Plan.objects.get(board=board, kind="strategic")
    assert strategic.themes.count() == 3
    school_goals = Goal.objects.filter(plan__board=board, plan__kind="school")
    assert school_goals.filter(serves__isnull=True).exists()  # a school goal serving nothing
    served = set(school_goals.values_list("serves", flat=True))
    assert set(strategic.goals.values_list("pk", flat=True)) - served  # a board goal untouched
    improvement = Plan.objects.get(board=board, kind="improvement")
    rules = {f.rule for f in coach_plan(improvement).all_findings}
    assert {"goal_is_action", "try_language", "no_target"} <= rules


def test_the_demo_has_a_year_of_calendar_with_minutes_decisions_and_a_missed_meeting():
    from django.utils import timezone

    from stelsel.meetings.models import Decision, Meeting
    from stelsel.meetings.selectors import missed_meetings

    call_command("demo")
    board = Board.objects.get(number=BOARD_NUMBER)
    held = Meeting.objects.filter(board=board, state="held")
    assert held.count() >= 20
    assert held.exclude(minutes="").count() == held.count()
    assert Decision.objects.filter(board=board, action__isnull=False).exists()
    assert missed_meetings(board, timezone.localdate())
