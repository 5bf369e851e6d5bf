"""No link, button or form leads to a wall: every person of the demo, and the anonymous visitor,
follows every link shown on every page they reach and sends every form shown.

A link shown to someone who then meets a 403, a 404 or a server error is a fault of the page
that showed it: the page must ask the access module before showing it. A form sent as shown may
be refused with its errors (200) or redirect; it may not answer 403 (shown to a role that may
not use it), 405 (sent to an address that does not take it) or fail. Forms are sent inside a
savepoint that is rolled back, so the demo stays as it was for the next form and person.

One URL pattern is visited a few times per person (`PER_ROUTE`): one school's standard page
stands for all sixty, and the whole run stays within about a minute or two.
"""

import tempfile

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import resolve

from tests.crawl import crawl, demo_people, load_demo, submit

pytestmark = pytest.mark.django_db

PER_ROUTE = 3
WALLS = {403, 404}  # and every 5xx
FORM_WALLS = {403, 405}  # and every 5xx
ANONYMOUS_STARTS = ("/accounts/login/", "/accounts/password/reset/", "/bijeenkomst/")
ERROR_PAGE_MARK = "error-page"  # the class of Stelsel's own error pages (web/error.html)


@pytest.fixture(scope="module")
def demo_media():
    with tempfile.TemporaryDirectory() as media:
        yield media


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    """The demo, loaded once for the module inside a transaction that is rolled back at its
    end (each test runs in a savepoint inside it); its evidence files in a folder of its own."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=demo_media),
        transaction.atomic(),
    ):
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_settings(settings, demo_media):
    settings.MEDIA_ROOT = demo_media  # where the demo's evidence files are
    settings.DEBUG = False  # error pages as people see them, not Django's technical ones
    return settings


def _wall(status: int, walls: set[int]) -> bool:
    return status in walls or status >= 500


def _route_of(path: str) -> str:
    try:
        return resolve(path.split("?")[0]).view_name
    except Exception:
        return "?"


def _check_pages(who: str, pages: dict) -> list[str]:
    """The walls among the pages reached, and error answers that are not Stelsel's own."""
    problems = []
    for page in pages.values():
        if _wall(page.status, WALLS):
            problems.append(
                f"{who}: {page.url} ({page.route or 'no route'}) answers {page.status}; "
                f"linked from {page.found_on or 'the start'}"
                + (f"\n{page.error}" if page.error else "")
            )
        if page.status >= 400 and page.html and ERROR_PAGE_MARK not in page.html:
            problems.append(f"{who}: {page.url} answers {page.status} without Stelsel's own page")
    return problems


def _check_forms(who: str, client, pages: dict) -> tuple[list[str], int]:
    """Send each kind of form once (a form of the same address pattern, fields and button on
    another page is the same form): the walls among the answers, and how many were sent."""
    problems, tried = [], set()
    for page in pages.values():
        for form in page.forms:
            if not form.action:
                continue
            kind = (
                form.method,
                _route_of(form.action),
                tuple(sorted(form.fields)),
                form.button,
            )
            if kind in tried:
                continue
            tried.add(kind)
            status, error = submit(client, form)
            if _wall(status, FORM_WALLS):
                problems.append(
                    f"{who}: the {form.method.upper()} form to {form.action} on {page.url} "
                    f"answers {status}" + (f"\n{error}" if error else "")
                )
    return problems, len(tried)


def test_every_person_of_the_demo_meets_no_wall(demo, demo_settings):
    people = demo_people()
    emails = {p.email for p in people}
    # Every role of both demo boards, the one-school board's rector-bestuurder among them.
    assert "directeur@de-eik.demo.stelsel.nl" in emails and len(people) >= 10
    # The support programme's office and researcher, who have no role on a board.
    assert {"programma@demo.stelsel.nl", "onderzoek@demo.stelsel.nl"} <= emails
    problems, visited, sent = [], 0, 0
    for person in people:
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        pages = crawl(client, per_route=PER_ROUTE)
        assert len(pages) > 10, f"{person.email} reached only {list(pages)}"
        visited += len(pages)
        problems += _check_pages(person.email, pages)
        form_problems, count = _check_forms(person.email, client, pages)
        problems += form_problems
        sent += count
    assert not problems, "\n".join(problems)
    assert visited > 500 and sent > 100  # the crawl went through the demo, not around it


def test_the_anonymous_visitor_meets_no_wall(demo, demo_settings):
    client = Client(enforce_csrf_checks=True)
    pages = {}
    for start in ANONYMOUS_STARTS:
        pages.update(crawl(client, start, per_route=PER_ROUTE))
    assert all(start in pages for start in ANONYMOUS_STARTS)
    problems = _check_pages("anonymous", pages)
    form_problems, sent = _check_forms("anonymous", client, pages)
    assert not problems + form_problems, "\n".join(problems + form_problems)
    assert sent >= 3  # signing in, the reset request, the meeting code


def test_a_link_to_a_missing_page_is_a_wall_the_crawl_reports(demo, demo_settings):
    """The check can fail: a missing page reached by a link is reported with the page it was
    on, and the 404 it answers is Stelsel's own page."""
    from tests.crawl import Page

    page = Page("/bestaat-niet/", 404, "", "text/html", "/besturen/1/", html="<main>x</main>")
    problems = _check_pages("someone", {page.url: page})
    assert problems == [
        "someone: /bestaat-niet/ (no route) answers 404; linked from /besturen/1/",
        "someone: /bestaat-niet/ answers 404 without Stelsel's own page",
    ]
