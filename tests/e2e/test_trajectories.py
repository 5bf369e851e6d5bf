"""Support programmes in the browser, on the demo: the rector-bestuurder of the single-school
board De Eik applies to the open cohort; the programme office admits the application, records
the start conversation and matches the advisor; the advisor logs two interventions and divides
the four attention points (five are refused); the researcher reads the analytics, which name no
board, and cannot open a trajectory or a board.

Every page of the flow, and the office's other programme pages, are checked with axe, fit a
390 px phone and a 1366 px laptop, and are photographed at both widths."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from stelsel.demo.board import BOARD_NUMBER, DEMO_PASSWORD, SINGLE_SCHOOL_BOARD_NUMBER
from stelsel.demo.trajectories import SLUG
from stelsel.organisations.models import Board
from stelsel.trajectories.admission import add_months
from stelsel.trajectories.models import Application, ApplicationState, Cohort, Trajectory
from tests.crawl import load_demo
from tests.e2e.axe import serious_problems

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "Hoe richten we als eenpitter de kwaliteitszorg zo in dat het intern toezicht meekijkt?"
SHARPENED = "Hoe maak ik als rector-bestuurder de kwaliteitskalender tot een gesprek met de RvT?"
COMMITMENT = "De rector-bestuurder trekt elke maand een dagdeel vrij."


@pytest.fixture
def demo(transactional_db):
    load_demo()
    return {
        "board": Board.objects.get(number=BOARD_NUMBER),
        "eik": Board.objects.get(number=SINGLE_SCHOOL_BOARD_NUMBER),
    }


def _person(email: str):
    if "@" not in email:
        email = f"{email}@demo.stelsel.nl"
    return get_user_model().objects.get(email=email)


@pytest.fixture
def check(page, screenshot):
    """axe, the width and a photograph at both widths, ending at the desktop width; the
    problems of every page are gathered and reported together at the end of the test."""
    problems: list[str] = []

    def run(name: str) -> None:
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 900})
            problems.extend(f"{name} at {width} px: {found}" for found in serious_problems(page))
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                problems.append(f"{name}: {page.url} is {scroll} px wide at {width} px")
            screenshot(f"trajectories-{name}-{width}")

    run.problems = problems
    return run


def _open(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url


def _submit(form) -> None:
    form.locator("button[type=submit]").first.click()
    form.page.wait_for_load_state()


def test_a_board_applies_is_admitted_matched_and_advised_and_research_names_no_board(
    page, live_server, sign_in, check, demo
):
    eik, vechtdal = demo["eik"], demo["board"]
    base = live_server.url
    programme_url = f"{base}/programmas/{SLUG}/"
    cohort = Cohort.objects.get(programme__slug=SLUG, name="2026-2027")
    today = timezone.localdate()

    # a. The rector-bestuurder of De Eik opens Support and applies to the open cohort.
    sign_in(_person("directeur@de-eik.demo.stelsel.nl"), DEMO_PASSWORD)
    page.goto(f"{base}/besturen/{eik.pk}/")
    page.locator("nav.main-nav").get_by_role("link", name="Ondersteuning").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/besturen/{eik.pk}/ondersteuning/"
    check("board-support")
    page.locator(f"a[href$='/ondersteuning/aanmelden/{cohort.pk}/']").click()
    page.wait_for_load_state()
    check("apply")
    form = page.locator("main form.form")
    form.locator("#id_question").fill(QUESTION)
    form.locator("input[name=criteria_any][value=quality_system_works]").check()
    form.locator("input[name=criteria_all][value=not_recently_good]").check()
    _submit(form)
    assert page.url == f"{base}/besturen/{eik.pk}/ondersteuning/"
    application = Application.objects.get(board=eik, cohort=cohort)
    assert application.state == ApplicationState.SUBMITTED
    assert application.single_school_board
    assert set(application.criteria["claimed"]) == {"quality_system_works", "not_recently_good"}
    assert "Casus" not in page.locator("main").inner_text()  # not admitted yet
    page.context.clear_cookies()

    # b. The office opens the application, admits it, records the intake and matches.
    sign_in(_person("programma"), DEMO_PASSWORD)
    _open(page, programme_url)
    check("programme")
    page.locator(f"a[href$='/aanmeldingen/{application.pk}/']").click()
    page.wait_for_load_state()
    check("application")
    form = page.locator("form[action$='/besluit/']")
    form.locator("input[name=decision][value=admit]").check()
    form.locator("input[name=confirmed][value=quality_system_works]").check()
    form.locator("input[name=confirmed][value=not_recently_good]").check()
    _submit(form)
    application.refresh_from_db()
    assert application.state == ApplicationState.ADMITTED
    trajectory = Trajectory.objects.get(application=application)
    assert trajectory.board == eik and trajectory.advisor is None
    trajectory_url = f"{programme_url}trajecten/{trajectory.pk}/"
    assert page.url == programme_url
    page.locator(f"main a[href='/programmas/{SLUG}/trajecten/{trajectory.pk}/']").click()
    page.wait_for_load_state()
    assert page.url == trajectory_url
    check("trajectory-office")

    intake = page.locator("form[action$='/intake/']")
    intake.locator("[name=on]").fill(today.isoformat())
    intake.locator("[name=notes]").fill("De vraag achter de vraag: de RvT kijkt nog niet mee.")
    intake.locator("[name=question]").fill(SHARPENED)
    _submit(intake)
    trajectory.refresh_from_db()
    assert trajectory.question == SHARPENED and trajectory.intake_on == today

    advisor = _person("adviseur")
    starts = today - datetime.timedelta(days=60)
    match = page.locator("form[action$='/koppelen/']")
    match.locator("[name=advisor]").select_option(str(advisor.pk))
    match.locator("[name=starts_on]").fill(starts.isoformat())
    match.locator("[name=ends_on]").fill("")  # the programme's usual year
    match.locator("[name=commitment]").fill(COMMITMENT)
    _submit(match)
    trajectory.refresh_from_db()
    assert trajectory.advisor == advisor, page.locator("main").inner_text()[:2000]
    assert trajectory.starts_on == starts and trajectory.ends_on == add_months(starts, 12)
    assert trajectory.commitment == COMMITMENT
    assert COMMITMENT in page.locator("main").inner_text()

    # The office's other pages of the programme.
    for name, path in (
        ("cohorts", "jaargangen/"),
        ("advisors", "adviseurs/"),
        ("people", "mensen/"),
        ("catalogues", "catalogi/"),
        ("network", "netwerk/"),
    ):
        _open(page, programme_url + path)
        check(name)
    _open(page, f"{base}/programmas/")
    check("programmes")
    page.context.clear_cookies()

    # c. The advisor logs two interventions and divides the attention points.
    sign_in(advisor, DEMO_PASSWORD)
    _open(page, trajectory_url)
    check("trajectory-advisor")
    for days_ago, name, note in (
        (30, "Articuleren van vraagstuk", "De vraag met de rector-bestuurder uitgewerkt."),
        (10, "Coaching", "Eerste coachingsgesprek."),
    ):
        log = page.locator("form[action$='/logboek/']")
        log.locator("[name=intervention]").select_option(label=f"{name} (B; P)")
        log.locator("[name=on]").fill((today - datetime.timedelta(days=days_ago)).isoformat())
        log.locator("[name=with_whom]").fill("Rector-bestuurder")
        log.locator("[name=note]").fill(note)
        _submit(log)
        assert page.url == trajectory_url
    assert list(trajectory.log.order_by("on").values_list("intervention__name", flat=True)) == [
        "Articuleren van vraagstuk",
        "Coaching",
    ]
    log_table = page.locator("main table", has_text="Coaching").inner_text()
    assert "Articuleren van vraagstuk" in log_table

    attention = page.locator("form[action$='/aandacht/']")
    for key, points in (
        ("person_directing", 2),
        ("person_executing", 1),
        ("organisation_directing", 1),
        ("organisation_executing", 1),
    ):
        attention.locator(f"[name={key}]").fill(str(points))
    _submit(attention)
    errors = page.locator("form[action$='/aandacht/'] .message--error")
    assert "4" in errors.inner_text() and "5" in errors.inner_text()
    trajectory.refresh_from_db()
    assert trajectory.person_directing is None  # nothing saved
    check("attention-error")
    attention = page.locator("form[action$='/aandacht/']")
    attention.locator("[name=person_executing]").fill("0")
    _submit(attention)
    trajectory.refresh_from_db()
    assert (
        trajectory.person_directing,
        trajectory.person_executing,
        trajectory.organisation_directing,
        trajectory.organisation_executing,
    ) == (2, 0, 1, 1)
    page.context.clear_cookies()

    # The board sees its trajectory with the advisor.
    sign_in(_person("directeur@de-eik.demo.stelsel.nl"), DEMO_PASSWORD)
    _open(page, f"{base}/besturen/{eik.pk}/ondersteuning/{trajectory.pk}/")
    assert advisor.name in page.locator("main").inner_text()
    check("board-trajectory")
    page.context.clear_cookies()

    # d. The researcher reads the analytics, which name no board, and opens no board.
    sign_in(_person("onderzoek"), DEMO_PASSWORD)
    _open(page, programme_url)
    page.locator(f"main a[href='/programmas/{SLUG}/analyse/']").first.click()
    page.wait_for_load_state()
    assert page.url == f"{programme_url}analyse/"
    main = page.locator("main")
    assert main.locator("figure svg").count() >= 3
    assert main.locator("table caption").count() >= 3
    text = page.content()
    for name in Board.objects.values_list("name", flat=True):
        assert name not in text, name
    assert vechtdal.name not in text and eik.name not in text
    check("analytics")
    assert page.goto(trajectory_url).status == 404
    assert page.goto(f"{programme_url}trajecten/{trajectory.pk - 1}/").status == 404
    assert page.goto(f"{base}/besturen/{vechtdal.pk}/").status == 404
    assert page.goto(f"{base}/besturen/{eik.pk}/").status == 404
    assert not check.problems, "\n".join(check.problems)
