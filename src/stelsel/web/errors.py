"""Stelsel's own error pages: 400, 403 (also a refused form, CSRF), 404, 410 and 500.

Each says what happened, what the person can do, and offers a way back (the previous page
when it was one of ours, the start page, signing in when signed out), in the person's
language. The 500 page is made without the request's context and without the database: it
must show when either is what failed.
"""

import logging
from urllib.parse import urlencode

from django.core.exceptions import DisallowedHost
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

TEXTS = {
    400: (
        _("This request could not be handled"),
        _("Something in the address or in the form that was sent was not in order."),
        _("Check the address, or go back and try again."),
    ),
    403: (
        _("You do not have access to this"),
        _("This page or action is not part of your role here."),
        _(
            "If you need it for your work, ask your board's quality officer or board executive "
            "to give you the role for it."
        ),
    ),
    404: (
        _("This page does not exist"),
        _("There is no page at this address, or it is not shown to you."),
        _("Check the address, or start again from your start page."),
    ),
    410: (
        _("This page is no longer available"),
        _("What was here has been removed or can no longer be used."),
        _("Start again from your start page, or ask whoever sent you the link for a new one."),
    ),
}

CSRF_TEXTS = (
    _("The form could not be sent"),
    _(
        "The page was open too long, you signed in or out in another tab, or your browser "
        "blocks cookies for this site; for your safety the form was refused."
    ),
    _("Go back, reload the page and send the form again. Nothing was changed."),
)

# When the 500 template itself cannot be made (the fault may lie in templates or static
# files), this plain page still answers; bilingual, as the language may not be known.
FALLBACK_500 = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Stelsel</title></head><body>
<h1>Er ging iets mis aan onze kant</h1>
<p>Probeer het over een paar minuten opnieuw. <a href="/">Naar de startpagina</a></p>
<p lang="en">Something went wrong on our side. Try again in a few minutes.
<a href="/">Go to the start page</a></p>
</body></html>"""


def _previous_page(request) -> str | None:
    """The page the person came from, when it was one of ours and not this page itself."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the very reason for a 400: no previous page of ours to offer
        return None
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return None
    if referer.split("://", 1)[-1].split("/", 1)[-1] == request.get_full_path().lstrip("/"):
        return None
    return referer


def _sign_in_url(request) -> str | None:
    """Signing in, then back to this page (for a page that was asked for, not a form)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    login = reverse("account_login")
    if request.method != "GET" or request.path == login:
        return login
    return f"{login}?{urlencode({'next': request.get_full_path()})}"


def error_page(request, status: int, texts=None, *, extra=None):
    """The error page for `status`, with the texts of that status unless others are given."""
    title, what, todo = texts or TEXTS[status]
    context = {
        "status": status,
        "title": title,
        "what": what,
        "todo": todo,
        "previous_page": _previous_page(request),
        "sign_in_url": _sign_in_url(request),
        **(extra or {}),
    }
    return render(request, "web/error.html", context, status=status)


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def gone(request, exception=None):
    return error_page(request, 410)


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check: 403, as Django answers, with what to do about it."""
    return error_page(request, 403, CSRF_TEXTS)


def server_error(request=None):
    """500 without the request's context or the database: only the active language."""
    try:
        html = loader.get_template("web/errors/500.html").render(
            {"language": get_language() or "nl"}
        )
    except Exception:  # the page that reports a failure must not fail itself
        logger.exception("The 500 page could not be made; the plain one was sent.")
        html = FALLBACK_500
    return HttpResponseServerError(html)
