"""Matrix entries: the board's import of the inspectorate's files and its history.

Importing is the board office's (MANAGE_DATA). The confirm POST without a preview answers a
redirect back to the upload page with a message, for those allowed; everyone else their 403
or 404 before anything is read.
"""

from tests.test_permission_matrix import BOARD_OFFICE, Route, board_kwargs

ROUTES = {
    "insight:import": Route(board_kwargs, BOARD_OFFICE),
    "insight:import_confirm": Route(board_kwargs, BOARD_OFFICE, method="post", ok=302),
    "insight:import_history": Route(board_kwargs, BOARD_OFFICE),
}
