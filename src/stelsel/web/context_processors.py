"""Navigation context: the board being viewed and what the user may open there; outside a
board, whether the user has a role on a support programme (a menu item of its own)."""

from django.utils.functional import SimpleLazyObject

from stelsel.organisations.access import has_permission
from stelsel.organisations.roles import Permission
from stelsel.trajectories.access import programmes_for_user


def _has_programmes(user) -> bool:
    return getattr(user, "is_authenticated", False) and programmes_for_user(user).exists()


def navigation(request) -> dict:
    board = getattr(request, "board", None)
    if board is None:
        # Outside a board (My boards, frameworks, the programmes' own pages) the menu offers
        # the programmes to those with a role on one: read only when a menu is drawn, one
        # query. A board's pages keep their fixed number of queries.
        user = getattr(request, "user", None)
        return {"nav_programmes": SimpleLazyObject(lambda: _has_programmes(user))}
    user = request.user
    return {
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
