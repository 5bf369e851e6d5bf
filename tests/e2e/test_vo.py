"""Secondary schools' results in the browser: the quality officer enters what the Internet
Schooldossier shows, sees the judgement the decision rule computes and why, and finds DUO's exam
results beside it; on a desktop and a phone. Every page is checked with axe."""

from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from stelsel.insight.duo_imports import import_exams
from stelsel.insight.library import norms_ensure_loaded
from stelsel.insight.models import ExamResult, VoValue
from stelsel.organisations.roles import Role
from tests.factories import make_world

pytestmark = pytest.mark.django_db(transaction=True)

EXAMS = (
    Path(__file__).resolve().parents[1] / "insight" / "data" / "duo-examens-2018-2019-excerpt.csv"
)


@pytest.fixture
def world(transactional_db):
    world = make_world()
    norms_ensure_loaded()
    school = world.school
    school.kind, school.instellingscode, school.vestigingscode = "vo", "00AH", "00AH07"
    school.name = "Stedelijk Lyceum Zuid"
    school.save()
    import_exams(EXAMS.read_bytes(), EXAMS.name, year=2019)
    return world


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in found if v.get("impact") in {"serious", "critical"}]


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_quality_officer_enters_the_indicators_and_reads_the_judgement(
    page, live_server, sign_in, screenshot, world, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    sign_in(world.users[Role.QUALITY_OFFICER])
    base = f"{live_server.url}/besturen/{world.board.pk}"
    page.goto(f"{base}/scholen/{world.school.pk}/data/vo/2019/invoeren/")
    assert page.locator("#id_onderbouwsnelheid__vestiging__norm").input_value() == "95,50"
    assert _serious(page) == []
    page.fill("#id_onderwijspositie__vestiging__value", "-0,12")
    page.fill("#id_onderwijspositie__vestiging__norm", "-0,10")
    page.fill("#id_onderbouwsnelheid__vestiging__value", "94,1")
    page.fill("#id_onderbouwsnelheid__vestiging__apcg", "12")
    page.fill("#id_bovenbouwsucces__vmbo-gt__value", "88,4")
    page.fill("#id_bovenbouwsucces__vmbo-gt__norm", "84,00")
    page.fill("#id_examencijfers__vmbo-gt__value", "6,31")
    page.fill("#id_examencijfers__vmbo-gt__norm", "6,15")
    page.fill("#id_examencijfers__havo__value", "6,02")
    page.fill("#id_examencijfers__havo__norm", "6,10")
    screenshot(f"vo-entry-{width}")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert VoValue.objects.get(indicator="onderbouwsnelheid").norm == Decimal("95.14")
    table = page.locator("table.vo-judgement")
    assert "Onvoldoende, tenzij" in table.inner_text() or "Insufficient, unless" in (
        table.inner_text()
    )
    page.click(".vo-rule summary")  # how the judgement is computed
    assert page.locator(".vo-rule ul").is_visible()
    assert _serious(page) == []
    screenshot(f"vo-school-{width}")
    page.goto(f"{base}/data/vo/")
    assert world.school.name in page.locator("main table").inner_text()
    assert _serious(page) == []
    screenshot(f"vo-overview-{width}")


def test_the_board_executive_previews_and_imports_duos_exam_results(
    page, live_server, sign_in, screenshot, world
):
    ExamResult.objects.all().delete()
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(world.users[Role.BOARD_EXECUTIVE])
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/data/duo/examens/")
    assert _serious(page) == []
    page.set_input_files("#id_file", str(EXAMS))
    page.fill("#id_year", "2019")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "00TQ00" in page.locator("main details").text_content()
    assert _serious(page) == []
    screenshot("vo-duo-preview-1366")
    assert not ExamResult.objects.exists()
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert ExamResult.objects.filter(school=world.school).count() == 13
    assert "/data/vo/" in page.url
