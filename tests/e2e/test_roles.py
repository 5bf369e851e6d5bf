"""Each role signs in through the browser and sees what it may see, and nothing more."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from stelsel.frameworks.services import frameworks_load
from stelsel.organisations.models import Membership
from stelsel.organisations.roles import Role
from tests.e2e.conftest import SCREENSHOTS
from tests.factories import make_world

pytestmark = pytest.mark.django_db(transaction=True)

NAV = {
    "Mensen en rollen": {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER},
    "Activiteit": {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER},
    "Scholen importeren": {Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER},
    "Bestuursinstellingen": {Role.BOARD_EXECUTIVE},
}


@pytest.fixture
def world(transactional_db):
    frameworks_load()
    return make_world()


@pytest.mark.parametrize("role", sorted(Role))
def test_each_role_sees_its_own_board_and_menu(page, live_server, world, sign_in, screenshot, role):
    sign_in(world.users[role])
    if role in {Role.SCHOOL_LEADER, Role.STAFF}:
        # A school role lands on its school's home; the board home lists that school only.
        assert page.url.endswith(f"/besturen/{world.board.pk}/scholen/{world.school.pk}/")
        page.goto(f"{live_server.url}/besturen/{world.board.pk}/")
    assert page.url.endswith(f"/besturen/{world.board.pk}/")
    nav = page.locator("nav.main-nav")
    more = nav.locator("details[data-nav-more] > summary")  # the board's management pages
    if more.count():
        more.click()
    for label, roles in NAV.items():
        assert (nav.get_by_role("link", name=label).count() == 1) == (role in roles), label
    schools = page.locator("main table tbody tr")
    expected = 2 if role not in {Role.SCHOOL_LEADER, Role.STAFF} else 1
    assert schools.count() == expected
    assert world.other_board.name not in page.content()
    screenshot(f"board-home-{role}")
    response = page.goto(f"{live_server.url}/besturen/{world.other_board.pk}/")
    assert response.status == 404


MAIN_PAGES = [
    ("board-home", "/besturen/{board}/"),
    ("school-home", "/besturen/{board}/scholen/{school}/"),
    ("people", "/besturen/{board}/mensen/"),
    ("invite", "/besturen/{board}/mensen/uitnodigen/"),
    ("role-add", "/besturen/{board}/mensen/{person}/rol-toevoegen/"),
    ("activity", "/besturen/{board}/activiteit/"),
    ("duo-import", "/besturen/{board}/import/duo/"),
    ("board-settings", "/besturen/{board}/instellingen/"),
    ("frameworks", "/kaders/"),
    ("framework", "/kaders/onderzoekskader-2021-po/v1/"),
    ("standard", "/kaders/onderzoekskader-2021-po/v1/SKA1/"),
    ("account-settings", "/account/instellingen/"),
    ("two-factor", "/accounts/2fa/"),
    ("two-factor-activate", "/accounts/2fa/totp/activate/"),
]


def _serious(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in violations
        if v.get("impact") in {"serious", "critical"}
    ]


def test_main_pages_have_no_serious_accessibility_violations(
    page, live_server, world, sign_in, screenshot
):
    axe = Axe()
    page.goto(f"{live_server.url}/accounts/login/")
    found = {"login": _serious(axe.run(page).response["violations"])}
    screenshot("login")
    sign_in(world.users[Role.BOARD_EXECUTIVE])
    for name, template in MAIN_PAGES:
        url = live_server.url + template.format(
            board=world.board.pk, school=world.school.pk, person=world.users[Role.STAFF].pk
        )
        response = page.goto(url)
        assert response.status == 200, url
        found[name] = _serious(axe.run(page).response["violations"])
        screenshot(f"page-{name}")
    assert not any(found.values()), {k: v for k, v in found.items() if v}


def test_an_invited_person_sets_a_password_and_lands_on_the_board(
    page, browser, live_server, world, sign_in, screenshot
):
    sign_in(world.users[Role.BOARD_EXECUTIVE])
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/mensen/uitnodigen/")
    page.fill("#id_email", "nieuwe.ib@school.nl")
    page.fill("#id_name", "Nieuwe IB'er")
    page.select_option("#id_role", Role.STAFF)
    page.select_option("#id_school", str(world.school.pk))
    screenshot("invite-form")
    page.click("main button[type=submit]")
    assert "nieuwe.ib@school.nl" in page.content()
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/uitnodiging/" in line)
    path = link.split("127.0.0.1:8000", 1)[1]
    guest = browser.new_context(locale="nl-NL").new_page()
    guest.goto(live_server.url + path)
    guest.fill("#id_password1", "een-sterk-wachtwoord-7")
    guest.fill("#id_password2", "een-sterk-wachtwoord-7")
    guest.screenshot(path=str(SCREENSHOTS / "invitation-accept.png"), full_page=True)
    guest.click("main button[type=submit]")
    guest.wait_for_load_state()
    assert guest.url.endswith(f"/besturen/{world.board.pk}/")
    assert Membership.objects.filter(user__email="nieuwe.ib@school.nl", role=Role.STAFF).exists()
    again = guest.goto(live_server.url + path)
    assert again.status == 410


def test_the_language_switch_shows_english(page, live_server, world, sign_in):
    sign_in(world.users[Role.QUALITY_OFFICER])
    assert page.locator("h2#schools-heading").inner_text() == "Scholen"
    page.click("button[lang=en]")
    page.wait_for_load_state()
    assert page.locator("h2#schools-heading").inner_text() == "Schools"
    assert page.locator("html").get_attribute("lang") == "en"
