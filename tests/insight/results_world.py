"""A board built on the inspectorate's own excerpt: board 41646 with schools whose BRINs are in
"Leerresultaten primair onderwijs 2023-2024-2025", imported through the real import, and the
OVTs linked as a board confirms them (the linking pages are tested on their own).

Bron: Inspectie van het Onderwijs (tests/insight/data/leerresultaten-po-excerpt.ods).
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from stelsel.insight.imports import import_results, import_schoolweging
from stelsel.insight.models import Ovt
from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import Role
from tests.factories import grant, make_board, make_school, make_user

DATA = Path(__file__).resolve().parent / "data"
EXCERPT = DATA / "leerresultaten-po-excerpt.ods"
SCHOOLWEGING = DATA / "schoolweging-excerpt.ods"
BOARD_NUMBER = "41646"

# BRIN → (name, OVTs to link to it). 03WG and 32AU are masked in the file, 11EL|C2 lacks a
# year; they are other boards' schools in reality, given to this board here to show those cases.
SCHOOLS = {
    "00AP": ("WereldWijs", ["00AP|C1"]),  # above both norms
    "00AV": ("De Morgenster", ["00AV|C1"]),  # 1S/2F below
    "05SW": ("Het Kompas", ["05SW|C1"]),  # 1S/2F below, 105 pupils
    "07LP": ("GBS De Lichtlijn", ["07LP|C1"]),  # 1S/2F below
    "03HV": ("De Triangel Capelle", ["03HV|C1", "03HV|C2"]),  # two OVTs, one school
    "03WG": ("Gemaskeerde school", ["03WG|C1"]),  # masked: the file's figures only
    "11EL": ("School met een gat", ["11EL|C2"]),  # a missing year: too little data
}
UNLINKED_BRIN = "14YV"  # the board's school, its two OVTs not confirmed yet


@dataclass
class ExcerptWorld:
    board: Board
    schools: dict[str, School]
    executive: object
    leader: object
    other_leader: object
    outsider: object
    ovts: dict[str, Ovt] = field(default_factory=dict)


def link(ovt: Ovt, school: School) -> Ovt:
    ovt.school, ovt.board, ovt.linked_at = school, school.board, timezone.now()
    ovt.save(update_fields=["school", "board", "linked_at"])
    return ovt


def excerpt_world(*, with_schoolweging: bool = False) -> ExcerptWorld:
    board = make_board(name="Stichting Excerpt", number=BOARD_NUMBER)
    schools = {
        brin: make_school(board, name=name, instellingscode=brin)
        for brin, (name, _o) in SCHOOLS.items()
    }
    schools[UNLINKED_BRIN] = make_school(board, name="De Wegwijzer", instellingscode=UNLINKED_BRIN)
    if with_schoolweging:
        import_schoolweging(SCHOOLWEGING.read_bytes(), SCHOOLWEGING.name)
    report = import_results(EXCERPT.read_bytes(), EXCERPT.name, board_number=BOARD_NUMBER)
    assert report.applied and not report.differences
    ovts = {}
    for brin, (_name, codes) in SCHOOLS.items():
        for code in codes:
            ovts[code] = link(Ovt.objects.get(code=code), schools[brin])
    executive, leader, other_leader = make_user(), make_user(), make_user()
    grant(executive, board, Role.BOARD_EXECUTIVE)
    grant(leader, board, Role.SCHOOL_LEADER, schools["00AP"])
    grant(other_leader, board, Role.SCHOOL_LEADER, schools["05SW"])
    outsider = make_user()
    grant(outsider, make_board(name="Stichting Ander"), Role.BOARD_EXECUTIVE)
    return ExcerptWorld(board, schools, executive, leader, other_leader, outsider, ovts)
