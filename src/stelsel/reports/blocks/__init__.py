"""Data blocks: the parts of a report that Stelsel fills from its own records.

Every kind of block is one function that reads what a page of Stelsel shows (through that page's
own selector, so a report and the page never disagree) and returns a *block snapshot*: plain,
JSON-ready data that every output renders in the same way (web page, PDF, Word, Excel). A draft
collects its blocks afresh on each view; issuing a report stores the snapshots and never
collects them again, so an issued report keeps saying what it said.

A block snapshot is a dict:

    {
      "kind": "picture",                      # the block's key
      "source": "Kwaliteitsbeeld",             # the page the figures come from, by name
      "source_path": "/besturen/1/beeld/",     # that page's path ("" when there is none)
      "as_of": "2026-12-04",                   # the date the data stand at (ISO)
      "tables": [                              # zero or more tables, each shown as a table
        {"caption": "…", "columns": ["…", …], "rows": [["…", 3, None, …], …], "note": "…"},
      ],
      "svg": "<svg …>…</svg>",                 # optional: the page's chart, made on the server
      "notes": ["…"],                          # optional sentences under the tables
      "empty": "…",                            # optional: said instead when there is nothing
    }

Cells are strings, numbers or None. None is shown as "—": a value that is missing or, for
self-evaluation, withheld because the group is too small (the table's note says which). A block
never puts a withheld figure in a snapshot: suppression happens in the selector, before the
snapshot is made, so no output can show it.

A block sees only the report's scope (`Scope`): the schools the report is about, checked against
the author's access when the report was composed. It is never given a person, so totals cannot
include a school outside the report.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from stelsel.organisations.models import Board, School


@dataclass(frozen=True)
class Scope:
    """What a report is about: a board, the schools in it, and a period.

    `schools` are the report's schools in name order; `board_level` is true for a report about
    the board as a whole (its own standards, plans and tables count as well as the schools').
    """

    board: Board
    schools: tuple[School, ...]
    board_level: bool
    start: date
    end: date

    @property
    def school_ids(self) -> list[int]:
        return [school.pk for school in self.schools]


@dataclass(frozen=True)
class BlockKind:
    key: str
    label: str | Promise  # the name shown when choosing a block
    description: str | Promise
    collect: Callable[[Scope], dict]
    extra: dict = field(default_factory=dict)


BLOCKS: dict[str, BlockKind] = {}


def register(kind: BlockKind) -> None:
    """Add a kind of block (the block modules do this when imported, from the app's ready)."""
    BLOCKS[kind.key] = kind


def block_keys() -> list[str]:
    return sorted(BLOCKS)


def collect(key: str, scope: Scope) -> dict:
    """The snapshot of one block for a scope, with its key filled in."""
    snapshot = dict(BLOCKS[key].collect(scope))
    snapshot["kind"] = key
    snapshot.setdefault("tables", [])
    snapshot.setdefault("notes", [])
    snapshot.setdefault("empty", "")
    snapshot.setdefault("svg", "")
    snapshot.setdefault("source_path", "")
    return snapshot


def table(caption, columns, rows, note="") -> dict:
    """One table of a block snapshot, with its texts made plain strings."""
    return {
        "caption": str(caption),
        "columns": [str(c) for c in columns],
        "rows": [[_cell(value) for value in row] for row in rows],
        "note": str(note),
    }


def _cell(value):
    """A cell as JSON keeps it: numbers stay numbers (a Decimal of the database too, so a
    spreadsheet can compute with it), everything else is its text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)
