"""Changing the school holiday region of a board and of its schools, and planning again what
the change moves. Beside `holiday_regions` (reading them), because planning again needs the
services, which read the regions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stelsel.meetings.holiday_regions import region_map
from stelsel.meetings.holidays import Region
from stelsel.meetings.models import HolidayRegion, MeetingSeries
from stelsel.meetings.services import replan_future
from stelsel.organisations.models import Board


def _valid(value) -> str | None:
    if value in (None, ""):
        return None
    if value not in Region.values:
        raise ValidationError(_("Choose north, middle or south."))
    return value


@transaction.atomic
def holiday_regions_set(*, board: Board, region, schools: dict, user=None) -> int:
    """Set the board's region and each school's own one (None: follows the board), then plan
    again the meetings ahead that nobody has written in of every table whose region changed.
    Returns how many tables were planned again. All or nothing: a bad region changes nothing.
    """
    Board.objects.select_for_update().filter(pk=board.pk).first()
    board_region = _valid(region)
    wanted = {}
    own = set(board.schools.values_list("pk", flat=True))
    for school_id, value in schools.items():
        if school_id not in own:
            raise ValidationError(_("That school is not part of this board."))
        wanted[school_id] = _valid(value)
    before = region_map(board.pk)
    rows = HolidayRegion.objects.filter(board=board)
    _put(rows.filter(school__isnull=True), board, None, board_region, user)
    for school_id, value in wanted.items():
        _put(rows.filter(school_id=school_id), board, school_id, value, user)
    after = region_map(board.pk)
    changed = [
        series
        for series in MeetingSeries.objects.filter(board=board)
        if before.of(series.school_id) != after.of(series.school_id)
    ]
    for series in changed:
        replan_future(series, user)
    return len(changed)


def _put(rows, board, school_id, region, user) -> None:
    row = rows.first()
    if region is None:
        if row is not None:
            if user is not None:
                row._history_user = user
            row.delete()
        return
    if row is None:
        row = HolidayRegion(board=board, school_id=school_id)
    if row.region != region:
        row.region = region
        if user is not None:
            row._history_user = user
        row.save()
