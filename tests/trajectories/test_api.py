"""Support programmes through the JSON API: the user's programmes, analytics with small
categories suppressed, the trajectory records each programme role reads, the advisor's log with
its bad input, and a board's own trajectories."""

import datetime
import json
from dataclasses import dataclass

import pytest
from django.utils import timezone

from stelsel.organisations.roles import Role
from stelsel.trajectories.models import Consent, InterventionLog, ProgrammeRole
from tests.api.test_planning_api import as_user, post, url
from tests.factories import make_user
from tests.factories.trajectories import (
    make_cohort,
    make_programme,
    make_trajectory,
    programme_member,
)

pytestmark = pytest.mark.django_db


@dataclass
class Programmes:
    programme: object
    cohort: object
    other_cohort: object
    office: object
    advisor: object
    other_advisor: object
    researcher: object
    own: object  # the advisor's trajectory with the world's board
    imported: object  # a past case without a board
    others: object  # the other advisor's trajectory
    foreign: object  # a trajectory of another programme
    foreign_cohort: object


@pytest.fixture
def programmes(world):
    today = timezone.localdate()
    period = {
        "starts_on": today - datetime.timedelta(days=60),
        "ends_on": today.replace(year=today.year + 1),
    }
    programme = make_programme("bestuurders-api", name="Bestuurders API")
    cohort = make_cohort(programme, "2026-2027", **period)
    other_cohort = make_cohort(programme, "2024-2025", open_for_applications=False)
    office, advisor, other_advisor, researcher = (make_user(name=n) for n in "OAXR")
    programme_member(office, programme, ProgrammeRole.OFFICE)
    programme_member(advisor, programme, ProgrammeRole.ADVISOR)
    programme_member(other_advisor, programme, ProgrammeRole.ADVISOR)
    programme_member(researcher, programme, ProgrammeRole.RESEARCHER)
    needs = list(programme.needs.order_by("position"))
    own = make_trajectory(cohort, board=world.board, advisor=advisor, label="Casus 1", **period)
    imported = make_trajectory(other_cohort, label="Casus 2", imported=True)
    others = make_trajectory(cohort, advisor=other_advisor, label="Casus 3", **period)
    fourth = make_trajectory(cohort, label="Casus 4", **period)
    # The first need in all four cases, the second in one only.
    for trajectory in (own, imported, others, fourth):
        trajectory.needs.add(needs[0])
    own.needs.add(needs[1])
    foreign_programme = make_programme("ander-programma")
    foreign_cohort = make_cohort(foreign_programme, **period)
    programme_member(advisor, foreign_programme, ProgrammeRole.OFFICE)
    foreign = make_trajectory(foreign_cohort, board=world.board, advisor=advisor, **period)
    return Programmes(
        programme,
        cohort,
        other_cohort,
        office,
        advisor,
        other_advisor,
        researcher,
        own,
        imported,
        others,
        foreign,
        foreign_cohort,
    )


def _as(client, user):
    client.force_login(user)
    return client


def _log_url(p, trajectory=None):
    return url("programme_trajectory_log", p.programme.slug, (trajectory or p.own).pk)


def _body(p, **fields):
    body = {
        "intervention_id": p.programme.interventions.get(name="Coaching").pk,
        "on": str(timezone.localdate() - datetime.timedelta(days=7)),
        "with_whom": "De bestuurder",
        "note": "Eerste coachingsgesprek.",
    }
    return {**body, **fields}


# --- The user's programmes ------------------------------------------------------------------


def test_each_person_lists_their_own_programmes_with_their_roles(client, world, programmes):
    p = programmes
    answer = _as(client, p.advisor).get(url("programmes"))
    assert answer.status_code == 200
    assert [(r["slug"], r["roles"]) for r in answer.json()] == [
        ("bestuurders-api", ["advisor"]),
        ("ander-programma", ["office"]),
    ]
    answer = _as(client, world.users[Role.BOARD_EXECUTIVE]).get(url("programmes"))
    assert answer.json() == []


def test_the_programmes_need_signing_in(client, programmes):
    assert client.get(url("programmes")).status_code == 401


# --- Analytics ------------------------------------------------------------------------------


def test_a_researcher_reads_analytics_with_small_categories_suppressed(client, programmes):
    p = programmes
    answer = _as(client, p.researcher).get(url("programme_analytics", p.programme.slug))
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["programme"] == "bestuurders-api"
    assert data["threshold"] == 3
    figures = data["figures"]
    assert figures["cases"] == 4
    needs = {row["name"]: row["cases"] for row in figures["needs"]}
    first, second = p.programme.needs.order_by("position")[:2]
    # 3 of the 4 cases are in one cohort, the 4th alone in another: showing 4 would give the
    # lone case away (4 - 3), so the programme-wide count is withheld ("*").
    assert needs[first.name] == "*"
    assert needs[second.name] == "< 3"
    assert 1 not in needs.values() and 2 not in needs.values()
    # No board names, no case labels in research output.
    text = json.dumps(data)
    assert "Stichting Eigen" not in text and "Casus 1" not in text


def test_analytics_of_one_cohort_and_of_a_cohort_elsewhere(client, programmes):
    p = programmes
    client = _as(client, p.office)
    one = client.get(url("programme_analytics", p.programme.slug, cohort=p.cohort.pk))
    assert one.status_code == 200
    assert one.json()["cohort"] == {"id": p.cohort.pk, "name": "2026-2027"}
    assert one.json()["figures"]["cases"] == 3
    elsewhere = client.get(url("programme_analytics", p.programme.slug, cohort=p.foreign_cohort.pk))
    assert elsewhere.status_code == 404


def test_a_cohort_of_fewer_than_three_cases_shows_only_that(client, programmes):
    p = programmes
    answer = _as(client, p.researcher).get(
        url("programme_analytics", p.programme.slug, cohort=p.other_cohort.pk)
    )
    assert answer.status_code == 200
    assert answer.json()["figures"]["cases"] == "< 3"
    assert answer.json()["figures"]["needs"] == []


def test_analytics_are_for_the_office_and_researchers_only(client, world, programmes):
    p = programmes
    path = url("programme_analytics", p.programme.slug)
    assert _as(client, p.advisor).get(path).status_code == 403
    assert _as(client, world.users[Role.BOARD_EXECUTIVE]).get(path).status_code == 404
    assert (
        _as(client, p.researcher).get(url("programme_analytics", "ander-programma")).status_code
        == 404
    )


# --- Trajectory records ---------------------------------------------------------------------


def _labels(answer) -> list[str]:
    assert answer.status_code == 200, answer.content
    return sorted(row["label"] for row in answer.json())


def test_the_office_lists_every_trajectory_and_an_advisor_their_own(client, programmes):
    p = programmes
    path = url("programme_trajectories", p.programme.slug)
    assert _labels(_as(client, p.office).get(path)) == ["Casus 1", "Casus 2", "Casus 3", "Casus 4"]
    assert _labels(_as(client, p.advisor).get(path)) == ["Casus 1"]
    assert _labels(_as(client, p.other_advisor).get(path)) == ["Casus 3"]
    assert _as(client, p.researcher).get(path).status_code == 403
    narrowed = _as(client, p.office).get(
        url("programme_trajectories", p.programme.slug, cohort=p.other_cohort.pk)
    )
    assert _labels(narrowed) == ["Casus 2"]


def test_the_board_shows_in_a_trajectory_and_not_in_an_imported_case(client, world, programmes):
    p = programmes
    rows = {
        r["label"]: r
        for r in _as(client, p.office).get(url("programme_trajectories", p.programme.slug)).json()
    }
    assert rows["Casus 1"]["board"] == {"id": world.board.pk, "name": "Stichting Eigen"}
    assert rows["Casus 2"]["board"] is None and rows["Casus 2"]["imported"] is True


def test_the_advisor_reads_their_trajectorys_record(client, programmes):
    p = programmes
    InterventionLog.objects.create(
        trajectory=p.own,
        intervention=p.programme.interventions.get(name="Tegenspraak"),
        on=p.own.starts_on,
        with_whom="Bestuurder",
    )
    Consent.objects.create(trajectory=p.own, advisor=p.advisor)
    answer = _as(client, p.advisor).get(url("programme_trajectory", p.programme.slug, p.own.pk))
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["label"] == "Casus 1"
    assert [entry["intervention"] for entry in data["log"]] == ["Tegenspraak"]
    assert len(data["needs"]) == 2
    assert data["consent"]["standing"] is True
    assert data["attention"] is None
    # The record only: nothing of the board's quality data.
    assert not {"rounds", "picture", "results", "plans"} & set(data)


@pytest.mark.parametrize("who", ["other_advisor", "researcher"])
def test_another_advisor_and_a_researcher_get_404_on_a_trajectory(client, programmes, who):
    p = programmes
    path = url("programme_trajectory", p.programme.slug, p.own.pk)
    assert _as(client, getattr(p, who)).get(path).status_code == 404


def test_a_trajectory_of_another_programme_answers_404_under_this_one(client, programmes):
    p = programmes
    client = _as(client, p.office)
    assert (
        client.get(url("programme_trajectory", p.programme.slug, p.foreign.pk)).status_code == 404
    )
    assert client.get(url("programme_trajectory", "ander-programma", p.own.pk)).status_code == 404


# --- The advisor's log ----------------------------------------------------------------------


def test_the_advisor_logs_an_intervention(client, programmes):
    p = programmes
    answer = post(_as(client, p.advisor), _log_url(p), _body(p))
    assert answer.status_code == 201, answer.content
    assert answer.json()["intervention"] == "Coaching"
    entry = InterventionLog.objects.get(pk=answer.json()["id"])
    assert entry.trajectory == p.own and entry.recorded_by == p.advisor
    assert entry.with_whom == "De bestuurder"


def test_the_office_may_not_log_and_another_advisor_does_not_find_it(client, programmes):
    p = programmes
    assert post(_as(client, p.office), _log_url(p), _body(p)).status_code == 403
    assert post(_as(client, p.other_advisor), _log_url(p), _body(p)).status_code == 404
    assert post(_as(client, p.researcher), _log_url(p), _body(p)).status_code == 404
    # The advisor of another programme's trajectory, under this programme's slug.
    assert post(_as(client, p.advisor), _log_url(p, p.foreign), _body(p)).status_code == 404
    assert not InterventionLog.objects.exists()


def test_a_log_entry_outside_the_trajectory_is_refused_with_the_reason(client, english, programmes):
    p = programmes
    client = _as(english, p.advisor)
    before = str(p.own.starts_on - datetime.timedelta(days=1))
    answer = post(client, _log_url(p), _body(p, on=before))
    assert answer.status_code == 422
    assert "outside the trajectory" in answer.json()["errors"]["on"][0]
    future = str(timezone.localdate() + datetime.timedelta(days=1))
    answer = post(client, _log_url(p), _body(p, on=future))
    assert answer.status_code == 422
    assert "on" in answer.json()["errors"]
    assert not InterventionLog.objects.exists()


def test_an_intervention_of_another_programme_is_refused(client, programmes):
    p = programmes
    elsewhere = p.foreign.programme.interventions.get(name="Coaching")
    answer = post(_as(client, p.advisor), _log_url(p), _body(p, intervention_id=elsewhere.pk))
    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["intervention_id"]
    assert not InterventionLog.objects.exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("not json", 400),
        (json.dumps({"on": "2026-10-01"}), 422),
        (json.dumps({"intervention_id": 1, "on": "1 oktober"}), 422),
        (json.dumps({"intervention_id": 1, "on": "2026-10-01", "phase": "closed"}), 422),
        (json.dumps({"intervention_id": 0, "on": "2026-10-01"}), 422),
        (json.dumps({"intervention_id": 1, "on": "2026-10-01", "note": "x" * 4001}), 422),
    ],
)
def test_bad_bodies_answer_400_or_422_and_write_nothing(client, programmes, body, status):
    p = programmes
    answer = _as(client, p.advisor).post(_log_url(p), body, content_type="application/json")
    assert answer.status_code == status, answer.content
    assert answer.json()["detail"]
    assert not InterventionLog.objects.exists()


# --- The board's side -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER])
def test_the_board_office_lists_the_boards_trajectories(client, world, programmes, role):
    p = programmes
    Consent.objects.create(
        trajectory=p.own, advisor=p.advisor, withdrawn_at=timezone.now(), withdrawn_by=p.advisor
    )
    answer = as_user(client, world, role).get(url("board_trajectories", world.board.pk))
    assert answer.status_code == 200, answer.content
    rows = {(r["programme"]["slug"], r["label"]): r for r in answer.json()}
    assert set(rows) == {("bestuurders-api", "Casus 1"), ("ander-programma", p.foreign.label)}
    own = rows[("bestuurders-api", "Casus 1")]
    assert own["consent"]["standing"] is False and own["consent"]["withdrawn_at"]
    assert own["advisor"] == "A"


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADVISOR, Role.SCHOOL_LEADER])
def test_other_board_roles_may_not_list_the_trajectories(client, world, programmes, role):
    answer = as_user(client, world, role).get(url("board_trajectories", world.board.pk))
    assert answer.status_code == 403


def test_another_board_answers_404_and_anonymous_401(client, world, programmes):
    path = url("board_trajectories", world.board.pk)
    assert client.get(path).status_code == 401
    client.force_login(world.outsider)
    assert client.get(path).status_code == 404
    assert client.get(url("board_trajectories", world.other_board.pk)).json() == []
