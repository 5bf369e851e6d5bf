"""A board page kept with `kept_page` comes back as made until the board's data change, per
person, path, language and CSRF secret; a write through a page, a message waiting to be shown
or a POST always gets a page made afresh."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stelsel.meetings.models import MeetingSeries
from stelsel.organisations.roles import Role
from tests.factories import make_world

pytestmark = pytest.mark.django_db(transaction=True)


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    page = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())
    return page, len(queries)


@pytest.fixture
def w():
    return make_world()


@pytest.fixture
def calendar_url(w):
    return reverse("meetings:calendar", args=[w.board.pk])


def _signed_in(client, user, url):
    client.force_login(user)
    client.get(url)  # the first visit sets the CSRF cookie the kept page is filed under
    return client


def test_the_second_visit_is_the_kept_page(client, w, calendar_url):
    _signed_in(client, w.users[Role.BOARD_EXECUTIVE], calendar_url)
    first, made = _get(client, calendar_url)
    second, kept = _get(client, calendar_url)
    assert second == first
    assert kept < made, (kept, made)


def test_a_write_through_a_page_shows_on_the_next_visit(client, w, calendar_url):
    from tests.factories.meetings import make_series

    _signed_in(client, w.users[Role.BOARD_EXECUTIVE], calendar_url)
    _get(client, calendar_url)
    make_series(w.board, w.other_school, name="Leesoverleg onderbouw")
    page, _ = _get(client, calendar_url)
    assert "Leesoverleg onderbouw" in page
    MeetingSeries.objects.filter(name="Leesoverleg onderbouw").update(name="Rekenoverleg")
    page, _ = _get(client, calendar_url)
    assert "Rekenoverleg" in page and "Leesoverleg onderbouw" not in page


def test_kept_per_person_and_language(client, w, calendar_url):
    from tests.factories.meetings import make_series

    make_series(w.board, w.other_school, name="Leesoverleg onderbouw")
    _signed_in(client, w.users[Role.BOARD_EXECUTIVE], calendar_url)
    dutch, _ = _get(client, calendar_url)
    client.cookies["django_language"] = "en"
    english, _ = _get(client, calendar_url)
    assert english != dutch
    assert 'lang="en"' in english and 'lang="nl"' in dutch

    other = type(client)()
    _signed_in(other, w.users[Role.SCHOOL_LEADER], calendar_url)
    theirs, _ = _get(other, calendar_url)
    # The school leader of the one school does not see the other school's tables.
    assert "Leesoverleg onderbouw" not in theirs


def test_a_waiting_message_is_shown_on_a_page_made_afresh(client, w, calendar_url):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage

    _signed_in(client, w.users[Role.BOARD_EXECUTIVE], calendar_url)
    _get(client, calendar_url)
    _get(client, calendar_url)
    # A message left by a POST before the redirect (cookie storage, as the site keeps it).
    response = client.get(calendar_url)
    storage = CookieStorage(response.wsgi_request)
    storage.add(constants.SUCCESS, "Tafel opgeslagen.")
    storage.update(response)
    client.cookies.update(response.cookies)
    page, _ = _get(client, calendar_url)
    assert "Tafel opgeslagen." in page
    assert not list(get_messages(client.get(calendar_url).wsgi_request))


def test_a_post_and_a_page_without_csrf_cookie_are_never_kept(client, w, calendar_url):
    client.force_login(w.users[Role.BOARD_EXECUTIVE])
    with CaptureQueriesContext(connection) as first:
        client.get(calendar_url)  # no CSRF cookie yet: made, not kept
    client.cookies.pop("csrftoken", None)
    with CaptureQueriesContext(connection) as second:
        client.get(calendar_url)
    assert len(second) == len(first)
