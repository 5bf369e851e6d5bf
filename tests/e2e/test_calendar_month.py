"""The month view and the archive in the browser, at the width of a laptop and of a phone: the
grid is a table with the holiday shaded on a wide screen and a list of days on a phone, no page
is wider than the screen, and axe finds nothing serious."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from stelsel.meetings.models import HolidayRegion
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


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [1366, 390])
def test_the_month_view_and_the_archive_at_both_widths(
    page, live_server, sign_in, screenshot, world, width
):
    HolidayRegion.objects.create(board=world.board, region="noord")
    series = make_series(world.board, name="Bestuur en directeuren", holiday_rule="flag")
    make_meeting(world.board, series=series, day=dt.date(2026, 7, 13), state="held")
    make_meeting(world.board, series=series, day=dt.date(2026, 6, 15), state="held")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(world.users[Role.QUALITY_OFFICER])
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/kalender/maand/?maand=2026-07")
    grid = page.locator("table.month-grid")
    assert grid.locator("caption").is_visible()
    assert page.locator("a", has_text="Bestuur en directeuren").first.is_visible()
    holiday_cells = grid.locator("td.month-grid__holiday")
    assert holiday_cells.count() > 20  # zomervakantie noord from 4 July
    if width < 500:
        # A phone lists the days with meetings, in full; the other days are left out.
        cell = grid.locator("td", has_text="Bestuur en directeuren")
        assert cell.evaluate("td => getComputedStyle(td).display") == "block"
        assert cell.locator(".month-grid__full").is_visible()
        assert grid.locator("td.month-grid__empty").first.is_hidden()
        assert grid.locator("td.month-grid__outside").first.is_hidden()
    else:
        assert grid.locator("thead th").count() == 7
        assert grid.locator("td.month-grid__empty").first.is_visible()
    assert _overflow(page) <= 0
    assert _serious(page) == []
    screenshot(f"meetings-month-{width}")
    page.locator(".view-switch a[href$='/archief/']").click()
    page.wait_for_load_state()
    assert page.locator("tbody tr").count() == 2
    assert _overflow(page) <= 0
    assert _serious(page) == []
    screenshot(f"meetings-archive-{width}")
