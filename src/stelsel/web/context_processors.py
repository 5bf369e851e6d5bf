"""Navigation context: the board being viewed and what the user may open there, and whether
the user has a role on a support programme (a menu item of its own)."""

from django.utils.functional import SimpleLazyObject

from stelsel.organisations.access import has_permission
from stelsel.organisations.roles import Permission
from stelsel.trajectories.access import PROGRAMMES_SESSION_KEY, programmes_for_user


def _has_programmes(request) -> bool:
    """Read where a menu is drawn outside a board (one query), and kept in the session for the
    board's pages, which keep their fixed number of queries."""
    user = getattr(request, "user", None)
    has = bool(getattr(user, "is_authenticated", False) and programmes_for_user(user).exists())
    session = getattr(request, "session", None)
    if session is not None and session.get(PROGRAMMES_SESSION_KEY) != has:
        session[PROGRAMMES_SESSION_KEY] = has
    return has


def navigation(request) -> dict:
    board = getattr(request, "board", None)
    if board is None:
        return {"nav_programmes": SimpleLazyObject(lambda: _has_programmes(request))}
    user = request.user
    return {
        # As the session knows it: set at sign-in and wherever a page outside a board is drawn.
        "nav_programmes": bool(request.session.get(PROGRAMMES_SESSION_KEY, False)),
        "nav_board": board,
        "nav_can": {
            "people": has_permission(user, board, Permission.VIEW_PEOPLE),
            "picture": has_permission(user, board, Permission.VIEW_PICTURE),
            "rounds": has_permission(user, board, Permission.VIEW_ROUNDS),
            "calendar": has_permission(user, board, Permission.VIEW_PLANS),
            "plans": has_permission(user, board, Permission.VIEW_PLANS),
            "data": has_permission(user, board, Permission.VIEW_DATA),
            "data_enter": has_permission(user, board, Permission.ENTER_DATA),
            "data_manage": has_permission(user, board, Permission.MANAGE_DATA),
            "reports": has_permission(user, board, Permission.VIEW_REPORTS),
            "support": has_permission(user, board, Permission.VIEW_SUPPORT),
            "activity": has_permission(user, board, Permission.VIEW_ACTIVITY),
            "import": has_permission(user, board, Permission.IMPORT_SCHOOLS),
            "settings": has_permission(user, board, Permission.MANAGE_BOARD),
        },
    }
