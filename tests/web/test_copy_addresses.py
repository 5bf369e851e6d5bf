"""The addresses shown once (the calendar address, the inspector's link) come with a button
that copies them, a live region that says so, and for the calendar a webcal: link that
subscribes in one click. The script is a static file: no inline script (CSP)."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from stelsel.meetings.feed import webcal_url
from stelsel.organisations.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://stelsel.example/agenda/abc.ics", "webcal://stelsel.example/agenda/abc.ics"),
        ("http://localhost:8000/agenda/abc.ics", "webcal://localhost:8000/agenda/abc.ics"),
        ("webcal://stelsel.example/agenda/abc.ics", "webcal://stelsel.example/agenda/abc.ics"),
    ],
)
def test_the_webcal_address_is_the_same_address_under_another_scheme(url, expected):
    assert webcal_url(url) == expected


def _copy_field(page: str, field_id: str) -> str:
    """The copy button's markup for the field, and checks common to every copy field."""
    assert re.search(
        rf'<input id="{field_id}" type="text" class="token" value="[^"]+" readonly>', page
    )
    button = re.search(rf'<button type="button"[^>]*data-copy="{field_id}"[^>]*>', page)
    assert button, "a copy button names the field it copies"
    assert " hidden" in button.group(0), "without the script the button stays hidden"
    assert re.search(rf'id="{field_id}-status"[^>]*role="status" aria-live="polite"', page)
    assert 'src="/static/web/copy.js"' in page
    assert "onclick" not in page and "<script>" not in page
    return button.group(0)


def test_the_calendar_address_page_has_a_copy_button_and_a_webcal_link(english, world):
    english.force_login(world.users[Role.QUALITY_OFFICER])
    page = english.post(reverse("meetings:feed_create")).content.decode()
    address = re.search(r'id="feed-url" type="text" class="token" value="([^"]+)"', page).group(1)
    assert address.startswith(settings.SITE_URL) and address.endswith(".ics")
    button = _copy_field(page, "feed-url")
    assert 'data-copied="Copied"' in button
    assert f'href="{webcal_url(address)}"' in page
    assert "Subscribe in your calendar app" in page


def test_the_inspector_link_page_has_a_copy_button(client, world):
    client.force_login(world.users[Role.SCHOOL_LEADER])
    until = timezone.localdate() + datetime.timedelta(days=14)
    response = client.post(
        reverse("picture:inspector_link_create", args=[world.board.pk]),
        {"unit": world.school.pk, "label": "Inspecteur", "valid_until": until.isoformat()},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'id="link-url" type="text" class="token" value="http[^"]+/inzage/', page)
    button = _copy_field(page, "link-url")
    assert re.search(r'data-copied="[^"]+"', button)  # what the live region says
