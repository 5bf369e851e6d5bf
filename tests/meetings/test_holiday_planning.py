"""Planning around school holidays: a table moves a meeting that falls in a holiday of its
region to the next school week, or keeps it and marks it, as its owner chooses; the region is
the school's own or the board's; held meetings never move."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stelsel.meetings import selectors, services
from stelsel.meetings.holiday_regions import region_map
from stelsel.meetings.models import AgendaItem, HolidayRegion, Meeting, MeetingSeries
from stelsel.meetings.region_settings import holiday_regions_set
from tests.factories import make_board, make_school
from tests.factories.clock import at, clock

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 6, 1)  # plans from June 2025 to June 2027


def _dates(series) -> list[dt.date]:
    return [
        timezone.localdate(moment)
        for moment in Meeting.objects.filter(series=series)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
    ]


def _table(board, school=None, **fields):
    values = {
        "name": "Kwaliteitsoverleg",
        "rhythm": "months",
        "months": [7],
        "weekday": 1,
        "week_of_month": 2,  # second Monday: 13 July 2026
        "start_time": dt.time(15, 0),
        "first_date": D(2026, 1, 1),
        "last_date": D(2026, 12, 31),
    }
    values.update(fields)
    with clock(at(TODAY)):
        return services.series_create(board=board, school=school, **values)


@pytest.fixture
def board():
    board = make_board()
    HolidayRegion.objects.create(board=board, region="midden")
    return board


def test_a_school_table_moves_out_of_its_schools_holiday(board):
    school = make_school(board)
    HolidayRegion.objects.create(board=board, school=school, region="noord")
    series = _table(board, school)
    # Zomervakantie noord: 4 July – 16 August 2026; the same Monday of the next school week.
    assert _dates(series) == [D(2026, 8, 17)]


def test_a_holiday_of_another_region_does_not_count(board):
    # The board is in midden, whose zomervakantie starts on 18 July: 13 July is a school day.
    assert _dates(_table(board)) == [D(2026, 7, 13)]
    # A school without a region of its own follows the board.
    assert _dates(_table(board, make_school(board))) == [D(2026, 7, 13)]


def test_a_table_may_keep_its_dates_and_have_them_marked(board):
    school = make_school(board)
    HolidayRegion.objects.create(board=board, school=school, region="noord")
    series = _table(board, school, holiday_rule="flag")
    assert _dates(series) == [D(2026, 7, 13)]
    meeting = Meeting.objects.get(series=series)
    meeting.series = series
    [marked] = selectors.mark_holidays([meeting], region_map(board.pk))
    assert marked.holiday.kind == "zomervakantie" and marked.holiday.region == "noord"


def test_a_weekly_table_folds_its_summer_meetings_into_the_first_school_week(board):
    school = make_school(board)
    HolidayRegion.objects.create(board=board, school=school, region="noord")
    series = _table(board, school, rhythm="weeks", interval=1, months=[], first_date=D(2026, 6, 29))
    dates = _dates(series)
    summer = [d for d in dates if D(2026, 7, 4) <= d <= D(2026, 8, 16)]
    assert summer == []
    assert dates[:2] == [D(2026, 6, 29), D(2026, 8, 17)]
    assert dates.count(D(2026, 8, 17)) == 1
    # Herfstvakantie noord 2025-2026 is past; the next school year is not in the file: from
    # August 2026 on every Monday is planned.
    assert D(2026, 10, 19) in dates and D(2026, 12, 28) in dates


def test_a_move_crosses_the_year_boundary(board):
    series = _table(
        board,
        months=[12],
        week_of_month=5,  # the last Monday of December 2025: in the kerstvakantie
        first_date=D(2025, 9, 1),
        last_date=D(2026, 6, 30),
    )
    assert _dates(series) == [D(2026, 1, 5)]


def test_a_move_beyond_the_tables_last_date_is_dropped(board):
    series = _table(
        board, months=[12], week_of_month=5, first_date=D(2025, 9, 1), last_date=D(2025, 12, 31)
    )
    assert _dates(series) == []


def test_changing_the_rule_plans_again_without_touching_the_past(board):
    school = make_school(board)
    HolidayRegion.objects.create(board=board, school=school, region="noord")
    series = _table(board, school)
    with clock(at(TODAY)):
        series = services.series_update(
            series=series, revision=series.revision, holiday_rule="flag"
        )
    assert _dates(series) == [D(2026, 7, 13)]


def test_setting_a_region_moves_the_future_but_never_a_held_meeting(board):
    HolidayRegion.objects.filter(board=board).delete()
    series = _table(board, months=[2, 7], week_of_month=3)  # 16 Feb and 20 July 2026
    assert _dates(series) == [D(2026, 2, 16), D(2026, 7, 20)]
    Meeting.objects.filter(series=series, starts_at__month=2).update(state="held")
    with clock(at(TODAY)):
        replanned = holiday_regions_set(board=board, region="midden", schools={})
    assert replanned == 1
    # Midden: voorjaarsvakantie 14–22 February (held: stays), zomervakantie from 18 July.
    assert _dates(series) == [D(2026, 2, 16), D(2026, 8, 31)]
    assert Meeting.objects.get(series=series, starts_at__month=2).state == "held"


def test_a_meeting_someone_wrote_in_stays_when_the_region_changes(board):
    HolidayRegion.objects.filter(board=board).delete()
    series = _table(board, months=[7], week_of_month=3)
    meeting = Meeting.objects.get(series=series)
    AgendaItem.objects.create(board=board, meeting=meeting, title="Leesresultaten")
    with clock(at(TODAY)):
        holiday_regions_set(board=board, region="midden", schools={})
    assert _dates(series) == [D(2026, 7, 20), D(2026, 8, 31)]


def test_bad_regions_and_rules_are_refused_and_change_nothing(board):
    other_school = make_school(make_board())
    with pytest.raises(ValidationError):
        holiday_regions_set(board=board, region="oost", schools={})
    with pytest.raises(ValidationError):
        holiday_regions_set(board=board, region="zuid", schools={other_school.pk: "noord"})
    assert region_map(board.pk).board == "midden"
    with pytest.raises(ValidationError) as caught:
        _table(board, holiday_rule="skip")
    assert "holiday_rule" in caught.value.error_dict
    assert not MeetingSeries.objects.filter(board=board).exists()


def test_a_moved_meeting_is_not_reported_as_missed(board):
    school = make_school(board)
    HolidayRegion.objects.create(board=board, school=school, region="noord")
    moved = _table(board, school)
    kept = _table(board, school, holiday_rule="flag", name="Leesteam")
    MeetingSeries.objects.filter(pk__in=[moved.pk, kept.pk]).update(created_at=at(D(2026, 1, 1)))
    Meeting.objects.filter(series=moved).update(state="held")  # held on 17 August
    with clock(at(D(2026, 9, 15))):
        missed = selectors.missed_meetings(board, D(2026, 9, 15))
    assert [(m.series.pk, m.date) for m in missed] == [(kept.pk, D(2026, 7, 13))]
