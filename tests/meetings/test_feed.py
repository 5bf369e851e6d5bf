"""The personal calendar feed: what it holds (read back with icalendar), who sees what, secret
addresses that can be revoked, throttled guessing, and tokens kept out of the logs."""

import datetime as dt
import logging
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from stelsel.meetings import services
from stelsel.meetings.models import CalendarFeed
from stelsel.organisations.roles import Role
from stelsel.web.logs import RedactSecretPaths
from tests.factories import make_action
from tests.factories.meetings import make_meeting, make_series

pytestmark = pytest.mark.django_db


def _events(response) -> dict:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _feed_url(user) -> str:
    _feed, raw = services.feed_create(user=user)
    return reverse("meetings:feed", args=[raw])


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname


def _in_days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def calendar_world(world):
    officer = world.users[Role.QUALITY_OFFICER]
    staff = world.users[Role.STAFF]
    board_table = make_series(world.board, None, name="Bestuursoverleg", place="Kantoor")
    school_table = make_series(world.board, world.school, name="Schoolgesprek", members=[officer])
    team_table = make_series(world.board, world.school, name="Teamoverleg", members=[staff])
    other_school_table = make_series(
        world.board, world.other_school, name="Andere school", members=[staff]
    )
    foreign = make_series(world.other_board, None, name="Ander bestuur", members=[officer])
    meetings = {
        "board": make_meeting(world.board, series=board_table, day=_in_days(10)),
        "board_cancelled": make_meeting(
            world.board, series=board_table, day=_in_days(24), state="cancelled"
        ),
        "board_old": make_meeting(world.board, series=board_table, day=_in_days(-40)),
        "board_recent": make_meeting(world.board, series=board_table, day=_in_days(-20)),
        "school": make_meeting(world.board, series=school_table, day=_in_days(5)),
        "team": make_meeting(world.board, series=team_table, day=_in_days(6)),
        "other_school": make_meeting(world.board, series=other_school_table, day=_in_days(7)),
        "foreign": make_meeting(world.other_board, series=foreign, day=_in_days(8)),
    }
    actions = {
        "mine": make_action(world.board, None, owner=officer, due_on=_in_days(12)),
        "done": make_action(world.board, None, owner=officer, due_on=_in_days(13), status="done"),
        "theirs": make_action(world.board, world.school, owner=staff, due_on=_in_days(14)),
    }
    return world, meetings, actions


def test_a_quality_officers_feed(client, calendar_world):
    world, meetings, actions = calendar_world
    officer = world.users[Role.QUALITY_OFFICER]
    response = client.get(_feed_url(officer))
    assert "private" in response["Cache-Control"]
    events = _events(response)
    host = _host()
    expected_meetings = {"board", "board_cancelled", "board_recent", "school"}
    assert set(events) == {f"meeting-{meetings[k].pk}@{host}" for k in expected_meetings} | {
        f"action-{actions['mine'].pk}-due@{host}"
    }
    board = events[f"meeting-{meetings['board'].pk}@{host}"]
    assert str(board["SUMMARY"]) == "Bestuursoverleg"
    assert str(board["LOCATION"]) == "Kantoor"
    assert board.decoded("DTSTART") == meetings["board"].starts_at
    assert board.decoded("DTEND") == meetings["board"].ends_at
    assert str(board["STATUS"]) == "CONFIRMED"
    assert reverse("meetings:meeting", args=[world.board.pk, meetings["board"].pk]) in str(
        board["URL"]
    )
    cancelled = events[f"meeting-{meetings['board_cancelled'].pk}@{host}"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    school = events[f"meeting-{meetings['school'].pk}@{host}"]
    assert str(school["SUMMARY"]) == "Schoolgesprek · De Eigen School"
    due = events[f"action-{actions['mine'].pk}-due@{host}"]
    assert due.decoded("DTSTART") == actions["mine"].due_on  # an all-day event
    assert due.decoded("DTEND") == actions["mine"].due_on + dt.timedelta(days=1)
    assert actions["mine"].title in str(due["SUMMARY"])


def test_a_staff_members_feed_holds_only_the_tables_they_sit_at_and_may_see(client, calendar_world):
    world, meetings, _actions = calendar_world
    staff = world.users[Role.STAFF]
    events = _events(client.get(_feed_url(staff)))
    meeting_uids = {uid for uid in events if uid.startswith("meeting-")}
    # Not the board's own tables (a school role), not another school's table even as a member.
    assert meeting_uids == {f"meeting-{meetings['team'].pk}@{_host()}"}
    assert len([uid for uid in events if uid.startswith("action-")]) == 1


def test_a_seat_at_the_boards_table_brings_its_meetings_into_a_school_roles_feed(
    client, calendar_world
):
    world, meetings, _actions = calendar_world
    staff = world.users[Role.STAFF]
    meetings["board"].series.members.add(staff)
    events = _events(client.get(_feed_url(staff)))
    meeting_uids = {uid for uid in events if uid.startswith("meeting-")}
    assert meeting_uids == {
        f"meeting-{meetings[k].pk}@{_host()}"
        for k in ("team", "board", "board_cancelled", "board_recent")
    }


def test_another_users_meetings_are_not_in_the_feed(client, calendar_world):
    world, meetings, actions = calendar_world
    events = _events(client.get(_feed_url(world.outsider)))
    body = " ".join(str(e["SUMMARY"]) for e in events.values())
    assert "Bestuursoverleg" not in body and "Schoolgesprek" not in body
    assert actions["mine"].title not in body
    # Their own board's table is there: a board-level role brings in the board's own tables.
    assert set(events) == {f"meeting-{meetings['foreign'].pk}@{_host()}"}


def test_uids_are_stable_between_fetches(client, calendar_world):
    world, _meetings, _actions = calendar_world
    url = _feed_url(world.users[Role.QUALITY_OFFICER])
    assert set(_events(client.get(url))) == set(_events(client.get(url)))


def test_a_role_that_ends_takes_the_boards_meetings_out_of_the_feed(client, calendar_world):
    from stelsel.organisations.models import Membership

    world, _meetings, _actions = calendar_world
    officer = world.users[Role.QUALITY_OFFICER]
    url = _feed_url(officer)
    Membership.objects.filter(user=officer, board=world.board).delete()
    # Nothing left: the other board's table lists them as a member, but they have no role there.
    assert _events(client.get(url)) == {}


def test_revoked_and_unknown_addresses_answer_404(client, world):
    user = world.users[Role.STAFF]
    feed, raw = services.feed_create(user=user)
    url = reverse("meetings:feed", args=[raw])
    assert client.get(url).status_code == 200
    services.feed_revoke(feed=feed)
    assert client.get(url).status_code == 404
    assert client.get(reverse("meetings:feed", args=["x" * 43])).status_code == 404


def test_guessing_addresses_is_throttled_but_a_known_one_still_works(client, world):
    from stelsel.lib.throttle import GUESS_LIMIT

    for n in range(GUESS_LIMIT):
        assert client.get(reverse("meetings:feed", args=[f"guess{n}"])).status_code == 404
    assert client.get(reverse("meetings:feed", args=["one-more"])).status_code == 429
    assert client.get(_feed_url(world.users[Role.STAFF])).status_code == 200


def test_the_feed_token_is_redacted_from_logs():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/agenda/SeCrEt.ics",),
        None,
    )
    RedactSecretPaths().filter(record)
    assert "SeCrEt" not in record.getMessage()
    assert "/agenda/…" in record.getMessage()
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/herinneringen/afmelden/SeCrEt:abc/",),
        None,
    )
    RedactSecretPaths().filter(record)
    assert "SeCrEt" not in record.getMessage()
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Forbidden: %s",
        ("/besturen/4/kalender/overleggen/9/agendapunten/",),
        None,
    )
    RedactSecretPaths().filter(record)
    assert "agendapunten" in record.getMessage()  # the board's own pages keep their path


def test_a_person_makes_and_revokes_a_feed_on_their_settings_page(client, world):
    user = world.users[Role.SCHOOL_LEADER]
    client.force_login(user)
    response = client.post(reverse("meetings:feed_create"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    url = re.search(r'value="(http[^"]+\.ics)"', response.content.decode()).group(1)
    path = url.removeprefix(settings.SITE_URL)
    assert client.get(path).status_code == 200
    feed = CalendarFeed.objects.get(user=user)
    assert path.split("/")[-1].removesuffix(".ics") not in str(feed.token_hash)
    settings_page = client.get(reverse("account_settings")).content.decode()
    assert reverse("meetings:feed_revoke", args=[feed.pk]) in settings_page
    assert url not in settings_page  # shown once only
    # Someone else cannot revoke it.
    client.force_login(world.users[Role.STAFF])
    assert client.post(reverse("meetings:feed_revoke", args=[feed.pk])).status_code == 404
    client.force_login(user)
    response = client.post(reverse("meetings:feed_revoke", args=[feed.pk]))
    assert response.status_code == 302
    assert client.get(path).status_code == 404


def test_long_texts_with_accents_and_separators_survive_folding(client, world):
    officer = world.users[Role.QUALITY_OFFICER]
    assignment = (
        "Coördinatie; afstemming, borging en één gedeelde visie op kwaliteit — " * 4
        + "\nTweede regel met een backslash \\ erin."
    )
    series = make_series(
        world.board,
        None,
        name="Overleg bestuur & schoolleiders: kwaliteit, ontwikkeling; resultaten — één keer",
        place="Zaal 1, gebouw B; ingang achter",
        assignment=assignment,
    )
    meeting = make_meeting(world.board, series=series, day=_in_days(3))
    response = client.get(_feed_url(officer))
    for line in response.content.split(b"\r\n"):
        assert len(line) <= 75
    events = _events(response)
    event = events[f"meeting-{meeting.pk}@{_host()}"]
    assert str(event["SUMMARY"]) == series.name
    assert str(event["LOCATION"]) == series.place
    assert str(event["DESCRIPTION"]) == assignment.strip()


def test_a_meeting_kept_in_a_school_holiday_says_so_in_the_feed(client, world):
    from stelsel.meetings.models import HolidayRegion
    from tests.factories.clock import at, clock

    officer = world.users[Role.QUALITY_OFFICER]
    HolidayRegion.objects.create(board=world.board, region="noord")
    table = make_series(world.board, None, name="Bestuursoverleg", holiday_rule="flag")
    with clock(at(dt.date(2026, 7, 8))):
        in_holiday = make_meeting(world.board, series=table, day=dt.date(2026, 7, 13))
        before = make_meeting(world.board, series=table, day=dt.date(2026, 6, 29))
        events = _events(client.get(_feed_url(officer)))
    host = _host()
    # The feed speaks the site's language, Dutch.
    description = str(events[f"meeting-{in_holiday.pk}@{host}"]["DESCRIPTION"])
    assert description == "Valt in de zomervakantie (regio noord)."
    assert "DESCRIPTION" not in events[f"meeting-{before.pk}@{host}"]
