"""The board overview reads a fixed number of queries, however many schools the board has."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stelsel.organisations.roles import Role
from stelsel.picture.entries.overview import OverviewFilters, board_overview
from stelsel.picture.entries.services import EntryChange, entry_update, indicator_create
from stelsel.picture.models import Assignment
from tests.factories import grant, make_action, make_board, make_picture, make_school, make_user

pytestmark = pytest.mark.django_db


def _board_with(schools: int):
    """A board whose schools each have a picture with a judged standard, the board's own
    requirement, and a herstelopdracht, every other one covered by an action."""
    board = make_board()
    executive = make_user()
    grant(executive, board, Role.BOARD_EXECUTIVE)
    indicator_create(
        board=board, perspective="requirements", level="school", code="BE1", title="Eigen eis"
    )
    for i in range(schools):
        school = make_school(board)
        picture = make_picture(board, school)
        first, second = picture.entries.filter(standard__isnull=False).order_by("pk")[:2]
        entry_update(
            entry=first,
            revision=first.revision,
            change=EntryChange(status="ok" if i % 2 else "nok"),
            user=executive,
        )
        assignment = Assignment.objects.create(
            board=board,
            school=school,
            standard=second.standard,
            text="Herstel.",
            deadline=timezone.localdate() + datetime.timedelta(days=30),
        )
        if i % 2:
            make_action(board, school, assignments=[assignment], status="in_progress")
    return board, executive


def _queries(user, board, filters=None):
    user = type(user).objects.get(pk=user.pk)  # no memberships cached from an earlier read
    with CaptureQueriesContext(connection) as captured:
        overview = board_overview(user, board, filters)
        rows = [row for table in overview.tables for row in table.rows]
        for row in rows:  # what the page reads of each row
            _ = (row.school.name, row.picture.pk, row.summary.total, row.summary.own.total)
            _ = (row.coverage.open, row.coverage.uncovered)
            _ = [(c.tone, c.label, c.open_assignments) for c in row.cells]
    return len(captured.captured_queries), rows


def test_the_overview_reads_as_many_queries_for_two_schools_as_for_twelve():
    small, small_exec = _board_with(2)
    large, large_exec = _board_with(12)
    few, few_rows = _queries(small_exec, small)
    many, many_rows = _queries(large_exec, large)
    assert (len(few_rows), len(many_rows)) == (2, 12)
    assert few == many
    assert sum(row.open_assignments for row in many_rows) == 12
    assert sum(row.summary.in_order for row in many_rows) == 6
    assert sum(row.summary.not_in_order for row in many_rows) == 6
    # The board's own requirement counts in every school's figure, and has its column.
    assert {(row.summary.framework.total, row.summary.own.total) for row in many_rows} == {(2, 1)}
    assert {len(row.cells) for row in many_rows} == {3}
    assert sum(row.coverage.uncovered for row in many_rows) == 6


def test_filters_do_not_add_queries_per_school():
    small, small_exec = _board_with(2)
    large, large_exec = _board_with(12)
    filters = OverviewFilters(status="not_in_order", with_assignments=True)
    few, few_rows = _queries(small_exec, small, filters)
    many, many_rows = _queries(large_exec, large, filters)
    assert (len(few_rows), len(many_rows)) == (1, 6)
    assert few == many
