"""The respondent on a phone and on a laptop: the answer page empty, half done and with the
missing-answers message, the meeting-code page and the sign-in page, at 390 and 1366 px.

Each page is photographed (test-artifacts/screenshots/answering-*) and checked for sideways
scrolling; the answer scale is checked to stand on one row with touch-sized options.
"""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from stelsel.frameworks.services import frameworks_load
from stelsel.selfevaluation import services
from stelsel.selfevaluation.library import questionnaires_load
from stelsel.selfevaluation.models import QuestionnaireVersion, Response
from tests.e2e.conftest import SCREENSHOTS
from tests.factories import make_world

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 900}}


@pytest.fixture
def rounds(transactional_db):
    """A school round on the 24-statement SKA questionnaire answered by personal link, and a
    board round on the short questionnaire (five points and "don't know") by meeting code."""
    world = make_world()
    frameworks_load()
    questionnaires_load()
    today = datetime.date.today()

    def create(slug, school, perspective):
        return services.round_create(
            board=world.board,
            school=school,
            questionnaire_version=QuestionnaireVersion.objects.get(questionnaire__slug=slug),
            title="Zelfevaluatie 2026",
            opens_on=today,
            closes_on=today + datetime.timedelta(14),
            perspectives=[(perspective, "")],
            created_by=None,
        )

    school_round = create("zelfevaluatie-school-ska-po", world.school, "teachers")
    services.invitations_add(
        round_=school_round,
        perspective=school_round.perspectives.get(),
        emails=[f"leraar{n}@school.nl" for n in range(4)],
    )
    services.round_open(round_=school_round)
    tokens = re.findall(r"/vragenlijst/([^/\s]+)/", "".join(m.body for m in mail.outbox))
    board_round = services.round_open(
        round_=create("kenmerken-kwaliteitszorg-kort", None, "school_leaders")
    )
    code = services.meeting_code_start(
        round_=board_round, perspective=board_round.perspectives.get(), cap=20
    ).meeting_code
    return tokens, code


def _context(browser, size: str, **options):
    phone = size == "390"
    context = browser.new_context(
        viewport=WIDTHS[size], locale="nl-NL", is_mobile=phone, has_touch=phone, **options
    )
    context.set_default_timeout(10_000)
    return context


def _photograph(page, name: str, size: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"answering-{name}-{size}.png"), full_page=True)


def _accessible(page, what: str) -> None:
    found = Axe().run(page).response["violations"]
    serious = [f"{v['id']}: {v['help']}" for v in found if v["impact"] in {"serious", "critical"}]
    assert serious == [], what


def _no_sideways_scroll(page, what: str) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{what}: {widths[0]} px wide in a {widths[1]} px window"


def _scales_on_one_row(page, what: str) -> None:
    """Every statement's options share one top offset, in order low → high → don't know, and
    each is at least 44 by 44 px."""
    rows = page.evaluate(
        """() => Array.from(document.querySelectorAll('.scale')).map(scale =>
             Array.from(scale.querySelectorAll('.scale__option')).map(option => {
               const box = option.getBoundingClientRect();
               return [Math.round(box.top), Math.round(box.left), box.width, box.height,
                       option.querySelector('input').value];
             }))"""
    )
    assert rows, what
    for options in rows:
        assert len({top for top, *_rest in options}) == 1, f"{what}: options on several rows"
        lefts = [left for _top, left, *_rest in options]
        assert lefts == sorted(lefts), f"{what}: options out of order"
        assert options[-1][4] == services.DONT_KNOW, f"{what}: don't know last"
        for _top, _left, width, height, value in options:
            assert width >= 44 and height >= 44, f"{what}: option {value} is {width}x{height}"


def _bar_is_one_line(page, what: str) -> None:
    bar = page.locator(".answer-bar").bounding_box()
    button = page.locator("#send").bounding_box()
    assert button["height"] >= 44, f"{what}: the send button is {button['height']} px high"
    assert bar["height"] <= button["height"] + 20, f"{what}: the footer is {bar['height']} px high"


def _answer(page, count: int) -> None:
    statements = page.locator("fieldset.statement")
    for n in range(count):
        statements.nth(n).locator(".scale__option").nth(n % 5).click()


@pytest.mark.parametrize("size", WIDTHS)
def test_the_respondent_answers_at_every_width(browser, live_server, rounds, size):
    tokens, _code = rounds
    token = tokens[0] if size == "390" else tokens[1]
    context = _context(browser, size)
    page = context.new_page()
    page.goto(f"{live_server.url}/vragenlijst/{token}/")
    total = page.locator("fieldset.statement").count()
    assert total == 24
    _no_sideways_scroll(page, "empty")
    _scales_on_one_row(page, "empty")
    _bar_is_one_line(page, "empty")
    assert "button--primary" not in page.locator("#send").get_attribute("class")
    page.screenshot(path=str(SCREENSHOTS / f"answering-empty-screen-{size}.png"))
    _photograph(page, "empty", size)

    # Sending too early names what is missing, in order, by number and text.
    page.locator("#send").click()
    problems = page.locator("#answer-problems")
    assert problems.is_visible()
    assert page.evaluate("document.activeElement.id") == "answer-problems"
    links = problems.locator("a")
    assert links.count() == 5
    assert re.match(r"1\. \S", links.first.inner_text())
    assert page.locator("fieldset.statement--missing").count() == total
    _no_sideways_scroll(page, "missing")
    _accessible(page, "missing")
    page.screenshot(path=str(SCREENSHOTS / f"answering-missing-screen-{size}.png"))
    _photograph(page, "missing", size)
    links.nth(2).click()
    focused = page.evaluate("document.activeElement.closest('fieldset')?.dataset.number")
    assert focused == "3", "the link puts focus on the statement's options"
    assert page.locator("fieldset.statement").nth(2).is_visible()

    _answer(page, total // 2)
    assert page.locator("#progress-text").inner_text().startswith(f"{total // 2} ")
    assert page.locator("fieldset.statement--missing").count() == total - total // 2
    assert re.match(rf"{total // 2 + 1}\. ", problems.locator("a").first.inner_text())
    _no_sideways_scroll(page, "half")
    page.locator("fieldset.statement").nth(total // 2).scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"answering-half-screen-{size}.png"))
    _photograph(page, "half", size)

    page.locator("fieldset.statement").nth(total // 2).locator(".scale__option").last.click()
    _answer_rest = page.locator("fieldset.statement")
    for n in range(total // 2 + 1, total):
        _answer_rest.nth(n).locator(".scale__option").first.click()
    assert "button--primary" in page.locator("#send").get_attribute("class")
    assert problems.is_hidden()
    page.locator("#send").click()
    page.wait_for_url("**/bedankt/")
    assert Response.objects.count() == 1
    context.close()


def test_without_script_the_server_names_what_is_missing_and_the_link_leads_there(
    browser, live_server, rounds
):
    tokens, _code = rounds
    context = _context(browser, "390", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/vragenlijst/{tokens[2]}/")
    page.locator("fieldset.statement").first.locator(".scale__option").first.click()
    page.locator("#send").click()
    page.wait_for_load_state()
    links = page.locator("#answer-problems a")
    assert links.count() == 5 and links.first.inner_text().startswith("2. ")
    assert page.locator("fieldset.statement--missing").count() == 23
    _no_sideways_scroll(page, "missing without script")
    _photograph(page, "missing-noscript", "390")
    target = links.first.get_attribute("href")
    links.first.click()
    assert page.evaluate("document.activeElement.id") == target[1:]
    assert not Response.objects.exists()
    context.close()


@pytest.mark.parametrize("size", WIDTHS)
def test_the_meeting_code_and_sign_in_pages(browser, live_server, rounds, size):
    _tokens, code = rounds
    context = _context(browser, size)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    _no_sideways_scroll(page, "sign-in")
    _accessible(page, "sign-in")
    _photograph(page, "sign-in", size)
    page.locator("a[href='/bijeenkomst/']").click()
    page.wait_for_url("**/bijeenkomst/")
    _no_sideways_scroll(page, "meeting code")
    _photograph(page, "meeting-code", size)

    page.fill("#code", "0000")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#code[aria-invalid=true]").count() == 1
    _no_sideways_scroll(page, "meeting code error")
    _accessible(page, "meeting code error")
    _photograph(page, "meeting-code-error", size)

    page.fill("#code", f"{code[:4].lower()} {code[4:].lower()}")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/bijeenkomst/{code[:4]}-{code[4:]}/")
    assert page.locator("fieldset.statement").count() > 0
    _no_sideways_scroll(page, "answering by code")
    _scales_on_one_row(page, "five points and don't know")
    _photograph(page, "by-code", size)
    context.close()
