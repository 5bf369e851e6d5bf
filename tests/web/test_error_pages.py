"""Stelsel's own error pages: 400, 403 (and a refused form), 404, 410 and 500 in the site's
style, in the person's language, each saying what happened, what to do, and a way back.

With debugging off, as people see them. Every page is asked for as a signed-in and as an
anonymous person, in Dutch and in English.
"""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.utils.html import escape

from stelsel.web import errors
from tests.factories import grant, make_board, make_user

URLS = "tests.web.error_urls"
PAGES = {  # path -> status
    "/fout/400/": 400,
    "/fout/403/": 403,
    "/bestaat-niet/": 404,
    "/fout/410/": 410,
    "/fout/500/": 500,
}
TEXTS = {**errors.TEXTS, "csrf": errors.CSRF_TEXTS}
WAYS = ("Back to the previous page", "Sign in", "Go to your start page")


def _client(language: str, *, signed_in: bool, db=None) -> Client:
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if signed_in:
        user = make_user(email="iemand@example.org")
        grant(user, make_board(), "quality_officer")
        client.force_login(user)
    return client


def _english_of(status) -> list[str]:
    from django.utils import translation

    with translation.override("en"):
        return [str(text) for text in TEXTS[status]]


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
@pytest.mark.parametrize("path,status", PAGES.items())
@override_settings(DEBUG=False, ROOT_URLCONF=URLS)
def test_each_error_page_is_stelsels_own_in_english(path, status, signed_in):
    client = _client("en", signed_in=signed_in)
    response = client.get(path, HTTP_REFERER="http://testserver/kaders/")
    html = response.content.decode()
    assert response.status_code == status
    assert 'class="page page--narrow page--entrance error-page"' in html
    assert '<html lang="en">' in html
    assert f"Error {status}" in html
    if status == 500:  # made without the request: no person, only the way to the start
        assert "Something went wrong on our side" in html
        assert 'href="/"' in html and "Sign out" not in html
        return
    title, what, todo = _english_of(status)
    assert f"<h1>{escape(title)}</h1>" in html and escape(what) in html and escape(todo) in html
    assert 'href="http://testserver/kaders/"' in html  # back where the person came from
    if signed_in:
        assert "Go to your start page" in html and "Sign out" in html
    else:
        assert f'href="/accounts/login/?next={path.replace("/", "%2F")}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
@override_settings(DEBUG=False)
def test_a_refused_form_says_what_to_do_and_changes_nothing(signed_in):
    client = _client("en", signed_in=signed_in)
    response = client.post("/account/instellingen/" if signed_in else "/accounts/login/", {})
    html = response.content.decode()
    assert response.status_code == 403
    assert "error-page" in html
    title, what, todo = _english_of("csrf")
    assert f"<h1>{escape(title)}</h1>" in html and escape(todo) in html


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
@pytest.mark.parametrize("path,status", PAGES.items())
@override_settings(DEBUG=False, ROOT_URLCONF=URLS)
def test_each_error_page_is_dutch_first_without_english(path, status, signed_in):
    """Dutch when the person chose nothing; none of the English texts of any error page."""
    client = Client(raise_request_exception=False)
    if signed_in:
        client = _client("nl", signed_in=True)
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="nl">' in html and "error-page" in html
    english = [text for texts in TEXTS for text in _english_of(texts)]
    english += [*WAYS, "Something went wrong on our side", f"Error {status}"]
    assert not [text for text in english if escape(text) in html]


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
@override_settings(DEBUG=False)
def test_a_refused_form_is_dutch_first_without_english(signed_in):
    client = _client("nl", signed_in=signed_in)
    response = client.post("/account/instellingen/" if signed_in else "/accounts/login/", {})
    html = response.content.decode()
    assert response.status_code == 403 and '<html lang="nl">' in html
    english = [*_english_of("csrf"), *WAYS, "Error 403"]
    assert not [text for text in english if escape(text) in html]


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_request_for_another_host_gets_the_400_page():
    response = _client("en", signed_in=False).get("/", HTTP_HOST="elders.example.org")
    assert response.status_code == 400
    assert "error-page" in response.content.decode()


def test_the_500_page_needs_neither_the_request_nor_the_database():
    """No database access is allowed in this test: the page is still the full one, not the
    plain fallback."""
    response = errors.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "error-page" in html and "Stelsel" in html
    assert errors.server_error(None).status_code == 500


def test_the_500_page_falls_back_to_plain_html_when_it_cannot_be_made(monkeypatch):
    def fail(name):
        raise ValueError("Missing staticfiles manifest entry")

    monkeypatch.setattr(errors.loader, "get_template", fail)
    response = errors.server_error(None)
    assert response.status_code == 500
    assert response.content.decode() == errors.FALLBACK_500


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_an_unusable_invitation_answers_410_on_the_same_kind_of_page(english):
    response = english.get("/uitnodiging/onbekend-teken/")
    assert response.status_code in (404, 410)
    html = response.content.decode()
    assert "error-page" in html and "error-page__ways" in html
