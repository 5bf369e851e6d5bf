"""The respondent's side of a round: the public answering pages, reached by a personal link or
a meeting code, without an account."""
