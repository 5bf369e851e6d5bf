"""The quality picture in the browser: the school leader's flow, the board overview, presentation
mode and the inspector's link (with revocation and expiry). Every page is checked with axe."""

import os
import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from stelsel.organisations.roles import Role
from stelsel.picture.entries.services import EntryChange, entry_update
from stelsel.picture.models import Evidence, InspectorAccess, InspectorLink
from stelsel.planning.models import Action
from tests.factories import MINIMAL_PDF, make_picture, make_school, make_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    return make_world()


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in found if v.get("impact") in {"serious", "critical"}]


def _submit(page, field_selector: str):
    page.locator(f"form:has({field_selector}) button[type=submit]").first.click()
    page.wait_for_load_state()


def test_the_school_leader_judges_attaches_evidence_and_links_an_action(
    page, live_server, sign_in, screenshot, world
):
    picture = make_picture(world.board, world.school)
    entry = picture.entries.order_by("standard__position").first()
    sign_in(world.users[Role.SCHOOL_LEADER])
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/kwaliteitsbeeld/{picture.pk}/")
    assert _serious(page) == []
    screenshot("picture-school")
    page.get_by_role("link", name=re.compile(r"^KL1 ")).click()
    page.wait_for_load_state()
    assert _serious(page) == []

    page.locator("input[name=status][value=nok]").check()
    page.fill("#id_visible", "In groep 5 en 6 nog niet zichtbaar.")
    _submit(page, "#id_visible")
    assert "Nog niet in orde" in page.locator("h1 + p").inner_text()
    entry.refresh_from_db()
    assert entry.status.code == "nok" and entry.visible.startswith("In groep 5")

    page.locator("a[href*='/bewijs/nieuw/']").click()
    page.wait_for_load_state()
    page.locator("input[name=kind][value=document]").check()
    page.fill("#id_title", "Verslag lesbezoeken")
    page.set_input_files(
        "#id_upload",
        files=[{"name": "lesbezoeken.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}],
    )
    assert page.locator(f"input[name=standards][value='{entry.standard_id}']").is_checked()
    _submit(page, "#id_title")
    evidence = Evidence.objects.get(title="Verslag lesbezoeken")
    assert list(evidence.standards.all()) == [entry.standard]
    assert evidence.files.get().sha256

    page.goto(f"{live_server.url}/besturen/{world.board.pk}/kwaliteitsbeeld/standaard/{entry.pk}/")
    page.locator("a[href*='/acties/nieuw/']").click()
    page.wait_for_load_state()
    page.fill("#id_title", "Collegiale consultatie in de bovenbouw")
    page.fill("#id_due_on", (timezone.localdate() + timedelta(days=60)).isoformat())
    _submit(page, "#id_title")
    action = Action.objects.get(title="Collegiale consultatie in de bovenbouw")
    assert list(action.standards.all()) == [entry.standard]

    page.goto(f"{live_server.url}/besturen/{world.board.pk}/kwaliteitsbeeld/standaard/{entry.pk}/")
    body = page.locator("main").inner_text()
    assert "Verslag lesbezoeken" in body and "Collegiale consultatie" in body
    assert _serious(page) == []
    screenshot("picture-entry")


def test_the_board_overview_shows_every_school_and_filters(
    page, live_server, sign_in, screenshot, world
):
    schools = [world.school, world.other_school] + [
        make_school(world.board, name=f"Basisschool {n}") for n in range(4)
    ]
    for n, school in enumerate(schools):
        picture = make_picture(world.board, school)
        for i, entry in enumerate(picture.entries.order_by("standard__position")):
            status = ("ok", "nok", "nnb")[(n + i) % 3]
            entry_update(entry=entry, revision=1, change=EntryChange(status), user=None)
    sign_in(world.users[Role.QUALITY_OFFICER])
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/kwaliteitsbeeld/")
    assert page.locator("table.heat tbody tr").count() == len(schools)
    assert _serious(page) == []
    screenshot("picture-overview")
    page.select_option("#f-status", "not_in_order")
    _submit(page, "#f-status")
    filtered = page.locator("table.heat tbody tr").count()
    assert 0 < filtered < len(schools)
    page.locator("td.heat__cell--negative a").first.click()
    page.wait_for_load_state()
    assert "/kwaliteitsbeeld/standaard/" in page.url
    assert "Nog niet in orde" in page.locator("h1 + p").inner_text()


def test_presentation_mode_walks_the_picture_with_the_keyboard(
    page, live_server, sign_in, screenshot, world
):
    picture = make_picture(world.board, world.school)
    first = picture.entries.order_by("standard__position").first()
    entry_update(entry=first, revision=1, change=EntryChange("ok", visible="Zichtbaar."), user=None)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(world.users[Role.SCHOOL_LEADER])
    page.goto(
        f"{live_server.url}/besturen/{world.board.pk}/kwaliteitsbeeld/{picture.pk}/presentatie/"
    )
    visible = page.locator(".slide:visible")
    assert visible.count() == 1
    total = page.locator(".slide").count()
    assert total == picture.entries.count() + 1
    page.keyboard.press("ArrowRight")
    assert "KL1" in page.locator(".slide:visible").inner_text()
    assert page.get_by_text(re.compile(rf"^2 / {total}$")).count() >= 1
    assert _serious(page) == []
    screenshot("picture-present")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Home")
    assert page.locator(".slide").first.is_visible()
    assert errors == []
    # Printed, every slide is on paper, one per page, without the site's navigation.
    page.emulate_media(media="print")
    assert page.locator(".slide:visible").count() == total
    assert not page.locator(".main-nav").is_visible()
    screenshot("picture-present-print")


def test_the_inspectors_link_shows_the_picture_until_it_is_revoked_or_expires(
    browser, page, live_server, sign_in, screenshot, world
):
    picture = make_picture(world.board, world.school)
    sign_in(world.users[Role.SCHOOL_LEADER])
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/inzage/nieuw/?school={world.school.pk}")
    page.fill("#id_label", "Inspecteur J. de Vries")
    _submit(page, "#id_label")
    url = re.search(r"https?://[^\s\"<]+/inzage/[A-Za-z0-9_-]{20,}/", page.content()).group(0)
    assert _serious(page) == []

    inspector = browser.new_context(locale="nl-NL").new_page()
    response = inspector.goto(url)
    assert response.status == 200
    assert world.school.name in inspector.content()
    assert _serious(inspector) == []
    screenshot_path = screenshot  # the signed-in page; the inspector's view is saved below
    inspector.screenshot(
        path=str(screenshot_path("inspector-link").parent / "inspector-view.png"), full_page=True
    )
    link = InspectorLink.objects.get(label="Inspecteur J. de Vries")
    assert InspectorAccess.objects.filter(link=link).count() >= 1
    assert picture.school.name in inspector.content()

    page.goto(f"{live_server.url}/besturen/{world.board.pk}/inzage/{link.pk}/")
    page.locator("form[action$='/intrekken/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert inspector.goto(url).status == 410

    InspectorLink.objects.filter(pk=link.pk).update(
        revoked_at=None, expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert inspector.goto(url).status == 410
    inspector.screenshot(path=str(screenshot_path("inspector-link").parent / "inspector-gone.png"))


def test_the_demo_school_shows_its_herstelopdrachten_visit_and_picture(
    page, live_server, sign_in, screenshot
):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from stelsel.demo.board import DEMO_PASSWORD, INSUFFICIENT_SCHOOL
    from stelsel.organisations.models import School
    from stelsel.picture.models import Assignment, Picture, Visit

    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    school = School.objects.get(vestigingscode=INSUFFICIENT_SCHOOL)
    assert Assignment.objects.filter(school=school).count() == 11
    sign_in(get_user_model().objects.get(email="kwaliteit@demo.stelsel.nl"), DEMO_PASSWORD)
    board = school.board_id
    page.goto(f"{live_server.url}/besturen/{board}/opdrachten/?school={school.pk}")
    body = page.locator("main").inner_text()
    for state in ("Deadline verstreken", "Niet opgepakt", "Acties vastgelopen", "Opgelost"):
        assert state.lower() in body.lower(), state
    assert _serious(page) == []
    screenshot("demo-herstelopdrachten")
    picture = Picture.objects.get(school=school, state="current")
    page.goto(f"{live_server.url}/besturen/{board}/kwaliteitsbeeld/{picture.pk}/")
    assert _serious(page) == []
    screenshot("demo-picture-sint-jozef")
    visit = Visit.objects.get(school=school)
    page.goto(f"{live_server.url}/besturen/{board}/bezoeken/{visit.pk}/")
    assert "Startgesprek" in page.locator("main").inner_text()
    assert _serious(page) == []
    screenshot("demo-visit")
    page.goto(f"{live_server.url}/besturen/{board}/kwaliteitsbeeld/")
    assert page.locator("table.heat tbody tr").count() == 8
    assert _serious(page) == []
    screenshot("demo-overview")


def test_the_overview_of_sixty_schools_stays_readable(
    page, live_server, sign_in, screenshot, world
):
    from stelsel.frameworks.models import FrameworkVersion
    from stelsel.frameworks.services import frameworks_load
    from stelsel.picture.entries.services import picture_start
    from stelsel.picture.models import Entry

    frameworks_load()
    version = FrameworkVersion.objects.get(framework__slug="onderzoekskader-2021-po")
    levels = list(version.default_scale.levels.order_by("position"))
    for n in range(60):
        school = make_school(world.board, name=f"Basisschool De Linde {n:02d}")
        picture = picture_start(
            board=world.board, school=school, framework_version=version, period="2026-2027"
        )
        entries = list(picture.entries.all())
        for i, entry in enumerate(entries):
            entry.status = levels[(n + i) % len(levels)]
        Entry.objects.bulk_update(entries, ["status"])
    sign_in(world.users[Role.QUALITY_OFFICER])
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/kwaliteitsbeeld/")
    assert page.locator("table.heat tbody tr").count() == 60
    # The page itself does not scroll sideways; the header row stays in view while scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator(".heat-wrap").evaluate("el => el.scrollTop = 1200")
    assert page.locator("table.heat thead th").first.is_visible()
    assert _serious(page) == []
    screenshot("picture-overview-60")
