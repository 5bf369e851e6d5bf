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
