"""The tables of the quality calendar, as the organisation's pages see them.

The profile of the quality officer's role names the tables the officer sits at. Those tables
belong to the quality calendar (meetings), a layer above organisations, with its own access
rule (a school's table stays within its school; a seat opens a board table). So that the
profile can offer, check and list tables without importing meetings, the calendar registers
its reader here when its app is ready (`MeetingsConfig.ready`).
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

_tables_for_user: Callable[..., QuerySet] | None = None


def register(*, tables_for_user: Callable[..., QuerySet]) -> None:
    """Called once by the calendar app: `tables_for_user(user, board)` answers the tables the
    user may see (403 without the right to see the calendar)."""
    global _tables_for_user
    _tables_for_user = tables_for_user


def tables_for_user(user, board) -> QuerySet:
    """The tables of `board` the user may see."""
    if _tables_for_user is None:
        raise ImproperlyConfigured("The quality calendar (stelsel.meetings) is not installed.")
    return _tables_for_user(user, board)
