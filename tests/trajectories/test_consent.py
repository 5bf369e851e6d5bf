"""Consent: granting lets the trajectory's advisor into the board's pages; withdrawing ends it
at once, keeps the trajectory's log, and never removes an advisor role the board gave itself."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stelsel.organisations.models import Membership
from stelsel.organisations.roles import Role
from stelsel.trajectories.casework import end_evaluation_record, intervention_log, phase_set
from stelsel.trajectories.consent import consent_grant, consent_withdraw
from stelsel.trajectories.models import Consent, InterventionLog, ProgrammeRole
from tests.factories import make_user
from tests.factories.trajectories import (
    make_cohort,
    make_programme,
    make_trajectory,
    programme_member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    programme = make_programme()
    advisor = make_user(name="Ada Adviseur")
    programme_member(advisor, programme, ProgrammeRole.ADVISOR)
    return make_trajectory(make_cohort(programme), board=world.board, advisor=advisor)


def _consent(client, trajectory, action):
    url = reverse("trajectories:board_consent", args=[trajectory.board_id, trajectory.pk])
    return client.post(url, {"action": action})


def test_granting_lets_the_advisor_in_and_withdrawing_ends_it_at_once(client, world, case):
    home = reverse("web:board_home", args=[world.board.pk])
    advisor_client = client.__class__()
    advisor_client.force_login(case.advisor)
    assert advisor_client.get(home).status_code == 404

    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    assert _consent(client, case, "grant").status_code == 302
    consent = Consent.objects.get(trajectory=case)
    assert consent.membership.role == Role.ADVISOR and consent.membership.user == case.advisor
    assert advisor_client.get(home).status_code == 200

    intervention = case.programme.interventions.first()
    intervention_log(
        trajectory=case,
        user=case.advisor,
        intervention=intervention,
        on=datetime.date(2026, 9, 15),
        today=datetime.date(2026, 10, 1),
    )
    assert _consent(client, case, "withdraw").status_code == 302
    assert advisor_client.get(home).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_by == world.users[Role.BOARD_EXECUTIVE]
    assert not Membership.objects.filter(user=case.advisor, board=world.board).exists()
    assert InterventionLog.objects.filter(trajectory=case).count() == 1

    # The advisor's trajectory page says so, and the log is still there.
    page = advisor_client.get(
        reverse("trajectories:trajectory", args=[case.programme.slug, case.pk])
    )
    assert page.status_code == 200
    assert intervention.name in page.content.decode()
    assert home not in page.content.decode()


def test_an_advisor_role_the_board_gave_itself_stays(world, case):
    own = Membership.objects.create(user=case.advisor, board=world.board, role=Role.ADVISOR)
    consent = consent_grant(trajectory=case, user=world.users[Role.BOARD_EXECUTIVE])
    assert consent.membership is None
    consent_withdraw(trajectory=case, user=world.users[Role.BOARD_EXECUTIVE])
    assert Membership.objects.filter(pk=own.pk).exists()


def test_consent_needs_a_matched_advisor_and_stands_once(world, case):
    executive = world.users[Role.BOARD_EXECUTIVE]
    case.advisor = None
    case.save()
    with pytest.raises(ValidationError) as caught:
        consent_grant(trajectory=case, user=executive)
    assert caught.value.code == "no_advisor"
    assert not Consent.objects.exists()
    with pytest.raises(ValidationError):
        consent_withdraw(trajectory=case, user=executive)


def test_granting_twice_is_refused(world, case):
    consent_grant(trajectory=case, user=world.users[Role.BOARD_EXECUTIVE])
    with pytest.raises(ValidationError) as caught:
        consent_grant(trajectory=case, user=world.users[Role.BOARD_EXECUTIVE])
    assert caught.value.code == "standing"
    assert Consent.objects.count() == 1


def test_only_the_executive_of_the_board_decides(client, world, case):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    assert _consent(client, case, "grant").status_code == 403
    client.force_login(world.outsider)
    assert _consent(client, case, "grant").status_code == 404
    client.force_login(case.advisor)
    assert _consent(client, case, "grant").status_code == 404
    assert not Consent.objects.exists()


def test_closing_the_trajectory_ends_the_consent_and_no_new_one_is_given(world, case):
    executive = world.users[Role.BOARD_EXECUTIVE]
    consent_grant(trajectory=case, user=executive)
    assert Membership.objects.filter(user=case.advisor, board=world.board).exists()
    end_evaluation_record(trajectory=case, text="We zien onze eigen rol nu scherper.")
    phase_set(trajectory=case, phase="closed")
    consent = Consent.objects.get(trajectory=case)
    assert consent.withdrawn_at is not None and consent.withdrawn_by is None
    assert not Membership.objects.filter(user=case.advisor, board=world.board).exists()
    with pytest.raises(ValidationError) as caught:
        consent_grant(trajectory=case, user=executive)
    assert caught.value.code == "closed"
