"""The calendar pages as people use them: the six tables, a table's form with its errors and
conflicts, recording a meeting with agenda and decisions, and who may do what."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stelsel.meetings.models import Decision, Meeting, MeetingSeries
from stelsel.organisations.roles import Role
from stelsel.planning.models import Action
from tests.factories import make_action
from tests.factories.meetings import make_meeting, make_series
from tests.meetings.test_services import _round_with_points

pytestmark = pytest.mark.django_db


def test_the_main_navigation_links_to_the_calendar(english, world):
    english.force_login(world.users[Role.STAFF])
    page = english.get(reverse("web:board_home", args=[world.board.pk])).content
    assert reverse("meetings:calendar", args=[world.board.pk]).encode() in page
    assert b"Quality calendar" in page


def test_the_board_office_starts_from_the_six_tables(english, world):
    url = reverse("meetings:calendar", args=[world.board.pk])
    english.force_login(world.users[Role.SCHOOL_LEADER])
    assert b"Start from the six tables" not in english.get(url).content
    english.force_login(world.users[Role.QUALITY_OFFICER])
    assert b"Start from the six tables" in english.get(url).content
    response = english.post(reverse("meetings:tables_start", args=[world.board.pk]), follow=True)
    assert b"Tables set up" in response.content
    assert MeetingSeries.objects.filter(board=world.board, school__isnull=True).count() == 6
    page = response.content.decode()
    assert "every 2 weeks on Monday at 09:00" in page
    assert "yearly in June, on the third Thursday at 19:30" in page
    assert "in March and October, on the second Thursday at 14:00" in page
    months = response.context["months"]
    assert len(months) >= 12 and all(m.meetings for m in months)


def _series_data(**changes):
    data = {
        "name": "Leesteam",
        "participants_text": "Leescoördinator en leraren",
        "rhythm": "weeks",
        "interval": "3",
        "week_of_month": "2",
        "weekday": "1",
        "start_time": "15:30",
        "duration_minutes": "60",
        "first_date": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        "last_date": "",
        "place": "Teamkamer",
        "assignment": "Leesresultaten volgen.",
        "mandate": "Adviseert de directeur.",
        "standard_agenda": "Opening\nResultaten",
    }
    data.update(changes)
    return data


def test_a_school_leader_sets_up_a_table_and_sees_clear_errors(english, world):
    leader = world.users[Role.SCHOOL_LEADER]
    english.force_login(leader)
    url = reverse("meetings:series_create", args=[world.board.pk])
    assert english.get(url).status_code == 200  # one unit: straight to the form
    response = english.post(url, _series_data(interval="0"))
    assert response.status_code == 200
    assert b"Meet every 1 to 52 weeks." in response.content
    response = english.post(url, _series_data(rhythm="months", months=[]))
    assert b"Choose at least one month." in response.content
    response = english.post(url, _series_data(duration_minutes="5"))
    assert b"A meeting lasts from 15 to 600 minutes." in response.content
    assert not MeetingSeries.objects.exists()
    response = english.post(url, _series_data(members=[str(leader.pk)]))
    series = MeetingSeries.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("meetings:series", args=[world.board.pk, series.pk])
    assert (series.school, series.interval, series.place) == (world.school, 3, "Teamkamer")
    assert list(series.members.all()) == [leader]
    assert series.meetings.count() > 10
    detail = english.get(response.url).content.decode()
    assert "Every 3 weeks on" in detail and "15:30" in detail


def test_twice_a_year_through_the_form(english, world):
    english.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("meetings:series_create", args=[world.board.pk]) + "?school=bestuur"
    response = english.post(
        url,
        _series_data(rhythm="months", months=["3", "10"], weekday="4", week_of_month="5"),
    )
    assert response.status_code == 302
    series = MeetingSeries.objects.get()
    assert (series.school, series.months, series.weekday, series.week_of_month) == (
        None,
        [3, 10],
        4,
        5,
    )


def test_saving_a_table_over_someone_elses_save_shows_both_versions(english, world):
    series = make_series(world.board, world.school, name="Leesteam", place="Kamer 1")
    english.force_login(world.users[Role.SCHOOL_LEADER])
    url = reverse("meetings:series_edit", args=[world.board.pk, series.pk])
    assert english.get(url).context["form"].initial["revision"] == 1
    MeetingSeries.objects.filter(pk=series.pk).update(place="Kamer 2", revision=2)
    data = _series_data(name="Leesteam", place="Kamer 3", revision="1")
    data["first_date"] = series.first_date.isoformat()
    response = english.post(url, data)
    assert response.status_code == 409
    assert b"Someone else saved this table" in response.content
    assert b"Kamer 2" in response.content and b"Kamer 3" in response.content
    series.refresh_from_db()
    assert series.place == "Kamer 2"
    assert response.context["form"].data["revision"] == "2"
    response = english.post(url, {**data, "revision": "2"})
    assert response.status_code == 302
    series.refresh_from_db()
    assert (series.place, series.revision) == ("Kamer 3", 3)


def test_recording_a_meeting_over_someone_elses_save_shows_theirs_and_answers_409(english, world):
    meeting = make_meeting(world.board, world.school)
    english.force_login(world.users[Role.SCHOOL_LEADER])
    url = reverse("meetings:meeting_record", args=[world.board.pk, meeting.pk])
    assert english.get(url).context["form"].initial["revision"] == 1
    Meeting.objects.filter(pk=meeting.pk).update(minutes="Hun verslag.", revision=2)
    data = {"state": "held", "minutes": "Mijn verslag.", "revision": "1"}
    response = english.post(url, data)
    assert response.status_code == 409
    assert b"Someone else recorded this meeting" in response.content
    assert b"Hun verslag." in response.content and b"Mijn verslag." in response.content
    meeting.refresh_from_db()
    assert meeting.minutes == "Hun verslag."
    assert response.context["form"].data["revision"] == "2"
    response = english.post(url, {**data, "revision": "2"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.state, meeting.minutes, meeting.revision) == ("held", "Mijn verslag.", 3)


def test_recording_a_meeting_its_agenda_and_a_decision_with_an_action(english, world):
    leader = world.users[Role.SCHOOL_LEADER]
    meeting = make_meeting(world.board, world.school)
    english.force_login(leader)
    kwargs = {"board_id": world.board.pk, "meeting_id": meeting.pk}
    page = english.get(reverse("meetings:meeting", kwargs=kwargs))
    assert b"Record a decision" in page.content
    response = english.post(
        reverse("meetings:agenda_item_add", kwargs=kwargs), {"item-title": "Leesresultaten"}
    )
    assert response.status_code == 302
    response = english.post(reverse("meetings:agenda_item_add", kwargs=kwargs), {"item-title": ""})
    assert response.status_code == 400
    due = timezone.localdate() + dt.timedelta(days=21)
    response = english.post(
        reverse("meetings:decision_add", kwargs=kwargs),
        {
            "decision-text": "Elke leraar doet twee klassenbezoeken.",
            "decision-create_action": "on",
            "decision-action_title": "Klassenbezoeken plannen",
            "decision-action_owner": str(leader.pk),
            "decision-action_due_on": due.isoformat(),
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.action.title == "Klassenbezoeken plannen"
    assert (decision.action.owner, decision.action.due_on) == (leader, due)
    response = english.post(
        reverse("meetings:meeting_record", kwargs=kwargs),
        {"state": "held", "minutes": "Goed gesprek.", "revision": "1"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.state, meeting.minutes) == ("held", "Goed gesprek.")
    page = english.get(reverse("meetings:meeting", kwargs=kwargs)).content.decode()
    assert "Leesresultaten" in page and "Klassenbezoeken plannen" in page
    assert reverse("planning:action_detail", args=[world.board.pk, decision.action.pk]) in page


def test_a_decisions_action_with_a_bad_owner_shows_the_error_on_the_form(english, world):
    meeting = make_meeting(world.board, world.school)
    english.force_login(world.users[Role.SCHOOL_LEADER])
    response = english.post(
        reverse("meetings:decision_add", args=[world.board.pk, meeting.pk]),
        {
            "decision-text": "Besloten.",
            "decision-create_action": "on",
            "decision-action_due_on": "x",
        },
    )
    assert response.status_code == 400
    assert response.context["decision_form"].errors["action_due_on"]
    assert not Decision.objects.exists() and not Action.objects.exists()


def test_staff_read_meetings_but_cannot_record_them(english, world):
    meeting = make_meeting(world.board, world.school)
    english.force_login(world.users[Role.STAFF])
    kwargs = {"board_id": world.board.pk, "meeting_id": meeting.pk}
    page = english.get(reverse("meetings:meeting", kwargs=kwargs))
    assert page.status_code == 200
    assert b"Record a decision" not in page.content
    response = english.post(
        reverse("meetings:decision_add", kwargs=kwargs), {"decision-text": "Besloten."}
    )
    assert response.status_code == 403
    response = english.post(
        reverse("meetings:meeting_record", kwargs=kwargs),
        {"state": "held", "minutes": "x", "revision": "1"},
    )
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.state == "planned" and not Decision.objects.exists()


def test_a_school_leader_cannot_change_another_schools_or_the_boards_tables(english, world):
    other = make_series(world.board, world.other_school)
    board_table = make_series(world.board, None)
    english.force_login(world.users[Role.SCHOOL_LEADER])
    assert (
        english.get(reverse("meetings:series_edit", args=[world.board.pk, other.pk])).status_code
        == 404
    )
    assert (
        english.get(
            reverse("meetings:series_edit", args=[world.board.pk, board_table.pk])
        ).status_code
        == 404
    )
    assert (
        english.get(
            reverse("meetings:series_create", args=[world.board.pk]) + "?school=bestuur"
        ).status_code
        == 403
    )


def test_a_school_leader_at_the_boards_table_reads_it_but_does_not_run_it(english, world):
    leader = world.users[Role.SCHOOL_LEADER]
    seated = make_series(world.board, None, name="Bestuur en schoolleiders", members=[leader])
    unseated = make_series(world.board, None, name="Bestuursoverleg")
    held = make_meeting(world.board, series=seated, state="held", minutes="Besproken: lezen.")
    action = make_action(world.board, None, title="Leesplan bestuur")
    Decision.objects.create(
        board=world.board, meeting=held, text="Leesplan vaststellen.", action=action
    )
    elsewhere = make_meeting(world.board, series=unseated)
    english.force_login(leader)
    calendar = english.get(reverse("meetings:calendar", args=[world.board.pk])).content.decode()
    assert "Bestuur en schoolleiders" in calendar and "Bestuursoverleg" not in calendar
    page = english.get(reverse("meetings:meeting", args=[world.board.pk, held.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Besproken: lezen." in text and "Leesplan vaststellen." in text
    assert "Leesplan bestuur" in text  # the action's title, without a link it could not open
    assert reverse("planning:action_detail", args=[world.board.pk, action.pk]) not in text
    assert "Record the meeting" not in text
    for name, args in (
        ("meetings:series", [seated.pk]),
        ("meetings:meeting", [held.pk]),
    ):
        assert english.get(reverse(name, args=[world.board.pk, *args])).status_code == 200
    for name, args in (
        ("meetings:series", [unseated.pk]),
        ("meetings:meeting", [elsewhere.pk]),
    ):
        assert english.get(reverse(name, args=[world.board.pk, *args])).status_code == 404
    assert (
        english.get(reverse("meetings:series_edit", args=[world.board.pk, seated.pk])).status_code
        == 403
    )
    response = english.post(
        reverse("meetings:decision_add", args=[world.board.pk, held.pk]),
        {"decision-text": "Zelf besloten."},
    )
    assert response.status_code == 403
    assert Decision.objects.count() == 1
    # Taken off the table, the leader no longer reads it.
    seated.members.clear()
    assert (
        english.get(reverse("meetings:meeting", args=[world.board.pk, held.pk])).status_code == 404
    )


def test_points_from_a_rounds_conversation_agenda_through_the_page(english, world):
    meeting = make_meeting(world.board, world.school)
    round_, points = _round_with_points(world.board, world.school)
    english.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("meetings:agenda_from_round", args=[world.board.pk, meeting.pk])
    response = english.get(url)
    assert round_ in response.context["rounds"]
    response = english.get(url, {"round": round_.pk})
    assert points[0].question.encode() in response.content
    response = english.post(url, {"round": round_.pk, "points": [points[1].pk]})
    assert response.status_code == 302
    (item,) = meeting.items.all()
    assert item.agenda_point == points[1]
    # A round of another board is not found.
    other_round, _points = _round_with_points(world.other_board, world.other_board_school)
    assert english.get(url, {"round": other_round.pk}).status_code == 404


def test_the_calendar_uses_the_same_number_of_queries_for_few_and_many_tables(client, world):
    def count():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("meetings:calendar", args=[world.board.pk]))
        assert response.status_code == 200
        return len(captured.captured_queries)

    client.force_login(world.users[Role.QUALITY_OFFICER])
    make_series(world.board, None, members=[world.users[Role.QUALITY_OFFICER]])
    few = count()
    for school in (world.school, world.other_school, None):
        for _ in range(3):
            series = make_series(world.board, school, members=[world.users[Role.STAFF]])
            for n in range(4):
                make_meeting(
                    world.board, series=series, day=timezone.localdate() + dt.timedelta(7 * n)
                )
    assert Meeting.objects.count() > 30
    assert count() == few
