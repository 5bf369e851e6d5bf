"""API authentication: the browser session (with CSRF on writes) or a personal access token.

Both honour a board's two-factor requirement: a member who has not set up an authenticator gets
403 from the API just as the pages send them to the set-up first.
"""

from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from stelsel.accounts.services import token_authenticate
from stelsel.organisations.two_factor import satisfied_board, user_must_set_up_two_factor

TWO_FACTOR_REQUIRED = (
    "Your board requires two-factor sign-in; set up an authenticator app in Stelsel first."
)


def _checked(user, satisfied_board_id=None):
    if user is not None and user_must_set_up_two_factor(user, satisfied_board_id):
        raise HttpError(403, TWO_FACTOR_REQUIRED)
    return user


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = _checked(token_authenticate(token))
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Django's session cookie; unsafe methods must carry the CSRF token."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # A board whose identity provider named a second factor counts, as on the pages.
            return _checked(user, satisfied_board(getattr(request, "session", None)))
        return None
