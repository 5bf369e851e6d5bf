"""Goals of a plan and the check-ins on them, and how the schools' goals line up with the
board's (the alignment page)."""
