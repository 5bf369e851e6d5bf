"""meetings/access.py: agenda items only through their meeting, calendar feeds only by their
owner or by their secret address."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from stelsel.meetings import services
from stelsel.meetings.access import (
    calendar_feed_for_token,
    get_agenda_item_for_user,
    get_calendar_feed_for_user,
    get_meeting_for_user,
)
from stelsel.meetings.models import AgendaItem
from stelsel.organisations.roles import Role
from tests.factories.meetings import make_meeting

pytestmark = pytest.mark.django_db


def test_an_agenda_item_is_reached_only_through_its_meeting(world):
    meeting = make_meeting(world.board, world.school)
    other_meeting = make_meeting(world.board, world.school)
    item = AgendaItem.objects.create(board=world.board, meeting=meeting, title="Terugblik")
    leader = world.users[Role.SCHOOL_LEADER]
    found = get_meeting_for_user(leader, world.board, meeting.pk, write=True)
    assert get_agenda_item_for_user(leader, world.board, str(item.pk), meeting=found) == item
    for bad in (item.pk + 1000, "abc", None, 0, -1, 2**63):
        with pytest.raises(Http404):
            get_agenda_item_for_user(leader, world.board, bad, meeting=found)
    with pytest.raises(Http404):
        get_agenda_item_for_user(leader, world.board, item.pk, meeting=other_meeting)
    with pytest.raises(Http404):  # the meeting's board, not another one the user asks through
        get_agenda_item_for_user(world.outsider, world.other_board, item.pk, meeting=meeting)
    with pytest.raises(PermissionDenied):
        get_agenda_item_for_user(world.nobody, world.board, item.pk, meeting=meeting)


def test_changing_an_agenda_item_needs_recording_the_meeting(world):
    meeting = make_meeting(world.board, world.school)
    item = AgendaItem.objects.create(board=world.board, meeting=meeting, title="Terugblik")
    staff = world.users[Role.STAFF]
    assert get_agenda_item_for_user(staff, world.board, item.pk, meeting=meeting) == item
    with pytest.raises(PermissionDenied):
        get_agenda_item_for_user(staff, world.board, item.pk, meeting=meeting, write=True)


def test_a_calendar_feed_is_reached_by_its_owner_or_its_secret_address(world):
    owner = world.users[Role.QUALITY_OFFICER]
    feed, raw = services.feed_create(user=owner)
    assert get_calendar_feed_for_user(owner, feed.pk) == feed
    for someone in (world.users[Role.BOARD_EXECUTIVE], world.outsider):
        with pytest.raises(Http404):
            get_calendar_feed_for_user(someone, feed.pk)
    assert calendar_feed_for_token(raw) == feed
    for bad in ("", "x" * 101, raw + "x"):
        assert calendar_feed_for_token(bad) is None
    services.feed_revoke(feed=feed)
    assert calendar_feed_for_token(raw) is None
    assert get_calendar_feed_for_user(owner, feed.pk) == feed  # revoking again stays possible
