"""Background tasks of data and early warning, run by the database task worker."""

from django_tasks import task

from stelsel.insight.digest import send_digest


@task()
def send_signal_digest(board_id: int, signal_ids: list[int]) -> int:
    """Email the board office the signals an import brought."""
    return send_digest(board_id, signal_ids)
