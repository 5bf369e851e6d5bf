"""Navigation context: the board being viewed and what the user may open there."""

from stelsel.organisations.access import has_permission
from stelsel.organisations.roles import Permission


def navigation(request) -> dict:
    board = getattr(request, "board", None)
    if board is None:
        return {}
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
            "activity": has_permission(user, board, Permission.VIEW_ACTIVITY),
            "import": has_permission(user, board, Permission.IMPORT_SCHOOLS),
            "settings": has_permission(user, board, Permission.MANAGE_BOARD),
        },
    }
