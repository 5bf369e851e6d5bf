"""The one module with SQL that differs per database. Everything else is portable ORM code."""

from django.db import connection


def round_locked_shared(round_id: int):
    """The round, read while holding it open for a response that is being written.

    PostgreSQL: FOR SHARE lets many submissions hold the lock together, while closing the
    round (FOR UPDATE) waits for them and they for it, so no answer arrives after the counts
    are frozen. SQLite serialises writers anyway, so a plain read is enough there.
    """
    from stelsel.selfevaluation.models import Round

    if connection.vendor == "postgresql":
        rows = list(
            Round.objects.raw(
                "SELECT * FROM selfevaluation_round WHERE id = %s FOR SHARE", [round_id]
            )
        )
        return rows[0]
    return Round.objects.get(pk=round_id)
