"""Writes to the calendar: tables with validated rhythms, planning, the six tables, recording a
meeting, its agenda (also from a round's conversation agenda) and decisions with actions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stelsel.lib.revisions import EditConflict
from stelsel.meetings import services, table_sets
from stelsel.meetings.models import AgendaItem, Decision, Meeting, MeetingSeries
from stelsel.organisations.roles import Role
from stelsel.planning.models import Action
from tests.factories import make_round
from tests.factories.meetings import make_meeting, make_series

pytestmark = pytest.mark.django_db


def _series(world, **fields):
    values = {
        "board": world.board,
        "school": world.school,
        "name": "Teamoverleg kwaliteit",
        "rhythm": "weeks",
        "interval": 4,
        "start_time": dt.time(15, 0),
        "first_date": timezone.localdate() + dt.timedelta(days=3),
    }
    values.update(fields)
    return services.series_create(**values)


def _errors(exc) -> dict:
    return exc.value.message_dict


# --- Validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"interval": 0}, "interval", "every 1 to 52 weeks"),
        ({"interval": 53}, "interval", "every 1 to 52 weeks"),
        ({"interval": None}, "interval", "every 1 to 52 weeks"),
        ({"rhythm": "months", "months": [13]}, "months", "1 (January) to 12"),
        ({"rhythm": "months", "months": []}, "months", "at least one month"),
        ({"rhythm": "months", "months": [3, 3]}, "months", "each month once"),
        ({"rhythm": "months", "months": [3], "weekday": 8}, "weekday", "day of the week"),
        ({"rhythm": "months", "months": [3], "week_of_month": 6}, "week_of_month", "last week"),
        ({"duration_minutes": 5}, "duration_minutes", "15 to 600 minutes"),
        ({"duration_minutes": 601}, "duration_minutes", "15 to 600 minutes"),
        ({"rhythm": "fortnightly"}, "rhythm", "rhythms in the list"),
        ({"name": "  "}, "name", "name"),
    ],
)
def test_bad_rhythms_are_refused_with_a_clear_message_and_nothing_is_stored(
    world, fields, field, text
):
    with pytest.raises(ValidationError) as exc:
        _series(world, **fields)
    assert field in _errors(exc)
    assert text in " ".join(_errors(exc)[field])
    assert not MeetingSeries.objects.exists()
    assert not Meeting.objects.exists()


def test_the_last_meeting_cannot_be_before_the_first(world):
    first = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        _series(world, first_date=first, last_date=first - dt.timedelta(days=1))
    assert "cannot be before the first" in _errors(exc)["last_date"][0]


def test_a_rhythm_that_never_meets_within_its_span_is_refused(world):
    first = dt.date(2027, 7, 1)
    with pytest.raises(ValidationError) as exc:
        _series(
            world,
            rhythm="months",
            months=[6],
            weekday=4,
            week_of_month=3,
            first_date=first,
            last_date=dt.date(2028, 5, 31),  # June 2027 is before the start, June 2028 after
        )
    assert "never meets" in _errors(exc)["rhythm"][0]


def test_all_problems_are_reported_at_once(world):
    with pytest.raises(ValidationError) as exc:
        _series(world, interval=0, duration_minutes=5, name="")
    assert {"interval", "duration_minutes", "name"} <= set(_errors(exc))


def test_members_must_be_able_to_see_the_table(world):
    leader_elsewhere = world.users[Role.SCHOOL_LEADER]  # on world.school
    with pytest.raises(ValidationError) as exc:
        _series(world, school=world.other_school, members=[leader_elsewhere])
    assert "cannot sit at this table" in _errors(exc)["members"][0]
    series = _series(world, members=[leader_elsewhere, world.users[Role.QUALITY_OFFICER]])
    assert set(series.members.all()) == {leader_elsewhere, world.users[Role.QUALITY_OFFICER]}


def test_a_school_of_another_board_is_refused(world):
    with pytest.raises(ValidationError):
        _series(world, school=world.other_board_school)


def test_weekly_tables_meet_on_the_weekday_of_their_first_meeting(world):
    series = _series(world, weekday=6)
    assert series.weekday == series.first_date.isoweekday()
    assert series.months == []


# --- Planning -----------------------------------------------------------------------------


def test_a_new_table_is_planned_a_year_ahead_and_planning_again_adds_nothing(world):
    series = _series(world, interval=4)
    count = series.meetings.count()
    assert count == (services.PLAN_AHEAD_DAYS - 3) // 28 + 1  # from 3 days ahead, every 4 weeks
    assert all(m.state == "planned" for m in series.meetings.all())
    until = timezone.localdate() + dt.timedelta(days=services.PLAN_AHEAD_DAYS)
    assert services.meetings_plan(series=series, until=until) == 0
    assert series.meetings.count() == count
    # Further ahead, only the new ones are added.
    added = services.meetings_plan(series=series, until=until + dt.timedelta(days=56))
    assert added == 2
    assert series.meetings.count() == count + 2


def test_a_table_without_a_rhythm_plans_nothing(world):
    series = _series(world, rhythm="none")
    assert series.meetings.count() == 0


def test_changing_the_rhythm_replaces_empty_planned_meetings_and_keeps_written_ones(world):
    series = _series(world, interval=2)
    first, second = series.meetings.order_by("starts_at")[:2]
    AgendaItem.objects.create(board=world.board, meeting=second, title="Voorbereiden")
    services.series_update(
        series=series, revision=series.revision, interval=3, start_time=dt.time(9, 30)
    )
    series.refresh_from_db()
    assert series.revision == 2
    assert not Meeting.objects.filter(pk=first.pk).exists()
    assert Meeting.objects.filter(pk=second.pk).exists()  # holds an agenda item
    times = {timezone.localtime(m.starts_at).time() for m in series.meetings.exclude(pk=second.pk)}
    assert times == {dt.time(9, 30)}


def test_an_update_on_an_old_revision_is_refused_and_changes_nothing(world):
    series = _series(world)
    services.series_update(series=series, revision=1, place="Kamer 1")
    with pytest.raises(EditConflict) as exc:
        services.series_update(series=series, revision=1, place="Kamer 2")
    assert exc.value.current.place == "Kamer 1"
    series.refresh_from_db()
    assert series.place == "Kamer 1"
    assert series.revision == 2


def test_an_update_with_a_bad_value_changes_nothing(world):
    series = _series(world)
    with pytest.raises(ValidationError):
        services.series_update(series=series, revision=1, interval=0, place="Kamer 9")
    series.refresh_from_db()
    assert (series.interval, series.place, series.revision) == (4, "", 1)


# --- The six tables -------------------------------------------------------------------------


def test_the_six_tables_are_set_up_once(world):
    created = table_sets.tables_start(board=world.board, user=world.users[Role.QUALITY_OFFICER])
    assert len(created) == 6
    assert all(s.school_id is None for s in created)
    assert all("Plan: what do we want to achieve?" in s.standard_agenda for s in created)
    rhythms = {s.name: (s.rhythm, s.interval, s.months) for s in created}
    assert rhythms["Board"] == ("weeks", 2, [])
    assert rhythms["Supervisory board"] == ("months", None, [6])
    assert rhythms["Board and school leaders"] == ("months", None, [3, 10])
    assert all(s.meetings.exists() for s in created)
    again = table_sets.tables_start(board=world.board, user=None)
    assert again == []
    assert MeetingSeries.objects.filter(board=world.board).count() == 6


def test_the_six_tables_skip_names_the_board_uses(world):
    make_series(world.board, None, name="Quality team")
    created = table_sets.tables_start(board=world.board)
    assert len(created) == 5
    assert MeetingSeries.objects.filter(board=world.board, name="Quality team").count() == 1


# --- Recording a meeting --------------------------------------------------------------------


def test_recording_a_meeting_and_a_conflicting_second_save(world):
    meeting = make_meeting(world.board, world.school)
    services.meeting_record(meeting=meeting, revision=1, state="held", minutes="Besproken.")
    meeting.refresh_from_db()
    assert (meeting.state, meeting.minutes, meeting.revision) == ("held", "Besproken.", 2)
    with pytest.raises(EditConflict) as exc:
        services.meeting_record(meeting=meeting, revision=1, state="cancelled", minutes="")
    assert exc.value.current.minutes == "Besproken."
    meeting.refresh_from_db()
    assert meeting.state == "held"


def test_a_meeting_cannot_be_held_before_its_day(world):
    meeting = make_meeting(
        world.board, world.school, day=timezone.localdate() + dt.timedelta(days=3)
    )
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(meeting=meeting, revision=1, state="held", minutes="")
    assert "from the day it takes place" in _errors(exc)["state"][0]
    services.meeting_record(meeting=meeting, revision=1, state="cancelled", minutes="")


# --- Agenda ---------------------------------------------------------------------------------


def test_agenda_items_are_added_in_order(world):
    meeting = make_meeting(world.board, world.school)
    services.agenda_item_add(meeting=meeting, title="Opening")
    services.agenda_item_add(meeting=meeting, title="Resultaten", notes="Zie rapport.")
    assert list(meeting.items.values_list("title", "position")) == [
        ("Opening", 1),
        ("Resultaten", 2),
    ]
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=meeting, title=" ")


def test_the_standard_agenda_becomes_items(world):
    series = make_series(world.board, world.school, standard_agenda="Opening\n\n- Plan\nDo\n")
    meeting = make_meeting(world.board, series=series)
    services.agenda_items_from_standard(meeting=meeting)
    assert list(meeting.items.values_list("title", flat=True)) == ["Opening", "Plan", "Do"]


def _round_with_points(board, school):
    from stelsel.selfevaluation.models import AgendaPoint

    round_ = make_round(board, school, state="closed")
    standard = round_.questionnaire_version.sections.first().standard
    points = [
        AgendaPoint.objects.create(
            round=round_,
            board=board,
            kind="own",
            standard=standard,
            question=f"Vraag {n}: hoe kijken leraren hiernaar?",
            note="Uit de gesprekken.",
            position=n,
        )
        for n in (1, 2)
    ]
    return round_, points


def test_points_of_a_rounds_conversation_agenda_become_agenda_items(world):
    meeting = make_meeting(world.board, world.school)
    _round, points = _round_with_points(world.board, world.school)
    added = services.agenda_items_from_points(meeting=meeting, points=points)
    assert [i.title for i in added] == [p.question for p in points]
    assert [i.agenda_point_id for i in added] == [p.pk for p in points]
    assert added[0].notes == "Uit de gesprekken."
    # Adding them again skips those already on the agenda.
    assert services.agenda_items_from_points(meeting=meeting, points=points) == []
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=meeting, agenda_point=points[0])
    assert meeting.items.count() == 2


def test_a_point_of_another_boards_round_is_refused(world):
    meeting = make_meeting(world.board, world.school)
    _round, points = _round_with_points(world.other_board, world.other_board_school)
    with pytest.raises(ValidationError) as exc:
        services.agenda_items_from_points(meeting=meeting, points=points)
    assert "another board" in exc.value.messages[0]
    assert not meeting.items.exists()


def test_a_cancelled_meeting_takes_no_agenda_or_decisions(world):
    meeting = make_meeting(world.board, world.school, state="cancelled")
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=meeting, title="Iets")
    with pytest.raises(ValidationError):
        services.decision_add(meeting=meeting, text="Besloten.")


# --- Decisions ------------------------------------------------------------------------------


def test_a_decision_can_create_the_action_that_carries_it_out(world):
    leader = world.users[Role.SCHOOL_LEADER]
    meeting = make_meeting(world.board, world.school)
    due = timezone.localdate() + dt.timedelta(days=30)
    decision = services.decision_add(
        meeting=meeting,
        text="We gaan klassenbezoeken doen bij rekenen.\nTwee per leraar.",
        create_action=True,
        action_owner=leader,
        action_due_on=due,
        user=leader,
    )
    action = decision.action
    assert action is not None
    assert (action.board, action.school, action.owner, action.due_on) == (
        world.board,
        world.school,
        leader,
        due,
    )
    assert action.title == "We gaan klassenbezoeken doen bij rekenen."
    assert meeting.series.name in action.description
    assert action.created_by == leader


def test_a_decision_without_an_action(world):
    meeting = make_meeting(world.board, None)
    decision = services.decision_add(meeting=meeting, text="Rapportage vastgesteld.")
    assert decision.action is None
    assert not Action.objects.exists()


def test_a_bad_action_leaves_neither_decision_nor_action(world):
    meeting = make_meeting(world.board, world.school)
    with pytest.raises(ValidationError) as exc:
        services.decision_add(
            meeting=meeting,
            text="Besloten.",
            create_action=True,
            action_owner=world.outsider,  # no role on this board
        )
    assert "action_owner" in _errors(exc)
    assert not Decision.objects.exists()
    assert not Action.objects.exists()


def test_decisions_need_text_and_a_meeting_that_has_begun(world):
    meeting = make_meeting(world.board, world.school)
    with pytest.raises(ValidationError):
        services.decision_add(meeting=meeting, text="  ")
    future = make_meeting(
        world.board, world.school, day=timezone.localdate() + dt.timedelta(days=5)
    )
    with pytest.raises(ValidationError):
        services.decision_add(meeting=future, text="Besloten.")
    assert not Decision.objects.exists()


def test_feeds_are_limited_and_revocable(world):
    user = world.users[Role.STAFF]
    feeds = [services.feed_create(user=user) for _ in range(services.MAX_ACTIVE_FEEDS)]
    with pytest.raises(ValidationError):
        services.feed_create(user=user)
    services.feed_revoke(feed=feeds[0][0])
    services.feed_create(user=user)


def test_a_point_of_another_schools_round_is_refused(world):
    meeting = make_meeting(world.board, world.school)
    _round, points = _round_with_points(world.board, world.other_school)
    with pytest.raises(ValidationError) as exc:
        services.agenda_items_from_points(meeting=meeting, points=points)
    assert "another school" in exc.value.messages[0]
    assert not meeting.items.exists()


def test_changing_a_tables_time_replans_only_the_future(world):
    from stelsel.meetings.models import Meeting

    series = services.series_create(
        board=world.board,
        school=world.school,
        name="Leesteam",
        rhythm="weeks",
        interval=1,
        weekday=2,
        start_time=dt.time(15, 0),
        first_date=timezone.localdate() - dt.timedelta(days=63),
    )
    past = Meeting.objects.filter(series=series, starts_at__lt=timezone.now()).count()
    assert past >= 8
    services.series_update(series=series, revision=series.revision, start_time=dt.time(16, 0))
    assert Meeting.objects.filter(series=series, starts_at__lt=timezone.now()).count() == past
    later = Meeting.objects.filter(series=series, starts_at__gte=timezone.now())
    assert {timezone.localtime(m.starts_at).hour for m in later} == {16}


def test_replanning_a_table_records_who_removed_each_planned_meeting(world):
    leader = world.users[Role.SCHOOL_LEADER]
    series = _series(world, interval=2)
    replaced = set(series.meetings.values_list("pk", flat=True))
    assert len(replaced) > 20
    services.series_update(
        series=series, revision=series.revision, start_time=dt.time(9, 30), user=leader
    )
    assert not Meeting.objects.filter(pk__in=replaced).exists()
    removals = Meeting.history.filter(id__in=replaced, history_type="-")
    assert set(removals.values_list("id", flat=True)) == replaced
    assert set(removals.values_list("history_user", flat=True)) == {leader.pk}


@pytest.mark.parametrize("first", [dt.date(9999, 12, 20), dt.date(1, 1, 1)])
def test_a_first_meeting_far_outside_any_plan_is_refused(world, first):
    with pytest.raises(ValidationError):
        services.series_create(
            board=world.board,
            school=None,
            name="Ver weg",
            rhythm="weeks",
            interval=2,
            start_time=dt.time(10, 0),
            first_date=first,
        )
