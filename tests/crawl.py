"""A crawler over the demo, as each of its people uses it.

It signs in (the test client's force_login), starts at the home and follows every link shown
on every page it reaches within the site, recording each page's status, the route it resolved
to, and the forms it shows. Tests build on it: no link or form leads to a wall (403, 500), every
page fits a phone, no Dutch word in an English page.

Links it does not follow: other sites, `mailto:`/`tel:`/`webcal:`, fragments of the same page,
static files, signing out, and the language switch (a form, tried by the form check).
"""

import contextlib
import io
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.core.management import call_command
from django.db import transaction
from django.urls import Resolver404, resolve

SKIP_PREFIXES = ("/static/", "/media/", "/accounts/logout/", "/i18n/")


@dataclass
class Form:
    method: str
    action: str  # the site path it is sent to; "" for a form not to be sent (signing out)
    fields: dict = field(default_factory=dict)  # name -> the value shown (first of a choice)
    button: tuple[str, str] | None = None  # the first named submit button, as a click sends it


@dataclass
class Page:
    url: str
    status: int
    route: str  # the URL pattern's name, e.g. "web:board_home"
    content_type: str
    found_on: str  # the page that showed the link
    links: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    html: str = ""
    error: str = ""  # the traceback, when the view raised (recorded as a 500)


class _Reader(HTMLParser):
    """The links, and the forms with the values their fields show."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form((a.get("method") or "get").lower(), a.get("action") or "")
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "button") and a.get("name"):
            kind = (a.get("type") or ("submit" if tag == "button" else "text")).lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                if kind == "radio":
                    self._form.fields.setdefault(a["name"], a.get("value", "on"))
                return
            if kind == "submit":
                if self._form.button is None:
                    self._form.button = (a["name"], a.get("value", ""))
                return
            if kind == "file":
                return
            self._form.fields.setdefault(a["name"], a.get("value", ""))
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
        elif self._form is not None and tag == "option" and self._select:
            if "selected" in a or self._select not in self._form.fields:
                self._form.fields[self._select] = a.get("value", "")
        elif self._form is not None and tag == "textarea" and a.get("name"):
            self._form.fields.setdefault(a["name"], "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def load_demo() -> None:
    """The demo as `make demo` loads it (frameworks, boards, rounds, pictures, plans, calendar,
    data), its output kept out of the test's."""
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("demo", stdout=io.StringIO())


def demo_people() -> list:
    """Every person of the demo, one per email address, in a stable order."""
    from django.contrib.auth import get_user_model

    return list(
        get_user_model().objects.filter(email__endswith="demo.stelsel.nl").order_by("email")
    )


def _route(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _inside(base: str, href: str) -> str | None:
    """The site path of `href` on the page at `base`, or None when it is not to be followed."""
    if href.startswith(("mailto:", "tel:", "webcal:", "javascript:", "data:")):
        return None
    url, _fragment = urldefrag(urljoin(base, href))
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path or path.startswith(SKIP_PREFIXES):
        return None
    return path


def _form_target(base: str, action: str) -> str:
    """Where a form on the page at `base` is sent: "" for another site or signing out (which
    would end the crawl's session); the language switch is kept, to be tried."""
    url, _fragment = urldefrag(urljoin(base, action))
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver") or parts.path.startswith("/accounts/logout/"):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _get(client, url: str):
    """The response, or the traceback when the view raised; inside a savepoint, so a failed
    statement does not spoil the transaction for the pages after it (PostgreSQL)."""
    try:
        with transaction.atomic():
            return client.get(url, follow=True), ""
    except Exception:
        return None, traceback.format_exc()


def submit(client, form: Form):
    """Send `form` as its page shows it (GET as a query, POST with its values, the CSRF token
    and its first named button) and undo whatever it changed: the database in a savepoint that
    is rolled back, the client's cookies (language, session) as they were.

    Returns (status, traceback): 500 and the traceback when the view raised."""
    data = dict(form.fields)
    if form.button:
        data.setdefault(*form.button)
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    try:
        with transaction.atomic():
            try:
                if form.method == "post":
                    response = client.post(form.action, data)
                else:
                    response = client.get(form.action.split("?")[0], data)
                return response.status_code, ""
            finally:
                transaction.set_rollback(True)
    except Exception:
        return 500, traceback.format_exc()
    finally:
        client.cookies.clear()
        for name, value in cookies.items():
            client.cookies[name] = value


def crawl(client, start: str = "/", *, per_route: int | None = None, limit: int = 3000) -> dict:
    """Every page reachable from `start` by links, as the signed-in client sees it: url → Page.

    `per_route` caps the pages visited of one URL pattern (one school's standard page stands
    for all sixty); `limit` stops a crawl that would run away."""
    pages: dict[str, Page] = {}
    seen_routes: dict[str, int] = defaultdict(int)
    queue = [(start, "")]
    queued = {start}
    while queue and len(pages) < limit:
        url, found_on = queue.pop(0)
        response, error = _get(client, url)
        if response is None:
            pages[url] = Page(url, 500, _route(url.split("?")[0]) or "", "", found_on, error=error)
            continue
        final = response.request["PATH_INFO"]
        query = response.request.get("QUERY_STRING")
        if query:
            final = f"{final}?{query}"
        content_type = response.get("Content-Type", "")
        page = Page(
            url, response.status_code, _route(final.split("?")[0]) or "", content_type, found_on
        )
        pages[url] = page
        if not content_type.startswith("text/html"):
            continue
        page.html = response.content.decode()
        if response.status_code != 200:
            continue
        reader = _Reader()
        reader.feed(page.html)
        page.forms = reader.forms
        for form in page.forms:
            form.action = _form_target(final, form.action)
        for href in reader.links:
            path = _inside(final, href)
            if path is None:
                continue
            if path not in page.links:
                page.links.append(path)  # every link the page shows, followed or not
            if path in queued:
                continue
            route = _route(path.split("?")[0]) or path
            if per_route is not None:
                if seen_routes[route] >= per_route:
                    continue
                seen_routes[route] += 1
            queued.add(path)
            queue.append((path, url))
    return pages
