"""What an id can be."""

MAX_ID = 2**63 - 1  # ids beyond a bigint would be a database error, not a 404


def parse_id(value) -> int | None:
    """An id from a query string or form, or None for anything that cannot be one (not a
    number, zero or less, beyond a bigint)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None
