"""Support programmes under hostile use: malformed, huge and foreign input on every route that
writes, hostile import files, the command's JSON, and the doors of each role. Nothing answers
500 and nothing is written halfway."""

import datetime
import io
import json
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from stelsel.organisations.roles import Role
from stelsel.trajectories import applications, casework, consent
from stelsel.trajectories.importer import ProgrammeFileError, cohorts_import
from stelsel.trajectories.models import (
    Application,
    Cohort,
    InterventionLog,
    PeerGroup,
    PeerMeeting,
    Phase,
    ProgrammeRole,
    Trajectory,
)
from tests.factories import make_user
from tests.factories.trajectories import (
    make_cohort,
    make_programme,
    make_trajectory,
    programme_member,
)

pytestmark = pytest.mark.django_db

HUGE_ID = str(2**63)
HUGER_ID = str(2**70)
MEGABYTE = "x" * (1024 * 1024)


class Case:
    def __init__(self, world):
        today = timezone.localdate()
        self.world = world
        self.programme = make_programme("weerbaar", name="Weerbaar")
        self.other_programme = make_programme("ander", name="Ander programma")
        self.cohort = make_cohort(self.programme, "2025-2026")
        self.office, self.advisor, self.other_advisor, self.researcher = (
            make_user(name=n) for n in ("Bureau", "Ada", "Bert", "Rosa")
        )
        programme_member(self.office, self.programme, ProgrammeRole.OFFICE)
        programme_member(self.advisor, self.programme, ProgrammeRole.ADVISOR)
        programme_member(self.other_advisor, self.other_programme, ProgrammeRole.ADVISOR)
        programme_member(self.researcher, self.programme, ProgrammeRole.RESEARCHER)
        self.trajectory = make_trajectory(
            self.cohort,
            board=world.board,
            advisor=self.advisor,
            label="Casus 1",
            question="Hoe sturen we op kwaliteit?",
            starts_on=today - datetime.timedelta(days=90),
            ends_on=today + datetime.timedelta(days=270),
        )
        self.foreign = make_trajectory(
            make_cohort(self.other_programme, "2025-2026"),
            advisor=self.other_advisor,
            label="Casus 1",
        )
        self.coaching = self.programme.interventions.get(name="Coaching")
        self.foreign_coaching = self.other_programme.interventions.get(name="Coaching")

    def url(self, name, *args):
        return reverse(f"trajectories:{name}", args=[self.programme.slug, *args])

    def turl(self, name="trajectory"):
        return self.url(name, self.trajectory.pk)


@pytest.fixture
def case(world):
    return Case(world)


def _count_rows():
    return (
        Application.objects.count(),
        Trajectory.objects.count(),
        InterventionLog.objects.count(),
        Cohort.objects.count(),
        PeerGroup.objects.count(),
        PeerMeeting.objects.count(),
    )


# Every POST route with bad input: a clear 4xx or a redirect with a message, never a 500.


def _advisor_routes(case):
    return [
        case.turl("trajectory_log"),
        case.turl("trajectory_attention"),
        case.turl("trajectory_recontract"),
        case.turl("trajectory_phase"),
        case.turl("trajectory_needs"),
        case.turl("trajectory_insights"),
    ]


def _office_routes(case):
    group = PeerGroup.objects.create(
        programme=case.programme, cohort=case.cohort, name="Klein", size_band="small"
    )
    meeting = PeerMeeting.objects.create(group=group, held_on=datetime.date(2025, 1, 1), topic="T")
    return [
        case.url("cohorts"),
        case.url("people"),
        case.url("catalogues"),
        case.turl("trajectory_intake"),
        case.turl("trajectory_match"),
        case.url("trajectory_triangle", case.trajectory.pk, 1),
        case.url("network"),
        case.url("peer_group", group.pk),
        case.url("peer_meeting", group.pk, meeting.pk),
    ]


HOSTILE_BODIES = [
    {},
    {"action": "add"},
    {"action": "create", "name": MEGABYTE},
    {"action": "open", "cohort": HUGE_ID},
    {"action": "close", "cohort": "-1"},
    {"action": "remove", "membership": "abc"},
    {"action": "remove", "trajectory": HUGER_ID},
    {"action": "need_delete", "item": HUGE_ID},
    {"action": "intervention_save", "item": "1e3"},
    {"action": "quadrant_save", "item": "-5"},
    {"action": "meeting", "held_on": "0000-01-01", "topic": MEGABYTE},
    {"action": "add", "trajectories": [HUGE_ID, "x"]},
    {"intervention": HUGE_ID, "on": "9999-12-31", "note": MEGABYTE},
    {"intervention": "-1", "on": "2025-02-30"},
    {"on": "0001-01-01", "question": MEGABYTE, "notes": MEGABYTE},
    {"advisor": HUGE_ID, "starts_on": "31-12-2025", "commitment": ""},
    {"person_directing": "2.5", "person_executing": "x", "organisation_directing": "-1"},
    {"question": MEGABYTE, "reason": "r", "revision": HUGE_ID},
    {"question": "q", "reason": "r", "revision": "-3"},
    {"phase": "exploded"},
    {"needs_board_action": [HUGE_ID, "-1", "a"]},
    {"insights": MEGABYTE},
    {"held_on": "0001-01-01", "answer_0": MEGABYTE},
    {"present": [HUGE_ID, "²", "-1", "x"]},
    {"cohort": HUGE_ID, "name": "G", "size_band": "galactic"},
]


@pytest.mark.parametrize("body", HOSTILE_BODIES, ids=range(len(HOSTILE_BODIES)))
def test_no_programme_route_answers_500_to_hostile_input(client, case, body):
    client.raise_request_exception = True
    before = _count_rows()
    routes = [(case.advisor, r) for r in _advisor_routes(case)]
    routes += [(case.office, r) for r in _office_routes(case)]
    before = _count_rows()
    for user, route in routes:
        client.force_login(user)
        response = client.post(route, body)
        assert response.status_code in (200, 302, 400, 403, 404, 409), (route, body)
    assert _count_rows() == before


@pytest.mark.parametrize("bad", ["-1", "0", "abc", HUGE_ID, HUGER_ID, "1" * 400])
def test_ids_that_are_not_ids_answer_404(client, case, bad):
    client.force_login(case.office)
    for path in [
        f"/programmas/{case.programme.slug}/trajecten/{bad}/",
        f"/programmas/{case.programme.slug}/aanmeldingen/{bad}/",
        f"/programmas/{case.programme.slug}/netwerk/{bad}/",
        f"/programmas/{case.programme.slug}/analyse/?cohort={bad}",
        f"/programmas/{case.programme.slug}/analyse/?compare={bad}",
    ]:
        assert client.get(path).status_code == 404, path
    client.force_login(case.world.users[Role.BOARD_EXECUTIVE])
    board = case.world.board.pk
    for path in [
        f"/besturen/{board}/ondersteuning/{bad}/",
        f"/besturen/{board}/ondersteuning/aanmelden/{bad}/",
    ]:
        assert client.get(path).status_code == 404, path
    assert client.post(f"/besturen/{board}/ondersteuning/{bad}/toestemming/").status_code == 404


def test_the_api_log_refuses_ids_beyond_the_database(client, case):
    client.force_login(case.advisor)
    path = reverse("api:programme_trajectory_log", args=[case.programme.slug, case.trajectory.pk])
    for bad in [2**63, 2**70, -1, "abc", 1.5, None, True]:
        response = client.post(
            path,
            json.dumps({"intervention_id": bad, "on": "2025-10-01"}),
            content_type="application/json",
        )
        assert response.status_code in (400, 422), bad
    for body in ["[]", '"x"', "1", '{"intervention_id": 1, "on": "0000-00-00"}', "{" * 5000]:
        response = client.post(path, body, content_type="application/json")
        assert response.status_code in (400, 422), body
    assert not InterventionLog.objects.exists()


def test_the_api_log_refuses_another_programmes_intervention(client, case):
    client.force_login(case.advisor)
    path = reverse("api:programme_trajectory_log", args=[case.programme.slug, case.trajectory.pk])
    body = {"intervention_id": case.foreign_coaching.pk, "on": str(timezone.localdate())}
    assert client.post(path, json.dumps(body), content_type="application/json").status_code == 422
    assert not InterventionLog.objects.exists()


def test_a_log_with_another_programmes_intervention_is_refused(client, case):
    client.force_login(case.advisor)
    response = client.post(
        case.turl("trajectory_log"),
        {"intervention": case.foreign_coaching.pk, "on": str(timezone.localdate())},
    )
    assert response.status_code == 400
    assert not InterventionLog.objects.exists()


# Attention points.


@pytest.mark.parametrize(
    "points",
    [
        {"person_directing": 5, "person_executing": -1},
        {"person_directing": -1},
        {"person_directing": 1.0},
        {"person_directing": "1"},
        {"person_directing": True},
        {"person_directing": 2**63},
        {"person_directing": 3},
    ],
)
def test_attention_points_refuse_what_is_not_four_whole_points(case, points):
    full = {
        "person_directing": 1,
        "person_executing": 1,
        "organisation_directing": 1,
        "organisation_executing": 1,
    }
    with pytest.raises(ValidationError):
        casework.attention_set(trajectory=case.trajectory, points={**full, **points})
    case.trajectory.refresh_from_db()
    assert case.trajectory.attention is None


def test_attention_with_an_unknown_quadrant_is_refused(case):
    with pytest.raises(ValidationError):
        casework.attention_set(
            trajectory=case.trajectory,
            points={
                "person_directing": 4,
                "person_executing": 0,
                "organisation_directing": 0,
                "organisation_executing": 0,
                "elsewhere": 0,
            },
        )


def test_the_attention_form_answers_400_to_five_and_minus_one(client, case):
    client.force_login(case.advisor)
    response = client.post(
        case.turl("trajectory_attention"),
        {
            "person_directing": "5",
            "person_executing": "-1",
            "organisation_directing": "0",
            "organisation_executing": "0",
        },
    )
    assert response.status_code == 400
    case.trajectory.refresh_from_db()
    assert case.trajectory.attention is None


# The log's dates.


@pytest.mark.parametrize(
    "day", ["0001-01-01", "9999-12-31", "2025-02-29", "yesterday", "", "2025-13-01"]
)
def test_the_log_refuses_dates_outside_in_the_future_or_malformed(client, case, day):
    client.force_login(case.advisor)
    response = client.post(
        case.turl("trajectory_log"), {"intervention": case.coaching.pk, "on": day}
    )
    assert response.status_code == 400
    assert not InterventionLog.objects.exists()


def test_the_log_refuses_a_day_long_ago_when_no_period_is_known(case):
    case.trajectory.starts_on = case.trajectory.ends_on = None
    case.trajectory.save()
    case.cohort.starts_on = case.cohort.ends_on = None
    case.cohort.save()
    trajectory = Trajectory.objects.get(pk=case.trajectory.pk)
    with pytest.raises(ValidationError):
        casework.intervention_log(
            trajectory=trajectory,
            user=case.advisor,
            intervention=case.coaching,
            on=datetime.date(1, 1, 1),
        )
    assert not InterventionLog.objects.exists()


def test_a_stale_revision_answers_409_and_changes_nothing(client, case):
    client.force_login(case.advisor)
    body = {"question": "Nieuw", "reason": "Veranderd", "revision": case.trajectory.revision}
    assert client.post(case.turl("trajectory_recontract"), body).status_code == 302
    body["question"] = "Nog nieuwer"
    assert client.post(case.turl("trajectory_recontract"), body).status_code == 409
    case.trajectory.refresh_from_db()
    assert case.trajectory.question == "Nieuw"


def test_a_log_sent_twice_is_stored_once(client, case):
    client.force_login(case.advisor)
    body = {"intervention": case.coaching.pk, "on": str(timezone.localdate()), "note": "Sessie"}
    assert client.post(case.turl("trajectory_log"), body).status_code == 302
    assert client.post(case.turl("trajectory_log"), body).status_code == 400
    assert InterventionLog.objects.count() == 1
    body["note"] = "Tweede sessie"
    assert client.post(case.turl("trajectory_log"), body).status_code == 302
    assert InterventionLog.objects.count() == 2


def test_a_peer_group_sent_twice_is_created_once(client, case):
    client.force_login(case.office)
    body = {"cohort": case.cohort.pk, "name": "Kleine besturen", "size_band": "small"}
    assert client.post(case.url("network"), body).status_code == 302
    assert client.post(case.url("network"), {**body, "name": "kleine besturen"}).status_code == 400
    assert PeerGroup.objects.count() == 1


def test_attendance_with_digits_int_cannot_read_is_refused(client, case):
    group = PeerGroup.objects.create(
        programme=case.programme, cohort=case.cohort, name="Klein", size_band="small"
    )
    group.trajectories.add(case.trajectory)
    meeting = PeerMeeting.objects.create(group=group, held_on=datetime.date(2025, 1, 1), topic="T")
    client.force_login(case.office)
    response = client.post(
        case.url("peer_meeting", group.pk, meeting.pk), {"present": [case.trajectory.pk, "²"]}
    )
    assert response.status_code == 302
    assert not meeting.attendance.exists()


# Applying.


@pytest.fixture
def executive(client, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    return client


def _apply(client, world, cohort, **extra):
    return client.post(
        reverse("trajectories:board_apply", args=[world.board.pk, cohort.pk]),
        {"question": "Hulp bij kwaliteitszorg", **extra},
    )


def test_a_board_applies_once_also_to_a_second_cohort(executive, world):
    programme = make_programme(sector=world.board.sector)
    first, second = make_cohort(programme, "A"), make_cohort(programme, "B")
    assert _apply(executive, world, first).status_code == 302
    assert _apply(executive, world, first).status_code == 200
    assert _apply(executive, world, second).status_code == 200
    assert Application.objects.filter(board=world.board).count() == 1


def test_a_full_closed_or_foreign_sector_cohort_refuses(executive, world):
    programme = make_programme(sector=world.board.sector)
    full = make_cohort(programme, "Vol", capacity=1)
    other_board_application = Application.objects.create(
        cohort=full, board=world.other_board, question="q", state="admitted"
    )
    assert other_board_application.pk
    assert _apply(executive, world, full).status_code == 200
    closed = make_cohort(programme, "Dicht", open_for_applications=False)
    assert _apply(executive, world, closed).status_code == 404
    foreign_sector = "vo" if world.board.sector == "po" else "po"
    foreign = make_cohort(make_programme(sector=foreign_sector), "Elders")
    assert _apply(executive, world, foreign).status_code == 404
    assert not Application.objects.filter(board=world.board).exists()


def test_an_unknown_criterion_is_refused(executive, world):
    programme = make_programme(sector=world.board.sector)
    programme.eligibility = {
        "multi_school": {"any": [{"key": "known", "text": "Bekend", "check": ""}]},
        "single_school": {"any": [{"key": "known", "text": "Bekend", "check": ""}]},
    }
    programme.save()
    cohort = make_cohort(programme)
    response = _apply(executive, world, cohort, criteria_any=["invented"])
    assert response.status_code == 200
    assert not Application.objects.exists()
    with pytest.raises(ValidationError):
        applications.application_submit(
            cohort=cohort,
            board=world.board,
            applicant=world.users[Role.BOARD_EXECUTIVE],
            question="q",
            claimed=["invented"],
        )
    assert not Application.objects.exists()


def test_the_service_refuses_another_sectors_programme(world):
    foreign_sector = "vo" if world.board.sector == "po" else "po"
    cohort = make_cohort(make_programme(sector=foreign_sector))
    with pytest.raises(ValidationError) as caught:
        applications.application_submit(
            cohort=cohort, board=world.board, applicant=None, question="Hulp"
        )
    assert caught.value.code == "sector"
    assert not Application.objects.exists()


@pytest.mark.parametrize("role", [Role.SCHOOL_LEADER, Role.STAFF, Role.QUALITY_OFFICER])
def test_only_the_executive_applies(client, world, role):
    cohort = make_cohort(make_programme(sector=world.board.sector))
    client.force_login(world.users[role])
    response = _apply(client, world, cohort)
    assert response.status_code in (403, 404)
    assert not Application.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need a database with them")
@pytest.mark.django_db(transaction=True)
def test_two_cohorts_of_one_programme_at_once_give_one_application(world):
    """Two requests of one board, each to another cohort of the same programme: the second
    waits for the first and is refused, instead of both passing the check."""
    from django.db import connections

    programme = make_programme(sector=world.board.sector)
    first, second = make_cohort(programme, "A"), make_cohort(programme, "B")
    executive = world.users[Role.BOARD_EXECUTIVE]
    submitted, release = threading.Event(), threading.Event()
    outcome = {}

    def hold_first():
        try:
            with transaction.atomic():
                applications.application_submit(
                    cohort=first, board=world.board, applicant=executive, question="q"
                )
                submitted.set()
                release.wait(10)
        finally:
            connections.close_all()

    def try_second():
        try:
            applications.application_submit(
                cohort=second, board=world.board, applicant=executive, question="q"
            )
            outcome["second"] = "admitted"
        except ValidationError as exc:
            outcome["second"] = exc.messages
        finally:
            connections.close_all()

    one = threading.Thread(target=hold_first)
    one.start()
    assert submitted.wait(10)
    two = threading.Thread(target=try_second)
    two.start()
    time.sleep(0.5)
    release.set()
    one.join(10)
    two.join(10)
    assert outcome["second"] != "admitted"
    assert Application.objects.filter(board=world.board).count() == 1


# Import of hostile files.


def _problems(text: str) -> list[str]:
    with pytest.raises(ProgrammeFileError) as caught:
        cohorts_import(text=text)
    return [str(p) for p in caught.value.problems]


GOOD_CASE = "      - label: Casus 1\n        needs: [De basis op orde]\n"
HEAD = "programme: vijandig\nname: Vijandig\nsector: vo\ncohorts:\n  - name: '2021'\n    cases:\n"
LOGGED = HEAD + "      - label: Casus 1\n        interventions: [{{name: Coaching, date: {day}}}]\n"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\ufeff",
        "- a\n- b\n",
        "just a string\n",
        "42\n",
        "programme: !!python/object:os.system {}\n",
        "programme: !!python/object/apply:os.system ['true']\n",
        "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
        "programme: vijandig\nname: Vijandig\nsector: vo\ncohorts: {name: x}\n",
        "programme: vijandig\nname: Vijandig\nsector: vo\ncohorts: [[1, 2]]\n",
        HEAD + "      - label: 12\n",
        HEAD + "      - label: Casus 1\n        needs: De basis op orde\n",
        HEAD + "      - label: Casus 1\n        interventions: Coaching\n",
        HEAD + "      - label: Casus 1\n        interventions: [{name: 7, date: 2021-01-01}]\n",
        HEAD + '      - label: "Casus\\u0007 1"\n',
        HEAD + '      - label: "Casus\\u202e 1"\n',
        HEAD + '      - label: "   "\n',
        HEAD
        + "      - label: Casus 1\n        interventions: [{name: Coaching, date: 0001-01-01}]\n",
        HEAD
        + "      - label: Casus 1\n        interventions: [{name: Coaching, date: 9999-12-31}]\n",
        HEAD
        + "      - label: Casus 1\n        interventions: [{name: Coaching, date: 2021-02-30}]\n",
        HEAD
        + "      - label: Casus 1\n        attention: {person_directing: 4.0, person_executing: 0,"
        " organisation_directing: 0, organisation_executing: 0}\n",
        HEAD + "      - label: Casus 1\n        attention: [4, 0, 0, 0]\n",
        "programme: 12\nname: 13\nsector: vo\ncohorts: [{name: 2021, cases: [{label: a}]}]\n",
        HEAD.replace("'2021'", '"2021\\u0000"') + GOOD_CASE,
    ],
)
def test_a_hostile_file_is_refused_with_problems_and_writes_nothing(text):
    problems = _problems(text)
    assert problems and all(":" in p for p in problems)
    assert not Trajectory.objects.exists()


def test_names_are_stored_without_their_surrounding_spaces():
    cohorts_import(text=HEAD.replace("'2021'", "' 2021 '") + "      - label: ' Casus 1 '\n")
    trajectory = Trajectory.objects.get()
    assert (trajectory.cohort.name, trajectory.label) == ("2021", "Casus 1")


def test_a_bom_before_a_good_file_is_read():
    summary = cohorts_import(text="\ufeff" + HEAD + GOOD_CASE)
    assert summary.cases == 1


def test_a_cohort_name_clash_is_refused_whatever_its_case_or_spaces():
    programme = make_programme("vijandig", sector="vo")
    make_cohort(programme, "Jaargang A")
    for name in ["Jaargang A", "jaargang a", " Jaargang A "]:
        text = HEAD.replace("'2021'", repr(name)) + GOOD_CASE
        assert any("already exists" in p for p in _problems(text)), name
    assert not Trajectory.objects.exists()


def test_a_top_level_that_is_not_a_mapping_says_what_is_expected():
    (problem,) = _problems("- programme: x\n")
    assert "programme" in problem and "version" not in problem


def test_a_file_of_twenty_thousand_cases_is_imported_whole():
    """Every case of a large file arrives (bench/programme.py times the largest file a
    programme may upload)."""
    head = HEAD.replace("    cases:\n", "    cases: [")
    text = head + ", ".join(f"{{label: C{n}}}" for n in range(20_000)) + "]\n"
    summary = cohorts_import(text=text)
    assert summary.cases == 20_000
    labels = set(Trajectory.objects.values_list("label", flat=True))
    assert len(labels) == 20_000 and {"C0", "C19999"} <= labels


# The command's JSON.


def test_the_json_has_five_keys_of_the_documented_types(case):
    text = HEAD + (
        "      - label: Casus 1\n        needs: [De basis op orde]\n"
        "        interventions: [{name: Coaching, date: 2021-01-04},"
        " {name: 'Gesprek met staf', date: 2021-01-05}]\n"
        "        attention: {person_directing: 1, person_executing: 1,"
        " organisation_directing: 1, organisation_executing: 1}\n"
        "      - label: Casus 2\n        attention: {person_directing: 3, person_executing: 1,"
        " organisation_directing: 0, organisation_executing: 0}\n"
    )
    cohorts_import(text=text)
    out = io.StringIO()
    call_command("programme", "analytics", "vijandig", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"cases", "needs", "interventions", "totals", "attention"}
    assert isinstance(data["cases"], int) and data["cases"] == 2
    for row in data["needs"]:
        assert set(row) == {"name", "cases"}
    for row in data["interventions"]:
        assert set(row) == {"name", "cases", "aim", "kind"}
        assert row["aim"] in ("B", "O", "B O") and row["kind"] in ("I", "P", "I P")
    assert set(data["totals"]) == {"B", "O", "I", "P"}
    assert all(isinstance(v, int) for v in data["totals"].values())
    assert set(data["attention"]) == {"person", "organisation", "directing", "executing"}
    for value in data["attention"].values():
        assert isinstance(value, float) and round(value, 1) == value


@pytest.mark.parametrize("args", [["nergens"], ["weerbaar", "--cohort", "1999"]])
def test_an_unknown_slug_or_cohort_is_an_error_with_nothing_on_stdout(case, args):
    """A CommandError, which the command line turns into exit code 1 and a line on stderr."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("programme", "analytics", *args, "--json", stdout=out, stderr=err)
    assert caught.value.returncode == 1
    assert args[-1] in str(caught.value)
    assert out.getvalue() == ""


# The doors.


def test_after_withdrawal_the_advisor_is_out_of_the_boards_pages(client, case):
    board = case.world.board
    consent.consent_grant(trajectory=case.trajectory, user=case.world.users[Role.BOARD_EXECUTIVE])
    client.force_login(case.advisor)
    home = reverse("web:board_home", args=[board.pk])
    assert client.get(home).status_code == 200
    consent.consent_withdraw(trajectory=case.trajectory, user=None)
    assert client.get(home).status_code == 404
    assert client.get(case.turl()).status_code == 200  # the record itself stays theirs


def test_after_closing_the_advisor_is_out_of_the_boards_pages(client, case):
    board = case.world.board
    consent.consent_grant(trajectory=case.trajectory, user=case.world.users[Role.BOARD_EXECUTIVE])
    casework.end_evaluation_record(trajectory=case.trajectory, text="Goed")
    client.force_login(case.advisor)
    assert client.post(case.turl("trajectory_phase"), {"phase": Phase.CLOSED}).status_code == 302
    assert client.get(reverse("web:board_home", args=[board.pk])).status_code == 404


def test_an_advisor_of_another_programme_gets_404_by_id(client, case):
    client.force_login(case.other_advisor)
    assert client.get(case.turl()).status_code == 404
    wrong_slug = reverse("trajectories:trajectory", args=["ander", case.trajectory.pk])
    assert client.get(wrong_slug).status_code == 404
    assert (
        client.post(
            reverse("trajectories:trajectory_log", args=["ander", case.trajectory.pk]),
            {"intervention": case.foreign_coaching.pk, "on": str(timezone.localdate())},
        ).status_code
        == 404
    )
    api = reverse("api:programme_trajectory", args=["ander", case.trajectory.pk])
    assert client.get(api).status_code == 404
    assert not InterventionLog.objects.exists()


def test_the_office_does_not_reach_the_boards_quality_pages(client, case):
    client.force_login(case.office)
    board = case.world.board.pk
    for name in ["web:board_home"]:
        assert client.get(reverse(name, args=[board])).status_code == 404
    assert client.get(f"/besturen/{board}/ondersteuning/").status_code == 404
    assert client.get(f"/besturen/{board}/ondersteuning/{case.trajectory.pk}/").status_code == 404


def test_a_researcher_reads_the_analytics_and_no_trajectory(client, case):
    client.force_login(case.researcher)
    assert client.get(case.url("analytics")).status_code == 200
    for path in [
        case.turl(),
        case.url("cohorts"),
        case.url("people"),
        case.url("catalogues"),
        case.url("advisors"),
        case.url("network"),
    ]:
        assert client.get(path).status_code in (403, 404), path
    for route in _advisor_routes(case) + [
        case.turl("trajectory_intake"),
        case.turl("trajectory_match"),
    ]:
        assert client.post(route, {}).status_code in (403, 404), route
    for name, args in [
        ("api:programme_trajectories", [case.programme.slug]),
        ("api:programme_trajectory", [case.programme.slug, case.trajectory.pk]),
        ("api:programme_trajectory_log", [case.programme.slug, case.trajectory.pk]),
    ]:
        path = reverse(name, args=args)
        response = (
            client.post(path, "{}", content_type="application/json")
            if "log" in name
            else (client.get(path))
        )
        assert response.status_code in (403, 404), name
    assert client.get(reverse("web:board_home", args=[case.world.board.pk])).status_code == 404
