"""What an inspector's link can share besides the picture and its documents.

Issued quality reports belong to the reports app, a layer above the picture. So that a link
can offer them when it is made, keep them and open them for the inspector without importing
reports, that app registers a `Share` here when it is ready (`ReportsConfig.ready`). Without
any registered, a link shares the picture and its documents only.

A share decides everything about its own items: which the person making the link may choose
(only what they may read themselves, of the link's unit), storing the choice, and which of them
the link still opens. The link's pages only list them and link to the share's public page,
which is answered through the link's token like the picture's own public pages.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SharedItem:
    """One thing a link shares; `key` names it to the share that registered it."""

    key: int
    title: str
    detail: str


@dataclass(frozen=True)
class Share:
    # The name of the form field and of the choice passed to `inspector_link_create`.
    name: str
    label: str
    help_text: str
    # Shown when there is nothing to choose for the unit.
    empty: str
    # choices(user, board, school) -> [(key, label)]: what the user may add for the unit
    # (`school` None for the board itself).
    choices: Callable[..., list[tuple[int, str]]]
    # add(link=, keys=, user=): store the choice in the link's transaction; a key that is not
    # one of the user's choices raises ValidationError on `name`.
    add: Callable[..., None]
    # items(link) -> [SharedItem]: what the link opens now, in the order to show.
    items: Callable[..., list[SharedItem]]
    # The public page of one item, reversed with (token, key).
    public_url_name: str


_shares: dict[str, Share] = {}


def register(share: Share) -> None:
    """Called once per share by the app that owns it, when that app is ready."""
    _shares[share.name] = share


def shares() -> list[Share]:
    return list(_shares.values())


def get(name: str) -> Share | None:
    return _shares.get(name)
