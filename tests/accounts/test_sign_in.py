"""Signing in: email login, throttling, argon2, optional and board-required two-factor."""

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from stelsel.organisations.roles import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def test_it_signs_in_with_email_and_password(client, world):
    response = _login(client, world.users[Role.STAFF].email, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_a_wrong_password_is_refused_with_a_message(client, world):
    response = _login(client, world.users[Role.STAFF].email, "wrong-password")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_failed_logins_are_throttled_even_for_the_right_password_afterwards(client, world):
    email = world.users[Role.STAFF].email
    for _ in range(5):
        _login(client, email, "wrong-password")
    response = _login(client, email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_nobody_can_sign_themselves_up(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "me@example.org",
            "password1": "een-sterk-wachtwoord-7",
            "password2": "een-sterk-wachtwoord-7",
        },
    )
    from stelsel.accounts.models import User

    assert not User.objects.filter(email="me@example.org").exists()
    assert response.status_code in (200, 403)


def test_passwords_are_hashed_with_argon2_outside_tests():
    import stelsel.settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_password_reset_sends_a_mail(client, world, mailoutbox):
    client.post("/accounts/password/reset/", {"email": world.users[Role.STAFF].email})
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def _current_code(secret: str) -> str:
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


def test_a_board_can_require_two_factor(client, world):
    world.board.require_two_factor = True
    world.board.save()
    user = world.users[Role.STAFF]
    client.force_login(user)
    response = client.get(reverse("web:board_home", args=[world.board.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    # Members of other boards are not affected.
    client.force_login(world.outsider)
    assert client.get(reverse("web:board_home", args=[world.other_board.pk])).status_code == 200
    # With an authenticator the member gets through.
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    assert client.get(reverse("web:board_home", args=[world.board.pk])).status_code == 200


def test_a_user_with_totp_needs_the_code_to_sign_in(client, world):
    user = world.users[Role.STAFF]
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = _login(client, user.email, PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_only_the_board_executive_changes_the_two_factor_setting(client, world):
    url = reverse("organisations:board_settings", args=[world.board.pk])
    client.force_login(world.users[Role.QUALITY_OFFICER])
    assert client.post(url, {"name": "X", "require_two_factor": "on"}).status_code == 403
    world.board.refresh_from_db()
    assert not world.board.require_two_factor
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    assert client.post(url, {"name": "", "require_two_factor": "on"}).status_code == 200
    world.board.refresh_from_db()
    assert not world.board.require_two_factor, "an invalid form changes nothing"
    response = client.post(url, {"name": " Stichting Nieuw ", "require_two_factor": "on"})
    assert response.status_code == 302
    world.board.refresh_from_db()
    assert world.board.require_two_factor
    assert world.board.name == "Stichting Nieuw"


def test_the_api_honours_the_two_factor_requirement(client, world):
    from stelsel.accounts.services import token_create

    user = world.users[Role.QUALITY_OFFICER]
    _token, raw = token_create(user=user, name="BI")
    world.board.require_two_factor = True
    world.board.save()
    client.force_login(user)
    url = f"/api/v1/boards/{world.board.pk}/schools"
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 403
    TOTP.activate(user, generate_totp_secret())
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
