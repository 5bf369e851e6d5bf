"""The programme's main pages take the same number of queries for few and many trajectories:
the office's programme home, a trajectory with its log, and the board's support page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stelsel.organisations.roles import Role
from stelsel.trajectories.models import InterventionLog, ProgrammeRole
from tests.factories import make_board, make_school, make_user
from tests.factories.trajectories import (
    make_cohort,
    make_programme,
    make_trajectory,
    programme_member,
)

pytestmark = pytest.mark.django_db


def _programme_with(cases: int, board):
    programme = make_programme()
    cohort = make_cohort(programme, capacity=cases + 1)
    office, advisor = make_user(), make_user()
    programme_member(office, programme, ProgrammeRole.OFFICE)
    programme_member(advisor, programme, ProgrammeRole.ADVISOR, capacity=cases + 1)
    trajectories = []
    for number in range(cases):
        other = make_board()
        make_school(other)
        trajectory = make_trajectory(
            cohort, board=board if number == 0 else other, advisor=advisor, label=f"Casus {number}"
        )
        trajectory.needs.set(programme.needs.all()[: 1 + number % 3])
        for day in range(1 + number % 4):
            InterventionLog.objects.create(
                trajectory=trajectory,
                intervention=programme.interventions.all()[day],
                on=datetime.date(2026, 9, 10 + day),
                recorded_by=advisor,
            )
        trajectories.append(trajectory)
    return programme, office, advisor, trajectories


def _count(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # the session and caches settle
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url)
    assert answer.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", ["programme", "trajectory", "board_support"])
def test_the_page_does_not_grow_with_the_trajectories(client, world, page):
    counts = []
    for cases in (2, 8):
        programme, office, advisor, trajectories = _programme_with(cases, world.board)
        if page == "programme":
            counts.append(
                _count(client, office, reverse("trajectories:programme", args=[programme.slug]))
            )
        elif page == "trajectory":
            url = reverse("trajectories:trajectory", args=[programme.slug, trajectories[-1].pk])
            counts.append(_count(client, advisor, url))
        else:
            url = reverse("trajectories:board_support", args=[world.board.pk])
            counts.append(_count(client, world.users[Role.BOARD_EXECUTIVE], url))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 30, counts
