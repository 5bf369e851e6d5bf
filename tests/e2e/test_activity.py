"""The activity page in the browser, at the width of a laptop and of a phone: the filter works
without scripts (a GET form), a bad date gets its error beside the field, no page is wider than
the screen, and axe finds nothing serious."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from stelsel.organisations.roles import Role
from stelsel.planning.actions.services import action_update
from stelsel.planning.models import Action
from tests.factories import make_world
from tests.factories.activity import make_history

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    world = make_world()
    executive = world.users[Role.BOARD_EXECUTIVE]
    make_history(world.board, world.school, executive)
    action = Action.objects.get(board=world.board)
    action_update(
        action=action, revision=action.revision, user=executive, status="in_progress", progress=40
    )
    return world


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']}: {v['help']} {[n['html'][:200] for n in v['nodes']]}"
        for v in found
        if v.get("impact") in {"serious", "critical"}
    ]


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [1366, 390])
def test_the_activity_page_filters_at_both_widths(
    page, live_server, sign_in, screenshot, world, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(world.users[Role.BOARD_EXECUTIVE])
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/activiteit/")
    assert page.locator("tbody tr").count() > 20
    assert _overflow(page) <= 0
    assert _serious(page) == []
    screenshot(f"activity-{width}")
    page.select_option("#id_soort", "actions")
    page.select_option("#id_school", str(world.school.pk))
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    rows = page.locator("tbody tr")
    assert rows.count() == 2  # the action added, and changed
    assert "→" in rows.first.inner_text()
    assert _overflow(page) <= 0
    screenshot(f"activity-filtered-{width}")
    page.fill("#id_van", "2026-05-02")
    page.fill("#id_tot", "2026-05-01")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_tot_error").is_visible()
    assert page.locator("tbody tr").count() == 0
    assert _overflow(page) <= 0
    assert _serious(page) == []
    screenshot(f"activity-error-{width}")
