"""A signal becomes an action, a goal or an agenda point, through the planning and meetings
services, for those who may write in the signal's unit; others are refused and nothing is made."""

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from stelsel.frameworks.models import FrameworkVersion
from stelsel.frameworks.services import frameworks_load
from stelsel.insight.models import Measurement, Signal, SignalKind, WarningSettings
from stelsel.insight.signal_actions import agenda_meetings, running_plan
from stelsel.insight.signals import signals_refresh
from stelsel.meetings.models import AgendaItem
from stelsel.picture.entries.services import picture_start
from stelsel.picture.models import Indicator
from stelsel.planning.models import Action, Goal, PlanKind
from tests.factories.meetings import make_meeting, make_series
from tests.factories.planning import make_plan
from tests.insight.cockpit_world import cockpit_world, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return cockpit_world()


def _signal(w, brin="00AV", kind=SignalKind.BELOW_NORM):
    return Signal.objects.get(school=w.schools[brin], kind=kind, indicator="1S/2F")


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _url(name, signal):
    return reverse(name, args=[signal.board_id, signal.pk])


# --- The signal's page ------------------------------------------------------------------


def test_the_page_shows_the_figures_and_what_the_user_may_make(client, english, w):
    signal = _signal(w)
    client.force_login(w.leader)
    page = _text(client.get(_url("insight:signal", signal)))
    assert "1S/2F over 2023-2025 is 37.68%, below the signalling value of 45.50%" in page
    assert "Inspectorate's results file, computed by Stelsel" in page
    assert "2024-2025" in page and "33.33%" in page  # the last year of the window
    for name in ("insight:signal_action", "insight:signal_goal", "insight:signal_agenda_item"):
        assert _url(name, signal) in page
    client.force_login(w.staff)
    page = _text(client.get(_url("insight:signal", signal)))
    assert _url("insight:signal_action", signal) not in page
    assert "the board office and the school leader act on them" in page


def test_another_schools_signal_is_not_found_for_a_school_role(client, w):
    client.force_login(w.leader)
    other = _signal(w, "05SW")
    assert client.get(_url("insight:signal", other)).status_code == 404
    assert client.post(_url("insight:signal_action", other)).status_code == 404
    assert not Action.objects.exists()


# --- An action ----------------------------------------------------------------------------


def test_it_makes_an_action_on_the_school_linked_to_its_results_standard(client, english, w):
    frameworks_load()
    po = FrameworkVersion.objects.get(framework__slug="onderzoekskader-2021-po")
    morgenster = w.schools["00AV"]
    picture_start(board=w.board, school=morgenster, framework_version=po, period="2025-2026")
    signal = _signal(w)
    client.force_login(w.leader)
    response = client.post(_url("insight:signal_action", signal))
    action = Action.objects.get()
    assert response["Location"] == reverse("planning:action_detail", args=[w.board.pk, action.pk])
    assert action.school == morgenster and action.owner == w.leader
    assert action.title.startswith("1S/2F over 2023-2025 is 37.68%")
    assert "Source: Inspectorate's results file" in action.description
    assert [s.code for s in action.standards.all()] == ["OR1"]
    assert action.history.count() == 1  # written by the planning service, with its history


def test_an_action_without_a_picture_has_no_standard(client, w):
    client.force_login(w.executive)
    client.post(_url("insight:signal_action", _signal(w, "05SW")))
    action = Action.objects.get()
    assert action.school == w.schools["05SW"] and not action.standards.exists()


@pytest.mark.parametrize("who", ["staff", "supervisor"])
def test_readers_cannot_make_an_action(client, w, who):
    client.force_login(getattr(w, who))
    assert client.post(_url("insight:signal_action", _signal(w))).status_code == 403
    assert client.post(_url("insight:signal_goal", _signal(w))).status_code == 403
    assert client.post(_url("insight:signal_agenda_item", _signal(w))).status_code == 403
    assert not Action.objects.exists() and not Goal.objects.exists()
    assert not AgendaItem.objects.exists()


def test_a_get_changes_nothing(client, w):
    client.force_login(w.executive)
    assert client.get(_url("insight:signal_action", _signal(w))).status_code == 405
    assert not Action.objects.exists()


def test_a_resolved_signal_makes_nothing(client, english, w):
    signal = _signal(w)
    signal.resolved_at = timezone.now()
    signal.save()
    client.force_login(w.executive)
    response = client.post(_url("insight:signal_action", signal), follow=True)
    assert "no longer holds" in _text(response)
    assert not Action.objects.exists()


# --- A goal --------------------------------------------------------------------------------


def test_it_adds_a_goal_with_baseline_and_norm_to_the_running_plan(client, english, w):
    morgenster = w.schools["00AV"]
    make_plan(w.board, morgenster, starts_on=days(-100), ends_on=days(1000), status="active")
    improvement = make_plan(
        w.board,
        morgenster,
        kind=PlanKind.IMPROVEMENT,
        starts_on=days(-10),
        ends_on=days(400),
        status="active",
    )
    make_plan(  # closed: never
        w.board,
        morgenster,
        kind=PlanKind.YEAR,
        starts_on=days(-10),
        ends_on=days(300),
        status="closed",
    )
    client.force_login(w.leader)
    response = client.post(_url("insight:signal_goal", _signal(w)))
    goal = Goal.objects.get()
    assert response["Location"] == reverse("planning:goal", args=[w.board.pk, goal.pk])
    assert goal.plan == improvement
    assert goal.indicator.startswith("1S/2F")
    assert (goal.baseline, goal.target, goal.unit) == (Decimal("37.68"), Decimal("45.50"), "%")
    assert goal.owner == w.leader
    today = timezone.localdate()
    assert goal.target_date == dt.date(today.year + (today > dt.date(today.year, 7, 31)), 7, 31)


def test_near_the_norm_aims_above_the_margin(client, w):
    WarningSettings.objects.create(board=w.board, margin=Decimal("10"))
    signals_refresh(w.board)
    near = Signal.objects.get(
        school=w.schools["00AP"], kind=SignalKind.NEAR_NORM, indicator="1S/2F"
    )
    make_plan(w.board, w.schools["00AP"], starts_on=days(-100), ends_on=days(1000))
    client.force_login(w.executive)
    client.post(_url("insight:signal_goal", near))
    goal = Goal.objects.get()
    # 51.94% against 43.50%, within 10 points: the goal is the norm plus the margin.
    assert (goal.baseline, goal.target) == (Decimal("51.94"), Decimal("53.50"))


def test_without_a_running_plan_it_says_so_and_adds_nothing(client, english, w):
    make_plan(w.board, w.schools["00AV"], starts_on=days(-800), ends_on=days(-10))  # past
    client.force_login(w.executive)
    response = client.post(_url("insight:signal_goal", _signal(w)), follow=True)
    assert "De Morgenster has no running plan to add the goal to" in _text(response)
    assert not Goal.objects.exists()
    assert running_plan(w.executive, w.board, w.schools["00AV"], timezone.localdate()) is None


def test_an_own_indicator_below_its_norm_becomes_a_goal_on_that_indicator(client, w):
    indicator = Indicator.objects.create(
        board=w.board,
        perspective="ambitions",
        code="VERZUIM",
        title="Ziekteverzuim personeel",
        unit="%",
        direction="lower",
        norm=Decimal("5.5"),
    )
    Measurement.objects.create(
        board=w.board,
        indicator=indicator,
        school=w.schools["00AV"],
        measured_on=dt.date(2026, 1, 1),
        value=Decimal("7.2"),
    )
    signals_refresh(w.board)
    own = Signal.objects.get(kind=SignalKind.OWN_BELOW)
    make_plan(w.board, w.schools["00AV"], starts_on=days(-10), ends_on=days(700))
    client.force_login(w.executive)
    client.post(_url("insight:signal_goal", own))
    goal = Goal.objects.get()
    assert goal.indicator == "Ziekteverzuim personeel"
    assert (goal.baseline, goal.target, goal.unit) == (Decimal("7.20"), Decimal("5.50"), "%")
    assert list(goal.indicators.all()) == [indicator]


# --- An agenda point ----------------------------------------------------------------------


def test_it_offers_the_schools_own_table_first_then_the_boards(w):
    morgenster = w.schools["00AV"]
    board_table = make_series(w.board, None, name="Bestuur en schoolleiders")
    school_table = make_series(w.board, morgenster, name="Schoolgesprek")
    board_meeting = make_meeting(w.board, series=board_table, day=days(2))
    school_meeting = make_meeting(w.board, series=school_table, day=days(20))
    make_meeting(w.board, series=school_table, day=days(40))  # not the next one
    make_meeting(w.board, series=school_table, day=days(-5))  # past
    other = make_meeting(w.board, w.schools["05SW"], day=days(1))  # another school's table
    assert agenda_meetings(w.executive, w.board, _signal(w)) == [school_meeting, board_meeting]
    # A school leader sets the agenda of the school's table only; the board's is the board's.
    assert agenda_meetings(w.leader, w.board, _signal(w)) == [school_meeting]
    assert other not in agenda_meetings(w.executive, w.board, _signal(w))


def test_it_puts_the_signal_on_the_chosen_meeting(client, english, w):
    meeting = make_meeting(w.board, w.schools["00AV"], day=days(9))
    client.force_login(w.leader)
    response = client.post(_url("insight:signal_agenda_item", _signal(w)), {"meeting": meeting.pk})
    assert response["Location"] == reverse("meetings:meeting", args=[w.board.pk, meeting.pk])
    item = AgendaItem.objects.get()
    assert item.meeting == meeting
    assert item.title.startswith("De Morgenster: 1S/2F over 2023-2025 is 37.68%")
    assert "Signal since" in item.notes


def test_it_refuses_meetings_that_do_not_fit(client, english, w):
    signal = _signal(w)
    client.force_login(w.executive)
    # No meeting chosen: a clear message, nothing added.
    response = client.post(_url("insight:signal_agenda_item", signal), follow=True)
    assert "plan one in the quality calendar first" in _text(response)
    # Another school's table: not a place for this school's signal.
    other = make_meeting(w.board, w.schools["05SW"], day=days(3))
    response = client.post(
        _url("insight:signal_agenda_item", signal), {"meeting": other.pk}, follow=True
    )
    assert "one of this school's tables or of the board's tables" in _text(response)
    # A meeting in the past.
    past = make_meeting(w.board, w.schools["00AV"], day=days(-3))
    response = client.post(
        _url("insight:signal_agenda_item", signal), {"meeting": past.pk}, follow=True
    )
    assert "still to come" in _text(response)
    assert not AgendaItem.objects.exists()
    # A school leader cannot reach another school's meeting at all.
    client.force_login(w.leader)
    assert (
        client.post(_url("insight:signal_agenda_item", signal), {"meeting": other.pk}).status_code
        == 404
    )
    assert not AgendaItem.objects.exists()


def test_a_school_without_coming_meetings_hears_so_on_the_page(client, english, w):
    client.force_login(w.leader)
    page = _text(client.get(_url("insight:signal", _signal(w))))
    assert "No planned meeting of this school's tables or the board's tables is coming." in page
