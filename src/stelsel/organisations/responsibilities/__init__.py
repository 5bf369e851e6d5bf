"""Who does what in the board's quality care: the processes with each role's part (RACI) and
the profile of the quality officer's role."""
