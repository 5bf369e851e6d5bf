"""The invite command: how the first board executive of an installation gets in."""

import pytest
from django.core.management import CommandError, call_command

from stelsel.organisations.models import Invitation
from stelsel.organisations.roles import Role

pytestmark = pytest.mark.django_db


def test_it_invites_and_prints_the_link(world, capsys):
    call_command(
        "invite", "baas@example.org", "--board", world.board.number, "--role", Role.BOARD_EXECUTIVE
    )
    assert "/uitnodiging/" in capsys.readouterr().out
    assert Invitation.objects.get().role == Role.BOARD_EXECUTIVE


@pytest.mark.parametrize(
    "extra",
    [
        ["--board", "00000", "--role", "board_executive"],
        ["--board", "BOARD", "--role", "staff"],
        ["--board", "BOARD", "--role", "staff", "--school", "99ZZ00"],
    ],
)
def test_bad_arguments_get_a_clear_error_and_change_nothing(world, extra):
    extra = [world.board.number if part == "BOARD" else part for part in extra]
    with pytest.raises(CommandError):
        call_command("invite", "baas@example.org", *extra)
    assert not Invitation.objects.exists()


def test_the_mail_of_an_invitation_without_inviter_reads_well(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "invite",
            "baas@example.org",
            "--board",
            world.board.number,
            "--role",
            Role.BOARD_EXECUTIVE,
        )
    body = mailoutbox[0].body
    assert "None" not in body
    assert world.board.name in body
