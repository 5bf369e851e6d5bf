"""After new data: refresh the signals of the boards it touched and queue their digests."""

from stelsel.insight.models import Ovt
from stelsel.insight.signals import signals_refresh
from stelsel.insight.tasks import send_signal_digest
from stelsel.organisations.models import Board


def signals_refresh_after_import(report) -> int:
    """Refresh the signals of every board the import touched; queue one digest per board."""
    boards = set(
        Ovt.objects.filter(code__in=report.kept, board__isnull=False).values_list(
            "board_id", flat=True
        )
    ) | set(
        Ovt.objects.filter(code__in=report.kept, school__isnull=False).values_list(
            "school__board_id", flat=True
        )
    )
    total = 0
    for board in Board.objects.filter(pk__in=boards):
        new = signals_refresh(board)
        total += len(new)
        if new:
            send_signal_digest.enqueue(board.pk, [s.pk for s in new])
    return total
