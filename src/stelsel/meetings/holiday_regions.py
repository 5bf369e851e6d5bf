"""Which school holiday region each table of a board plans by (changing them is
`region_settings`).

A school's own region wins; a school without one, and a board table, follow the board's. A
board that has set no region has none: its meetings are neither moved nor marked. Reading the
regions of a board is one query, whatever the number of schools and tables.
"""

from dataclasses import dataclass, field

from stelsel.meetings.models import HolidayRegion


@dataclass
class RegionMap:
    board: str | None = None
    schools: dict[int, str] = field(default_factory=dict)

    def of(self, school_id: int | None) -> str | None:
        """The region a table of this unit (a school, or the board for None) plans by."""
        if school_id is None:
            return self.board
        return self.schools.get(school_id, self.board)


def region_map(board_id: int) -> RegionMap:
    regions = RegionMap()
    for school_id, region in HolidayRegion.objects.filter(board_id=board_id).values_list(
        "school_id", "region"
    ):
        if school_id is None:
            regions.board = region
        else:
            regions.schools[school_id] = region
    return regions


def region_maps(board_ids) -> dict[int, RegionMap]:
    """The region maps of several boards (a person's feed spans their boards), in one query."""
    maps = {board_id: RegionMap() for board_id in board_ids}
    for board_id, school_id, region in HolidayRegion.objects.filter(
        board_id__in=list(maps)
    ).values_list("board_id", "school_id", "region"):
        if school_id is None:
            maps[board_id].board = region
        else:
            maps[board_id].schools[school_id] = region
    return maps
