"""Inviting people by email with a role, and the single-use link that sets their password."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from stelsel.accounts.models import User
from stelsel.organisations.models import Invitation, Membership
from stelsel.organisations.roles import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _invite(client, world, **data):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    payload = {
        "email": "nieuw@school.nl",
        "name": "Nieuwe Collega",
        "role": Role.STAFF,
        "school": world.school.pk,
        **data,
    }
    return client.post(reverse("organisations:invite", args=[world.board.pk]), payload)


def _link_from_mail() -> str:
    body = mail.outbox[-1].body
    return re.search(r"http://\S+/uitnodiging/\S+/", body).group(0)


def _path(link: str) -> str:
    return link.split("127.0.0.1:8000", 1)[1]


def test_it_invites_by_email_and_the_link_creates_account_and_membership(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, world)
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nieuw@school.nl"]
    path = _path(_link_from_mail())
    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(
        path,
        {
            "name": "Nieuwe Collega",
            "password1": "een-sterk-wachtwoord-7",
            "password2": "een-sterk-wachtwoord-7",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@school.nl")
    assert user.check_password("een-sterk-wachtwoord-7")
    assert user.password.startswith("md5$") or user.password.startswith("argon2")
    assert Membership.objects.filter(user=user, school=world.school, role=Role.STAFF).exists()
    assert client.get(reverse("web:board_home", args=[world.board.pk])).status_code == 200


def test_the_link_is_single_use(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, world)
    path = _path(_link_from_mail())
    client.logout()
    data = {
        "name": "X",
        "password1": "een-sterk-wachtwoord-7",
        "password2": "een-sterk-wachtwoord-7",
    }
    assert client.post(path, data).status_code == 302
    client.logout()
    again = client.post(path, data)
    assert again.status_code == 410
    assert "al gebruikt" in again.content.decode() or "already been used" in again.content.decode()
    assert User.objects.filter(email="nieuw@school.nl").count() == 1


def test_an_expired_link_is_refused_and_changes_nothing(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, world)
    Invitation.objects.update(expires_at=timezone.now())
    client.logout()
    path = _path(_link_from_mail())
    response = client.post(
        path,
        {"name": "X", "password1": "een-sterk-wachtwoord-7", "password2": "een-sterk-wachtwoord-7"},
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="nieuw@school.nl").exists()


def test_an_unknown_or_tampered_link_answers_404(client, world):
    assert client.get("/uitnodiging/abc/").status_code == 404
    assert client.get("/uitnodiging/" + "x" * 300 + "/").status_code == 404


def test_a_revoked_invitation_cannot_be_used(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, world)
    invitation = Invitation.objects.get()
    client.post(reverse("organisations:invitation_revoke", args=[world.board.pk, invitation.pk]))
    client.logout()
    assert client.get(_path(_link_from_mail())).status_code == 410


def test_a_weak_or_mismatched_password_is_refused(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, world)
    client.logout()
    path = _path(_link_from_mail())
    weak = client.post(path, {"name": "X", "password1": "123", "password2": "123"})
    assert weak.status_code == 200
    different = client.post(
        path,
        {"name": "X", "password1": "een-sterk-wachtwoord-7", "password2": "een-ander-wachtwoord-8"},
    )
    assert different.status_code == 200
    assert not User.objects.filter(email="nieuw@school.nl").exists()
    assert Invitation.objects.get().state == "open"


def test_an_existing_person_accepts_after_signing_in(
    client, world, django_capture_on_commit_callbacks
):
    existing = world.users[Role.SUPERVISOR]
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, world, email=existing.email, role=Role.QUALITY_OFFICER, school="")
    path = _path(_link_from_mail())
    client.logout()
    assert b"Sign in" in client.get(path).content or b"Inloggen" in client.get(path).content
    client.force_login(world.nobody)
    client.post(path)
    assert not Membership.objects.filter(user=world.nobody).exists()
    client.force_login(existing)
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(user=existing, role=Role.QUALITY_OFFICER).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"role": "wizard"}, "role"),
        ({"role": Role.STAFF, "school": ""}, "school"),
        ({"role": Role.SUPERVISOR}, "school"),
        ({"email": "geen-adres"}, "email"),
    ],
)
def test_bad_invitations_get_a_clear_error_and_change_nothing(client, world, data, field):
    response = _invite(client, world, **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_a_school_of_another_board_cannot_be_chosen(client, world):
    response = _invite(client, world, school=world.other_board_school.pk)
    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_a_duplicate_membership_is_refused(client, world):
    staff = world.users[Role.STAFF]
    response = _invite(client, world, email=staff.email)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Invitation.objects.exists()


def test_the_last_board_executive_cannot_be_removed(client, world):
    executive = world.users[Role.BOARD_EXECUTIVE]
    client.force_login(executive)
    membership = Membership.objects.get(user=executive, board=world.board)
    client.post(reverse("organisations:membership_delete", args=[world.board.pk, membership.pk]))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_removing_a_role_is_recorded_in_the_activity_log(client, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    membership = Membership.objects.get(user=world.users[Role.SUPERVISOR])
    client.post(reverse("organisations:membership_delete", args=[world.board.pk, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    page = client.get(reverse("organisations:activity", args=[world.board.pk]))
    entries = page.context["page"].entries
    removed = [e for e in entries if e.kind == "membership" and e.action == "-"]
    assert removed and removed[0].who == world.users[Role.BOARD_EXECUTIVE]


def test_login_with_the_new_password_works(client, world):
    assert client.login(email=world.users[Role.STAFF].email, password=PASSWORD)


def test_an_executive_adds_a_role_to_someone_already_on_the_board(client, world):
    supervisor = world.users[Role.SUPERVISOR]
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    url = reverse("organisations:role_add", args=[world.board.pk, supervisor.pk])
    response = client.post(url, {"role": Role.SCHOOL_LEADER, "school": world.other_school.pk})
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=supervisor, school=world.other_school, role=Role.SCHOOL_LEADER
    ).exists()
    again = client.post(url, {"role": Role.SCHOOL_LEADER, "school": world.other_school.pk})
    assert again.status_code == 200 and again.context["form"].non_field_errors()
    wrong_scope = client.post(url, {"role": Role.STAFF, "school": ""})
    assert "school" in wrong_scope.context["form"].errors
    assert Membership.objects.filter(user=supervisor).count() == 2


def test_a_person_of_another_board_cannot_be_given_a_role_here(client, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    url = reverse("organisations:role_add", args=[world.board.pk, world.outsider.pk])
    assert client.post(url, {"role": Role.SUPERVISOR}).status_code == 404
    assert not Membership.objects.filter(user=world.outsider, board=world.board).exists()


def test_an_expired_invitation_can_be_sent_again_with_a_new_link(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, world)
    first = _path(_link_from_mail())
    Invitation.objects.update(expires_at=timezone.now())
    old = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organisations:invitation_resend", args=[world.board.pk, old.pk]))
    second = _path(_link_from_mail())
    assert first != second
    client.logout()
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200
