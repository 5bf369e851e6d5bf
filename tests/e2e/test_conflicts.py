"""A save over someone else's save, in the browser: every edit page shows the same box (the one
conflict template) with both versions side by side, and saving again replaces theirs."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from stelsel.meetings.models import MeetingSeries
from stelsel.meetings.services import series_update
from stelsel.organisations.roles import Role
from tests.factories import make_world
from tests.factories.meetings import make_series

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    return make_world()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_table_saved_by_someone_else_meanwhile_shows_both_versions(
    page, live_server, sign_in, screenshot, world, width
):
    page.set_viewport_size({"width": width, "height": 900})
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday() + 56)  # stored as a save would store it
    series = make_series(
        world.board, None, name="Kwaliteitsoverleg", place="Kamer 1", first_date=monday, weekday=1
    )
    officer = world.users[Role.QUALITY_OFFICER]
    sign_in(officer)
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/kalender/tafels/{series.pk}/bewerken/")
    series_update(
        series=series,
        revision=series.revision,
        user=world.users[Role.BOARD_EXECUTIVE],
        place="Kamer 2",
    )
    page.fill("#id_place", "Kamer 3")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()

    box = page.locator("section.conflict")
    assert box.is_visible()
    differing = box.locator("tr.conflict__differs")
    assert differing.count() == 1, differing.all_inner_texts()
    assert "Kamer 2" in differing.inner_text() and "Kamer 3" in differing.inner_text()
    found = Axe().run(page).response["violations"]
    assert [v["id"] for v in found if v.get("impact") in {"serious", "critical"}] == []
    screenshot(f"conflict-table-{width}")

    page.locator("main form button[type=submit]").first.click()  # "Save my version"
    page.wait_for_load_state()
    assert MeetingSeries.objects.get(pk=series.pk).place == "Kamer 3"
