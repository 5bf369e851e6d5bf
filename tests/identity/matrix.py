"""Matrix entries of the board's sign-in settings and of starting a sign-in with a work account.

The sign-in settings are the board executive's (MANAGE_BOARD): other roles get 403, another
board's settings and providers 404. Starting a sign-in and finding the provider by address are
public pages (anyone may sign in); signing out everywhere is for anyone signed in.
"""

from stelsel.identity.models import IdentityDomain, IdentityProvider, ProviderKind
from stelsel.lib.encryption import encrypt
from tests.test_permission_matrix import ALL, EXECUTIVE, Route, _target_board, board_kwargs


def _provider(board) -> IdentityProvider:
    provider = IdentityProvider.objects.create(
        board=board,
        kind=ProviderKind.OIDC,
        server_url="https://login.example.org",
        client_id="stelsel",
        client_secret_encrypted=encrypt("secret"),
    )
    IdentityDomain.objects.create(provider=provider, domain=f"b{board.pk}-{provider.pk}.example")
    return provider


def provider_kwargs(world, scope):
    board = _target_board(world, scope)
    return {"board_id": board.pk, "provider_id": _provider(board).pk}


def kind_kwargs(world, scope):
    return {**board_kwargs(world, scope), "kind": ProviderKind.ENTRA}


def key_kwargs(world, scope):
    return {"key": _provider(world.board).key}


def no_kwargs(world, scope):
    return {}


IDENTITY_ROUTES = {
    "identity:settings": Route(board_kwargs, EXECUTIVE),
    "identity:provider_add": Route(kind_kwargs, EXECUTIVE),
    "identity:provider_edit": Route(provider_kwargs, EXECUTIVE),
    "identity:provider_delete": Route(provider_kwargs, EXECUTIVE, method="post", ok=302),
    "identity:passwords": Route(board_kwargs, EXECUTIVE, method="post", ok=302),
    "identity:discover": Route(no_kwargs, ALL, board_agnostic=True, anonymous=200, nobody=200),
    "identity:start": Route(key_kwargs, ALL, board_agnostic=True, anonymous=200, nobody=200),
    "identity:leave": Route(no_kwargs, ALL, ok=302, board_agnostic=True, anonymous=302, nobody=302),
    "identity:sign_out_everywhere": Route(
        no_kwargs, ALL, method="post", ok=302, board_agnostic=True, nobody=302
    ),
}
