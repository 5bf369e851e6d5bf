"""Deciding applications: admitting opens the numbered case in one transaction, a full cohort
and a decided application are refused, a refusal needs its reason; the start conversation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stelsel.trajectories.admission import (
    add_months,
    application_admit,
    application_refuse,
    eligibility_rows,
    trajectory_intake,
)
from stelsel.trajectories.cohorts import cohort_create, cohort_set_open
from stelsel.trajectories.models import Application, ApplicationState, Phase, Trajectory
from tests.factories import make_board, make_user
from tests.factories.trajectories import make_cohort, make_programme, make_trajectory

pytestmark = pytest.mark.django_db


def apply(cohort, *, board=None, single=False, claimed=("judged_insufficient",), found=None):
    return Application.objects.create(
        cohort=cohort,
        board=board or make_board(),
        question="Hoe krijgen we zicht op de kwaliteit?",
        single_school_board=single,
        criteria={
            "claimed": list(claimed),
            "found": found if found is not None else {"judged_insufficient": ["School X, 2024"]},
        },
    )


def test_admitting_opens_the_case_numbered_within_its_cohort():
    cohort = make_cohort(make_programme(), capacity=3)
    office = make_user()
    first = application_admit(
        application=apply(cohort), by=office, confirmed=["judged_insufficient"]
    )
    second_application = apply(cohort)
    second = application_admit(
        application=second_application, by=office, confirmed=["risk_investigation"]
    )
    assert (first.label, second.label) == ("Casus 1", "Casus 2")
    assert second.board_id == second_application.board_id
    assert second.question == "Hoe krijgen we zicht op de kwaliteit?"
    assert second.phase == Phase.INTAKE
    assert (second.starts_on, second.ends_on) == (cohort.starts_on, cohort.ends_on)
    second_application.refresh_from_db()
    assert second_application.state == ApplicationState.ADMITTED
    assert second_application.decided_by == office
    assert second_application.criteria["confirmed"] == ["risk_investigation"]
    assert second_application.criteria["claimed"] == ["judged_insufficient"]  # kept


def test_numbering_skips_labels_already_taken_by_imported_cases():
    cohort = make_cohort(make_programme())
    make_trajectory(cohort, label="Casus 7")
    trajectory = application_admit(
        application=apply(cohort), by=make_user(), confirmed=["judged_insufficient"]
    )
    assert trajectory.label == "Casus 8"


def test_without_cohort_dates_the_case_runs_the_programmes_duration_from_today():
    programme = make_programme()
    cohort = make_cohort(programme, starts_on=None, ends_on=None)
    trajectory = application_admit(
        application=apply(cohort), by=make_user(), confirmed=["judged_insufficient"]
    )
    today = timezone.localdate()
    assert trajectory.starts_on == today
    assert trajectory.ends_on == add_months(today, programme.default_months)


def test_add_months_keeps_to_the_end_of_a_shorter_month():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 9, 1), 12) == datetime.date(2027, 9, 1)
    assert add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)


def test_a_full_cohort_refuses_and_changes_nothing():
    cohort = make_cohort(make_programme(), capacity=1)
    application_admit(application=apply(cohort), by=make_user(), confirmed=["judged_insufficient"])
    waiting = apply(cohort)
    with pytest.raises(ValidationError, match="full"):
        application_admit(application=waiting, by=make_user(), confirmed=["judged_insufficient"])
    waiting.refresh_from_db()
    assert waiting.state == ApplicationState.SUBMITTED
    assert Trajectory.objects.filter(cohort=cohort).count() == 1


def test_an_application_is_decided_once():
    cohort = make_cohort(make_programme())
    application = apply(cohort)
    application_admit(application=application, by=make_user(), confirmed=["judged_insufficient"])
    with pytest.raises(ValidationError, match="already decided"):
        application_admit(
            application=application, by=make_user(), confirmed=["judged_insufficient"]
        )
    with pytest.raises(ValidationError, match="already decided"):
        application_refuse(application=application, by=make_user(), note="Toch niet.")
    assert Trajectory.objects.filter(application=application).count() == 1


def test_refusing_needs_a_reason_and_opens_no_case():
    cohort = make_cohort(make_programme())
    application = apply(cohort)
    with pytest.raises(ValidationError):
        application_refuse(application=application, by=make_user(), note="  ")
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    application_refuse(application=application, by=make_user(), note="Geen plaats voor VO.")
    application.refresh_from_db()
    assert application.state == ApplicationState.REFUSED
    assert application.decision_note == "Geen plaats voor VO."
    assert not Trajectory.objects.exists()


def test_admitting_needs_the_confirmed_criteria_to_meet_the_rule():
    cohort = make_cohort(make_programme())
    application = apply(cohort)
    with pytest.raises(ValidationError, match="at least one"):
        application_admit(application=application, by=make_user(), confirmed=[])
    with pytest.raises(ValidationError, match="not criteria"):
        application_admit(application=application, by=make_user(), confirmed=["made_up"])
    single = apply(cohort, single=True, claimed=["quality_system_works"], found={})
    with pytest.raises(ValidationError, match="always hold"):
        application_admit(application=single, by=make_user(), confirmed=["quality_system_works"])
    trajectory = application_admit(
        application=single,
        by=make_user(),
        confirmed=["quality_system_works", "not_recently_good"],
    )
    assert trajectory.single_school_board is True
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_the_criteria_rows_show_claimed_found_and_confirmed():
    cohort = make_cohort(make_programme())
    application = apply(cohort)
    rows = {row["key"]: row for row in eligibility_rows(application)}
    assert set(rows) == {"judged_insufficient", "risk_investigation", "development_assignments"}
    assert rows["judged_insufficient"]["claimed"] is True
    assert rows["judged_insufficient"]["found"] == ["School X, 2024"]
    assert rows["risk_investigation"]["claimed"] is False
    assert not any(row["confirmed"] for row in rows.values())


def test_the_start_conversation_sharpens_the_question():
    cohort = make_cohort(make_programme())
    trajectory = make_trajectory(cohort, question="Eerste vraag")
    day = timezone.localdate()
    trajectory_intake(
        trajectory=trajectory, on=day, notes="Goed gesprek", question="De echte vraag"
    )
    trajectory.refresh_from_db()
    assert (trajectory.intake_on, trajectory.question) == (day, "De echte vraag")
    with pytest.raises(ValidationError):
        trajectory_intake(trajectory=trajectory, on=day, notes="", question="")
    trajectory.phase = Phase.EXECUTION
    trajectory.save()
    with pytest.raises(ValidationError, match="re-contract"):
        trajectory_intake(trajectory=trajectory, on=day, notes="", question="Nog een vraag")
    trajectory.refresh_from_db()
    assert trajectory.question == "De echte vraag"


def test_cohorts_are_named_once_and_open_and_close():
    programme = make_programme()
    cohort = cohort_create(programme=programme, name="2027-2028", capacity=12)
    assert cohort.open_for_applications is False
    with pytest.raises(ValidationError):
        cohort_create(programme=programme, name="2027-2028 ")
    with pytest.raises(ValidationError):
        cohort_create(
            programme=programme,
            name="2028-2029",
            starts_on=datetime.date(2028, 9, 1),
            ends_on=datetime.date(2028, 8, 1),
        )
    assert cohort_set_open(cohort=cohort, open_for_applications=True).open_for_applications
