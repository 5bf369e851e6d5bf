"""The decorator every board page starts with.

A page of a board is reached at /besturen/<board_id>/…: the board is loaded through the access
rules before the view runs (404 if it is not the user's board, 403 without the permission), so
no view can forget it. What the view writes is the board's data (`lib.data_versions`).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required

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
