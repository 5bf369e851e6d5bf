"""The coverage roll-up of herstelopdrachten: properties of the arithmetic, and the selector
that feeds it without a query per opdracht."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from stelsel.organisations.roles import Role
from stelsel.picture.coverage import STATES, coverage_rows, coverage_summary
from stelsel.picture.models import Assignment
from stelsel.picture.rollups import STALLED_AFTER_DAYS, CoveringAction, coverage
from tests.factories import make_action, make_assignment, make_board, make_school

TODAY = datetime.date(2026, 3, 1)
STATUSES = ["planned", "in_progress", "stalled", "done", "cancelled"]
OUTCOMES = ["", "sufficient", "insufficient"]

days = st.integers(min_value=-400, max_value=400).map(lambda n: TODAY + datetime.timedelta(n))
covering_actions = st.builds(
    CoveringAction,
    status=st.sampled_from(STATUSES),
    progress=st.integers(min_value=0, max_value=100),
    due_on=st.none() | days,
    updated_on=st.integers(min_value=0, max_value=200).map(lambda n: TODAY - datetime.timedelta(n)),
)
cases = st.fixed_dictionaries(
    {
        "deadline": days,
        "outcome": st.sampled_from(OUTCOMES),
        "actions": st.lists(covering_actions, max_size=8),
    }
)


def _cover(case, **changes):
    return coverage(**{**case, **changes}, today=TODAY)


# --- Properties of the roll-up ------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(cases)
def test_a_sufficient_follow_up_never_flags(case):
    result = _cover(case, outcome="sufficient")
    assert result.resolved
    assert result.flags == frozenset()
    assert result.state == "resolved"


@settings(max_examples=400, deadline=None)
@given(cases)
def test_uncovered_exactly_when_no_action_counts(case):
    result = _cover(case)
    counted = [a for a in case["actions"] if a.status != "cancelled"]
    assert result.actions == len(counted)
    if case["outcome"] != "sufficient":
        assert ("uncovered" in result.flags) == (not counted)


@settings(max_examples=400, deadline=None)
@given(cases)
def test_progress_is_a_percentage_and_full_when_all_done(case):
    result = _cover(case)
    counted = [a for a in case["actions"] if a.status != "cancelled"]
    if not counted:
        assert result.progress is None
        return
    assert 0 <= result.progress <= 100
    assert min(100 if a.status == "done" else a.progress for a in counted) <= result.progress
    if all(a.status == "done" for a in counted):
        assert result.progress == 100
        assert result.done == result.actions


@settings(max_examples=400, deadline=None)
@given(cases, st.lists(covering_actions, max_size=5))
def test_cancelled_actions_never_count(case, extra):
    cancelled = [CoveringAction("cancelled", a.progress, a.due_on, a.updated_on) for a in extra]
    assert _cover(case) == _cover(case, actions=case["actions"] + cancelled)


@settings(max_examples=400, deadline=None)
@given(cases)
def test_overdue_exactly_when_the_deadline_passed_unresolved(case):
    result = _cover(case)
    expected = case["deadline"] < TODAY and case["outcome"] != "sufficient"
    assert ("overdue" in result.flags) == expected
    if expected:
        assert result.state == "overdue"


@settings(max_examples=400, deadline=None)
@given(cases)
def test_stalled_exactly_when_an_open_action_stalls_lags_or_idles(case):
    result = _cover(case)
    if case["outcome"] == "sufficient":
        return
    lagging = any(
        a.status in {"planned", "in_progress", "stalled"}
        and (
            a.status == "stalled"
            or (a.due_on is not None and a.due_on < TODAY)
            or (TODAY - a.updated_on).days > STALLED_AFTER_DAYS
        )
        for a in case["actions"]
    )
    assert ("stalled" in result.flags) == lagging


@settings(max_examples=200, deadline=None)
@given(cases)
def test_every_state_is_one_the_summary_knows(case):
    assert _cover(case).state in STATES


# --- The selector -------------------------------------------------------------------------


def _board_with(opdrachten: int, actions_each: int):
    board = make_board()
    school = make_school(board)
    for n in range(opdrachten):
        assignment = make_assignment(board, school)
        for m in range(actions_each):
            make_action(
                board, school, assignments=[assignment], status=STATUSES[m % 5], progress=m * 10
            )
    return board, school


def _count_queries(assignments) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as captured:
        rows = coverage_rows(assignments, TODAY)
        for row in rows:  # what a page reads of each row
            _ = (row.assignment.school, row.assignment.standard, row.assignment.requirement)
            _ = (row.assignment.visit, [a.owner for a in row.actions], row.other_flags)
    return len(captured.captured_queries), rows


@pytest.mark.django_db
def test_selector_queries_do_not_grow_with_opdrachten_or_actions():
    small, _ = _board_with(1, 3)
    large, _ = _board_with(10, 4)
    few, small_rows = _count_queries(Assignment.objects.filter(board=small))
    many, large_rows = _count_queries(Assignment.objects.filter(board=large))
    assert (len(small_rows), len(large_rows)) == (1, 10)
    assert all(len(row.actions) == 4 for row in large_rows)
    assert few == many <= 2


@pytest.mark.django_db
def test_coverage_page_queries_do_not_grow(client, world):
    executive = world.users[Role.BOARD_EXECUTIVE]
    client.force_login(executive)
    url = reverse("picture:assignments", kwargs={"board_id": world.board.pk})

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    assignment = make_assignment(world.board, world.school)
    make_action(world.board, world.school, assignments=[assignment], status="in_progress")
    few = queries()
    for _ in range(9):
        assignment = make_assignment(world.board, world.other_school)
        for status in ("planned", "done", "cancelled"):
            make_action(world.board, world.other_school, assignments=[assignment], status=status)
    assert queries() == few


@pytest.mark.django_db
def test_action_list_queries_do_not_grow(client, world):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("planning:actions", kwargs={"board_id": world.board.pk})

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    make_action(world.board, world.school, owner=world.users[Role.SCHOOL_LEADER])
    few = queries()
    assignment = make_assignment(world.board, world.school)
    for n in range(10):
        action = make_action(
            world.board, world.other_school, owner=world.users[Role.BOARD_EXECUTIVE]
        )
        action.standards.set([assignment.standard])
    assert queries() == few


@pytest.mark.django_db
def test_rows_show_cancelled_actions_without_counting_them(world):
    assignment = make_assignment(world.board, world.school, deadline=TODAY + datetime.timedelta(9))
    make_action(world.board, world.school, assignments=[assignment], status="cancelled")
    (row,) = coverage_rows(Assignment.objects.all(), TODAY)
    assert len(row.actions) == 1
    assert row.coverage.actions == 0
    assert row.state == "uncovered"


@pytest.mark.django_db
def test_an_action_left_alone_for_six_weeks_stalls_its_opdracht(world):
    today = timezone.localdate()
    assignment = make_assignment(world.board, world.school)
    action = make_action(world.board, world.school, assignments=[assignment], status="planned")
    (row,) = coverage_rows(Assignment.objects.all(), today)
    assert row.state == "covered"
    action.updated_at = timezone.now() - datetime.timedelta(days=STALLED_AFTER_DAYS + 1)
    action.save()
    (row,) = coverage_rows(Assignment.objects.all(), today)
    assert row.state == "stalled"


@pytest.mark.django_db
def test_summary_counts_every_state(world):
    past = TODAY - datetime.timedelta(days=1)
    overdue_and_uncovered = make_assignment(world.board, world.school, deadline=past)
    done = make_assignment(world.board, world.school, deadline=TODAY + datetime.timedelta(30))
    make_action(world.board, world.school, assignments=[done], status="done")
    rows = coverage_rows(Assignment.objects.all(), TODAY)
    summary = coverage_summary(rows)
    assert summary.counts == {
        "overdue": 1,
        "uncovered": 0,
        "stalled": 0,
        "covered": 0,
        "done": 1,
        "resolved": 0,
    }
    assert summary.total == 2
    (late,) = [row for row in rows if row.assignment == overdue_and_uncovered]
    assert late.other_flags == ["uncovered"]
