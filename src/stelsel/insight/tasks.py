"""Background tasks of data and early warning, run by the database task worker
(`python -m stelsel db_worker`)."""

from django_tasks import task

from stelsel.insight.digest import send_digest
from stelsel.insight.signals import signals_refresh
from stelsel.organisations.models import Board


@task()
def send_signal_digest(board_id: int, signal_ids: list[int]) -> int:
    """Email the board office the signals an import brought."""
    return send_digest(board_id, signal_ids)


@task()
def refresh_signals(board_ids: list[int]) -> int:
    """Refresh the signals of many boards after a national import, each with its digest."""
    total = 0
    for board in Board.objects.filter(pk__in=board_ids).order_by("pk"):
        new = signals_refresh(board)
        total += len(new)
        if new:
            send_digest(board.pk, [s.pk for s in new])
    return total
