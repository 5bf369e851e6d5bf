"""The demo: frameworks and a realistic fictional board, idempotent, with every role."""

import pytest
from django.core.management import call_command

from stelsel.demo.board import BOARD_NUMBER, DEMO_PASSWORD
from stelsel.frameworks.models import FrameworkVersion
from stelsel.organisations.models import Board, InspectionJudgement, Membership, School
from stelsel.organisations.roles import Role

pytestmark = pytest.mark.django_db


def test_the_demo_loads_a_board_with_every_role_and_is_idempotent(capsys):
    call_command("demo")
    first = (Board.objects.count(), School.objects.count(), Membership.objects.count())
    call_command("demo")
    assert (Board.objects.count(), School.objects.count(), Membership.objects.count()) == first
    board = Board.objects.get(number=BOARD_NUMBER)
    schools = board.schools.all()
    assert 7 <= len(schools) <= 9
    assert any(s.kind == "sbo" for s in schools)
    assert any(s.inspection_judgement == InspectionJudgement.ONVOLDOENDE for s in schools)
    assert {m.role for m in board.memberships.all()} == set(Role)
    assert FrameworkVersion.objects.count() >= 4
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "bestuurder@demo.stelsel.nl" in out


def test_demo_users_can_sign_in(client):
    call_command("demo")
    assert (
        client.post(
            "/accounts/login/", {"login": "kwaliteit@demo.stelsel.nl", "password": DEMO_PASSWORD}
        ).status_code
        == 302
    )


def test_the_demo_has_plans_aligned_with_a_gap_and_goals_the_coach_flags():
    from stelsel.planning.coach.review import coach_plan
    from stelsel.planning.models import Goal, Plan

    call_command("demo")
    board = Board.objects.get(number=BOARD_NUMBER)
    strategic = Plan.objects.get(board=board, kind="strategic")
    assert strategic.themes.count() == 3
    school_goals = Goal.objects.filter(plan__board=board, plan__kind="school")
    assert school_goals.filter(serves__isnull=True).exists()  # a school goal serving nothing
    served = set(school_goals.values_list("serves", flat=True))
    assert set(strategic.goals.values_list("pk", flat=True)) - served  # a board goal untouched
    improvement = Plan.objects.get(board=board, kind="improvement")
    rules = {f.rule for f in coach_plan(improvement).all_findings}
    assert {"goal_is_action", "try_language", "no_target"} <= rules


def test_the_demo_has_a_year_of_calendar_with_minutes_decisions_and_a_missed_meeting():
    from django.utils import timezone

    from stelsel.meetings.models import Decision, Meeting
    from stelsel.meetings.selectors import missed_meetings

    call_command("demo")
    board = Board.objects.get(number=BOARD_NUMBER)
    held = Meeting.objects.filter(board=board, state="held")
    assert held.count() >= 20
    assert held.exclude(minutes="").count() == held.count()
    assert Decision.objects.filter(board=board, action__isnull=False).exists()
    assert missed_meetings(board, timezone.localdate())


def test_the_demo_results_tell_their_story_by_the_inspectorates_computation():
    """The demo's numbers, put through the model itself: Sint Jozef below the 1S/2F value, De
    Regenboog just above and falling, De Wegwijzer recovering, the others comfortably above."""
    from decimal import Decimal

    from stelsel.demo.insight import OWN_RESULTS, RESULTS, applied_schoolweging, results_years
    from stelsel.insight.library import norms_ensure_loaded, po_norms_by_period
    from stelsel.insight.po_model import ABOVE, BELOW, school_results

    norms_ensure_loaded()
    norms = po_norms_by_period()[2025]
    margin = Decimal(3)
    for brin in RESULTS:
        years = results_years(brin)
        fundamental, target = school_results(years, applied_schoolweging(brin), norms)
        values = [y.target for y in years]
        assert all(15 <= y.pupils <= 60 for y in years), brin
        assert fundamental.outcome == ABOVE and fundamental.percentage - fundamental.norm >= margin
        if brin == "99XD":  # KBS Sint Jozef
            assert target.outcome == BELOW
        elif brin == "99XA":  # OBS De Regenboog: just above, three falling years
            assert target.outcome == ABOVE and target.percentage - target.norm < margin
            assert values[0] > values[1] > values[2]
        elif brin == "99XF":  # CBS De Wegwijzer: below in 2023, rising, now above
            assert values[0] < target.norm and values[0] < values[1] < values[2]
            assert target.outcome == ABOVE and target.percentage - target.norm >= margin
        else:
            assert target.outcome == ABOVE and target.percentage - target.norm >= margin
            assert not values[0] > values[1] > values[2]
    assert set(OWN_RESULTS) <= set(RESULTS) and "99XG" not in OWN_RESULTS


def test_the_demo_has_results_own_indicators_and_signals_and_loads_them_once():
    from stelsel.insight.models import (
        DataImport,
        Measurement,
        Ovt,
        PoResult,
        PublishedOutcome,
        Signal,
        SignalKind,
    )
    from stelsel.insight.outcomes import po_outcomes
    from stelsel.picture.models import Indicator

    def counts():
        return [
            m.objects.count()
            for m in (Ovt, PoResult, PublishedOutcome, DataImport, Measurement, Signal, Indicator)
        ]

    call_command("demo")
    first = counts()
    call_command("demo")
    assert counts() == first

    board = Board.objects.get(number=BOARD_NUMBER)
    schools = {s.vestigingscode: s for s in board.schools.all()}
    ovts = Ovt.objects.filter(board=board)
    # Every primary school but the SBO has its OVT, confirmed by the quality officer.
    assert {o.school.vestigingscode for o in ovts} == {
        code for code, s in schools.items() if s.kind == "bo"
    }
    assert all(o.linked_at and o.linked_by.email == "kwaliteit@demo.stelsel.nl" for o in ovts)
    # Three years of the inspectorate's figures each, and this year's own for all but one.
    assert PoResult.objects.filter(ovt__board=board, source="inspectorate").count() == 3 * 7
    own = PoResult.objects.filter(ovt__board=board, source="school")
    assert set(own.values_list("year", flat=True)) == {2026}
    assert own.count() == 6 and not own.filter(ovt__code="99XG|C1").exists()
    # Brought in by imports for the board, with no difference from Stelsel's computation.
    imports = DataImport.objects.filter(board=board)
    assert sorted(imports.values_list("kind", flat=True)) == [
        "inspectie-results",
        "schoolweging",
        "schoolweging",
    ]
    assert all(i.summary["differences"] == 0 for i in imports)

    outcomes = {(o.ovt[:4], o.indicator): o for o in po_outcomes(board=board)}
    assert outcomes[("99XD", "1S/2F")].outcome == "below"
    assert {o.published_outcome for o in outcomes.values()} == {"above", "below"}
    assert all(o.outcome == o.published_outcome for o in outcomes.values())

    signals = {
        (s.school.vestigingscode if s.school else None, s.kind, s.indicator)
        for s in Signal.objects.filter(board=board, resolved_at__isnull=True)
    }
    assert signals == {
        ("99XD00", SignalKind.BELOW_NORM, "1S/2F"),
        ("99XD00", SignalKind.COMING_BELOW, "1S/2F"),
        ("99XD00", SignalKind.OWN_BELOW, "ZV1"),
        ("99XA00", SignalKind.NEAR_NORM, "1S/2F"),
        ("99XA00", SignalKind.FALLING, "1S/2F"),
        ("99XA00", SignalKind.COMING_BELOW, "1S/2F"),
        ("99XE00", SignalKind.BAND_CHANGE, "1S/2F"),
        ("99XG00", SignalKind.MISSING_DATA, "PO"),
    }
    near = Signal.objects.get(board=board, kind=SignalKind.NEAR_NORM)
    assert near.figures["needed"]["year"] == 2027 and near.figures["needed"]["percentage"]
    # Each signal dates from the import or the entry that brought it, as the story goes.
    assert str(near.first_seen.date()) == "2025-11-04"
    coming = Signal.objects.filter(board=board, kind=SignalKind.COMING_BELOW)
    assert {str(s.first_seen.date()) for s in coming} == {"2026-06-19"}

    # Own indicators with a unit, a direction, norms, and three years of measurements.
    measured = Indicator.objects.filter(board=board).exclude(unit="")
    assert {(i.code, i.unit, i.direction) for i in measured} == {
        ("ZV1", "%", "lower"),
        ("TO1", "cijfer", "higher"),
        ("LL1", "leerlingen", "higher"),
        ("SV1", "%", "higher"),
    }
    for indicator in measured:
        per_school = Measurement.objects.filter(indicator=indicator, school__isnull=False)
        assert per_school.count() == 3 * len(schools)
        assert len(set(per_school.values_list("measured_on", flat=True))) == 3

    # The single-school board has its results too, and nothing to warn about.
    eik = Board.objects.get(number="99902")
    assert PoResult.objects.filter(ovt__school__board=eik).count() == 3
    assert not Signal.objects.filter(board=eik).exists()


def test_the_demo_results_come_out_of_signals_json(capsys):
    import json

    call_command("demo")
    capsys.readouterr()
    call_command("signals", "--json", "--board", BOARD_NUMBER)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 2 * 7
    assert {line["board"] for line in lines} == {int(BOARD_NUMBER)}
    assert all(line["school"] and line["source"] == "computed" for line in lines)
