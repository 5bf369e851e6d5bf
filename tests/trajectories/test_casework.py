"""The trajectory page and the advisor's casework: who reads and writes, the log's dates, the
four attention points, re-contracting, phases, needs and insights."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stelsel.trajectories import casework
from stelsel.trajectories.models import (
    InterventionLog,
    Phase,
    ProgrammeRole,
    Recontract,
)
from tests.factories import make_user
from tests.factories.trajectories import (
    make_cohort,
    make_programme,
    make_trajectory,
    programme_member,
)

pytestmark = pytest.mark.django_db


class Case:
    def __init__(self, world):
        self.programme = make_programme()
        self.advisor = make_user(name="Ada Adviseur")
        self.other_advisor = make_user(name="Bert Adviseur")
        self.office = make_user(name="Bureau")
        self.researcher = make_user(name="Onderzoeker")
        programme_member(self.advisor, self.programme, ProgrammeRole.ADVISOR)
        programme_member(self.other_advisor, self.programme, ProgrammeRole.ADVISOR)
        programme_member(self.office, self.programme, ProgrammeRole.OFFICE)
        programme_member(self.researcher, self.programme, ProgrammeRole.RESEARCHER)
        self.trajectory = make_trajectory(
            make_cohort(self.programme),
            board=world.board,
            advisor=self.advisor,
            question="Hoe voeren we het gesprek met de schoolleiders?",
            starts_on=datetime.date(2025, 9, 1),
            ends_on=datetime.date(2026, 8, 31),
        )
        make_trajectory(self.trajectory.cohort, advisor=self.other_advisor, label="Andere casus")

    def url(self, name="trajectory"):
        return reverse(f"trajectories:{name}", args=[self.programme.slug, self.trajectory.pk])


@pytest.fixture
def case(world):
    return Case(world)


def test_the_advisor_and_the_office_read_the_trajectory_no_one_else(client, case):
    for user, status in [
        (case.advisor, 200),
        (case.office, 200),
        (case.other_advisor, 404),
        (case.researcher, 404),
        (make_user(), 404),
    ]:
        client.force_login(user)
        assert client.get(case.url()).status_code == status, user


def test_the_advisor_logs_an_intervention(client, case):
    intervention = case.programme.interventions.get(name="Coaching")
    client.force_login(case.advisor)
    response = client.post(
        case.url("trajectory_log"),
        {"intervention": intervention.pk, "on": "2025-10-02", "with_whom": "Bestuurder"},
    )
    assert response.status_code == 302
    entry = InterventionLog.objects.get(trajectory=case.trajectory)
    assert (entry.intervention, entry.on, entry.recorded_by) == (
        intervention,
        datetime.date(2025, 10, 2),
        case.advisor,
    )


def test_interventions_dated_outside_the_trajectory_or_ahead_are_refused(client, case):
    intervention = case.programme.interventions.first()
    client.force_login(case.advisor)
    for day in ["2025-08-31", "2026-09-01", "2999-01-01"]:
        response = client.post(
            case.url("trajectory_log"), {"intervention": intervention.pk, "on": day}
        )
        assert response.status_code == 400, day
    with pytest.raises(ValidationError) as caught:
        casework.intervention_log(
            trajectory=case.trajectory,
            user=case.advisor,
            intervention=intervention,
            on=datetime.date(2026, 3, 1),
            today=datetime.date(2026, 2, 1),
        )
    assert "on" in caught.value.message_dict
    assert not InterventionLog.objects.exists()


def test_an_intervention_of_another_programme_is_a_form_error(client, case):
    foreign = make_programme().interventions.first()
    client.force_login(case.advisor)
    response = client.post(
        case.url("trajectory_log"), {"intervention": foreign.pk, "on": "2025-10-02"}
    )
    assert response.status_code == 400
    assert response.context["log_form"].errors["intervention"]
    with pytest.raises(ValidationError):
        casework.intervention_log(
            trajectory=case.trajectory,
            user=case.advisor,
            intervention=foreign,
            on=datetime.date(2025, 10, 2),
        )
    assert not InterventionLog.objects.exists()


def _points(a, b, c, d):
    return {
        "person_directing": a,
        "person_executing": b,
        "organisation_directing": c,
        "organisation_executing": d,
    }


def test_the_attention_points_must_add_up_to_four(client, case):
    client.force_login(case.advisor)
    for bad in [_points(1, 1, 1, 0), _points(2, 2, 1, 0), _points(-1, 3, 1, 1)]:
        assert client.post(case.url("trajectory_attention"), bad).status_code == 400
        case.trajectory.refresh_from_db()
        assert case.trajectory.attention is None
    with pytest.raises(ValidationError):
        casework.attention_set(trajectory=case.trajectory, points=_points(3, 0, 0, 0))
    assert client.post(case.url("trajectory_attention"), _points(2, 0, 1, 1)).status_code == 302
    case.trajectory.refresh_from_db()
    assert case.trajectory.attention == _points(2, 0, 1, 1)


def test_recontracting_records_the_old_question_and_the_reason(client, case):
    old = case.trajectory.question
    client.force_login(case.advisor)
    data = {
        "question": "Hoe worden we als bestuur een gesprekspartner voor de toezichthouder?",
        "reason": "In het driehoeksgesprek bleek de vraag een andere.",
        "revision": case.trajectory.revision,
    }
    assert client.post(case.url("trajectory_recontract"), {**data, "reason": ""}).status_code == 400
    assert client.post(case.url("trajectory_recontract"), data).status_code == 302
    recontract = Recontract.objects.get(trajectory=case.trajectory)
    assert recontract.previous_question == old
    assert recontract.reason == data["reason"]
    case.trajectory.refresh_from_db()
    assert case.trajectory.question == data["question"]
    # The same form sent again, on the revision it was opened on, is refused as a conflict.
    stale = {**data, "question": "Nog een andere vraag"}
    assert client.post(case.url("trajectory_recontract"), stale).status_code == 409
    assert Recontract.objects.count() == 1


def test_only_the_trajectorys_own_advisor_writes(client, case):
    intervention = case.programme.interventions.first()
    post = {"intervention": intervention.pk, "on": "2025-10-02"}
    client.force_login(case.other_advisor)
    assert client.post(case.url("trajectory_log"), post).status_code == 404
    assert client.post(case.url("trajectory_attention"), _points(4, 0, 0, 0)).status_code == 404
    client.force_login(case.office)
    assert client.post(case.url("trajectory_log"), post).status_code == 403
    client.force_login(case.researcher)
    assert client.post(case.url("trajectory_log"), post).status_code == 404
    assert not InterventionLog.objects.exists()
    case.trajectory.refresh_from_db()
    assert case.trajectory.attention is None


def test_phases_move_freely_but_close_only_after_the_end_evaluation(client, case):
    client.force_login(case.advisor)
    assert client.post(case.url("trajectory_phase"), {"phase": "advice"}).status_code == 302
    assert client.post(case.url("trajectory_phase"), {"phase": "analysis"}).status_code == 302
    assert client.post(case.url("trajectory_phase"), {"phase": "closed"}).status_code == 400
    case.trajectory.refresh_from_db()
    assert case.trajectory.phase == Phase.ANALYSIS
    casework.end_evaluation_record(trajectory=case.trajectory, text="Het bracht ons veel.")
    assert client.post(case.url("trajectory_phase"), {"phase": "closed"}).status_code == 302
    case.trajectory.refresh_from_db()
    assert case.trajectory.phase == Phase.CLOSED


def test_needs_and_insights_are_recorded(client, case):
    needs = list(case.programme.needs.all()[:2])
    client.force_login(case.advisor)
    data = {}
    for need in needs:
        data.setdefault(f"needs_{need.field}", []).append(need.pk)
    assert client.post(case.url("trajectory_needs"), data).status_code == 302
    assert set(case.trajectory.needs.all()) == set(needs)
    foreign = make_programme().needs.first()
    assert (
        client.post(
            case.url("trajectory_needs"), {f"needs_{foreign.field}": [foreign.pk]}
        ).status_code
        == 400
    )
    assert set(case.trajectory.needs.all()) == set(needs)
    response = client.post(case.url("trajectory_insights"), {"insights": "Helder over de rol."})
    assert response.status_code == 302
    case.trajectory.refresh_from_db()
    assert case.trajectory.insights == "Helder over de rol."
    page = client.get(case.url()).content.decode()
    assert needs[0].name in page and "Helder over de rol." in page


def test_nothing_is_logged_on_a_closed_trajectory():
    programme = make_programme()
    advisor = make_user()
    case = make_trajectory(make_cohort(programme), advisor=advisor, phase="closed")
    with pytest.raises(ValidationError) as caught:
        casework.intervention_log(
            trajectory=case,
            user=advisor,
            intervention=programme.interventions.first(),
            on=datetime.date(2026, 10, 1),
            today=datetime.date(2026, 11, 1),
        )
    assert caught.value.code == "closed"
    assert not case.log.exists()
