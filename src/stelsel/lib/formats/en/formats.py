"""English dates, day before month as in the rest of Europe: "29 October 2026", "29 Oct 2026",
"Monday 7 December 2026", "Mon 7 Dec", "October 2026", "Oct 2026", "29 Oct 2026 14:05"."""

DATE_FORMAT = "j F Y"  # full date
SHORT_DATE_FORMAT = "j M Y"  # short date, in tables and lists
WEEKDAY_DATE_FORMAT = "l j F Y"  # date with weekday: meetings
SHORT_WEEKDAY_DATE_FORMAT = "D j M"  # date with weekday in a list of the coming weeks
YEAR_MONTH_FORMAT = "F Y"  # month and year
SHORT_YEAR_MONTH_FORMAT = "M Y"  # month and year on a chart's axis
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y H:i"  # date and time: when something was saved, sent or seen
SHORT_DATETIME_FORMAT = "j M Y H:i"
