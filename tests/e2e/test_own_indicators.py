"""Own indicators in the browser: the quality officer imports a school's own figures (upload,
column mapping, preview, confirm) and reads them against the board's norm on the overview; a
school leader sees the latest measurement on a plan goal. Every page is checked with axe, at a
desktop and a phone width."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from stelsel.insight.models import Measurement
from stelsel.organisations.roles import Role
from stelsel.picture.models import Direction, Indicator, Perspective
from tests.factories.planning import make_goal, make_plan

pytestmark = pytest.mark.django_db(transaction=True)

EXPORT = Path(__file__).resolve().parents[1] / "insight" / "data" / "eigen-cijfers-verzuim.csv"


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in found if v.get("impact") in {"serious", "critical"}]


def _both_widths(page, screenshot, name):
    page.set_viewport_size({"width": 1366, "height": 900})
    assert _serious(page) == []
    screenshot(f"{name}-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    assert _serious(page) == []
    screenshot(f"{name}-390")
    page.set_viewport_size({"width": 1366, "height": 900})


@pytest.fixture
def absence(world):
    for school, code in ((world.school, "77AA"), (world.other_school, "77BB")):
        school.instellingscode, school.vestigingscode = code, f"{code}00"
        school.save()
    Indicator.objects.create(
        board=world.board,
        perspective=Perspective.EXPECTATIONS,
        code="TEVO",
        title="Tevredenheid ouders",
        unit="cijfer",
        target=Decimal(8),
    )
    return Indicator.objects.create(
        board=world.board,
        perspective=Perspective.AMBITIONS,
        code="VERZ",
        title="Ziekteverzuim leerlingen",
        unit="%",
        direction=Direction.LOWER,
        norm=Decimal(5),
        target=Decimal(4),
    )


def test_the_quality_officer_imports_own_figures_and_reads_them_against_the_norm(
    page, live_server, sign_in, screenshot, world, absence
):
    sign_in(world.users[Role.QUALITY_OFFICER])
    board = world.board
    page.goto(f"{live_server.url}/besturen/{board.pk}/data/indicatoren/")
    page.locator(f"a[href='/besturen/{board.pk}/data/eigen-cijfers/']").first.click()
    page.wait_for_load_state()
    assert _serious(page) == []
    page.set_input_files("#id_file", str(EXPORT))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # The mapping: the parents' column is suggested by the indicator's title.
    assert page.locator("#id_value_4").input_value() == str(Indicator.objects.get(code="TEVO").pk)
    page.select_option("#id_school_column", "Vestigingscode")
    page.select_option("#id_date_column", "Peildatum")
    page.select_option("#id_value_3", str(absence.pk))
    page.fill("#id_save_as", "Verzuim en tevredenheid")
    _both_widths(page, screenshot, "own-figures-mapping")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "77BB00" not in main and "De Andere School" in main
    _both_widths(page, screenshot, "own-figures-preview")
    confirm = f"/besturen/{board.pk}/data/eigen-cijfers/bevestigen/"
    page.locator(f"form[action='{confirm}'] button").click()
    page.wait_for_load_state()
    assert Measurement.objects.count() == 5
    assert page.url.endswith(f"/besturen/{board.pk}/data/indicatoren/")
    section = page.locator("section", has=page.locator("h2", has_text="VERZ")).inner_text()
    assert "6,1 %" in section and "5,2 → 4,5" in section
    _both_widths(page, screenshot, "own-indicators-overview")
    # The board sets the indicator's target on the picture's page of own indicators.
    page.locator(f"a[href='/besturen/{board.pk}/indicatoren/']").first.click()
    page.wait_for_load_state()
    _both_widths(page, screenshot, "picture-indicators")
    page.locator(f"a[href='/besturen/{board.pk}/indicatoren/{absence.pk}/bewerken/']").click()
    page.wait_for_load_state()
    page.fill("#id_target", "3,5")
    _both_widths(page, screenshot, "picture-indicator-edit")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    absence.refresh_from_db()
    assert absence.target == Decimal("3.5")


def test_a_school_leader_sees_the_latest_measurement_on_a_goal(
    page, live_server, sign_in, screenshot, world, absence
):
    Measurement.objects.create(
        board=world.board,
        indicator=absence,
        school=world.school,
        measured_on=datetime.date(2025, 10, 1),
        value=Decimal("4.5"),
        source="Verzuimregister",
    )
    goal = make_goal(
        make_plan(world.board, world.school),
        title="Minder verzuim in de bovenbouw",
        baseline=Decimal(6),
        target=Decimal(4),
        unit="%",
    )
    goal.indicators.add(absence)
    sign_in(world.users[Role.SCHOOL_LEADER])
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/doelen/{goal.pk}/")
    assert "VERZ Ziekteverzuim leerlingen" in page.locator("main").inner_text()
    assert page.locator("#id_measured").input_value() == "4,5"
    _both_widths(page, screenshot, "goal-with-measurement")
