"""Mechanisms every app shares, below all of them.

Nothing here knows boards, schools or any app's models: revisions and edit conflicts, form
helpers and date plausibility, the link-guessing throttle, reading settings and library files.
An app may import from here; this package imports from no app (see tests/test_layers.py).
"""
