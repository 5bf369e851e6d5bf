"""What an id can be."""

MAX_ID = 2**63 - 1  # ids beyond a bigint would be a database error, not a 404
