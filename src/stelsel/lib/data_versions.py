"""Versions of the stored data, so that an expensive page part can be kept until its data change.

A board's home brings together what six apps hold; reading it all takes many times as long as
a plain page. Its rendered part may be kept (under `kept_key`) because every write to the
database changes a version token, and the part is filed under the tokens it was made with:

- Every INSERT, UPDATE, DELETE and TRUNCATE that reaches the database is seen here, through an
  execute wrapper on each connection: a bulk update, a raw statement and a migration are seen
  as well as a model's save, and no service has to remember to say that it wrote.
- A write made while a board's page or job runs (`board_scope`, entered by `board_view`)
  changes that board's token; any other write, and every write to a table shared by all boards
  (people, frameworks), changes the token of all boards.
- A write inside a transaction changes the token when the transaction commits; a rolled-back
  one changes nothing. A connection that has written in a transaction still open reads past the
  kept parts: it sees its own writes, which others cannot see yet.
- A write outside a transaction changes the token at once and again at the next statement, the
  end of the request or the process, so that nothing read while the statement ran stays kept.

The tokens and the kept parts live in the `shared` cache, which all processes of an
installation see (web and task worker) and which is not the database, so a token can be
written while a statement is still running."""

import atexit
import contextlib
import re
import uuid
from contextvars import ContextVar

from django.core.cache import caches
from django.core.signals import request_finished
from django.db import connections
from django.db.backends.signals import connection_created

CACHE = "shared"
ALL = "all"

# Tables whose writes say nothing about any board's data: the session, caches, the task queue.
IGNORED = ("django_session", "stelsel_cache", "django_tasks")
# Tables shared by all boards: a write there changes every board's token, whoever made it.
SHARED = ("accounts_", "account_", "socialaccount_", "otp_", "auth_", "django_", "frameworks_")

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)"?',
    re.I,
)
_board: ContextVar[int | None] = ContextVar("data_version_board", default=None)


@contextlib.contextmanager
def board_scope(board_id: int | None):
    """Writes made inside change `board_id`'s token only (unless they touch a shared table)."""
    token = _board.set(board_id)
    try:
        yield
    finally:
        _board.reset(token)


def written_table(sql: str) -> str | None:
    """The table a statement writes to, or None for a read (or anything else)."""
    match = _WRITE.match(sql)
    return match.group(1).lower() if match else None


def _scope_for(table: str) -> str | None:
    if table.startswith(IGNORED):
        return None
    board = _board.get()
    if board is None or table.startswith(SHARED):
        return ALL
    return str(board)


def _key(connection, scope: str) -> str:
    # The database's name, because test runs and installations may share the directory.
    return f"data-version:{connection.settings_dict['NAME']}:{scope}"


def bump(connection, *scopes: str) -> None:
    """Give `scopes` new tokens: every page kept under the old ones is read afresh."""
    caches[CACHE].set_many({_key(connection, s): uuid.uuid4().hex for s in scopes}, None)


def _flush(connection) -> None:
    """Change the tokens of writes outside a transaction a second time (see the docstring)."""
    scopes = getattr(connection, "_data_version_after", None)
    if scopes:
        connection._data_version_after = set()
        bump(connection, *scopes)


class _Bump:
    """The change of a scope's token when the transaction commits (an on_commit callback that
    a rolled-back savepoint takes away with the writes made in it)."""

    def __init__(self, connection, scope: str):
        self.connection = connection
        self.scope = scope

    def __call__(self):
        bump(self.connection, self.scope)


def _bumps_waiting(connection) -> set[str]:
    return {f.scope for _sids, f, _robust in connection.run_on_commit if isinstance(f, _Bump)}


def _watch(execute, sql, params, many, context):
    connection = context["connection"]
    _flush(connection)
    result = execute(sql, params, many, context)
    table = written_table(sql) if isinstance(sql, str) else None
    scope = _scope_for(table) if table else None
    if scope is None:
        return result
    if connection.in_atomic_block:
        if scope not in _bumps_waiting(connection):
            connection.on_commit(_Bump(connection, scope))
    else:
        bump(connection, scope)
        connection.__dict__.setdefault("_data_version_after", set()).add(scope)
    return result


def writes_pending(connection) -> bool:
    """Whether this connection has written in a transaction that is still open."""
    return connection.in_atomic_block and bool(_bumps_waiting(connection))


def version(connection, board_id: int) -> str:
    """The tokens of all boards and of `board_id`, as one string to file a kept page under."""
    _flush(connection)
    cache = caches[CACHE]
    keys = [_key(connection, ALL), _key(connection, str(board_id))]
    found = cache.get_many(keys)
    missing = {k: uuid.uuid4().hex for k in keys if k not in found}
    if missing:
        # add() keeps a token another process has just written; read back what stands.
        for key, token in missing.items():
            cache.add(key, token, None)
        found = cache.get_many(keys)
    return "-".join(found.get(k, "none") for k in keys)


def kept_key(board_id: int, name: str, parts: tuple) -> str | None:
    """The key to keep a page part about `board_id` under: its data version, `name` and `parts`
    (who asks, in which language, on which day). None when the part must be read afresh,
    because this connection has written in a transaction that is still open."""
    connection = connections["default"]
    if writes_pending(connection):
        return None
    return ":".join([name, str(board_id), version(connection, board_id), *map(str, parts)])


def _install_on(sender=None, connection=None, **kwargs) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def _flush_all(**kwargs) -> None:
    for connection in connections.all(initialized_only=True):
        _flush(connection)


def install() -> None:
    """Watch every connection, present and future (from an AppConfig.ready)."""
    connection_created.connect(_install_on, dispatch_uid="data_versions")
    for connection in connections.all(initialized_only=True):
        _install_on(connection=connection)
    request_finished.connect(_flush_all, dispatch_uid="data_versions")
    atexit.register(_flush_all)
