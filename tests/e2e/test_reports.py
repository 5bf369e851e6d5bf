"""Quality reports in the browser, on the demo: the quality officer composes a Q-report for a
school and writes a section, the school leader comments on a section, the board executive issues
it and a member of the supervisory board reads it (the hash, no comments, nothing to edit).
The list, the compose page and the version pages are checked with axe, fit a 390 px phone and
are photographed at 390 and 1366 px."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model

from stelsel.demo.board import BOARD_NUMBER, DEMO_PASSWORD
from stelsel.organisations.models import Board
from stelsel.reports.models import Report, SectionComment, VersionState
from tests.crawl import load_demo

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1366, 390)
TITLE = "Q-rapportage voorjaar 2027 KBS Sint Jozef"
WRITTEN = (
    "Het herstel gaat door. **Drie** herstelopdrachten zijn voldoende.\n\n"
    "- begrijpend lezen\n- de evaluatiekalender\n\n<script>alert('x')</script>"
)
COMMENT = "Noem ook wat de externe adviseur in januari doet."


@pytest.fixture
def demo(transactional_db):
    load_demo()
    return Board.objects.get(number=BOARD_NUMBER)


def _person(name: str):
    return get_user_model().objects.get(email=f"{name}@demo.stelsel.nl")


def _serious(page):
    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:5]]}"
        for v in found
        if v.get("impact") in {"serious", "critical"}
    ]


def _fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide at {width} px"


def _check(page, screenshot, name: str) -> None:
    """axe, the width and a photograph at both widths, ending at the desktop width."""
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        assert _serious(page) == [], (name, width)
        _fits(page, width)
        if name:
            screenshot(f"reports-{name}-{width}")


def test_a_q_report_is_composed_commented_issued_and_read_by_the_supervisory_board(
    page, live_server, sign_in, screenshot, demo
):
    base = f"{live_server.url}/besturen/{demo.pk}/rapportages/"
    sint_jozef = demo.schools.get(vestigingscode="99XD00")

    # The quality officer composes the school's Q-report and writes its first text.
    sign_in(_person("kwaliteit"), DEMO_PASSWORD)
    page.goto(base)
    _check(page, screenshot, "list")
    page.locator(f"a[href='/besturen/{demo.pk}/rapportages/nieuw/']").first.click()
    page.wait_for_load_state()
    _check(page, screenshot, "compose")
    page.select_option("#id_template", label="Q-rapportage school")
    page.fill("#id_title", TITLE)
    page.select_option("#id_school", label=sint_jozef.name)
    page.fill("#id_period_start", "2026-12-01")
    page.fill("#id_period_end", "2027-04-01")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    report = Report.objects.get(title=TITLE)
    version_url = f"{base}{report.pk}/versies/1/"
    assert page.url == version_url
    page.locator("#section-0 .report-section__head a").click()
    page.wait_for_load_state()
    page.fill("#id_text", WRITTEN)
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    text = page.locator("#section-0 .report-text")
    assert text.locator("strong").inner_text() == "Drie"
    assert text.locator("li").count() == 2
    assert "<script>" in text.inner_text()  # shown as typed, never run
    page.locator("form[action$='/ter-review/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert report.versions.get().state == VersionState.REVIEW
    page.context.clear_cookies()

    # The school leader comments on the results.
    sign_in(_person("directeur.sintjozef"), DEMO_PASSWORD)
    page.goto(version_url)
    results = page.locator("#section-1")
    results.locator(".report-comments details summary").click()
    results.locator("textarea[name=text]").fill(COMMENT)
    results.locator(".report-comments form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert COMMENT in page.locator("#section-1 .report-comments").inner_text()
    assert SectionComment.objects.get(section__version__report=report).text == COMMENT
    _check(page, screenshot, "draft")
    page.context.clear_cookies()

    # The board executive issues it, after the confirmation.
    sign_in(_person("bestuurder"), DEMO_PASSWORD)
    page.goto(version_url)
    page.locator("a[href$='/uitbrengen/']").click()
    page.wait_for_load_state()
    assert _serious(page) == []
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    version = report.versions.get()
    assert version.state == VersionState.ISSUED and version.content_hash
    page.context.clear_cookies()

    # The supervisory board member reads it: the hash, no comments, nothing to edit.
    sign_in(_person("rvt"), DEMO_PASSWORD)
    page.goto(base)
    page.locator(f"a[href='/besturen/{demo.pk}/rapportages/{report.pk}/']").click()
    page.wait_for_load_state()
    assert page.url == version_url
    footer = page.locator(".report-footer")
    assert version.content_hash in footer.inner_text()
    assert footer.locator("code").inner_text().replace(" ", "") in version.content_hash
    main = page.locator("main")
    assert COMMENT not in main.inner_text()
    assert main.locator(".report-comments").count() == 0
    assert main.locator("a[href*='/bewerken/'], a[href$='/uitbrengen/']").count() == 0
    assert main.locator("textarea, form[action*='/opmerkingen/']").count() == 0
    assert main.locator("#section-0 .report-text strong").inner_text() == "Drie"
    _check(page, screenshot, "issued")
