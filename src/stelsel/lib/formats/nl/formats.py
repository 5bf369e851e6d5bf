"""Dutch dates: "29 oktober 2026", "29 okt 2026", "maandag 7 december 2026", "ma 7 dec",
"oktober 2026", "okt 2026", "29 okt 2026 14:05". Month and weekday names in lower case."""

DATE_FORMAT = "j F Y"  # full date
SHORT_DATE_FORMAT = "j b Y"  # short date, in tables and lists
WEEKDAY_DATE_FORMAT = "l j F Y"  # date with weekday: meetings
SHORT_WEEKDAY_DATE_FORMAT = "D j b"  # date with weekday in a list of the coming weeks
YEAR_MONTH_FORMAT = "F Y"  # month and year
SHORT_YEAR_MONTH_FORMAT = "b Y"  # month and year on a chart's axis
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j b Y H:i"  # date and time: when something was saved, sent or seen
SHORT_DATETIME_FORMAT = "j b Y H:i"
