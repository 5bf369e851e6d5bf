"""One layout at every width: every page of the demo, as every person who reaches it, fits a
390 px phone and a 1366 px laptop without sideways scrolling.

The pages are found by the crawler (every link shown, as each person of the demo sees it). Each
URL pattern is opened once per width, as the first person who reaches it, and every person's
home besides; the respondent's answer page is reached by the demo's meeting code. A page fails
when the document is wider than the window; the message names the page, the person and their
roles, the width, and the elements that stick out.

Every person's home and the main pages are photographed full page at both widths to
test-artifacts/screenshots/widths/, to be looked at: a page can fit and still look broken.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from stelsel.organisations.models import Board, Membership
from stelsel.organisations.responsibilities.services import processes_start
from stelsel.organisations.roles import Role
from stelsel.selfevaluation.models import RoundPerspective
from tests.crawl import crawl, demo_people, load_demo
from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {390: {"width": 390, "height": 844}, 1366: {"width": 1366, "height": 900}}
FOLDER = SCREENSHOTS / "widths"

# The main pages, photographed at both widths: URL pattern → file name.
MAIN_PAGES = {
    "web:board_home": "board-home",
    "web:school_home": "school-home",
    "picture:picture": "picture",
    "picture:overview": "overview",
    "picture:assignments": "coverage-assignments",
    "planning:actions": "actions",
    "meetings:calendar": "calendar",
    "selfevaluation:meeting_present": "meeting-code-present",
    "planning:plans": "plans",
    "planning:plan": "plan",
    "insight:data": "data",
    "insight:school_results": "school-results",
    "organisations:responsibilities": "who-does-what",
    "organisations:board_settings": "board-settings",
    "selfevaluation:round": "round",
    "trajectories:programme": "programme",
    "trajectories:trajectory": "trajectory",
    "trajectories:analytics": "programme-analytics",
    "trajectories:board_support": "board-support",
}

# In the page: how wide the document is, and the elements that reach furthest past the screen's
# width, deepest first (the cause rather than the containers a phone browser widened with it).
MEASURE = """(width) => {
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    const classes = (el.getAttribute("class") || "").trim().split(/\\s+/).filter(Boolean);
    if (classes.length) name += "." + classes.join(".");
    return name;
  };
  const depth = (el) => { let n = 0; for (; el; el = el.parentElement) n += 1; return n; };
  // Scrolled inside a frame that fits (a wide table in its frame) is not sticking out, except
  // for an absolutely placed element, which a frame that is not positioned does not hold.
  const framed = (el) => {
    if (["absolute", "fixed"].includes(getComputedStyle(el).position)) return false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible"
          && up.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= width && window.innerWidth <= width) {
    return { scrollWidth, innerWidth: window.innerWidth, culprits: [] };
  }
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1 && !framed(el)) {
      out.push([Math.round(box.right), depth(el), el]);
    }
  }
  const furthest = Math.max(0, ...out.map(([right]) => right));
  const culprits = out.filter(([right]) => right >= furthest - 1).sort((a, b) => b[1] - a[1]);
  return {
    scrollWidth,
    innerWidth: window.innerWidth,
    culprits: culprits.slice(0, 3).map(([right, , el]) => `${describe(el)} (to ${right} px)`),
  };
}"""


def _roles(person) -> str:
    roles = sorted(set(Membership.objects.filter(user=person).values_list("role", flat=True)))
    return ", ".join(roles) or "no role"


def _pages_to_open(people) -> tuple[dict, list]:
    """(URL pattern → (url, person)) for the first person who reaches each pattern, and each
    person's home as (url, person)."""
    routes: dict[str, tuple[str, object]] = {}
    homes = []
    for person in people:
        client = Client()
        client.force_login(person)
        pages = crawl(client, "/", per_route=1)
        for number, page in enumerate(pages.values()):
            if number == 0:
                homes.append((page.url, person))
            if page.status != 200 or not page.content_type.startswith("text/html"):
                continue
            routes.setdefault(page.route or page.url, (page.url, person))
    return routes, homes


def _signed_in(browser, live_server, person, width: int):
    phone = width < 600
    context = browser.new_context(
        viewport=WIDTHS[width], locale="nl-NL", is_mobile=phone, has_touch=phone
    )
    context.set_default_timeout(15_000)
    if person is not None:
        client = Client()
        client.force_login(person)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    return context


def _check(page, what: str, problems: list) -> None:
    """Against the width of the screen, not only the window's: a phone browser widens its
    window to a page that is too wide (and shrinks the text to fit)."""
    width = page.viewport_size["width"]
    measured = page.evaluate(MEASURE, width)
    wide = max(measured["scrollWidth"], measured["innerWidth"])
    if wide > width or measured["scrollWidth"] > measured["innerWidth"]:
        problems.append(
            f"{what}: {wide} px wide on a {width} px screen;"
            f" sticking out: {', '.join(measured['culprits']) or 'nothing visible'}"
        )


def _photograph(page, name: str, width: int) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(FOLDER / f"{width}-{name}.png"), full_page=True)


def _person_name(person) -> str:
    return person.email.split("@")[0].replace(".", "-")


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    """The demo, with the usual quality processes on each board so the who-does-what matrix
    has all its columns to fit."""
    settings.MEDIA_ROOT = str(tmp_path)
    load_demo()
    with translation.override("nl"):
        for board in Board.objects.all():
            processes_start(board=board)
    return demo_people()


def _menu_fits(browser, live_server, person, problems: list) -> None:
    """The menu as the person with the most items sees it: on a laptop one row, the board's
    management pages under "More"; on a phone behind a menu button that opens and closes it."""
    context = _signed_in(browser, live_server, person, 1366)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    items = page.locator("nav.main-nav > ul > li:visible")
    tops = {round(box["y"]) for box in (item.bounding_box() for item in items.all())}
    if len(tops) != 1:
        problems.append(f"1366 px, {person.email}: the menu takes {len(tops)} rows")
    more = page.locator("nav.main-nav details[data-nav-more]")
    more.locator("summary").click()
    assert more.get_attribute("open") is not None
    assert more.get_by_role("link").count() >= 2
    _photograph(page, "menu-more", 1366)
    page.keyboard.press("Escape")
    assert more.get_attribute("open") is None
    context.close()

    context = _signed_in(browser, live_server, person, 390)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    button = page.locator("button[data-nav-toggle]")
    nav = page.locator("nav.main-nav")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    header = page.locator("header.site-header").bounding_box()
    if header["height"] > 140:
        problems.append(f"390 px, {person.email}: the header is {header['height']} px high")
    button.click()
    assert button.get_attribute("aria-expanded") == "true" and nav.is_visible()
    _check(page, f"390 px, {person.email}, the menu opened", problems)
    _photograph(page, "menu-open", 390)
    button.click()
    assert not nav.is_visible()
    context.close()

    # Without the script the whole menu is shown, every item reachable.
    context = browser.new_context(viewport=WIDTHS[390], java_script_enabled=False)
    client = Client()
    client.force_login(person)
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    assert page.locator("nav.main-nav").is_visible()
    assert not page.locator("button[data-nav-toggle]").is_visible()
    _check(page, f"390 px, {person.email}, without script", problems)
    context.close()


def test_the_width_check_names_what_sticks_out(browser):
    """The check itself: a page with one element wider than a phone fails and names it."""
    problems: list[str] = []
    for phone in (False, True):
        context = browser.new_context(viewport=WIDTHS[390], is_mobile=phone, has_touch=phone)
        page = context.new_page()
        page.set_content(
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<main><div class="wide" style="width: 600px">x</div><p>fits</p></main>'
        )
        _check(page, "a test page", problems)
        context.close()
    assert len(problems) == 2, problems
    for problem in problems:
        assert "608 px wide on a 390 px screen" in problem  # 600 and the body's margin
        assert "div.wide (to 608 px)" in problem


def test_every_page_fits_a_phone_and_a_laptop(browser, live_server, demo):
    people = demo
    assert people, "the demo has no people"
    routes, homes = _pages_to_open(people)
    for required in (
        "web:board_home",
        "web:school_home",
        "meetings:calendar",
        "insight:data",
        "trajectories:programme",  # the programme's people: office, advisor, researcher
        "trajectories:trajectory",
        "trajectories:analytics",
        "trajectories:board_support",
    ):
        assert required in routes, f"no person of the demo reaches {required}"
    code = (
        RoundPerspective.objects.exclude(meeting_code__isnull=True)
        .exclude(meeting_code="")
        .values_list("meeting_code", flat=True)
        .first()
    )
    assert code, "the demo has no meeting code to answer with"

    problems: list[str] = []
    executive = Membership.objects.filter(role=Role.BOARD_EXECUTIVE).order_by("pk").first().user
    _menu_fits(browser, live_server, executive, problems)
    opened = 0
    for width in WIDTHS:
        by_person: dict = {}
        for route, (url, person) in routes.items():
            by_person.setdefault(person.pk, (person, []))[1].append((url, route))
        for url, person in homes:
            by_person.setdefault(person.pk, (person, []))[1].append((url, "home"))
        for person, visits in by_person.values():
            context = _signed_in(browser, live_server, person, width)
            page = context.new_page()
            for url, route in visits:
                response = page.goto(live_server.url + url)
                page.wait_for_load_state()
                opened += 1
                what = f"{width} px, {person.email} ({_roles(person)}), {url} ({route})"
                if response is None or response.status != 200:
                    problems.append(f"{what}: answers {response and response.status}")
                    continue
                _check(page, what, problems)
                if route == "home":
                    _photograph(page, f"home-{_person_name(person)}", width)
                elif route in MAIN_PAGES:
                    _photograph(page, MAIN_PAGES[route], width)
            context.close()

        # The respondent, anonymous, answering in the room by the meeting code.
        context = _signed_in(browser, live_server, None, width)
        page = context.new_page()
        page.goto(f"{live_server.url}/bijeenkomst/")
        page.fill("#code", code)
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("fieldset.statement").count() > 0, "the meeting code did not open"
        opened += 1
        _check(page, f"{width} px, the respondent, {page.url} (answer page)", problems)
        _photograph(page, "answer", width)
        context.close()

    assert opened > 2 * len(routes)
    assert not problems, f"{len(problems)} of {opened} pages scroll sideways:\n" + "\n".join(
        problems
    )
