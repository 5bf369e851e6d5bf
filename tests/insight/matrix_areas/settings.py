"""Matrix entries: the board's early-warning settings."""

from tests.test_permission_matrix import BOARD_OFFICE, Route, board_kwargs

ROUTES = {
    "insight:warning_settings": Route(board_kwargs, BOARD_OFFICE),
}
