"""Self-evaluation in the browser: answering on a phone, continuing later, reading results."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from stelsel.organisations.roles import Role
from stelsel.selfevaluation import services
from stelsel.selfevaluation.models import Answer, Response
from tests.e2e.conftest import SCREENSHOTS
from tests.factories import fill_answers, make_round, make_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    return make_world()


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in found if v.get("impact") in {"serious", "critical"}]


def test_a_teacher_answers_on_a_phone_stops_and_continues(browser, live_server, world):
    round_ = make_round(world.board, world.school)
    services.invitations_add(
        round_=round_,
        perspective=round_.perspectives.get(code="teachers"),
        emails=["leraar@school.nl"],
    )
    services.round_open(round_=round_)
    token = re.search(r"/vragenlijst/([^/\s]+)/", mail.outbox[-1].body).group(1)
    url = f"{live_server.url}/vragenlijst/{token}/"
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="nl-NL", is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.goto(url)
    assert _serious(page) == []
    page.locator("fieldset.statement").nth(0).get_by_label("Eens", exact=True).check()
    assert page.locator("#progress-text").inner_text().startswith("1 van 3")
    page.screenshot(path=str(SCREENSHOTS / "answer-phone.png"), full_page=True)
    page.get_by_role("button", name="Opslaan en later verder").click()
    page.wait_for_load_state()
    assert "Opgeslagen" in page.content()
    phone.close()

    later = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL").new_page()
    later.goto(url)
    assert later.locator("#progress-text").inner_text().startswith("1 van 3")
    statements = later.locator("fieldset.statement")
    statements.nth(1).get_by_label("Weet ik niet").check()
    statements.nth(2).get_by_label("Oneens", exact=True).check()
    later.get_by_role("button", name="Antwoorden versturen").click()
    later.wait_for_load_state()
    assert "Bedankt" in later.content()
    later.screenshot(path=str(SCREENSHOTS / "answer-thanks.png"))
    assert Response.objects.count() == 1
    assert sorted(Answer.objects.values_list("value", flat=True), key=str) == [1, 4, None]
    again = later.goto(url)
    assert again.status == 410


def test_the_board_executive_reads_results_and_an_outsider_is_refused(
    page, live_server, world, sign_in, screenshot
):
    round_ = make_round(world.board, world.school, state="open")
    for code, count, value in (("teachers", 7, 3), ("school_leaders", 5, 4), ("council", 2, 1)):
        fill_answers(round_, code, count, value)
    services.round_close(round_=round_)
    sign_in(world.users[Role.BOARD_EXECUTIVE])
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/zelfevaluatie/{round_.pk}/resultaten/")
    assert page.locator("svg.chart--radar").count() == 1
    assert "te weinig antwoorden" in page.content()
    headers = page.locator("table").first.locator("thead th").all_inner_texts()
    assert headers[-1] == "Alle getoonde groepen", "the total adds the shown groups only"
    assert "(G)MR: minder dan 5 antwoorden" in page.locator(".release-notes").inner_text()
    assert _serious(page) == []
    screenshot("results")
    base = f"{live_server.url}/besturen/{world.board.pk}/zelfevaluatie/"
    for name, path in (
        ("rounds", ""),
        ("agenda", f"{round_.pk}/gesprek/"),
        ("compose", f"vragenlijsten/nieuw/?base={round_.questionnaire_version_id}"),
        ("round-form", "nieuw/"),
    ):
        assert page.goto(base + path).status == 200, path
        assert _serious(page) == [], path
        screenshot(f"selfevaluation-{name}")
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/zelfevaluatie/{round_.pk}/")
    screenshot("round-detail")
    draft = make_round(world.board, world.school)
    services.invitations_add(
        round_=draft,
        perspective=draft.perspectives.get(code="council"),
        emails=["a@mr.nl", "b@mr.nl", "c@mr.nl"],
    )
    page.goto(f"{live_server.url}/besturen/{world.board.pk}/zelfevaluatie/{draft.pk}/")
    warning = page.locator(".message--warning").inner_text()
    assert "(G)MR: 3 uitgenodigd" in warning and "minder dan 5" in warning
    assert _serious(page) == []
    screenshot("round-draft-warning")
    page.context.clear_cookies()
    sign_in(world.outsider)
    response = page.goto(
        f"{live_server.url}/besturen/{world.board.pk}/zelfevaluatie/{round_.pk}/resultaten/"
    )
    assert response.status == 404
