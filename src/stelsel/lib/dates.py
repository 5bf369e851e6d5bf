"""Which dates Stelsel accepts."""

FIRST_YEAR, LAST_YEAR = 1900, 2200  # dates Stelsel plans with; beyond are typing errors


def plausible_date(day) -> bool:
    """Whether a date lies in the years anyone plans or meets in. Dates far outside would make
    date arithmetic (a period plus four years, a rhythm's next occurrence) overflow."""
    return FIRST_YEAR <= day.year <= LAST_YEAR
