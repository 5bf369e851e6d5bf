"""A table that did not meet as planned is flagged: a planned date more than a week past with
no meeting recorded as held or cancelled near it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from stelsel.meetings.models import MeetingSeries
from stelsel.meetings.recurrence import local_start
from stelsel.meetings.selectors import missed_meetings
from stelsel.organisations.roles import Role
from tests.factories.meetings import make_meeting, make_series

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def _table(board, school=None, **fields):
    values = {
        "interval": 2,
        "first_date": dt.date(2026, 4, 6),  # a Monday; then 20 Apr, 4 May, 18 May, 1 Jun, 15 Jun
        "created_at": local_start(dt.date(2026, 4, 1), dt.time(9, 0)),
    }
    return make_series(board, school, **{**values, **fields})


def test_missed_meetings_are_those_without_a_record_near_their_date(world):
    series = _table(world.board, world.school)
    make_meeting(world.board, series=series, day=dt.date(2026, 4, 6), state="held")
    make_meeting(world.board, series=series, day=dt.date(2026, 4, 20), state="cancelled")
    still_planned = make_meeting(world.board, series=series, day=dt.date(2026, 5, 4))
    make_meeting(world.board, series=series, day=dt.date(2026, 5, 21), state="held")  # moved
    missed = missed_meetings(world.board, TODAY)
    assert [(m.date, m.meeting_id) for m in missed] == [
        (dt.date(2026, 5, 4), still_planned.pk),
        (dt.date(2026, 6, 1), None),
    ]
    assert all(m.series == series for m in missed)


def test_a_meeting_gets_a_week_before_it_counts_as_missed(world):
    _table(world.board)
    dates = [m.date for m in missed_meetings(world.board, dt.date(2026, 4, 13))]
    assert dates == []  # 6 April is exactly a week ago
    dates = [m.date for m in missed_meetings(world.board, dt.date(2026, 4, 14))]
    assert dates == [dt.date(2026, 4, 6)]


def test_one_moved_meeting_accounts_for_one_planned_date_only(world):
    series = _table(world.board, interval=1)
    make_meeting(world.board, series=series, day=dt.date(2026, 4, 8), state="held")
    dates = [m.date for m in missed_meetings(world.board, dt.date(2026, 4, 22))]
    assert dates == [dt.date(2026, 4, 13)]  # 6 April taken by the meeting of the 8th


def test_occurrences_before_the_table_was_set_up_are_not_flagged(world):
    _table(world.board, created_at=local_start(dt.date(2026, 5, 10), dt.time(9, 0)))
    dates = [m.date for m in missed_meetings(world.board, TODAY)]
    assert dates == [dt.date(2026, 5, 18), dt.date(2026, 6, 1)]


def test_tables_without_a_rhythm_and_of_other_boards_are_not_flagged(world):
    _table(world.board, rhythm="none")
    _table(world.other_board)
    assert missed_meetings(world.board, TODAY) == []


def test_the_selection_narrows_to_the_tables_given(world):
    mine = _table(world.board, world.school)
    _table(world.board, world.other_school)
    missed = missed_meetings(
        world.board, TODAY, series=MeetingSeries.objects.filter(school=world.school)
    )
    assert {m.series for m in missed} == {mine}


def test_the_calendar_flags_a_table_that_did_not_meet(client, world):
    today = timezone.localdate()
    make_series(
        world.board,
        world.school,
        name="Leesteam",
        interval=1,
        first_date=today - dt.timedelta(days=21),
        created_at=timezone.now() - dt.timedelta(days=30),
    )
    make_series(world.board, world.school, name="Rekenteam", rhythm="none")
    client.force_login(world.users[Role.SCHOOL_LEADER])
    response = client.get(reverse("meetings:calendar", args=[world.board.pk]))
    assert response.status_code == 200
    missed = response.context["missed"]
    assert [m.series.name for m in missed] == ["Leesteam", "Leesteam"]  # 21 and 14 days ago
    html = response.content.decode()
    assert 'id="missed-heading"' in html
    # Staff of another school do not see this school's tables nor their flags.
    client.force_login(_other_school_staff(world))
    response = client.get(reverse("meetings:calendar", args=[world.board.pk]))
    assert response.context["missed"] == []
    assert "Leesteam" not in response.content.decode()


def _other_school_staff(world):
    from tests.factories import grant, make_user

    user = make_user()
    grant(user, world.board, Role.STAFF, world.other_school)
    return user
