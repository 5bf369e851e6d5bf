"""A school's Q-report page reads in a fixed number of queries, whatever the size of its board:
the issued version reads its stored snapshot only, the draft collects its data blocks for the
report's own school. Every school of the board has the same data (results with a linked OVT, a
picture, herstelopdrachten, actions, a table with meetings, an open round, a plan with a goal,
own indicators and signals), so a block that read the whole board would show here."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stelsel.insight.library import norms_ensure_loaded
from stelsel.insight.models import Measurement, Ovt, PoResult, ResultSource, Schoolweging
from stelsel.insight.signals import signals_refresh
from stelsel.organisations.roles import Role
from stelsel.picture.models import Direction, Indicator
from stelsel.reports.models import VersionState
from stelsel.reports.services import version_issue
from tests.factories import grant, make_board, make_school, make_user
from tests.factories.reports import make_report
from tests.insight.cockpit_world import add_work

pytestmark = pytest.mark.django_db


def _results(school, n: int) -> None:
    """Three years of the inspectorate's results for the school's OVT, linked, and its
    schoolweging: the results block and the signals read them."""
    ovt = Ovt.objects.create(
        code=f"{school.instellingscode}|C1",
        brin=school.instellingscode,
        name=school.name,
        board=school.board,
        school=school,
        linked_at=timezone.now(),
    )
    for offset, year in enumerate((2023, 2024, 2025)):
        PoResult.objects.create(
            ovt=ovt,
            year=year,
            source=ResultSource.INSPECTORATE,
            pupils=20 + n,
            fundamental=Decimal(90 - offset),
            target=Decimal(50 - 4 * offset - n),
        )
    Schoolweging.objects.create(ovt=ovt, first_year=2022, last_year=2024, value=Decimal("30.5"))


def _board(schools: int):
    """A board of `schools` schools with the same data each; the board executive, the first
    school, and an issued and a draft Q-report of that school."""
    board = make_board(name=f"Bestuur van {schools}")
    executive = make_user(name=f"Bestuurder {schools}")
    grant(executive, board, Role.BOARD_EXECUTIVE)
    indicator = Indicator.objects.create(
        board=board,
        perspective="ambitions",
        level="both",
        code="ZV1",
        title="Ziekteverzuim",
        unit="%",
        direction=Direction.LOWER,
        norm=Decimal("5.5"),
    )
    made = []
    for n in range(schools):
        school = make_school(board, name=f"School {n}", kind="bo")
        add_work(board, school)
        _results(school, n)
        for months in (24, 12, 0):
            Measurement.objects.create(
                board=board,
                indicator=indicator,
                school=school,
                measured_on=timezone.localdate() - datetime.timedelta(days=30 * months + 1),
                value=Decimal("6.1") + n,
            )
        made.append(school)
    add_work(board, None)
    signals_refresh(board)
    start = timezone.localdate() - datetime.timedelta(days=200)
    end = timezone.localdate()
    issued = make_report(
        board, made[0], author=executive, title="Uitgebracht", start=start, end=end
    )
    version_issue(version=issued.versions.get(), user=executive)
    draft = make_report(board, made[0], author=executive, title="Concept", start=start, end=end)
    return board, executive, issued, draft


def _count(user, board, report) -> int:
    """The queries of the version page made afresh: inside the test's transaction nothing is
    committed, so the page is never read from the kept pages."""
    client = Client()
    client.force_login(user)
    url = reverse("reports:version", args=[board.pk, report.pk, 1])
    assert client.get(url).status_code == 200  # once, for what a process reads once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert report.title in response.content.decode()
    return len(captured.captured_queries)


def test_a_q_report_page_reads_as_many_queries_for_a_board_of_one_or_of_five():
    norms_ensure_loaded()
    small, small_user, small_issued, small_draft = _board(1)
    large, large_user, large_issued, large_draft = _board(5)
    assert small_issued.versions.get().state == VersionState.ISSUED
    issued = (_count(small_user, small, small_issued), _count(large_user, large, large_issued))
    draft = (_count(small_user, small, small_draft), _count(large_user, large, large_draft))
    assert issued[0] == issued[1], (
        f"issued version: {issued[0]} queries for 1 school, {issued[1]} for 5"
    )
    assert draft[0] == draft[1], f"draft version: {draft[0]} queries for 1 school, {draft[1]} for 5"
    # The issued page reads its stored snapshot; the draft collects its blocks afresh.
    assert issued[0] < draft[0], (issued, draft)
