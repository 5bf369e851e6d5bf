"""The programme office: matching within capacity, the triangle conversations, people and
catalogues, and its pages per programme role."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stelsel.trajectories.catalogue_edits import (
    intervention_delete,
    intervention_save,
    need_save,
    triangle_questions_update,
)
from stelsel.trajectories.matching import trajectory_match
from stelsel.trajectories.members import programme_member_add, programme_member_remove
from stelsel.trajectories.models import (
    Application,
    ApplicationState,
    Intervention,
    InterventionLog,
    Phase,
    ProgrammeMembership,
    ProgrammeRole,
    TriangleConversation,
)
from stelsel.trajectories.triangle import triangle_record
from tests.factories import make_board, make_user
from tests.factories.trajectories import (
    make_cohort,
    make_programme,
    make_trajectory,
    programme_member,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 9, 1)


@dataclass
class Office:
    programme: object
    cohort: object
    office: object
    advisor: object
    researcher: object
    trajectory: object
    other_office: object  # office of another programme
    outsider: object  # no programme role


@pytest.fixture
def office():
    programme = make_programme()
    cohort = make_cohort(programme)
    people = {role: make_user() for role in ProgrammeRole.values}
    for role, user in people.items():
        programme_member(user, programme, role, capacity=1)
    other = make_programme()
    other_office = make_user()
    programme_member(other_office, other, ProgrammeRole.OFFICE)
    return Office(
        programme=programme,
        cohort=cohort,
        office=people["office"],
        advisor=people["advisor"],
        researcher=people["researcher"],
        trajectory=make_trajectory(cohort, board=make_board(), question="Vraag"),
        other_office=other_office,
        outsider=make_user(),
    )


def match(trajectory, advisor, **fields):
    fields.setdefault("starts_on", TODAY)
    fields.setdefault("commitment", "Twee uur per week en de schoolleiders doen mee.")
    return trajectory_match(trajectory=trajectory, advisor=advisor, **fields)


# Matching and the agreement.


def test_matching_records_the_agreement_and_moves_to_analysis(office):
    trajectory = match(office.trajectory, office.advisor, ends_on=None)
    assert trajectory.advisor == office.advisor
    assert trajectory.phase == Phase.ANALYSIS
    assert trajectory.ends_on == datetime.date(2027, 9, 1)  # the default year
    assert "schoolleiders" in trajectory.commitment


def test_matching_beyond_capacity_is_refused_unless_meant(office):
    match(office.trajectory, office.advisor)  # capacity 1: now full
    second = make_trajectory(office.cohort, board=make_board())
    with pytest.raises(ValidationError, match="1 of 1"):
        match(second, office.advisor)
    second.refresh_from_db()
    assert second.advisor is None and second.phase == Phase.INTAKE
    match(second, office.advisor, over_capacity=True)
    second.refresh_from_db()
    assert second.advisor == office.advisor


def test_a_closed_trajectory_does_not_count_to_the_load(office):
    make_trajectory(office.cohort, advisor=office.advisor, phase=Phase.CLOSED)
    assert match(office.trajectory, office.advisor).advisor == office.advisor


def test_only_an_advisor_of_the_programme_is_matched(office):
    for person in (office.researcher, office.office, office.outsider):
        with pytest.raises(ValidationError):
            match(office.trajectory, person)
    with pytest.raises(ValidationError):
        match(office.trajectory, office.advisor, ends_on=TODAY)  # not after the start
    with pytest.raises(ValidationError):
        match(office.trajectory, office.advisor, commitment=" ")
    office.trajectory.refresh_from_db()
    assert office.trajectory.advisor is None


# Triangle conversations.


def test_triangle_conversations_one_and_two_and_no_third(office):
    questions = office.programme.triangle_questions
    with pytest.raises(ValidationError, match="Match an advisor"):
        triangle_record(
            trajectory=office.trajectory,
            number=1,
            held_on=TODAY,
            answers=["a"] * len(questions),
            lead=office.office,
        )
    match(office.trajectory, office.advisor)
    with pytest.raises(ValidationError, match="first"):
        triangle_record(
            trajectory=office.trajectory,
            number=2,
            held_on=TODAY,
            answers=["a"] * len(questions),
            lead=office.office,
        )
    first = triangle_record(
        trajectory=office.trajectory,
        number=1,
        held_on=TODAY,
        answers=["Goed"] + [""] * (len(questions) - 1),
        lead=office.office,
    )
    assert first.report[0] == {"question": questions[0], "answer": "Goed"}
    assert first.lead == office.office
    triangle_record(
        trajectory=office.trajectory,
        number=2,
        held_on=TODAY,
        answers=["Beter"] * len(questions),
        lead=office.office,
    )
    with pytest.raises(ValidationError, match="1 and 2"):
        triangle_record(
            trajectory=office.trajectory,
            number=3,
            held_on=TODAY,
            answers=["x"] * len(questions),
            lead=office.office,
        )
    assert TriangleConversation.objects.filter(trajectory=office.trajectory).count() == 2


def test_a_report_keeps_its_questions_when_the_list_changes_and_can_be_corrected(office):
    match(office.trajectory, office.advisor)
    old = office.programme.triangle_questions
    triangle_record(
        trajectory=office.trajectory,
        number=1,
        held_on=TODAY,
        answers=["eerst"] * len(old),
        lead=office.office,
    )
    triangle_questions_update(programme=office.programme, questions=["Alleen deze vraag?"])
    conversation = triangle_record(
        trajectory=office.trajectory,
        number=1,
        held_on=TODAY,
        answers=["verbeterd"] * len(old),
        lead=office.office,
    )
    assert [item["question"] for item in conversation.report] == old
    assert conversation.history.count() == 2
    with pytest.raises(ValidationError):  # the wrong number of answers
        triangle_record(
            trajectory=office.trajectory,
            number=1,
            held_on=TODAY,
            answers=["kort"],
            lead=office.office,
        )


# People.


def test_people_are_added_by_their_account_and_the_last_office_stays(office):
    with pytest.raises(ValidationError, match="need an account"):
        programme_member_add(programme=office.programme, email="nobody@example.org", role="advisor")
    membership = programme_member_add(
        programme=office.programme,
        email=office.outsider.email.upper(),
        role="advisor",
        expertise="Kwaliteitszorg VO",
        capacity=3,
    )
    assert (membership.user, membership.capacity) == (office.outsider, 3)
    with pytest.raises(ValidationError, match="already"):
        programme_member_add(
            programme=office.programme, email=office.outsider.email, role="advisor"
        )
    last_office = ProgrammeMembership.objects.get(programme=office.programme, role="office")
    with pytest.raises(ValidationError, match="last office"):
        programme_member_remove(membership=last_office)
    match(office.trajectory, office.advisor)
    busy = ProgrammeMembership.objects.get(programme=office.programme, user=office.advisor)
    with pytest.raises(ValidationError, match="still runs"):
        programme_member_remove(membership=busy)
    programme_member_remove(membership=membership)
    assert not ProgrammeMembership.objects.filter(pk=membership.pk).exists()


# Catalogues.


def test_renaming_keeps_the_row_and_an_intervention_in_use_is_not_deleted(office):
    coaching = Intervention.objects.get(programme=office.programme, name="Coaching")
    InterventionLog.objects.create(trajectory=office.trajectory, intervention=coaching, on=TODAY)
    renamed = intervention_save(
        programme=office.programme,
        intervention=coaching,
        name="Coaching on the job",
        aim="B",
        kind="P",
    )
    assert renamed.pk == coaching.pk
    assert InterventionLog.objects.get().intervention.name == "Coaching on the job"
    with pytest.raises(ValidationError, match="cannot be deleted"):
        intervention_delete(intervention=renamed)
    assert Intervention.objects.filter(pk=coaching.pk).exists()
    with pytest.raises(ValidationError, match="already has"):
        intervention_save(programme=office.programme, name="tegenspraak", aim="B", kind="P")
    new = intervention_save(programme=office.programme, name="Intervisie", aim="B O", kind="I P")
    intervention_delete(intervention=new)
    assert not Intervention.objects.filter(pk=new.pk).exists()
    need = need_save(programme=office.programme, name="Nieuwe behoefte", field="context")
    assert need.programme == office.programme


# Pages per role.

OFFICE_PAGES = ["cohorts", "advisors", "people", "catalogues", "network"]


def test_the_office_opens_every_page(client, office):
    client.force_login(office.office)
    assert client.get(reverse("trajectories:programmes")).status_code == 200
    for name in ["programme", *OFFICE_PAGES]:
        response = client.get(reverse(f"trajectories:{name}", args=[office.programme.slug]))
        assert response.status_code == 200, name
    home = client.get(reverse("trajectories:programme", args=[office.programme.slug]))
    assert office.trajectory.board.name in home.content.decode()


@pytest.mark.parametrize("who", ["advisor", "researcher"])
def test_advisors_and_researchers_are_refused_the_office_pages(client, office, who):
    client.force_login(getattr(office, who))
    for name in OFFICE_PAGES:
        response = client.get(reverse(f"trajectories:{name}", args=[office.programme.slug]))
        assert response.status_code == 403, name
    home = client.get(reverse("trajectories:programme", args=[office.programme.slug]))
    assert home.status_code == 200
    shown = office.trajectory.board.name in home.content.decode()
    assert shown is False  # not yet this advisor's trajectory; never for a researcher


def test_an_advisor_sees_only_their_own_trajectories_on_the_home(client, office):
    match(office.trajectory, office.advisor)
    client.force_login(office.advisor)
    home = client.get(reverse("trajectories:programme", args=[office.programme.slug]))
    assert office.trajectory.label in home.content.decode()


@pytest.mark.parametrize("who", ["outsider", "other_office"])
def test_others_get_404(client, office, who):
    client.force_login(getattr(office, who))
    for name in ["programme", *OFFICE_PAGES]:
        response = client.get(reverse(f"trajectories:{name}", args=[office.programme.slug]))
        assert response.status_code == 404, name
    client.logout()
    response = client.get(reverse("trajectories:cohorts", args=[office.programme.slug]))
    assert response.status_code == 302  # to sign in


def test_the_programmes_page_has_an_empty_state(client, office):
    client.force_login(office.outsider)
    response = client.get(reverse("trajectories:programmes"))
    assert response.status_code == 200
    assert office.programme.name not in response.content.decode()


def test_admitting_through_the_page(client, office):
    application = Application.objects.create(
        cohort=office.cohort,
        board=make_board(),
        question="Vraag",
        criteria={"claimed": ["judged_insufficient"], "found": {}},
    )
    client.force_login(office.office)
    url = reverse("trajectories:application", args=[office.programme.slug, application.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "judged_insufficient" in page.content.decode()  # the criterion's checkbox
    decide = reverse(
        "trajectories:application_decide", args=[office.programme.slug, application.pk]
    )
    refused = client.post(decide, {"decision": "admit"})  # no criterion confirmed
    assert refused.status_code == 400
    response = client.post(decide, {"decision": "admit", "confirmed": ["judged_insufficient"]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.ADMITTED
    existing = int(office.trajectory.label.split()[-1])
    assert application.trajectory.label == f"Casus {existing + 1}"
    again = client.post(decide, {"decision": "refuse", "note": "Toch niet"})
    assert again.status_code == 400
    client.force_login(office.other_office)
    assert client.get(url).status_code == 404


def test_an_advisor_cannot_decide_applications(client, office):
    application = Application.objects.create(
        cohort=office.cohort, board=make_board(), question="Vraag"
    )
    client.force_login(office.advisor)
    decide = reverse(
        "trajectories:application_decide", args=[office.programme.slug, application.pk]
    )
    assert client.post(decide, {"decision": "refuse", "note": "x"}).status_code == 403
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_intake_and_match_post_back_to_the_trajectory_and_never_fail(client, office):
    client.force_login(office.office)
    args = [office.programme.slug, office.trajectory.pk]
    back = reverse("trajectories:trajectory", args=args)
    intake = reverse("trajectories:trajectory_intake", args=args)
    response = client.post(intake, {"on": "gisteren", "question": ""})
    assert (response.status_code, response["Location"]) == (302, back)
    response = client.post(
        intake, {"on": timezone.localdate().isoformat(), "notes": "n", "question": "Echt"}
    )
    assert response.status_code == 302
    office.trajectory.refresh_from_db()
    assert office.trajectory.question == "Echt"
    matching = reverse("trajectories:trajectory_match", args=args)
    bad = client.post(matching, {"advisor": office.researcher.pk, "starts_on": "2026-09-01"})
    assert (bad.status_code, bad["Location"]) == (302, back)
    good = client.post(
        matching,
        {"advisor": office.advisor.pk, "starts_on": "2026-09-01", "commitment": "Tijd"},
    )
    assert good.status_code == 302
    office.trajectory.refresh_from_db()
    assert office.trajectory.advisor == office.advisor
    client.force_login(office.advisor)
    assert client.post(intake, {"question": "x"}).status_code == 403


def test_the_triangle_page(client, office):
    match(office.trajectory, office.advisor)
    client.force_login(office.office)
    args = [office.programme.slug, office.trajectory.pk]
    assert (
        client.get(reverse("trajectories:trajectory_triangle", args=[*args, 3])).status_code == 404
    )
    url = reverse("trajectories:trajectory_triangle", args=[*args, 1])
    assert client.get(url).status_code == 200
    assert client.post(url, {"held_on": "nope"}).status_code == 400
    response = client.post(url, {"held_on": "2026-09-01", "answer_0": "Terugblik"})
    assert response.status_code == 302
    conversation = TriangleConversation.objects.get(trajectory=office.trajectory)
    assert conversation.report[0]["answer"] == "Terugblik"
    client.force_login(office.advisor)
    assert client.get(url).status_code == 403


def test_people_page_adds_and_refuses_unknown_people(client, office):
    client.force_login(office.office)
    url = reverse("trajectories:people", args=[office.programme.slug])
    response = client.post(url, {"action": "add", "email": "nobody@example.org", "role": "advisor"})
    assert response.status_code == 400
    response = client.post(
        url, {"action": "add", "email": office.outsider.email, "role": "researcher"}
    )
    assert response.status_code == 302
    assert ProgrammeMembership.objects.filter(user=office.outsider, role="researcher").exists()
    last = ProgrammeMembership.objects.get(programme=office.programme, role="office")
    response = client.post(url, {"action": "remove", "membership": last.pk})
    assert response.status_code == 302
    assert ProgrammeMembership.objects.filter(pk=last.pk).exists()


def test_catalogue_page_renames_and_refuses_deleting_what_is_in_use(client, office):
    coaching = Intervention.objects.get(programme=office.programme, name="Coaching")
    InterventionLog.objects.create(trajectory=office.trajectory, intervention=coaching, on=TODAY)
    client.force_login(office.office)
    url = reverse("trajectories:catalogues", args=[office.programme.slug])
    prefix = f"intervention-{coaching.pk}"
    response = client.post(
        url,
        {
            "action": "intervention_save",
            "item": coaching.pk,
            f"{prefix}-name": "Coachen",
            f"{prefix}-aim": "B",
            f"{prefix}-kind": "P",
        },
    )
    assert response.status_code == 302
    coaching.refresh_from_db()
    assert coaching.name == "Coachen"
    client.post(url, {"action": "intervention_delete", "item": coaching.pk})
    assert Intervention.objects.filter(pk=coaching.pk).exists()
    response = client.post(url, {"action": "questions_save", "questions": "Een\n\nTwee\n"})
    office.programme.refresh_from_db()
    assert office.programme.triangle_questions == ["Een", "Twee"]
    assert client.post(url, {"action": "bogus"}).status_code == 404
    assert client.get(url).status_code == 200


def test_cohort_page_adds_and_opens(client, office):
    client.force_login(office.office)
    url = reverse("trajectories:cohorts", args=[office.programme.slug])
    response = client.post(url, {"action": "create", "name": "2027-2028", "capacity": "5"})
    assert response.status_code == 302
    cohort = office.programme.cohorts.get(name="2027-2028")
    assert cohort.open_for_applications is False
    client.post(url, {"action": "open", "cohort": cohort.pk})
    cohort.refresh_from_db()
    assert cohort.open_for_applications is True
    assert client.post(url, {"action": "open", "cohort": 99999999999999999999}).status_code == 404
