"""The month view beside the list, the archive of past meetings and the holiday region page:
what they show, their filters and errors, who sees what, and a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stelsel.meetings.models import HolidayRegion, Meeting
from stelsel.organisations.roles import Role
from tests.factories import grant, make_board, make_school, make_user
from tests.factories.clock import at, clock
from tests.factories.meetings import make_meeting, make_series

pytestmark = pytest.mark.django_db

D = dt.date


def _month(client, board, **params):
    return client.get(reverse("meetings:month", args=[board.pk]), params)


def test_the_month_grid_is_a_table_with_links_holidays_and_today(english, world):
    board = world.board
    HolidayRegion.objects.create(board=board, region="noord")
    series = make_series(board, name="Bestuur en directeuren", holiday_rule="flag")
    meeting = make_meeting(board, series=series, day=D(2026, 7, 13))
    english.force_login(world.users[Role.QUALITY_OFFICER])
    with clock(at(D(2026, 7, 8))):
        response = _month(english, board, maand="2026-07")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<caption>Meetings in July 2026, by week from Monday to Sunday</caption>" in page
    assert page.count('<th scope="col">') == 7
    assert reverse("meetings:meeting", args=[board.pk, meeting.pk]) in page
    assert "month-grid__holiday" in page and "Summer holiday" in page  # noord from 4 July
    assert 'aria-current="date"' in page and page.count("month-grid__today") == 1
    assert "maand=2026-06" in page and "maand=2026-08" in page
    assert 'aria-current="page">Month</a>' in page
    grid = response.context["grid"]
    [day] = [d for w in grid.weeks for d in w if d.date == D(2026, 7, 13)]
    assert day.meetings == [meeting] and day.meetings[0].holiday.kind == "zomervakantie"
    assert [h.kind for h in grid.holidays] == ["zomervakantie"]


def test_the_month_shades_the_region_of_the_school_filtered_on(english, world):
    board = world.board
    HolidayRegion.objects.create(board=board, region="midden")
    HolidayRegion.objects.create(board=board, school=world.school, region="noord")
    english.force_login(world.users[Role.QUALITY_OFFICER])
    with clock(at(D(2026, 7, 8))):
        board_view = _month(english, board, maand="2026-07").context["grid"]
        school_view = _month(english, board, maand="2026-07", school=world.school.pk).context[
            "grid"
        ]
    assert board_view.region == "midden" and board_view.holidays[0].start == D(2026, 7, 18)
    assert school_view.region == "noord" and school_view.holidays[0].start == D(2026, 7, 4)


def test_a_month_that_is_not_one_is_said_so_and_this_month_is_shown(english, world):
    english.force_login(world.users[Role.QUALITY_OFFICER])
    with clock(at(D(2026, 12, 4))):
        for bad in ("2026-13", "juli", "0000-01"):
            response = _month(english, world.board, maand=bad)
            assert response.status_code == 400
            assert b"Give a month as year-month, for example 2026-12." in response.content
            assert response.context["grid"].first == D(2026, 12, 1)


def test_the_month_says_when_region_or_holiday_dates_are_missing(english, world):
    english.force_login(world.users[Role.QUALITY_OFFICER])
    with clock(at(D(2026, 12, 4))):
        page = _month(english, world.board).content.decode()
        assert "No school holiday region is set for this board" in page
        assert reverse("meetings:holiday_regions", args=[world.board.pk]) in page
        HolidayRegion.objects.create(board=world.board, region="zuid")
        page = _month(english, world.board).content.decode()
    assert "No school holiday region is set" not in page
    assert "The school holidays of this school year are not in Stelsel yet" in page


def test_a_school_leader_sees_only_the_tables_of_their_own_school(english, world):
    own = make_series(world.board, world.school, name="Eigen team")
    other = make_series(world.board, world.other_school, name="Ander team")
    make_meeting(world.board, series=own, day=D(2026, 7, 13))
    make_meeting(world.board, series=other, day=D(2026, 7, 14))
    make_meeting(world.board, series=other, day=D(2026, 3, 2), state="held")
    english.force_login(world.users[Role.SCHOOL_LEADER])
    with clock(at(D(2026, 8, 1))):
        month = _month(english, world.board, maand="2026-07").content.decode()
        archive = english.get(reverse("meetings:archive", args=[world.board.pk])).content
    assert "Eigen team" in month and "Ander team" not in month
    assert b"Eigen team" in archive and b"Ander team" not in archive


def _archive(client, board, **params):
    return client.get(reverse("meetings:archive", args=[board.pk]), params)


def test_the_archive_lists_past_meetings_by_table_and_school_year(english, world):
    board = world.board
    first = make_series(board, name="Bestuur")
    second = make_series(board, name="Directeuren")
    held = make_meeting(board, series=first, day=D(2026, 3, 2), state="held")
    cancelled = make_meeting(board, series=second, day=D(2025, 10, 6), state="cancelled")
    forgotten = make_meeting(board, series=first, day=D(2026, 9, 7))
    ahead = make_meeting(board, series=first, day=D(2026, 12, 14))
    english.force_login(world.users[Role.SUPERVISOR])
    with clock(at(D(2026, 12, 4))):
        response = _archive(english, board)
        assert response.status_code == 200
        shown = list(response.context["page"].object_list)
        assert shown == [forgotten, held, cancelled]
        assert ahead not in shown
        page = response.content.decode()
        assert "Not recorded" in page and "Held" in page and "Cancelled" in page
        assert "3 past meetings" in page
        assert list(response.context["form"].fields["school_year"].choices)[1:] == [
            ("2026-2027", "2026-2027"),
            ("2025-2026", "2025-2026"),
        ]
        by_table = _archive(english, board, table=first.pk).context["page"].object_list
        assert list(by_table) == [forgotten, held]
        by_year = _archive(english, board, school_year="2025-2026").context["page"]
        assert list(by_year.object_list) == [held, cancelled]


def test_a_bad_archive_filter_is_refused_and_filters_nothing(english, world):
    mine = make_series(world.board)
    make_meeting(world.board, series=mine, day=D(2026, 3, 2), state="held")
    elsewhere = make_series(world.other_board)
    english.force_login(world.users[Role.QUALITY_OFFICER])
    with clock(at(D(2026, 12, 4))):
        for params in ({"table": elsewhere.pk}, {"table": "x"}, {"school_year": "1999-2000"}):
            response = _archive(english, world.board, **params)
            assert response.status_code == 400
            assert len(response.context["page"].object_list) == 1


def test_the_archive_pages_through_many_meetings(english, world):
    series = make_series(world.board, name="Weekoverleg", interval=1)
    start = D(2026, 1, 5)
    for week in range(30):
        make_meeting(world.board, series=series, day=start + dt.timedelta(weeks=week))
    english.force_login(world.users[Role.QUALITY_OFFICER])
    with clock(at(D(2026, 12, 4))):
        first = _archive(english, world.board, table=series.pk)
        second = _archive(english, world.board, table=series.pk, pagina=2)
        beyond = _archive(english, world.board, table=series.pk, pagina=99)
    assert len(first.context["page"].object_list) == 25
    assert f"table={series.pk}&amp;pagina=2" in first.content.decode()
    assert len(second.context["page"].object_list) == 5
    assert "page 2 of 2" in second.content.decode()
    assert beyond.context["page"].number == 2


def test_the_board_office_sets_the_regions_and_the_tables_are_planned_again(english, world):
    series = make_series(
        world.board,
        world.school,
        rhythm="months",
        months=[7],
        weekday=1,
        week_of_month=2,
        first_date=D(2026, 1, 1),
        last_date=D(2026, 12, 31),
    )
    make_meeting(world.board, series=series, day=D(2026, 7, 13))
    url = reverse("meetings:holiday_regions", args=[world.board.pk])
    english.force_login(world.users[Role.QUALITY_OFFICER])
    page = english.get(url).content.decode()
    assert "De Eigen School" in page and "Same as the board" in page
    with clock(at(D(2026, 6, 1))):
        response = english.post(
            url, {"board_region": "midden", f"school_{world.school.pk}": "noord"}, follow=True
        )
    assert b"Holiday regions saved; 1 table planned again." in response.content
    regions = dict(HolidayRegion.objects.values_list("school_id", "region"))
    assert regions == {None: "midden", world.school.pk: "noord"}
    days = [m.starts_at.date() for m in Meeting.objects.filter(series=series)]
    assert days == [D(2026, 8, 17)]
    bad = english.post(url, {"board_region": "oost"})
    assert bad.status_code == 400 and HolidayRegion.objects.count() == 2


def test_the_region_link_is_shown_only_to_who_may_set_it(english, world):
    url = reverse("meetings:calendar", args=[world.board.pk])
    target = reverse("meetings:holiday_regions", args=[world.board.pk])
    english.force_login(world.users[Role.SCHOOL_LEADER])
    assert target not in english.get(url).content.decode()
    english.force_login(world.users[Role.BOARD_EXECUTIVE])
    assert target in english.get(url).content.decode()


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _calendar_board(tables: int):
    board = make_board()
    executive = make_user()
    grant(executive, board, Role.BOARD_EXECUTIVE)
    HolidayRegion.objects.create(board=board, region="zuid")
    for n in range(tables):
        school = make_school(board)
        HolidayRegion.objects.create(board=board, school=school, region="noord")
        series = make_series(board, school if n % 2 else None)
        for day in (D(2026, 7, 6), D(2026, 7, 20), D(2026, 3, 2)):
            make_meeting(board, series=series, day=day, state="held")
    return board, executive


@pytest.mark.parametrize("name", ["meetings:month", "meetings:archive", "meetings:calendar"])
def test_the_views_do_not_grow_with_tables_and_meetings(client, name):
    counts = []
    for tables in (2, 8):
        board, executive = _calendar_board(tables)
        client.force_login(executive)
        with clock(at(D(2026, 7, 22))):
            counts.append(_queries(client, reverse(name, args=[board.pk]), {"maand": "2026-07"}))
    assert counts[0] == counts[1], counts


def test_a_meeting_in_a_holiday_says_so_on_its_own_page(english, world):
    board = world.board
    HolidayRegion.objects.create(board=board, region="noord")
    series = make_series(board, name="Bestuur en directeuren", holiday_rule="flag")
    in_holiday = make_meeting(board, series=series, day=D(2026, 7, 13))
    outside = make_meeting(board, series=series, day=D(2026, 6, 15))
    english.force_login(world.users[Role.QUALITY_OFFICER])
    page = english.get(reverse("meetings:meeting", args=[board.pk, in_holiday.pk]))
    assert "Summer holiday" in page.content.decode()
    page = english.get(reverse("meetings:meeting", args=[board.pk, outside.pk]))
    assert "Summer holiday" not in page.content.decode()
