"""One way to write each kind of date, per language, and no page or message spelling its own."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from stelsel.lib import date_formats

SRC = Path(__file__).resolve().parents[2] / "src/stelsel"
DAY = dt.date(2026, 12, 7)  # a Monday
MOMENT = dt.datetime(2026, 10, 29, 13, 5, tzinfo=dt.UTC)  # 14:05 in Amsterdam

EXPECTED = {
    "nl": {
        "full_date": "7 december 2026",
        "short_date": "7 dec 2026",
        "weekday_date": "maandag 7 december 2026",
        "short_weekday_date": "ma 7 dec",
        "month_year": "december 2026",
        "short_month_year": "dec 2026",
    },
    "en": {
        "full_date": "7 December 2026",
        "short_date": "7 Dec 2026",
        "weekday_date": "Monday 7 December 2026",
        "short_weekday_date": "Mon 7 Dec",
        "month_year": "December 2026",
        "short_month_year": "Dec 2026",
    },
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_each_kind_of_date_is_written_one_way(language):
    with translation.override(language):
        shown = {kind: getattr(date_formats, kind)(DAY) for kind in EXPECTED[language]}
    assert shown == EXPECTED[language]


def test_dutch_abbreviations_are_lower_case_and_march_is_mrt():
    with translation.override("nl"):
        assert date_formats.short_date(dt.date(2026, 3, 2)) == "2 mrt 2026"
        assert date_formats.short_weekday_date(dt.date(2026, 3, 2)) == "ma 2 mrt"


def test_a_moment_is_shown_in_local_time():
    with translation.override("nl"):
        assert date_formats.date_time(MOMENT) == "29 okt 2026 14:05"
    with translation.override("en"):
        assert date_formats.date_time(MOMENT) == "29 Oct 2026 14:05"


def test_the_template_filters_are_the_same_functions():
    template = Template("{{ day|short_date }} · {{ day|weekday_date }} · {{ none|full_date }}")
    with translation.override("nl"):
        assert template.render(Context({"day": DAY, "none": None})) == (
            "7 dec 2026 · maandag 7 december 2026 · "
        )


def test_no_template_or_module_spells_a_date_pattern_for_people():
    """Patterns for machines stay: ISO dates in attributes, links and files ('c', 'Y-m-d',
    'Y-m'), and a year on its own."""
    machine = {"c", "Y-m-d", "Y-m", "Y"}
    spelled = []
    for path in SRC.glob("**/templates/**/*.*"):
        for pattern in re.findall(r"\|date:[\"']([^\"']*)[\"']", path.read_text(encoding="utf-8")):
            if pattern not in machine:
                spelled.append((path.name, pattern))
    for path in SRC.glob("**/*.py"):
        text = path.read_text(encoding="utf-8")
        spelled += [(path.name, p) for p in re.findall(r"%d-%m-%Y|%d %B", text)]
        spelled += [
            (path.name, p) for p in re.findall(r"date_format\([^)]*\"[jDlMFbN][^\"]*\"", text)
        ]
    assert not spelled
