"""The main pages use a fixed number of queries, whatever the number of schools or people."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stelsel.frameworks.services import frameworks_load
from stelsel.insight.models import Measurement, Ovt, PoResult, ResultSource, Signal
from stelsel.insight.signals import signals_refresh
from stelsel.organisations.models import QualityOfficerProfile, School
from stelsel.organisations.roles import Role
from stelsel.picture.models import Indicator
from stelsel.planning.actions.services import action_update
from stelsel.planning.models import Action
from tests.factories import grant, make_board, make_school, make_user
from tests.factories.activity import make_history
from tests.insight.cockpit_world import add_work, excerpt_board

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _board_with(schools: int, people_per_school: int):
    board = make_board()
    executive = make_user()
    grant(executive, board, Role.BOARD_EXECUTIVE)
    made = [make_school(board) for _ in range(schools)]
    for school in made:
        for _ in range(people_per_school):
            grant(make_user(), board, Role.STAFF, school)
    return board, executive, made


def test_board_home_queries_do_not_grow_with_schools(client):
    frameworks_load()
    small, small_exec, _ = _board_with(1, 1)
    large, large_exec, _ = _board_with(30, 3)
    client.force_login(small_exec)
    few = _queries(client, reverse("web:board_home", args=[small.pk]))
    client.force_login(large_exec)
    many = _queries(client, reverse("web:board_home", args=[large.pk]))
    assert few == many
    assert many <= 20


def test_school_home_queries_do_not_grow_with_people(client):
    frameworks_load()
    small, small_exec, (small_school,) = _board_with(1, 1)
    large, large_exec, large_schools = _board_with(3, 25)
    client.force_login(small_exec)
    few = _queries(client, reverse("web:school_home", args=[small.pk, small_school.pk]))
    client.force_login(large_exec)
    many = _queries(client, reverse("web:school_home", args=[large.pk, large_schools[0].pk]))
    assert few == many
    assert many <= 25


def test_people_and_activity_pages_do_not_grow_with_people(client):
    small, small_exec, _ = _board_with(1, 1)
    large, large_exec, _ = _board_with(5, 8)
    counts = []
    for board, executive in ((small, small_exec), (large, large_exec)):
        client.force_login(executive)
        counts.append(
            (
                _queries(client, reverse("organisations:people", args=[board.pk])),
                _queries(client, reverse("organisations:activity", args=[board.pk])),
            )
        )
    assert counts[0] == counts[1]


def test_activity_page_does_not_grow_with_its_entries(client):
    """Every kind of history, once in one school or in four schools with more changes: the page
    reads each source once (and the records before its changes once), whatever it shows,
    filtered or not."""
    counts = []
    for schools in (1, 4):
        board, executive, made = _board_with(schools, 1)
        for n, school in enumerate(made, start=1):
            make_history(board, school, executive, n=n)
        # Changes of the same sources on both boards (each source reads the records before its
        # changes in one query, however many there are).
        QualityOfficerProfile.objects.filter(board=board).get().save()
        for action in Action.objects.filter(board=board):
            for progress in (10, 20):
                action_update(
                    action=action, revision=action.revision, user=executive, progress=progress
                )
                action.refresh_from_db()
        client.force_login(executive)
        url = reverse("organisations:activity", args=[board.pk])
        counts.append(
            (
                _queries(client, url),
                _queries(client, url + f"?school={made[0].pk}&soort=actions"),
                _queries(client, url + f"?persoon={executive.pk}"),
            )
        )
    assert counts[0] == counts[1]
    assert counts[1][0] <= 60


def _cockpit_board(brins: list[str], number: str, *, more: bool):
    """A board with the inspectorate's results of `brins` and, in every school, everything the
    cockpit reads (`add_work`); with `more`, also own indicators with measurements in every
    school and a fourth year of the school's own results, so there are more signals, indicators
    and years."""
    board = excerpt_board(brins=brins, number=number)
    for school in School.objects.filter(board=board):
        add_work(board, school)
    add_work(board, None)
    if more:
        for n in range(3):
            indicator = Indicator.objects.create(
                board=board,
                perspective="ambitions",
                code=f"EIGEN{n}",
                title=f"Eigen {n}",
                unit="%",
                norm=Decimal("90"),
            )
            for school in School.objects.filter(board=board):
                Measurement.objects.create(
                    board=board,
                    indicator=indicator,
                    school=school,
                    measured_on=datetime.date(2025, 10, 1),
                    value=Decimal("80"),
                )
        for ovt in Ovt.objects.filter(school__board=board):
            PoResult.objects.create(
                ovt=ovt,
                year=2026,
                source=ResultSource.SCHOOL,
                pupils=20,
                fundamental=Decimal("70"),
                target=Decimal("20"),
            )
        signals_refresh(board)
    executive = make_user()
    grant(executive, board, Role.BOARD_EXECUTIVE)
    return board, executive


def test_the_cockpit_does_not_grow_with_schools_signals_indicators_or_years(client):
    small, small_exec = _cockpit_board(["00FE", "03HH", "03HI"], "41646", more=False)
    large, large_exec = _cockpit_board(
        [
            "03OR",
            "03TJ",
            "03ZF",
            "03ZJ",
            "05LX",
            "05TR",
            "06KU",
            "06OT",
            "07MH",
            "23TT",
            "24ET",
            "24RH",
        ],
        "41647",
        more=True,
    )
    assert (
        Signal.objects.filter(board=large).count() > 4 * Signal.objects.filter(board=small).count()
    )
    counts = []
    for board, executive in ((small, small_exec), (large, large_exec)):
        client.force_login(executive)
        school = School.objects.filter(board=board).first()
        counts.append(
            (
                _queries(client, reverse("web:board_home", args=[board.pk])),
                _queries(client, reverse("web:school_home", args=[board.pk, school.pk])),
            )
        )
    assert counts[0] == counts[1]
    assert counts[1][0] <= 25
