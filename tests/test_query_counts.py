"""The main pages use a fixed number of queries, whatever the number of schools or people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stelsel.frameworks.services import frameworks_load
from stelsel.organisations.roles import Role
from tests.factories import grant, make_board, make_school, make_user

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
    assert many <= 10


def test_school_home_queries_do_not_grow_with_people(client):
    frameworks_load()
    small, small_exec, (small_school,) = _board_with(1, 1)
    large, large_exec, large_schools = _board_with(3, 25)
    client.force_login(small_exec)
    few = _queries(client, reverse("web:school_home", args=[small.pk, small_school.pk]))
    client.force_login(large_exec)
    many = _queries(client, reverse("web:school_home", args=[large.pk, large_schools[0].pk]))
    assert few == many
    assert many <= 10


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
