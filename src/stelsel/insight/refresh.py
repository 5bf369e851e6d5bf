"""After new data: refresh the signals of the boards it touched and queue their digests.

A board's own import refreshes at once, so the person sees the signals on the next page. A
national import touches hundreds of boards; their refresh goes to the task worker, so the
import itself stays a matter of seconds.
"""

from django.db.models import Q

from stelsel.insight.models import Ovt
from stelsel.insight.signals import signals_refresh
from stelsel.insight.tasks import refresh_signals, send_signal_digest
from stelsel.organisations.models import Board

INLINE_BOARDS = 25


def boards_touched(codes: list[str]):
    """The boards in Stelsel that own any of these OVTs (by link, by board or by BGNR)."""
    touched = Ovt.objects.filter(code__in=codes)
    return Board.objects.filter(
        Q(pk__in=touched.values("board_id"))
        | Q(pk__in=touched.filter(school__isnull=False).values("school__board_id"))
        | Q(number__in=touched.exclude(board_number="").values("board_number"))
    ).order_by("pk")


def signals_refresh_after_import(report) -> int | None:
    """Refresh the touched boards' signals and queue one digest per board with new ones.

    Returns the number of new signals, or None when the refresh was queued for the worker.
    """
    return refresh_boards(list(boards_touched(report.kept)))


def refresh_boards(boards: list[Board]) -> int | None:
    """Refresh these boards' signals with a digest each: at once for a few, by the task
    worker for many. Returns the number of new signals, or None when queued."""
    if len(boards) > INLINE_BOARDS:
        refresh_signals.enqueue([board.pk for board in boards])
        return None
    total = 0
    for board in boards:
        new = signals_refresh(board)
        total += len(new)
        if new:
            send_signal_digest.enqueue(board.pk, [s.pk for s in new])
    return total
