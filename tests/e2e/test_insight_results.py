"""Results in the browser: the board executive reads the data overview; a school leader enters
this year's results and sees the coming window and what is needed next year. Every page is
checked with axe, at a desktop and a phone width."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from stelsel.insight.models import PoResult, ResultSource
from tests.insight.results_world import excerpt_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def excerpt(transactional_db):
    return excerpt_world()


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in found if v.get("impact") in {"serious", "critical"}]


def test_the_board_executive_reads_the_data_overview(
    page, live_server, sign_in, screenshot, excerpt
):
    sign_in(excerpt.executive)
    page.goto(f"{live_server.url}/besturen/{excerpt.board.pk}/")
    page.get_by_role("link", name="Data", exact=True).click()
    page.wait_for_load_state()
    table = page.locator("table.results-overview")
    assert "93,02%" in table.inner_text() and "Het Kompas" in table.inner_text()
    assert "14YV|C1" in page.locator("#unlinked-heading + p + .table-wrap").inner_text()
    assert _serious(page) == []
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot("insight-data-overview-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    assert _serious(page) == []
    screenshot("insight-data-overview-390")


def test_a_school_leader_enters_this_years_results_and_sees_what_is_needed(
    page, live_server, sign_in, screenshot, excerpt
):
    school = excerpt.schools["00AP"]
    sign_in(excerpt.leader)
    page.goto(f"{live_server.url}/besturen/{excerpt.board.pk}/data/")
    page.get_by_role("link", name="WereldWijs").click()
    page.wait_for_load_state()
    assert "2023-2025" in page.locator("main").inner_text()
    page.get_by_role("link", name="Resultaten van dit jaar invoeren").click()
    page.wait_for_load_state()
    assert _serious(page) == []
    year = int(page.locator("#id_year").input_value())
    page.fill("#id_pupils", "20")
    page.fill("#id_fundamental", "84")  # not possible with 20 pupils: refused, explained
    page.fill("#id_target", "55")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "83,33 en 85,00" in page.locator("#id_fundamental_error").inner_text()
    assert not PoResult.objects.filter(source=ResultSource.SCHOOL).exists()
    page.fill("#id_fundamental", "85")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    own = PoResult.objects.get(source=ResultSource.SCHOOL)
    assert (own.year, own.pupils, own.entered_by) == (year, 20, excerpt.leader)
    assert page.url.endswith(f"/scholen/{school.pk}/data/#ovt-{own.ovt_id}")
    main = page.locator("main").inner_text()
    assert f"{year - 2}-{year}" in main  # the coming period
    assert "Wat is er nodig in" in main
    # A different number of pupils next year.
    page.fill(f"#id_verwacht_{own.ovt_id}", "25")
    page.get_by_role("button", name="Bereken").click()
    page.wait_for_load_state()
    assert "van 25 leerlingen" in page.locator("main").inner_text()
    assert _serious(page) == []
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot("insight-school-results-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    assert _serious(page) == []
    screenshot("insight-school-results-390")
