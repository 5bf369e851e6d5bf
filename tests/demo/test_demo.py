"""The demo: frameworks and a realistic fictional board, idempotent, with every role."""

import pytest
from django.core.management import call_command

from stelsel.demo.board import BOARD_NUMBER, DEMO_PASSWORD
from stelsel.frameworks.models import FrameworkVersion
from stelsel.organisations.models import Board, InspectionJudgement, Membership, School
from stelsel.organisations.roles import Role

pytestmark = pytest.mark.django_db


def _story_counts():
    """How much the demo holds, history records included: a second run must add nothing."""
    from stelsel.meetings.models import Decision, Meeting, MeetingSeries
    from stelsel.picture.models import Assignment
    from stelsel.planning.models import Action, CheckIn, Goal
    from stelsel.reports.models import Report, ReportTemplate, ReportVersion, SectionComment

    models = (Board, School, Membership, Action, Assignment, Goal, CheckIn)
    models += (MeetingSeries, Meeting, Decision)
    models += (ReportTemplate, Report, ReportVersion, SectionComment)
    counts = [m.objects.count() for m in models]
    counts += [m.history.count() for m in (Action, Assignment, Goal, Meeting, MeetingSeries)]
    counts += [m.history.count() for m in (ReportTemplate, Report, ReportVersion)]
    return counts


def test_the_demo_loads_a_board_with_every_role_and_is_idempotent(capsys):
    call_command("demo")
    first = _story_counts()
    call_command("demo")
    assert _story_counts() == first
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


def test_the_demo_has_two_issued_reports_with_the_storys_dates_and_a_draft_in_review():
    """Sint Jozef's Q-report of the autumn and the board's report to the supervisory board of
    June are issued, each snapshot dated the story's day with a hash that matches it and every
    text written; the spring Q-report of De Regenboog is in review with comments by the school
    leader and the quality officer, one dealt with. The supervisory board reads the issued two."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from stelsel.reports.access import reports_for_user
    from stelsel.reports.models import Report, SectionComment, VersionState
    from stelsel.reports.snapshot import content_hash

    call_command("demo")
    board = Board.objects.get(number=BOARD_NUMBER)
    reports = {r.title: r for r in Report.objects.filter(board=board)}
    assert len(reports) == 3
    autumn = reports["Q-rapportage najaar 2026 KBS Sint Jozef"]
    june = reports["Kwaliteitsrapportage aan de raad van toezicht 2025-2026"]
    spring = reports["Q-rapportage voorjaar 2027 OBS De Regenboog"]
    assert autumn.school.vestigingscode == "99XD00"
    assert (autumn.period_start, autumn.period_end) == (
        datetime.date(2026, 8, 1),
        datetime.date(2026, 12, 1),
    )
    assert june.school is None and not june.selection.exists()
    assert (june.period_start, june.period_end) == (
        datetime.date(2025, 8, 1),
        datetime.date(2026, 6, 30),
    )
    issued_between = {
        autumn.pk: (datetime.date(2026, 11, 20), datetime.date(2026, 12, 7)),
        june.pk: (datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)),
    }
    for report in (autumn, june):
        version = report.versions.get()
        assert version.state == VersionState.ISSUED
        assert version.issued_by.email == "bestuurder@demo.stelsel.nl"
        assert version.content_hash == content_hash(version.snapshot)
        day = timezone.localtime(version.issued_at).date()
        first, last = issued_between[report.pk]
        assert first <= day <= last
        assert version.snapshot["issued_at"].startswith(day.isoformat())
        assert version.snapshot["made_at"] == day.isoformat()
        sections = version.snapshot["sections"]
        texts = [s["text"] for s in sections if s["kind"] == "text"]
        assert texts and all(len(text) > 200 for text in texts)
        blocks = [s["block"] for s in sections if s["kind"] == "block"]
        assert blocks and all(b["as_of"] <= day.isoformat() for b in blocks)
        # Nothing was written after it was issued.
        assert max(s.updated_at for s in version.sections.all()) <= version.issued_at

    draft = spring.versions.get()
    assert draft.state == VersionState.REVIEW and spring.school.vestigingscode == "99XA00"
    comments = list(SectionComment.objects.filter(section__version=draft).select_related("author"))
    assert 2 <= len(comments) <= 3
    assert {c.author.email for c in comments} == {
        "directeur.regenboog@demo.stelsel.nl",
        "kwaliteit@demo.stelsel.nl",
    }
    assert len([c for c in comments if c.resolved_at]) == 1
    assert draft.sections.exclude(text="").exists()

    supervisor = get_user_model().objects.get(email="rvt@demo.stelsel.nl")
    assert set(reports_for_user(supervisor, board)) == {autumn, june}


# --- The demo tells a true story ------------------------------------------------------------

# When something was recorded, made, done or sent: the fields that must carry the story's
# dates. Planned dates (due dates, deadlines, meetings ahead) may lie in the future.
RECORDED = {
    "history_date",
    "created_at",
    "updated_at",
    "updated_on",
    "done_at",
    "judged_at",
    "last_judged_at",
    "started_on",
    "uploaded_at",
    "submitted_on",
    "made_on",
    "held_on",
    "date_joined",
    "last_login",
    "linked_at",
    "imported_at",
    "first_seen",
    "sent_at",
    "accepted_at",
    "reopened_at",
    "at",
}
# Recorded when the demo is loaded, as the story says: the libraries every board shares
# (not the demo's story), and the inspector's link, made for the one who runs the demo and
# valid for a fortnight from then.
LOADED_NOW = {
    ("frameworks", "frameworkversion", "loaded_at"),
    ("insight", "normtable", "loaded_at"),
    ("selfevaluation", "questionnaireversion", "created_at"),
    ("picture", "inspectorlink", "created_at"),
    ("reports", "historicalreporttemplate", "history_date"),
}


def _recorded_values():
    """(model, field, value) for every recorded date the database holds."""
    import datetime

    from django.apps import apps
    from django.db import models

    for model in apps.get_models():
        if not model.__module__.startswith("stelsel"):
            continue
        label = model._meta.app_label
        for field in model._meta.concrete_fields:
            if field.name not in RECORDED or not isinstance(field, models.DateField):
                continue
            for value in model.objects.exclude(**{field.name: None}).values_list(
                field.name, flat=True
            ):
                if not isinstance(value, datetime.datetime):
                    value = datetime.datetime.combine(value, datetime.time(0))
                yield (label, model._meta.model_name, field.name), value


def test_the_demo_dates_what_it_records_by_the_story_not_by_the_load():
    """A March visit's checklist is done before March, a timeline says when things happened:
    every record and history record is dated before the moment the demo was loaded and none
    on that day, and each object's history reads in order."""
    from django.apps import apps
    from django.utils import timezone

    started = timezone.now()
    call_command("demo")
    today = timezone.localdate()
    checked, wrong = 0, []
    for key, value in _recorded_values():
        if timezone.is_aware(value):
            value = timezone.localtime(value)
            late = value > timezone.localtime(started)
        else:
            late = value.date() > today
        checked += 1
        if key in LOADED_NOW:
            continue
        if late or value.date() == today:
            wrong.append((key, value))
    assert checked > 1000
    assert wrong == []
    for model in apps.get_models():
        fields = {f.name for f in model._meta.concrete_fields}
        if not {"history_id", "history_date"} <= fields:
            continue
        last = {}
        for pk, when in model.objects.order_by("history_id").values_list("id", "history_date"):
            assert when >= last.get(pk, when), (model.__name__, pk)
            last[pk] = when


def test_every_action_of_the_demo_is_distinct_and_its_progress_fits_its_dates():
    from django.utils import timezone

    from stelsel.meetings.models import Decision
    from stelsel.picture.models import Assignment
    from stelsel.planning.models import Action

    call_command("demo")
    today = timezone.localdate()
    actions = list(Action.objects.all())
    keys = [(a.title, a.school_id, a.owner_id) for a in actions]
    assert len(keys) == len(set(keys)) and len(actions) >= 15
    assert len({a.title for a in actions}) == len(actions)
    late = [a for a in actions if a.due_on and a.due_on < today and a.status != "done"]
    done = [a for a in actions if a.status == "done"]
    assert 1 <= len(late) <= len(actions) // 4
    assert len(done) >= 3 and len(actions) - len(done) - len(late) >= 3
    for action in actions:
        if action.status == "done":
            assert action.progress == 100
        elif action.status == "planned":
            assert action.progress == 0 and action.due_on >= today
        else:
            assert 0 < action.progress < 100
        if action.starts_on and action.due_on:
            assert action.starts_on < action.due_on
    # Each decision once; every herstelopdracht of Sint Jozef but one has its own action.
    texts = list(Decision.objects.values_list("text", flat=True))
    assert len(texts) == len(set(texts))
    covered = Assignment.objects.filter(actions__isnull=False)
    assert covered.count() == covered.distinct().count() == 10
    assert Assignment.objects.filter(actions__isnull=True).count() == 1


def test_the_one_school_board_meets_no_one_alone_and_gets_its_own_tables(english):
    from django.core.exceptions import ValidationError
    from django.urls import reverse

    from stelsel.demo.board import SINGLE_SCHOOL_BOARD_NUMBER
    from stelsel.meetings import table_sets
    from stelsel.meetings.models import MeetingSeries

    call_command("demo")
    eik = Board.objects.get(number=SINGLE_SCHOOL_BOARD_NUMBER)
    main = Board.objects.get(number=BOARD_NUMBER)
    assert eik.is_single_school and not main.is_single_school
    assert table_sets.tables_offered(eik) == "single_school"
    assert table_sets.tables_offered(main) == "six_tables"

    series = list(MeetingSeries.objects.filter(board=eik).prefetch_related("members"))
    assert len(series) == len(table_sets.SINGLE_SCHOOL_TABLES)
    assert all(len({m.pk for m in s.members.all()}) >= 2 for s in series)
    assert all(s.meetings.filter(state="held").exists() for s in series)
    board_layer = {str(t["name"]) for t in table_sets.SIX_TABLES}
    assert not board_layer & {s.name for s in series}

    # The offer on the calendar depends on the number of schools.
    english.force_login(eik.memberships.get(role=Role.BOARD_EXECUTIVE).user)
    page = english.get(reverse("meetings:calendar", args=[eik.pk])).content.decode()
    assert "Start from the tables of a one-school board" in page
    assert "Start from the six tables" not in page
    english.force_login(main.memberships.get(role=Role.QUALITY_OFFICER).user)
    page = english.get(reverse("meetings:calendar", args=[main.pk])).content.decode()
    assert "Start from the six tables" in page
    assert "one-school board" not in page

    # A set of tables that does not fit the board is refused, and nothing is set up.
    MeetingSeries.objects.filter(board=main).delete()
    try:
        table_sets.tables_start(board=main, tables="single_school")
    except ValidationError as exc:
        assert "not offered" in " ".join(exc.messages)
    else:
        raise AssertionError("the single-school tables were set up for a board of eight")
    response = english.post(
        reverse("meetings:tables_start", args=[main.pk]), {"tables": "single_school"}, follow=True
    )
    assert "This set of tables is not offered to this board." in response.content.decode()
    assert not MeetingSeries.objects.filter(board=main).exists()
    response = english.post(
        reverse("meetings:tables_start", args=[main.pk]), {"tables": "six_tables"}, follow=True
    )
    assert MeetingSeries.objects.filter(board=main).count() == len(table_sets.SIX_TABLES)
