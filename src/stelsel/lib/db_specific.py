"""The one module with SQL that differs per database. Everything else is portable ORM code."""

from django.db import connection


def locked_shared(model, pk: int):
    """The row, read while holding it for a write that must not cross a change of it.

    PostgreSQL: FOR SHARE lets many writers hold the lock together, while a change of the row
    itself (FOR UPDATE) waits for them and they for it; a response to a round takes it so no
    answer arrives after the counts are frozen. SQLite serialises writers anyway, so a plain
    read is enough there.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        key = connection.ops.quote_name(model._meta.pk.column)
        sql = f"SELECT * FROM {table} WHERE {key} = %s FOR SHARE"  # noqa: S608 (a model's own table)
        rows = list(model.objects.raw(sql, [pk]))
        if not rows:
            raise model.DoesNotExist
        return rows[0]
    return model.objects.get(pk=pk)
