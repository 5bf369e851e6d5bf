"""The decorator every board page starts with, and the one that keeps a read page.

A page of a board is reached at /besturen/<board_id>/…: the board is loaded through the access
rules before the view runs (404 if it is not the user's board, 403 without the permission), so
no view can forget it. What the view writes is the board's data (`lib.data_versions`).
"""

import hashlib
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone, translation

from stelsel.lib import data_versions
from stelsel.lib.data_versions import board_scope
from stelsel.organisations.access import get_board_for_user
from stelsel.organisations.roles import Permission


def board_view(permission: str = Permission.VIEW_BOARD):
    """Load the board through access (404 if not the user's, 403 without `permission`) and pass
    it to the view as its first argument after the request."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, board_id, *args, **kwargs):
            request.board = get_board_for_user(request.user, board_id, permission=permission)
            with board_scope(request.board.pk):
                return view(request, request.board, *args, **kwargs)

        return wrapper

    return decorator


def _kept_page_key(request, board) -> str | None:
    """The key a page is kept under, or None when it must be made afresh: not a plain GET, a
    message waiting to be shown (it belongs on the page), no CSRF cookie yet (the page would
    set it), or a write of this connection not yet committed."""
    if request.method != "GET":
        return None
    storage = getattr(request, "_messages", None)
    if storage is not None and len(storage):
        return None
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return None
    parts = (
        request.user.pk,
        translation.get_language(),
        timezone.localdate().isoformat(),
        request.get_full_path(),
        # The forms on the page carry a token made from this secret.
        hashlib.sha256(secret.encode()).hexdigest()[:16],
    )
    return data_versions.kept_key(board.pk, "page", parts)


def kept_page(view):
    """Keep a board page as made for this person until the board's data change.

    For the pages read most (homes, picture, calendar, plans, results): they bring together
    several apps' data and take many times as long to make as a plain page, while between two
    changes of the board's data they come out the same for the same person, path, language and
    day. Every write changes the data version (`lib.data_versions`), so a kept page is never
    older than the data. Use inside `board_view`, on views that read only the database and the
    request's path (not the session)."""

    @wraps(view)
    def wrapper(request, board, *args, **kwargs):
        key = _kept_page_key(request, board)
        cache = caches[data_versions.CACHE]
        kept = cache.get(key) if key else None
        if kept is not None:
            content, content_type = kept
            return HttpResponse(content, content_type=content_type)
        response = view(request, board, *args, **kwargs)
        storage = getattr(request, "_messages", None)
        keep = (
            key is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")
            and not (storage is not None and storage.used)
        )
        if keep:
            if hasattr(response, "render"):
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), 86400)
        return response

    return wrapper
