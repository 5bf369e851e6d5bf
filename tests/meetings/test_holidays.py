"""The school holiday library: the shipped file is valid and complete, a bad file is refused
with the line of each problem, and the lookups answer per region."""

import datetime as dt
import textwrap

import pytest

from stelsel.meetings.holidays import (
    KIND_ORDER,
    LIBRARY_FILE,
    HolidayCalendar,
    HolidayFileError,
    Region,
    holiday_calendar,
    parse_holiday_file,
    school_year_of,
)

D = dt.date


def test_the_shipped_file_is_valid_complete_and_ordered():
    spec = parse_holiday_file(LIBRARY_FILE)
    assert spec.id == "schoolvakanties" and spec.version >= 1 and "rijksoverheid" in spec.source
    years = [year.school_year for year in spec.school_years]
    assert years == sorted(years) and "2025-2026" in years and "2027-2028" in years
    holidays = holiday_calendar()
    for region in Region.values:
        for year in years:
            first = int(year[:4])
            found = holidays.between(region, D(first, 8, 1), D(first + 1, 9, 30))
            found = [h for h in found if h.school_year == year]
            assert [h.kind for h in found] == KIND_ORDER, (region, year)
            assert all(h.start.isoweekday() == 6 and h.end.isoweekday() == 7 for h in found)
            assert all(a.end < b.start for a, b in zip(found, found[1:], strict=False))


@pytest.mark.parametrize(
    ("region", "day", "kind"),
    [
        ("noord", D(2026, 7, 4), "zomervakantie"),
        ("midden", D(2026, 7, 4), None),  # midden starts two weeks later
        ("midden", D(2026, 8, 30), "zomervakantie"),
        ("zuid", D(2025, 10, 11), "herfstvakantie"),
        ("noord", D(2025, 10, 11), None),
        ("zuid", D(2026, 1, 4), "kerstvakantie"),  # national, across the new year
        ("noord", D(2026, 1, 5), None),
        ("midden", D(2028, 3, 5), "voorjaarsvakantie"),
        ("noord", D(2028, 3, 5), None),
        ("zuid", D(2028, 9, 3), "zomervakantie"),
        ("noord", D(2028, 5, 7), "meivakantie"),
        (None, D(2026, 7, 20), None),  # no region: no holiday
    ],
)
def test_a_day_is_in_the_holiday_of_its_own_region_only(region, day, kind):
    holiday = holiday_calendar().on(region, day)
    assert (holiday.kind if holiday else None) == kind


def test_a_day_in_a_holiday_moves_to_the_same_weekday_of_the_next_school_week():
    holidays = holiday_calendar()
    # Zomervakantie noord 4 July – 16 August 2026: a Monday in it goes to 17 August.
    assert holidays.school_week("noord", D(2026, 7, 6)) == (
        D(2026, 8, 17),
        holidays.on("noord", D(2026, 7, 6)),
    )
    # Kerstvakantie 20 December 2025 – 4 January 2026: over the year's end.
    assert holidays.school_week("midden", D(2025, 12, 31))[0] == D(2026, 1, 7)
    assert holidays.school_week("midden", D(2026, 1, 7)) == (D(2026, 1, 7), None)


def test_coverage_and_school_years():
    holidays = holiday_calendar()
    assert school_year_of(D(2026, 7, 31)) == "2025-2026"
    assert school_year_of(D(2026, 8, 1)) == "2026-2027"
    assert holidays.covers(D(2026, 3, 1)) and holidays.covers(D(2027, 9, 1))
    assert not holidays.covers(D(2026, 12, 1))  # 2026-2027 is not in the file


GOOD = """\
id: schoolvakanties
version: 1
name: Test
source: test
school_years:
  - school_year: "2030-2031"
    source: test
    holidays:
      - kind: herfstvakantie
        advisory: true
        regions:
          noord: {start: 2030-10-12, end: 2030-10-20}
          midden: {start: 2030-10-12, end: 2030-10-20}
          zuid: {start: 2030-10-19, end: 2030-10-27}
      - kind: kerstvakantie
        national: {start: 2030-12-21, end: 2031-01-05}
      - kind: voorjaarsvakantie
        national: {start: 2031-02-15, end: 2031-02-23}
      - kind: meivakantie
        national: {start: 2031-04-26, end: 2031-05-04}
      - kind: zomervakantie
        national: {start: 2031-07-12, end: 2031-08-24}
"""


def _parse(tmp_path, text):
    path = tmp_path / "schoolvakanties.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return parse_holiday_file(path)


def test_a_good_file_parses_and_its_lookups_work(tmp_path):
    holidays = HolidayCalendar(_parse(tmp_path, GOOD))
    assert holidays.school_years == ["2030-2031"]
    assert holidays.on("zuid", D(2030, 10, 26)).kind == "herfstvakantie"
    assert holidays.on("noord", D(2030, 10, 26)) is None


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("zuid: {start: 2030-10-19, end: 2030-10-27}", "midden2: {start: 2030-10-19}"), 14, ""),
        (("2031-01-05}", "2030-12-01}"), 16, "the end is before the start"),
        (("2031-02-15", "2031-02-16"), 18, "from a Saturday to a Sunday"),
        (("kind: meivakantie", "kind: zomervakantie"), 8, "give each of the five holidays once"),
        (('"2030-2031"', '"2030-2032"'), 6, "a school year is two following years"),
        (("national: {start: 2031-07-12", "national: {start: 2031-05-03"), 22, "overlaps"),
        (("advisory: true", "advisory: true\n        colour: red"), 11, "unknown key"),
        (("version: 1", "version: 1\nversion: 2"), 3, "duplicate key"),
        (("id: schoolvakanties", "id: [x"), 2, "not valid YAML"),
    ],
)
def test_a_bad_file_is_refused_with_the_line_of_the_problem(tmp_path, change, line, message):
    with pytest.raises(HolidayFileError) as caught:
        _parse(tmp_path, GOOD.replace(*change))
    problems = caught.value.problems
    assert problems
    assert any(p.line == line and message in p.message for p in problems), problems


def test_school_years_must_follow_each_other(tmp_path):
    block = GOOD.split("school_years:\n", 1)[1]
    text = GOOD + block.replace("2030", "2028").replace("2031", "2029")
    with pytest.raises(HolidayFileError) as caught:
        _parse(tmp_path, text)
    assert any("in order" in p.message for p in caught.value.problems)


def test_a_file_that_cannot_be_read_is_refused(tmp_path):
    path = tmp_path / "schoolvakanties.yaml"
    path.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(HolidayFileError, match="not UTF-8"):
        parse_holiday_file(path)
