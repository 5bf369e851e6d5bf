"""The one module with SQL that differs per database. Everything else is portable ORM code."""

from django.db import connection


def lock_round_shared(round_id: int) -> None:
    """Hold a round open while a response is written, without queueing the responses.

    PostgreSQL: FOR SHARE lets many submissions hold the lock together, while closing the
    round (FOR UPDATE) waits for them and they for it, so no answer arrives after the counts
    are frozen. SQLite serialises writers anyway, so nothing is needed there.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM selfevaluation_round WHERE id = %s FOR SHARE", [round_id])
