"""A board for the cockpit, built on the inspectorate's own excerpt: board 41646 with schools
whose BRINs are in "Leerresultaten primair onderwijs 2023-2024-2025", the results imported
through the real import, the OVTs linked as a board confirms them, and the signals refreshed.
Beside the results, each school can get the rest of what the cockpit reads: a picture, a
herstelopdracht, actions, a table with meetings, a round.

Bron: Inspectie van het Onderwijs (tests/insight/data/leerresultaten-po-excerpt.ods).
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from stelsel.frameworks.models import ScaleLevel
from stelsel.insight.imports import import_results
from stelsel.insight.models import Ovt
from stelsel.insight.signals import signals_refresh
from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import Role
from stelsel.picture.entries.services import picture_start
from stelsel.picture.models import Entry
from tests.factories import (
    grant,
    make_action,
    make_assignment,
    make_board,
    make_framework_version,
    make_round,
    make_school,
    make_user,
)
from tests.factories.meetings import make_meeting, make_series
from tests.factories.planning import make_goal, make_plan

EXCERPT = Path(__file__).resolve().parent / "data" / "leerresultaten-po-excerpt.ods"
BOARD_NUMBER = "41646"

# BRIN → name, as the inspectorate's schoolweging file names these schools of board 41646.
SCHOOLS = {
    "00AP": "WereldWijs",  # above both norms; 1F and 1S/2F fell three years in a row
    "00AV": "De Morgenster",  # 1S/2F 37.68% below 45.5%
    "05SW": "Het Kompas",  # 1S/2F below
    "07LP": "GBS De Lichtlijn",  # 1S/2F below
    "02ZY": "Gereformeerde basisschool De Wingerd",  # above both, no trend
    "03AZ": "Geref. Basisschool De Rank",  # above both
}


@dataclass
class CockpitWorld:
    board: Board
    schools: dict[str, School]
    executive: object
    leader: object  # school leader of De Morgenster
    staff: object  # staff member of De Morgenster
    supervisor: object


def link(ovt: Ovt, school: School) -> Ovt:
    ovt.school, ovt.board, ovt.linked_at = school, school.board, timezone.now()
    ovt.save(update_fields=["school", "board", "linked_at"])
    return ovt


def excerpt_board(*, brins=tuple(SCHOOLS), number: str = BOARD_NUMBER) -> Board:
    """The board with the schools of `brins`, their results imported and linked, signals
    refreshed."""
    board = make_board(name="Stichting Gereformeerd Primair Onderwijs", number=number)
    schools = {
        brin: make_school(board, name=SCHOOLS.get(brin, f"School {brin}"), instellingscode=brin)
        for brin in brins
    }
    report = import_results(EXCERPT.read_bytes(), EXCERPT.name, board_number=board.number)
    assert report.applied
    for ovt in Ovt.objects.filter(brin__in=list(schools)):
        link(ovt, schools[ovt.brin])
    signals_refresh(board)
    return board


def cockpit_world() -> CockpitWorld:
    board = excerpt_board()
    schools = {s.instellingscode: s for s in School.objects.filter(board=board)}
    people = {role: make_user(name=f"{role} excerpt") for role in Role}
    grant(people[Role.BOARD_EXECUTIVE], board, Role.BOARD_EXECUTIVE)
    grant(people[Role.SUPERVISOR], board, Role.SUPERVISOR)
    grant(people[Role.SCHOOL_LEADER], board, Role.SCHOOL_LEADER, schools["00AV"])
    grant(people[Role.STAFF], board, Role.STAFF, schools["00AV"])
    return CockpitWorld(
        board,
        schools,
        people[Role.BOARD_EXECUTIVE],
        people[Role.SCHOOL_LEADER],
        people[Role.STAFF],
        people[Role.SUPERVISOR],
    )


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@dataclass
class SchoolWork:
    picture: object
    overdue_assignment: object
    uncovered_assignment: object
    overdue_action: object
    coming_action: object
    table: object
    coming_meeting: object
    round: object
    plan: object


def add_work(board: Board, school: School | None, *, framework_version=None) -> SchoolWork:
    """What a school's home and the attention list read besides results: a current picture with
    its first standard judged not in order, a herstelopdracht past its deadline and one not
    covered, an overdue action and one due in five days, a table set up three months ago that
    met without anyone recording it and meets again in three days, an open round and a plan."""
    version = framework_version or make_framework_version("school" if school else "board")
    picture = picture_start(
        board=board, school=school, framework_version=version, period="2025-2026"
    )
    negative = ScaleLevel.objects.filter(scale__framework_version=version, tone="negative").first()
    first = picture.entries.filter(standard__isnull=False).order_by("standard__position").first()
    Entry.objects.filter(pk=first.pk).update(status=negative)
    standard = first.standard
    overdue = make_assignment(board, school, standard, deadline=days(-1))
    uncovered = make_assignment(board, school, standard, deadline=days(20))
    make_action(board, school, assignments=[overdue], due_on=days(60))  # covers, still overdue
    overdue_action = make_action(board, school, due_on=days(-3), title="Te laat")
    coming_action = make_action(board, school, due_on=days(5), title="Binnenkort")
    table = make_series(
        board,
        school,
        first_date=days(-84),
        created_at=timezone.now() - dt.timedelta(days=90),
        interval=4,
    )
    coming = make_meeting(board, school, series=table, day=days(3))
    round_ = make_round(board, school, state="open") if school else None
    plan = make_plan(board, school, starts_on=days(-30), ends_on=days(700), status="active")
    make_goal(plan, indicator="Lezen", baseline=60, target=80, unit="%")
    return SchoolWork(
        picture, overdue, uncovered, overdue_action, coming_action, table, coming, round_, plan
    )
