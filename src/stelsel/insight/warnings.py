"""The board's own thresholds for early warning, and a person's choice about the digest."""

from decimal import Decimal

from django.db import transaction

from stelsel.insight.models import DigestOptOut, WarningSettings
from stelsel.insight.signals import signals_refresh
from stelsel.organisations.models import Board


@transaction.atomic
def warning_settings_update(*, board: Board, margin: Decimal) -> None:
    """Store the margin and bring the signals in line with it at once."""
    WarningSettings.objects.update_or_create(board=board, defaults={"margin": margin})
    signals_refresh(board)


def digest_wanted(user) -> bool:
    return not DigestOptOut.objects.filter(user=user).exists()


def digest_choose(*, user, wanted: bool) -> None:
    if wanted:
        DigestOptOut.objects.filter(user=user).delete()
    else:
        DigestOptOut.objects.get_or_create(user=user)
