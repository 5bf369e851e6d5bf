"""Plans in the browser: writing a goal with the coach reading along, the plan with its review,
a check-in on the goal, and the alignment map. Every page is checked with axe."""

import datetime
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from stelsel.organisations.roles import Role
from stelsel.planning.models import CheckIn, Goal
from tests.factories import make_world
from tests.factories.planning import make_goal, make_plan, make_theme

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    return make_world()


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in found if v.get("impact") in {"serious", "critical"}]


def test_a_school_leader_writes_a_goal_while_the_coach_reads_along(
    page, live_server, sign_in, screenshot, world
):
    today = datetime.date.today()
    strategic = make_plan(
        world.board,
        None,
        title="Koersplan",
        starts_on=today.replace(day=1),
        ends_on=today.replace(day=1, year=today.year + 4) - datetime.timedelta(days=1),
    )
    board_goal = make_goal(strategic, "In 2028 halen alle scholen de signaleringswaarde lezen")
    plan = make_plan(
        world.board,
        world.school,
        title="Schoolplan",
        starts_on=strategic.starts_on,
        ends_on=strategic.ends_on,
    )
    make_theme(plan, "Lezen")
    sign_in(world.users[Role.SCHOOL_LEADER])
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/plannen/{plan.pk}/doelen/nieuw/")
    assert _serious(page) == []

    title = page.locator("#id_title")
    title.fill("")
    title.press_sequentially("We proberen het leesplezier te vergroten", delay=10)
    coach = page.locator("#goal-coach")
    coach.locator(".coach-finding").first.wait_for()
    assert "proberen" in coach.inner_text()
    screenshot("planning-goal-coach")

    title.fill("")
    title.press_sequentially("In juni leest 80% van groep 4 op niveau", delay=10)
    page.fill("#id_baseline", "62,5")
    page.fill("#id_target", "80")
    page.fill("#id_unit", "%")
    page.fill("#id_target_date", plan.ends_on.isoformat())
    page.select_option("#id_serves", str(board_goal.pk))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    goal = Goal.objects.get(plan=plan)
    assert goal.baseline == Decimal("62.50") and goal.serves == board_goal
    assert page.url.endswith(f"/doelen/{goal.pk}/")
    assert _serious(page) == []

    page.fill("#id_measured", "70,5")
    page.locator("input[name=progress][value=on_track]").check()
    page.fill("#id_check_text", "De toets laat 70,5% zien.")
    page.locator("form:has(#id_measured) button[type=submit]").click()
    page.wait_for_load_state()
    assert CheckIn.objects.get(goal=goal).measured == Decimal("70.50")
    assert page.locator(".chart--goal").count() == 1
    screenshot("planning-goal")

    page.goto(f"{live_server.url}/besturen/{world.board.pk}/plannen/{plan.pk}/")
    assert "In juni leest 80% van groep 4 op niveau" in page.inner_text("main")
    assert _serious(page) == []
    screenshot("planning-plan")


def test_the_board_reads_the_alignment_map(page, live_server, sign_in, screenshot, world):
    strategic = make_plan(world.board, None, title="Koersplan")
    reading = make_goal(strategic, "Alle scholen halen de leesnorm")
    make_goal(strategic, "Burgerschap zichtbaar in elke klas")
    own = make_plan(world.board, world.school, title="Schoolplan")
    make_goal(own, "80% van groep 4 leest op niveau", serves=reading)
    make_goal(own, "Meer leesplezier in groep 6")
    sign_in(world.users[Role.QUALITY_OFFICER])
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/plannen/samenhang/")
    main = page.inner_text("main")
    assert "Burgerschap zichtbaar in elke klas" in main
    assert page.locator(".alignment-map__column--gap").count() == 1
    assert _serious(page) == []
    screenshot("planning-alignment")
