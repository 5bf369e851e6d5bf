"""The cockpit in the browser: the board executive reads the attention list, follows a signal to
the school's results standard and makes the signal an action; a school leader lands on the
school's home. At a desktop and a phone width, each page checked with axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from stelsel.frameworks.models import FrameworkVersion
from stelsel.frameworks.services import frameworks_load
from stelsel.insight.models import Signal, SignalKind
from stelsel.planning.models import Action
from tests.insight.cockpit_world import add_work, cockpit_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def w(transactional_db):
    world = cockpit_world()
    frameworks_load()
    po = FrameworkVersion.objects.get(framework__slug="onderzoekskader-2021-po")
    add_work(world.board, world.schools["00AV"], framework_version=po)
    add_work(world.board, world.schools["05SW"], framework_version=po)
    return world


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in found if v.get("impact") in {"serious", "critical"}]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_executive_follows_a_signal_to_the_standard_and_makes_it_an_action(
    page, live_server, sign_in, screenshot, w, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(w.executive)
    page.goto(f"{live_server.url}/besturen/{w.board.pk}/")
    attention = page.locator(".attention-list > li")
    # The school below the 1S/2F norm (and falling) comes first, with its sentence.
    first = attention.first
    assert "De Morgenster" in first.locator(".attention__unit").inner_text()
    assert "1S/2F over 2023-2025 is 37,68%" in first.inner_text()
    assert page.locator("svg.sparkbars").count() == 12  # six schools, two indicators
    assert _serious(page) == []
    screenshot(f"cockpit-board-home-{width}")

    first.get_by_role("link", name="1S/2F over 2023-2025 is 37,68%").click()
    page.wait_for_load_state()
    assert "OR1" in page.locator("h1").inner_text()  # the school's results standard

    page.go_back()
    first.locator(".attention__follow-up").first.click()
    page.wait_for_load_state()
    assert "37,68%" in page.locator(".signal-sentence").inner_text()
    assert _serious(page) == []
    screenshot(f"cockpit-signal-{width}")
    page.locator("form[action$='/actie/'] button[type=submit]").click()
    page.wait_for_load_state()
    action = Action.objects.get(title__startswith="1S/2F over 2023-2025 is 37,68%")
    assert page.url.endswith(f"/acties/{action.pk}/")
    assert [s.code for s in action.standards.all()] == ["OR1"]
    signal = Signal.objects.get(school=w.schools["00AV"], kind=SignalKind.BELOW_NORM)
    assert action.school_id == signal.school_id


def test_a_school_leader_lands_on_the_school_home(page, live_server, sign_in, screenshot, w):
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        sign_in(w.leader)
        page.goto(f"{live_server.url}/")
        page.wait_for_load_state()
        assert page.url.endswith(f"/besturen/{w.board.pk}/scholen/{w.schools['00AV'].pk}/")
        assert "37,68%" in page.locator("main").inner_text()
        assert "Het Kompas" not in page.locator("main").inner_text()
        assert _serious(page) == []
        screenshot(f"cockpit-school-home-{width}")
        page.context.clear_cookies()
