"""The board's margin for "near the norm": saved, validated, and followed by the signals."""

import pytest
from django.urls import reverse

from stelsel.insight.models import DigestOptOut, Signal, SignalKind, WarningSettings
from stelsel.insight.signals import signals_refresh
from stelsel.organisations.roles import Role
from tests.factories import grant, make_board, make_school, make_user
from tests.factories.insight import add_results, add_schoolweging, make_ovt

pytestmark = pytest.mark.django_db


def test_a_wider_margin_brings_a_near_signal_and_bad_input_changes_nothing(client):
    board = make_board()
    school = make_school(board)
    ovt = make_ovt(board, school)
    add_results(ovt, {2023: (20, 89, 60), 2024: (20, 89, 60), 2025: (20, 89, 60)})
    add_schoolweging(ovt, 31.5)
    signals_refresh(board)
    assert not Signal.objects.filter(kind=SignalKind.NEAR_NORM).exists()
    user = make_user()
    grant(user, board, Role.QUALITY_OFFICER)
    client.force_login(user)
    url = reverse("insight:warning_settings", args=[board.pk])
    assert client.get(url).status_code == 200
    for bad in ("-1", "abc", "25", ""):
        response = client.post(url, {"margin": bad})
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not WarningSettings.objects.exists()
    assert client.post(url, {"margin": "4,5"}).status_code == 302
    assert WarningSettings.objects.get(board=board).margin == 4.5
    near = Signal.objects.get(kind=SignalKind.NEAR_NORM, resolved_at__isnull=True)
    assert near.indicator == "1F"


def test_a_person_turns_the_signal_digest_off_and_on(client):
    user = make_user()
    grant(user, make_board(), Role.BOARD_EXECUTIVE)
    client.force_login(user)
    settings_page = reverse("account_settings")
    assert client.get(reverse("insight:digest_setting")).status_code == 405
    client.post(reverse("insight:digest_setting"), {"digest": "off"})
    assert DigestOptOut.objects.filter(user=user).exists()
    assert client.get(settings_page).context["digest_off"] is True
    client.post(reverse("insight:digest_setting"), {"digest": "on"})
    assert not DigestOptOut.objects.filter(user=user).exists()
    assert client.get(settings_page).context["digest_off"] is False
