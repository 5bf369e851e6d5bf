"""Import of DUO's public files of all school locations (PO and VO) into boards and schools.

DUO has published these files with two generations of identifiers (`BRIN NUMMER` +
`VESTIGINGSNUMMER`, later `INSTELLINGSCODE` + `VESTIGINGSCODE`), in Windows-1252 or UTF-8,
semicolon-separated, with padded values and quoted names. The parser accepts all of them and
stops at the first malformed row with its number and the reason; the import is planned first
(so a dry run and the web preview show exactly what would change) and applied in one transaction.
"""

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from stelsel.organisations.models import (
    KIND_SECTORS,
    Board,
    Invitation,
    Membership,
    School,
    SchoolKind,
    Sector,
)
from stelsel.organisations.services import invitations_revoke_open


class DuoFileError(ValueError):
    """A file that cannot be imported; `row` is the 1-based line of the file (1 = header)."""

    def __init__(self, reason: str, *, row: int | None = None, column: str | None = None):
        self.reason = reason
        self.row = row
        self.column = column
        where = []
        if row is not None:
            where.append(_("row %(row)d") % {"row": row})
        if column:
            where.append(_("column %(column)s") % {"column": column})
        super().__init__(f"{', '.join(where)}: {reason}" if where else reason)


def _normalise_header(name: str) -> str:
    return re.sub(r"[\s_]+", " ", name.strip().strip('"').upper())


COLUMNS: dict[str, tuple[str, ...]] = {
    "board_number": ("BEVOEGD GEZAG NUMMER", "BEVOEGD GEZAG"),
    "instellingscode": ("INSTELLINGSCODE", "BRIN NUMMER", "BRIN"),
    "vestigingscode": ("VESTIGINGSCODE", "VESTIGINGSNUMMER"),
    "name": ("VESTIGINGSNAAM", "INSTELLINGSNAAM VESTIGING", "INSTELLINGSNAAM"),
    "board_name": ("BEVOEGD GEZAG NAAM", "NAAM BEVOEGD GEZAG"),
    "municipality": ("GEMEENTENAAM", "GEMEENTENAAM VESTIGING"),
    "city": ("PLAATSNAAM", "PLAATSNAAM VESTIGING"),
    "denomination": ("DENOMINATIE", "DENOMINATIE VESTIGING"),
    "website": ("INTERNETADRES",),
    "soort_po": ("SOORT PO",),
    "onderwijsstructuur": ("ONDERWIJSSTRUCTUUR",),
}
REQUIRED = ("board_number", "instellingscode", "vestigingscode", "name")
SOORT_PO_KINDS = {
    "bo": SchoolKind.BO,
    "sbo": SchoolKind.SBO,
    "so": SchoolKind.SO,
    "(v)so": SchoolKind.SO,
    "vso": SchoolKind.SO,
}
SBO_NAME = re.compile(
    r"speciaal basisonderwijs|speciale basisschool|basis speciaal onderwijs|\bs\.?b\.?o\b",
    re.IGNORECASE,
)
# ASCII only, matched whole: `\d` and str.isdigit() also accept other scripts' digits ("١٦", "²"),
# which would be stored as board numbers and codes no other system knows.
BOARD_NUMBER = re.compile(r"[0-9]{1,5}")
BRIN = re.compile(r"[0-9]{2}[A-Z]{2}")
LOCATION_NUMBER = re.compile(r"[0-9]{1,2}")
VESTIGINGSCODE = re.compile(r"[0-9]{2}[A-Z]{2}[0-9]{2}")
MAX_NAME = 200


@dataclass(frozen=True)
class SchoolRow:
    row: int
    board_number: str
    board_name: str
    instellingscode: str
    vestigingscode: str
    name: str
    kind: str
    # None when the file has no such column: the import then leaves the stored value alone.
    municipality: str | None
    city: str | None
    denomination: str | None
    website: str | None


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes as such, else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DuoFileError(
            _("the file is neither UTF-8 nor Windows-1252 (byte %(byte)s)")
            % {"byte": hex(data[exc.start])},
            row=line,
        ) from None


def _clean(value: str) -> str:
    return " ".join(value.split())


def _kind(values: dict[str, str], columns: dict[str, int], row_number: int) -> str:
    if "soort_po" in columns:
        raw = values["soort_po"].lower()
        if raw not in SOORT_PO_KINDS:
            raise DuoFileError(
                _("unknown kind of primary school %(value)r (expected Bo, Sbo or So)")
                % {"value": values["soort_po"]},
                row=row_number,
                column="SOORT PO",
            )
        return SOORT_PO_KINDS[raw]
    if "onderwijsstructuur" in columns:
        return SchoolKind.VO
    return SchoolKind.SBO if SBO_NAME.search(values["name"]) else SchoolKind.BO


def parse_school_locations(data: bytes) -> list[SchoolRow]:
    """Parse a DUO locations file into rows; raise DuoFileError at the first problem."""
    text = decode(data)
    # Checked after decoding: a file holding only a byte order mark is empty too.
    if not text.strip():
        raise DuoFileError(_("the file is empty"))
    if "\x00" in text:
        raise DuoFileError(
            _("the file contains NUL bytes; it is not a text (CSV) file"),
            row=text.count("\n", 0, text.index("\x00")) + 1,
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise DuoFileError(str(exc), row=1) from None
    names = [_normalise_header(h) for h in header]
    columns: dict[str, int] = {}
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names:
                columns[key] = names.index(alias)
                break
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in columns]
    if missing:
        raise DuoFileError(
            _(
                "missing column(s) %(missing)s; expected a DUO file of school locations with "
                "BEVOEGD GEZAG NUMMER, BRIN NUMMER or INSTELLINGSCODE, VESTIGINGSNUMMER or "
                "VESTIGINGSCODE and VESTIGINGSNAAM"
            )
            % {"missing": ", ".join(missing)},
            row=1,
        )
    width = len(header)
    rows: list[SchoolRow] = []
    seen: dict[str, int] = {}
    # A row is reported by the line it starts on: a stray quote makes the reader run on to a
    # later line (or the end of the file), which is not where the mistake is.
    next_row = reader.line_num + 1
    try:
        for raw in reader:
            row_number, next_row = next_row, reader.line_num + 1
            if not raw or all(not cell.strip() for cell in raw):
                continue
            if len(raw) == width + 1 and raw[-1].strip() == "":
                raw = raw[:-1]
            if len(raw) != width:
                raise DuoFileError(
                    _(
                        "expected %(width)d fields, found %(found)d (is the file truncated or "
                        "is a value not quoted?)"
                    )
                    % {"width": width, "found": len(raw)},
                    row=row_number,
                )
            values = {key: _clean(raw[index]) for key, index in columns.items()}
            rows.append(_row(values, columns, row_number, seen))
    except csv.Error as exc:
        raise DuoFileError(str(exc), row=next_row) from None
    if not rows:
        raise DuoFileError(_("the file has a header but no school locations"), row=2)
    return rows


def _row(
    values: dict[str, str], columns: dict[str, int], row_number: int, seen: dict[str, int]
) -> SchoolRow:
    number = values["board_number"]
    if not BOARD_NUMBER.fullmatch(number):
        raise DuoFileError(
            _("board number %(value)r is not a number of at most five digits") % {"value": number},
            row=row_number,
            column="BEVOEGD GEZAG NUMMER",
        )
    # Upper-cased only when ASCII: "ﬀ".upper() is "FF", which would pass for letters of a code.
    brin = values["instellingscode"]
    brin = brin.upper() if brin.isascii() else brin
    if not BRIN.fullmatch(brin):
        raise DuoFileError(
            _("instellingscode %(value)r is not two digits and two letters") % {"value": brin},
            row=row_number,
            column="INSTELLINGSCODE",
        )
    vestiging = values["vestigingscode"]
    vestiging = vestiging.upper() if vestiging.isascii() else vestiging
    if LOCATION_NUMBER.fullmatch(vestiging):
        vestiging = brin + vestiging.zfill(2)
    if not (VESTIGINGSCODE.fullmatch(vestiging) and vestiging.startswith(brin)):
        raise DuoFileError(
            _("vestigingscode %(value)r is not the instellingscode %(brin)s followed by two digits")
            % {"value": vestiging, "brin": brin},
            row=row_number,
            column="VESTIGINGSCODE",
        )
    if vestiging in seen:
        raise DuoFileError(
            _("school location %(code)s appears twice (also on row %(other)d)")
            % {"code": vestiging, "other": seen[vestiging]},
            row=row_number,
            column="VESTIGINGSCODE",
        )
    seen[vestiging] = row_number
    name = values["name"]
    if not name:
        raise DuoFileError(_("the school has no name"), row=row_number, column="VESTIGINGSNAAM")
    if len(name) > MAX_NAME:
        raise DuoFileError(
            _("the name is longer than %(max)d characters") % {"max": MAX_NAME},
            row=row_number,
            column="VESTIGINGSNAAM",
        )
    return SchoolRow(
        row=row_number,
        board_number=number.zfill(5),
        board_name=values.get("board_name", "")[:MAX_NAME],
        instellingscode=brin,
        vestigingscode=vestiging,
        name=name,
        kind=_kind(values, columns, row_number),
        municipality=_optional(values, "municipality", 100),
        city=_optional(values, "city", 100),
        denomination=_optional(values, "denomination", 100),
        website=_optional(values, "website", 200),
    )


def _optional(values: dict[str, str], key: str, limit: int) -> str | None:
    return values[key][:limit] if key in values else None


SCHOOL_FIELDS = (
    "name",
    "instellingscode",
    "kind",
    "municipality",
    "city",
    "denomination",
    "website",
)


@dataclass
class Change:
    action: str  # create_board, update_board, create_school, update_school
    code: str
    label: str
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class ImportPlan:
    rows: int = 0
    changes: list[Change] = field(default_factory=list)
    unchanged_schools: int = 0
    not_in_file: int = 0
    boards_in_file: int = 0
    memberships_ended: int = 0
    _new_boards: list[Board] = field(default_factory=list, repr=False)
    _board_updates: list[Board] = field(default_factory=list, repr=False)
    _new_schools: list[tuple[School, str]] = field(default_factory=list, repr=False)
    _school_updates: list[tuple[School, str | None]] = field(default_factory=list, repr=False)

    @property
    def counts(self) -> dict[str, int]:
        tally = Counter(change.action for change in self.changes)
        return {
            "boards_created": tally["create_board"],
            "boards_updated": tally["update_board"],
            "schools_created": tally["create_school"],
            "schools_updated": tally["update_school"],
            "schools_unchanged": self.unchanged_schools,
            "schools_not_in_file": self.not_in_file,
            "memberships_ended": self.memberships_ended,
        }

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)


def _board_name(row: SchoolRow) -> str:
    # Stored data, not interface text: the placeholder is Dutch whatever the user's language.
    return row.board_name or f"Bestuur {row.board_number}"


def _sector(kinds: set[str]) -> str:
    sectors = {KIND_SECTORS[kind] for kind in kinds}
    return sectors.pop() if len(sectors) == 1 else Sector.MIXED


def plan_import(
    rows: list[SchoolRow], *, board_number: str | None = None, national: bool = True
) -> ImportPlan:
    """Compare the rows with the database and list what an import would create or change.

    `national=True` is the administrator's import of DUO's registry: it may move a school to
    another board (ending the roles people had on it there) and rename boards. A board importing
    its own schools from the web uses `national=False`: a school that Stelsel holds under another
    board is refused, and the board's name is left alone, so a crafted file can neither pull in
    another board's school nor rename the board.
    """
    if board_number is not None:
        board_number = board_number.strip().zfill(5)
        rows = [row for row in rows if row.board_number == board_number]
        if not rows:
            raise DuoFileError(
                _("the file has no school locations of board %(number)s") % {"number": board_number}
            )
    plan = ImportPlan(rows=len(rows))
    numbers = {row.board_number for row in rows}
    plan.boards_in_file = len(numbers)
    boards = {b.number: b for b in Board.objects.filter(number__in=numbers)}
    schools = {
        s.vestigingscode: s
        for s in School.objects.filter(
            vestigingscode__in=[row.vestigingscode for row in rows]
        ).select_related("board")
    }
    kinds_per_board: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        kinds_per_board[row.board_number].add(row.kind)

    for number in sorted(numbers):
        first = next(row for row in rows if row.board_number == number)
        board = boards.get(number)
        if board is None:
            board = Board(
                number=number, name=_board_name(first), sector=_sector(kinds_per_board[number])
            )
            boards[number] = board
            plan._new_boards.append(board)
            plan.changes.append(Change("create_board", number, board.name))
        elif national and first.board_name and first.board_name != board.name:
            plan.changes.append(
                Change("update_board", number, board.name, {"name": (board.name, first.board_name)})
            )
            board.name = first.board_name
            plan._board_updates.append(board)

    for row in rows:
        school = schools.get(row.vestigingscode)
        if school is None:
            school = School(
                vestigingscode=row.vestigingscode,
                **{name: getattr(row, name) or "" for name in SCHOOL_FIELDS},
            )
            plan._new_schools.append((school, row.board_number))
            plan.changes.append(Change("create_school", row.vestigingscode, row.name))
            continue
        diff = {
            name: (getattr(school, name), getattr(row, name))
            for name in SCHOOL_FIELDS
            if getattr(row, name) is not None and getattr(school, name) != getattr(row, name)
        }
        moved_to = None
        if school.board.number != row.board_number:
            if not national:
                raise DuoFileError(
                    _(
                        "school location %(code)s cannot be added to this board here; an "
                        "administrator imports changes of board from DUO's registry"
                    )
                    % {"code": row.vestigingscode},
                    row=row.row,
                    column="VESTIGINGSCODE",
                )
            diff["board"] = (school.board.number, row.board_number)
            moved_to = row.board_number
        if not diff:
            plan.unchanged_schools += 1
            continue
        for name in diff.keys() - {"board"}:
            setattr(school, name, getattr(row, name))
        plan._school_updates.append((school, moved_to))
        plan.changes.append(Change("update_school", row.vestigingscode, row.name, diff))

    moved = [school.pk for school, moved_to in plan._school_updates if moved_to]
    if moved:
        plan.memberships_ended = Membership.objects.filter(school_id__in=moved).count()
    known_boards = [b.pk for b in boards.values() if b.pk]
    # Only schools of the kinds this file covers: a VO file says nothing of a board's PO schools.
    plan.not_in_file = (
        School.objects.filter(board_id__in=known_boards, kind__in={row.kind for row in rows})
        .exclude(vestigingscode__in=[row.vestigingscode for row in rows])
        .count()
        if known_boards
        else 0
    )
    return plan


@transaction.atomic
def apply_import(plan: ImportPlan) -> ImportPlan:
    """Write a plan in one transaction; boards' sectors follow their schools afterwards."""
    if plan._new_boards:
        bulk_create_with_history(plan._new_boards, Board, batch_size=500)
        created = {
            b.number: b
            for b in Board.objects.filter(number__in=[b.number for b in plan._new_boards])
        }
        for board in plan._new_boards:
            board.pk = created[board.number].pk
    if plan._board_updates:
        bulk_update_with_history(plan._board_updates, Board, ["name"], batch_size=500)
    numbers = {number for _school, number in plan._new_schools} | {
        number for _school, number in plan._school_updates if number
    }
    # An updated school can change its board's sector (another kind, or it left the board), so
    # its current board is refreshed too; read before the move changes `board_id`.
    left_or_changed = {school.board.number for school, _n in plan._school_updates}
    board_ids = dict(Board.objects.filter(number__in=numbers).values_list("number", "id"))
    for school, number in plan._new_schools:
        school.board_id = board_ids[number]
    for school, moved_to in plan._school_updates:
        if moved_to:
            school.board_id = board_ids[moved_to]
    if plan._new_schools:
        bulk_create_with_history([s for s, _n in plan._new_schools], School, batch_size=500)
    if plan._school_updates:
        bulk_update_with_history(
            [s for s, _n in plan._school_updates],
            School,
            [*SCHOOL_FIELDS, "board"],
            batch_size=500,
        )
    _end_roles_on_moved_schools([s.pk for s, moved_to in plan._school_updates if moved_to])
    _refresh_sectors({*numbers, *left_or_changed, *(b.number for b in plan._board_updates)})
    return plan


def _end_roles_on_moved_schools(school_ids: list[int]) -> None:
    """A school that moved to another board takes no people with it: their roles there and
    open invitations for it belonged to the old board (history keeps the record)."""
    if not school_ids:
        return
    for membership in Membership.objects.filter(school_id__in=school_ids):
        membership.delete()
    invitations_revoke_open(Invitation.objects.filter(school_id__in=school_ids))


def _refresh_sectors(numbers: set[str]) -> None:
    if not numbers:
        return
    kinds: dict[int, set[str]] = defaultdict(set)
    for board_id, kind in School.objects.filter(board__number__in=numbers).values_list(
        "board_id", "kind"
    ):
        kinds[board_id].add(kind)
    changed = []
    for board in Board.objects.filter(pk__in=kinds.keys()):
        sector = _sector(kinds[board.pk])
        if board.sector != sector:
            board.sector = sector
            changed.append(board)
    if changed:
        bulk_update_with_history(changed, Board, ["sector"], batch_size=500)


def import_school_locations(
    data: bytes,
    *,
    board_number: str | None = None,
    dry_run: bool = False,
    national: bool = True,
) -> ImportPlan:
    """Parse, plan and (unless a dry run) apply; planning and applying share one transaction,
    so what is written is exactly what was planned. A dry run takes no write lock."""
    rows = parse_school_locations(data)
    if dry_run:
        return plan_import(rows, board_number=board_number, national=national)
    with transaction.atomic():
        return apply_import(plan_import(rows, board_number=board_number, national=national))
