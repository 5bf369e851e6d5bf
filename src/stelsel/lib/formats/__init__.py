"""How Stelsel writes dates, per language (Django's FORMAT_MODULE_PATH).

One pattern per kind of date, so a page never shows the same day three ways. Dutch writes
month and weekday abbreviations in lower case ("29 okt 2026", "ma 7 dec"), which Django's `M`
and `D` capitalise; the Dutch patterns use `b` instead. Templates and code do not spell
patterns themselves: they use the filters and functions of `stelsel.lib.date_formats`.
"""
