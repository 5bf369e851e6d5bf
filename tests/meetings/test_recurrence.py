"""The rhythm of a table: occurrences across daylight-saving changes and year ends, checked
on explicit dates and as properties over many generated rules."""

import calendar
import datetime as dt
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from stelsel.meetings.recurrence import (
    LOCAL,
    UTC,
    first_occurrence,
    local_start,
    nth_weekday,
    occurrence_dates,
    occurrences,
)


@dataclass
class Rule:
    rhythm: str
    first_date: dt.date
    start_time: dt.time = dt.time(15, 0)
    duration_minutes: int = 90
    interval: int | None = None
    months: list = field(default_factory=list)
    weekday: int = 1
    week_of_month: int = 2
    last_date: dt.date | None = None


def utc_hour(moment: dt.datetime) -> int:
    return moment.astimezone(UTC).hour


def lasts(starts: dt.datetime, ends: dt.datetime) -> dt.timedelta:
    """Real time between two moments (subtracting two times of one zone gives wall time)."""
    return ends.astimezone(UTC) - starts.astimezone(UTC)


# --- Explicit cases ------------------------------------------------------------------------


def test_the_last_sundays_of_march_and_october_2026():
    assert nth_weekday(2026, 3, 7, 5) == dt.date(2026, 3, 29)
    assert nth_weekday(2026, 10, 7, 5) == dt.date(2026, 10, 25)
    assert nth_weekday(2026, 3, 1, 1) == dt.date(2026, 3, 2)
    assert nth_weekday(2026, 3, 7, 1) == dt.date(2026, 3, 1)
    assert nth_weekday(2026, 2, 6, 4) == dt.date(2026, 2, 28)  # the fourth is also the last


def test_a_weekly_meeting_stays_at_15_00_when_summer_time_starts():
    rule = Rule("weeks", dt.date(2026, 3, 22), interval=1)  # a Sunday
    (before_start, before_end), (after_start, after_end) = occurrences(
        rule, dt.date(2026, 3, 20), dt.date(2026, 3, 30)
    )
    assert before_start.date() == dt.date(2026, 3, 22)
    assert after_start.date() == dt.date(2026, 3, 29)  # the day the clocks go forward
    assert before_start.astimezone(LOCAL).time() == dt.time(15, 0)
    assert after_start.astimezone(LOCAL).time() == dt.time(15, 0)
    assert utc_hour(before_start) == 14  # CET, UTC+1
    assert utc_hour(after_start) == 13  # CEST, UTC+2
    assert lasts(after_start, after_end) == dt.timedelta(minutes=90)
    assert lasts(before_start, before_end) == dt.timedelta(minutes=90)


def test_a_weekly_meeting_stays_at_15_00_when_summer_time_ends():
    rule = Rule("weeks", dt.date(2026, 10, 18), interval=1)
    starts = [s for s, _e in occurrences(rule, dt.date(2026, 10, 18), dt.date(2026, 11, 1))]
    assert [s.date() for s in starts] == [
        dt.date(2026, 10, 18),
        dt.date(2026, 10, 25),
        dt.date(2026, 11, 1),
    ]
    assert [s.astimezone(LOCAL).time() for s in starts] == [dt.time(15, 0)] * 3
    assert [utc_hour(s) for s in starts] == [13, 14, 14]


def test_a_meeting_over_the_night_the_clocks_go_back_lasts_as_long_as_planned():
    rule = Rule("weeks", dt.date(2026, 10, 24), interval=1, start_time=dt.time(23, 0))
    rule.duration_minutes = 240
    ((starts, ends),) = occurrences(rule, dt.date(2026, 10, 24), dt.date(2026, 10, 24))
    assert lasts(starts, ends) == dt.timedelta(hours=4)
    assert ends.astimezone(LOCAL).time() == dt.time(2, 0)  # 23:00 + 4 h, one hour repeated


def test_a_time_the_clock_skips_moves_on_by_the_skipped_hour():
    moment = local_start(dt.date(2026, 3, 29), dt.time(2, 30))
    assert moment.astimezone(LOCAL).time() == dt.time(3, 30)
    assert moment.astimezone(UTC) == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_every_two_weeks_across_the_year_end():
    rule = Rule("weeks", dt.date(2026, 12, 14), interval=2)  # a Monday
    dates = occurrence_dates(rule, dt.date(2026, 12, 1), dt.date(2027, 1, 31))
    assert dates == [
        dt.date(2026, 12, 14),
        dt.date(2026, 12, 28),
        dt.date(2027, 1, 11),
        dt.date(2027, 1, 25),
    ]


def test_the_window_starts_on_the_rhythm_not_on_the_window():
    rule = Rule("weeks", dt.date(2026, 1, 5), interval=3)
    assert occurrence_dates(rule, dt.date(2026, 1, 6), dt.date(2026, 2, 20)) == [
        dt.date(2026, 1, 26),
        dt.date(2026, 2, 16),
    ]


def test_twice_a_year_in_march_and_october_across_the_year_end():
    rule = Rule("months", dt.date(2026, 1, 1), months=[3, 10], weekday=4, week_of_month=2)
    dates = occurrence_dates(rule, dt.date(2026, 1, 1), dt.date(2027, 12, 31))
    assert dates == [
        dt.date(2026, 3, 12),
        dt.date(2026, 10, 8),
        dt.date(2027, 3, 11),
        dt.date(2027, 10, 14),
    ]
    starts = [s for s, _e in occurrences(rule, dt.date(2026, 1, 1), dt.date(2026, 12, 31))]
    assert [utc_hour(s) for s in starts] == [14, 13]  # winter time in March, summer in October


def test_monthly_on_the_last_friday_through_december_and_january():
    rule = Rule("months", dt.date(2026, 11, 1), months=list(range(1, 13)), weekday=5)
    rule.week_of_month = 5
    assert occurrence_dates(rule, dt.date(2026, 11, 1), dt.date(2027, 2, 28)) == [
        dt.date(2026, 11, 27),
        dt.date(2026, 12, 25),
        dt.date(2027, 1, 29),
        dt.date(2027, 2, 26),
    ]


def test_yearly_in_june_and_the_span_of_the_series():
    rule = Rule("months", dt.date(2026, 6, 20), months=[6], weekday=4, week_of_month=3)
    # The third Thursday of June 2026 (18th) lies before the first date: next year's is first.
    assert first_occurrence(rule) == dt.date(2027, 6, 17)
    rule.last_date = dt.date(2027, 6, 1)
    assert first_occurrence(rule) is None
    assert occurrence_dates(rule, dt.date(2020, 1, 1), dt.date(2030, 1, 1)) == []


def test_no_rhythm_plans_nothing():
    rule = Rule("none", dt.date(2026, 1, 1))
    assert occurrences(rule, dt.date(2026, 1, 1), dt.date(2027, 1, 1)) == []


# --- Properties -----------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))
meeting_times = st.builds(dt.time, st.integers(6, 22), st.sampled_from([0, 15, 30, 45]))
durations = st.integers(15, 600)


@st.composite
def week_rules(draw):
    return Rule(
        "weeks",
        draw(dates),
        start_time=draw(meeting_times),
        duration_minutes=draw(durations),
        interval=draw(st.integers(1, 52)),
    )


@st.composite
def month_rules(draw):
    return Rule(
        "months",
        draw(dates),
        start_time=draw(meeting_times),
        duration_minutes=draw(durations),
        months=draw(st.lists(st.integers(1, 12), min_size=1, max_size=12, unique=True)),
        weekday=draw(st.integers(1, 7)),
        week_of_month=draw(st.integers(1, 5)),
    )


def _check_common(rule, result):
    starts = [s for s, _e in result]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts), "occurrences strictly increasing"
    for starts_at, ends_at in result:
        assert starts_at.astimezone(LOCAL).time() == rule.start_time, "local time constant"
        assert lasts(starts_at, ends_at) == dt.timedelta(minutes=rule.duration_minutes)
        assert starts_at.date() >= rule.first_date


@settings(max_examples=150, deadline=None)
@given(week_rules(), st.integers(0, 400), st.integers(0, 800))
def test_weekly_rhythms(rule, offset, length):
    start = rule.first_date + dt.timedelta(days=offset)
    result = occurrences(rule, start, start + dt.timedelta(days=length))
    _check_common(rule, result)
    for starts_at, _e in result:
        day = starts_at.astimezone(LOCAL).date()
        assert day.isoweekday() == rule.first_date.isoweekday()
        assert (day - rule.first_date).days % (7 * rule.interval) == 0
    # A year from the first meeting holds 52 // interval + 1 meetings (day 364 is the 52nd week).
    year = occurrence_dates(rule, rule.first_date, rule.first_date + dt.timedelta(days=364))
    assert len(year) == 52 // rule.interval + 1


@settings(max_examples=150, deadline=None)
@given(month_rules(), st.integers(0, 400), st.integers(0, 800))
def test_monthly_rhythms(rule, offset, length):
    start = rule.first_date + dt.timedelta(days=offset)
    result = occurrences(rule, start, start + dt.timedelta(days=length))
    _check_common(rule, result)
    for starts_at, _e in result:
        day = starts_at.astimezone(LOCAL).date()
        assert day.isoweekday() == rule.weekday
        assert day.month in rule.months
        last_day = calendar.monthrange(day.year, day.month)[1]
        if rule.week_of_month == 5:
            assert day.day + 7 > last_day
        else:
            assert (day.day - 1) // 7 + 1 == rule.week_of_month
    # A whole calendar year after the first date holds one meeting per chosen month.
    year = rule.first_date.year + 1
    dates_in_year = occurrence_dates(rule, dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert len(dates_in_year) == len(rule.months)
    assert first_occurrence(rule) is not None
