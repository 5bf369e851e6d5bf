"""Start-up guard: a server on an out-of-date schema corrupts data, so it must not start."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


class PendingMigrations(RuntimeError):
    pass


def pending_migrations(database: str = DEFAULT_DB_ALIAS) -> list[str]:
    executor = MigrationExecutor(connections[database])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def ensure_migrated(database: str = DEFAULT_DB_ALIAS) -> None:
    pending = pending_migrations(database)
    if pending:
        raise PendingMigrations(
            f"{len(pending)} database migration(s) pending ({', '.join(pending[:5])}"
            f"{', …' if len(pending) > 5 else ''}). Run `python -m stelsel migrate` first."
        )
