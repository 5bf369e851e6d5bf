"""The way to record a meeting is shown only to those who may record it: the supervisory board,
the council and the advisor read the calendar, and were shown a link that answered 403."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from stelsel.organisations.roles import Role
from tests.factories.meetings import make_meeting, make_series

pytestmark = pytest.mark.django_db

READERS = [Role.SUPERVISOR, Role.COUNCIL, Role.ADVISOR]


@pytest.fixture
def missed(world):
    """A board table that met weekly, with a planned meeting three weeks ago never recorded."""
    today = timezone.localdate()
    series = make_series(
        world.board,
        name="Kwaliteitsoverleg",
        interval=1,
        first_date=today - dt.timedelta(days=21),
        created_at=timezone.now() - dt.timedelta(days=30),
    )
    meeting = make_meeting(world.board, series=series, day=today - dt.timedelta(days=21))
    return series, meeting


def _pages(client, world, series):
    return [
        client.get(reverse("meetings:calendar", args=[world.board.pk])),
        client.get(reverse("meetings:series", args=[world.board.pk, series.pk])),
    ]


@pytest.mark.parametrize("role", READERS)
def test_readers_of_the_calendar_see_no_way_to_record_a_missed_meeting(
    english, world, missed, role
):
    series, meeting = missed
    record = reverse("meetings:meeting_record", args=[world.board.pk, meeting.pk])
    english.force_login(world.users[role])
    calendar, table = _pages(english, world, series)
    assert calendar.status_code == table.status_code == 200
    assert any(m.meeting_id == meeting.pk for m in calendar.context["missed"])  # still flagged
    assert record not in calendar.content.decode() and record not in table.content.decode()
    assert "Not yet recorded by the table" in calendar.content.decode()
    assert english.get(record).status_code == 403  # the link would have led to a wall


def test_the_quality_officer_is_shown_the_way_to_record_it(english, world, missed):
    series, meeting = missed
    record = reverse("meetings:meeting_record", args=[world.board.pk, meeting.pk])
    english.force_login(world.users[Role.QUALITY_OFFICER])
    calendar, table = _pages(english, world, series)
    assert record in calendar.content.decode() and record in table.content.decode()
    assert english.get(record).status_code == 200
