"""The quality calendar in the browser: the board office starts from the six tables, a school
leader records a meeting's agenda, a decision with its action and the minutes. Every page is
checked with axe."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from stelsel.meetings.models import Decision, MeetingSeries
from stelsel.organisations.roles import Role
from tests.factories import make_world
from tests.factories.meetings import make_meeting, make_series

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    return make_world()


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']}: {v['help']} {[n['html'][:200] for n in v['nodes']]}"
        for v in found
        if v.get("impact") in {"serious", "critical"}
    ]


def test_the_quality_officer_starts_the_calendar_from_the_six_tables(
    page, live_server, sign_in, screenshot, world
):
    make_series(
        world.board,
        world.school,
        name="Leesteam",
        interval=1,
        first_date=timezone.localdate() - dt.timedelta(days=21),
        created_at=timezone.now() - dt.timedelta(days=30),
    )
    sign_in(world.users[Role.QUALITY_OFFICER])
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/kalender/")
    page.locator("form[action$='/zes-tafels/'] button").click()
    page.wait_for_load_state()
    assert MeetingSeries.objects.filter(board=world.board, school__isnull=True).count() == 6
    assert page.locator("#missed-heading").is_visible()  # the reading team skipped two weeks
    assert page.locator(".calendar-month").count() >= 12
    assert _serious(page) == []
    screenshot("meetings-calendar")
    page.locator("a", has_text="Leesteam").first.click()
    page.wait_for_load_state()
    assert _serious(page) == []
    screenshot("meetings-series")
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/kalender/tafels/nieuw/?school=bestuur")
    assert _serious(page) == []
    screenshot("meetings-series-form")


def test_a_school_leader_records_a_meetings_decisions(
    page, live_server, sign_in, screenshot, world
):
    leader = world.users[Role.SCHOOL_LEADER]
    series = make_series(
        world.board, world.school, name="Teamoverleg", standard_agenda="Opening\nResultaten"
    )
    meeting = make_meeting(world.board, series=series)
    sign_in(leader)
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/kalender/overleggen/{meeting.pk}/")
    assert _serious(page) == []
    page.locator("form[action$='/agendapunten/standaard/'] button").click()
    page.wait_for_load_state()
    page.fill("#id_item-title", "Leesresultaten groep 5")
    page.locator("form[action$='/agendapunten/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".agenda-list li").count() == 3

    page.fill("#id_decision-text", "Elke leraar doet twee klassenbezoeken bij lezen.")
    page.check("#id_decision-create_action")
    page.fill("#id_decision-action_title", "Klassenbezoeken lezen plannen")
    page.select_option("#id_decision-action_owner", str(leader.pk))
    page.fill("#id_decision-action_due_on", (timezone.localdate() + dt.timedelta(30)).isoformat())
    page.locator("form[action$='/besluiten/'] button[type=submit]").click()
    page.wait_for_load_state()
    decision = Decision.objects.get()
    assert decision.action.title == "Klassenbezoeken lezen plannen"
    assert page.locator(".decision-list__item a", has_text="Klassenbezoeken lezen plannen").count()
    assert _serious(page) == []
    screenshot("meetings-meeting")

    page.locator("a[href$='/verslag/']").first.click()
    page.wait_for_load_state()
    page.check("input[name=state][value=held]")
    page.fill("#id_minutes", "Goed gesprek over lezen.")
    assert _serious(page) == []
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    meeting.refresh_from_db()
    assert (meeting.state, meeting.minutes) == ("held", "Goed gesprek over lezen.")


def test_a_person_makes_a_calendar_address(page, live_server, sign_in, screenshot, world):
    sign_in(world.users[Role.STAFF])
    page.goto(f"{live_server.url}/account/instellingen/")
    page.locator("form[action$='/agenda-feed/aanmaken/'] button").click()
    page.wait_for_load_state()
    url = page.locator("#feed-url").input_value()
    assert url.endswith(".ics")
    assert _serious(page) == []
    screenshot("meetings-feed-created")


def test_a_school_leader_reads_the_board_table_they_sit_at(
    page, live_server, sign_in, screenshot, world
):
    from stelsel.planning.models import PlanStatus
    from tests.factories.planning import make_goal, make_plan

    leader = world.users[Role.SCHOOL_LEADER]
    table = make_series(world.board, None, name="Bestuur en schoolleiders", members=[leader])
    held = make_meeting(
        world.board, series=table, state="held", minutes="Leesresultaten van alle scholen."
    )
    Decision.objects.create(board=world.board, meeting=held, text="Leesplan vaststellen.")
    make_series(world.board, None, name="Bestuursoverleg")
    sign_in(leader)
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/kalender/")
    assert page.locator("a", has_text="Bestuur en schoolleiders").count() >= 1
    assert page.locator("a", has_text="Bestuursoverleg").count() == 0
    assert _serious(page) == []
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/kalender/overleggen/{held.pk}/")
    assert page.get_by_text("Leesplan vaststellen.").is_visible()
    assert page.locator("a[href$='/verslag/']").count() == 0  # reads, does not record
    assert _serious(page) == []
    screenshot("meetings-board-table-for-a-school-leader")

    closed = make_plan(world.board, world.school, status=PlanStatus.CLOSED, title="Schoolplan")
    make_goal(closed)
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/plannen/{closed.pk}/")
    assert page.locator(".message").first.is_visible()
    assert page.locator("a[href$='/doelen/nieuw/']").count() == 0
    assert _serious(page) == []
    screenshot("planning-closed-plan")
