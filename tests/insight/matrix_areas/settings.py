"""Matrix entries: the board's early-warning settings."""

from tests.test_permission_matrix import ALL, BOARD_OFFICE, Route, board_kwargs, no_kwargs

ROUTES = {
    "insight:warning_settings": Route(board_kwargs, BOARD_OFFICE),
}

ROUTES["insight:digest_setting"] = Route(
    no_kwargs,
    ALL,
    method="post",
    ok=302,
    board_agnostic=True,
    nobody=302,
    data=lambda world: {"digest": "off"},
)
