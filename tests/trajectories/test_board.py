"""The board's side: applying (and what is refused), withdrawing, the trajectory page, the end
evaluation, the reflection round and the plan of approach."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stelsel.frameworks.services import LIBRARY_DIR as FRAMEWORKS
from stelsel.frameworks.services import frameworks_load
from stelsel.organisations.roles import Role
from stelsel.planning.models import Plan
from stelsel.selfevaluation.library import LIBRARY_DIR as QUESTIONNAIRES
from stelsel.selfevaluation.library import questionnaires_load
from stelsel.selfevaluation.models import RoundState
from stelsel.trajectories.applications import application_submit
from stelsel.trajectories.models import Application, ApplicationState, Phase
from tests.factories import make_board, make_user
from tests.factories.trajectories import make_cohort, make_programme, make_trajectory

pytestmark = pytest.mark.django_db


def _apply_url(board, cohort):
    return reverse("trajectories:board_apply", args=[board.pk, cohort.pk])


def _data(**extra):
    return {"question": "Hoe krijgen we zicht op de kwaliteit van onze scholen?", **extra}


@pytest.fixture
def cohort():
    return make_cohort(make_programme(), capacity=2)


def test_the_executive_applies_with_claims_and_findings(client, world, cohort):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    page = client.get(_apply_url(world.board, cohort))
    assert page.status_code == 200
    response = client.post(
        _apply_url(world.board, cohort),
        _data(motivation="De inspectie komt eraan.", criteria_any=["judged_insufficient"]),
    )
    assert response.status_code == 302
    application = Application.objects.get(board=world.board)
    assert application.state == ApplicationState.SUBMITTED
    assert application.applicant == world.users[Role.BOARD_EXECUTIVE]
    assert application.criteria["claimed"] == ["judged_insufficient"]
    assert set(application.criteria["found"]) == {
        "judged_insufficient",
        "risk_investigation",
        "development_assignments",
    }
    assert application.criteria["checked"]["risk_investigation"] == "unknown"
    assert not application.single_school_board  # the world's board has two schools


def test_the_support_page_offers_cohorts_only_to_the_executive(client, world, cohort):
    url = reverse("trajectories:board_support", args=[world.board.pk])
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    assert _apply_url(world.board, cohort) in client.get(url).content.decode()
    client.force_login(world.users[Role.QUALITY_OFFICER])
    page = client.get(url)
    assert page.status_code == 200
    assert _apply_url(world.board, cohort) not in page.content.decode()
    client.force_login(world.users[Role.SUPERVISOR])
    assert client.get(url).status_code == 403


def test_a_full_cohort_is_refused(english, world, cohort):
    client = english
    for _ in range(2):
        other = make_board()
        Application.objects.create(
            cohort=cohort, board=other, question="x", state=ApplicationState.ADMITTED
        )
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    response = client.post(_apply_url(world.board, cohort), _data())
    assert response.status_code == 200
    assert "This cohort is full" in response.content.decode()
    assert not Application.objects.filter(board=world.board).exists()


def test_a_board_applying_twice_is_refused_in_any_cohort(english, world, cohort):
    client = english
    later = make_cohort(cohort.programme, name="2027-2028")
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    assert client.post(_apply_url(world.board, cohort), _data()).status_code == 302
    response = client.post(_apply_url(world.board, later), _data())
    assert response.status_code == 200
    assert "a board applies once" in response.content.decode()
    assert Application.objects.filter(board=world.board).count() == 1


def test_a_running_trajectory_counts_as_applied(world, cohort):
    make_trajectory(cohort, board=world.board)
    with pytest.raises(ValidationError) as caught:
        application_submit(
            cohort=cohort, board=world.board, applicant=None, question="Nog een keer"
        )
    assert caught.value.code == "twice"
    assert not Application.objects.exists()


def test_a_closed_cohort_is_not_found_and_refused_by_the_service(client, world, cohort):
    cohort.open_for_applications = False
    cohort.save()
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    assert client.post(_apply_url(world.board, cohort), _data()).status_code == 404
    with pytest.raises(ValidationError) as caught:
        application_submit(cohort=cohort, board=world.board, applicant=None, question="Vraag")
    assert caught.value.code == "closed"
    assert not Application.objects.exists()


def test_an_empty_question_is_refused(client, world, cohort):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    response = client.post(_apply_url(world.board, cohort), {"question": "   "})
    assert response.status_code == 200
    with pytest.raises(ValidationError):
        application_submit(cohort=cohort, board=world.board, applicant=None, question=" ")
    assert not Application.objects.exists()


def test_only_the_executive_applies_and_only_for_their_own_board(client, world, cohort):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    assert client.post(_apply_url(world.board, cohort), _data()).status_code == 403
    client.force_login(world.outsider)
    assert client.post(_apply_url(world.board, cohort), _data()).status_code == 404
    assert not Application.objects.filter(board=world.board).exists()


def test_the_executive_withdraws_a_waiting_application(client, world, cohort):
    application = application_submit(
        cohort=cohort, board=world.board, applicant=None, question="Vraag"
    )
    url = reverse("trajectories:board_application_withdraw", args=[world.board.pk, application.pk])
    client.force_login(world.outsider)
    assert client.post(url).status_code == 404
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    assert client.post(url).status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    # Withdrawn, the board may apply again.
    application_submit(cohort=cohort, board=world.board, applicant=None, question="Opnieuw")


def _trajectory_url(name, trajectory):
    return reverse(f"trajectories:{name}", args=[trajectory.board_id, trajectory.pk])


def test_the_board_reads_its_own_trajectory_only(client, world, cohort):
    advisor = make_user(name="Ada Adviseur")
    trajectory = make_trajectory(cohort, board=world.board, advisor=advisor, question="Onze vraag")
    elsewhere = make_trajectory(cohort, board=world.other_board)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    page = client.get(_trajectory_url("board_trajectory", trajectory))
    assert page.status_code == 200
    assert "Ada Adviseur" in page.content.decode()
    url = reverse("trajectories:board_trajectory", args=[world.board.pk, elsewhere.pk])
    assert client.get(url).status_code == 404


def test_the_executive_writes_the_end_evaluation(client, world, cohort):
    trajectory = make_trajectory(cohort, board=world.board)
    url = _trajectory_url("board_evaluation", trajectory)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    assert client.post(url, {"text": "Goed"}).status_code == 403
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    assert client.post(url, {"text": "Helder over onze rol."}).status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.end_evaluation == "Helder over onze rol."
    assert trajectory.end_evaluated_at is not None


def test_the_board_office_starts_the_reflection_round(client, world, cohort):
    frameworks_load([FRAMEWORKS / "bestuur-bka-2021.yaml"])
    questionnaires_load([QUESTIONNAIRES / "reflectie-bestuur-bka.yaml"])
    trajectory = make_trajectory(cohort, board=world.board)
    url = _trajectory_url("board_round", trajectory)
    client.force_login(world.users[Role.SUPERVISOR])
    assert client.post(url).status_code == 403
    client.force_login(world.users[Role.QUALITY_OFFICER])
    assert client.post(url).status_code == 302
    trajectory.refresh_from_db()
    round_ = trajectory.round
    assert round_.board == world.board and round_.school is None
    assert round_.state == RoundState.DRAFT
    assert round_.questionnaire_version.questionnaire.slug == "reflectie-bestuur-bka"
    assert client.post(url).status_code == 302  # a second round is refused, not made
    trajectory.refresh_from_db()
    assert trajectory.round == round_


def test_the_plan_of_approach_is_started_or_linked(client, world, cohort):
    trajectory = make_trajectory(cohort, board=world.board)
    url = _trajectory_url("board_plan", trajectory)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    assert client.post(url, {"plan": ""}).status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.plan.title.startswith("Plan")
    assert cohort.programme.name in trajectory.plan.title
    assert trajectory.plan.starts_on == datetime.date(2026, 9, 1)
    other = Plan.objects.create(
        board=world.other_board,
        kind="improvement",
        title="Niet van ons",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    client.post(url, {"plan": other.pk})
    trajectory.refresh_from_db()
    assert trajectory.plan != other


def test_a_closed_trajectory_shows_no_evaluation_form(client, world, cohort):
    trajectory = make_trajectory(
        cohort, board=world.board, phase=Phase.CLOSED, end_evaluation="Klaar"
    )
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    page = client.get(_trajectory_url("board_trajectory", trajectory)).content.decode()
    assert _trajectory_url("board_evaluation", trajectory) not in page
    assert "Klaar" in page
