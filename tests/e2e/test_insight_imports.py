"""The inspectorate's files in the browser: the quality officer uploads the results and the
schoolweging file together, reads the preview, imports, finds the import in the history, and
confirms which of the board's schools an OVT is where its BRIN has two. Every page is checked
with axe, at a desktop and a phone width."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from stelsel.insight.models import DataImport, Ovt
from stelsel.organisations.roles import Role
from tests.factories import grant, make_school, make_user
from tests.insight import excerpts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officer(transactional_db):
    board = excerpts.board_41646()
    make_school(board, name="Locatie Zuid", instellingscode="03HV", vestigingscode="03HV01")
    user = make_user(name="Kwaliteitszorg")
    grant(user, board, Role.QUALITY_OFFICER)
    return board, user


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in found if v.get("impact") in {"serious", "critical"}]


def _both_widths(page, screenshot, name):
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert _serious(page) == [], (name, width)
        screenshot(f"{name}-{width}")


def test_the_quality_officer_imports_both_files_and_links_a_school(
    page, live_server, sign_in, screenshot, officer
):
    board, user = officer
    sign_in(user)
    page.goto(f"{live_server.url}/besturen/{board.pk}/data/importeren/")
    assert _serious(page) == []
    page.get_by_label("Inspectie: leerresultaten primair onderwijs").check()
    page.set_input_files("#id_file", str(excerpts.RESULTS))
    page.set_input_files("#id_schoolweging_file", str(excerpts.SCHOOLWEGING))
    screenshot("insight-import-form-1366")
    page.get_by_role("button", name="Laat zien wat de import doet").click()
    page.wait_for_load_state()
    main = page.locator("main")
    assert "Voorbeeld" in main.inner_text()
    assert "Niet van dit bestuur" in main.inner_text()
    assert Ovt.objects.count() == 0, "the preview saves nothing"
    _both_widths(page, screenshot, "insight-import-preview")

    page.get_by_role("button", name="Beide bestanden importeren").click()
    page.wait_for_load_state()
    assert page.url.endswith("/data/importeren/geschiedenis/")
    assert "25 scholen (OVT's) geïmporteerd" in page.locator(".messages").inner_text()
    assert DataImport.objects.filter(board=board).count() == 2
    _both_widths(page, screenshot, "insight-import-history")

    page.get_by_role("link", name="Scholen van de inspectie koppelen").click()
    page.wait_for_load_state()
    ovt = Ovt.objects.get(code="03HV|C2")
    page.select_option(f"#school-{ovt.pk}", label="Locatie Zuid (03HV01)")
    page.locator(f"#ovt-{ovt.pk} button[type=submit]").click()
    page.wait_for_load_state()
    assert "is nu gekoppeld aan Locatie Zuid" in page.locator(".messages").inner_text()
    ovt.refresh_from_db()
    assert ovt.school.vestigingscode == "03HV01"
    _both_widths(page, screenshot, "insight-links")
