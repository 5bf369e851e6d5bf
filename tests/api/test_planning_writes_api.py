"""Writing through the JSON API: plans and themes, actions, recording meetings and their agenda,
and reading the tables. The same access rules and service checks as the pages; bad input is
answered with a message on the field and changes nothing."""

import datetime

import pytest
from django.utils import timezone

from stelsel.accounts.services import token_create
from stelsel.meetings.models import AgendaItem, Meeting
from stelsel.organisations.roles import Role
from stelsel.planning.models import Action, Plan, PlanKind, PlanStatus, Theme
from tests.api.test_planning_api import as_user, bearer, patch, post, url
from tests.factories import make_action
from tests.factories.meetings import make_meeting, make_series
from tests.factories.planning import make_check_in, make_goal, make_plan, make_theme
from tests.meetings.test_services import _round_with_points

pytestmark = pytest.mark.django_db

D = datetime.date
PLAN = {
    "kind": "school",
    "title": "Schoolplan 2025-2029",
    "starts_on": "2025-08-01",
    "ends_on": "2029-07-31",
}


# --- Plans ---------------------------------------------------------------------------------


def test_a_school_leader_starts_a_plan_of_their_school(client, world):
    leader = world.users[Role.SCHOOL_LEADER]
    answer = post(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("plan_create", world.board.pk),
        PLAN | {"school_id": world.school.pk, "owner_id": leader.pk, "status": "active"},
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    plan = Plan.objects.get(pk=body["id"])
    assert (plan.school, plan.kind, plan.owner, plan.status) == (
        world.school,
        PlanKind.SCHOOL,
        leader,
        PlanStatus.ACTIVE,
    )
    assert body["unit"]["school_id"] == world.school.pk
    assert body["revision"] == 1 and body["goals"] == [] and body["themes"] == []
    assert plan.history.first().history_user == leader


def test_plans_of_units_out_of_reach_are_refused(client, world):
    client = as_user(client, world, Role.SCHOOL_LEADER)
    path = url("plan_create", world.board.pk)
    # The board's own plans are for the board office.
    answer = post(client, path, PLAN | {"kind": "strategic", "school_id": None})
    assert answer.status_code == 403
    # Another school of the board, or of another board, is not one they see.
    for school in (world.other_school, world.other_board_school):
        answer = post(client, path, PLAN | {"school_id": school.pk})
        assert answer.status_code == 422
        assert "school_id" in answer.json()["errors"]
    answer = post(as_user(client, world, Role.STAFF), path, PLAN | {"school_id": world.school.pk})
    assert answer.status_code == 403
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "strategic"}, "kind"),
        ({"ends_on": "2025-07-01"}, "ends_on"),
        ({"ends_on": "2031-07-31"}, "ends_on"),
        ({"starts_on": "1850-01-01"}, "starts_on"),
        ({"status": "finished"}, "status"),
        ({"title": ""}, "title"),
    ],
)
def test_a_bad_plan_answers_422_on_the_field(client, world, change, field):
    answer = post(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("plan_create", world.board.pk),
        PLAN | {"school_id": world.school.pk} | change,
    )
    assert answer.status_code == 422
    assert field in answer.json()["errors"]
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"not json", b'{"kind": "school"}', b'{"kind": "school", "title": "x", "colour": "red"}'],
)
def test_a_body_that_does_not_fit_answers_400_or_422(client, world, body):
    answer = as_user(client, world, Role.SCHOOL_LEADER).post(
        url("plan_create", world.board.pk), body, content_type="application/json"
    )
    assert answer.status_code in (400, 422)
    assert answer.json()["detail"]
    assert not Plan.objects.exists()


def test_a_plan_is_changed_on_its_revision(client, world):
    plan = make_plan(world.board, world.school, title="Schoolplan")
    client = as_user(client, world, Role.SCHOOL_LEADER)
    path = url("plan_update", world.board.pk, plan.pk)
    answer = patch(client, path, {"revision": 1, "title": "Schoolplan Eigen", "status": "active"})
    assert answer.status_code == 200
    assert answer.json()["revision"] == 2 and answer.json()["title"] == "Schoolplan Eigen"
    stale = patch(client, path, {"revision": 1, "title": "Overschreven"})
    assert stale.status_code == 409 and stale.json()["revision"] == 2
    assert patch(client, path, {"revision": 2}).status_code == 422
    plan.refresh_from_db()
    assert (plan.title, plan.status, plan.revision) == ("Schoolplan Eigen", "active", 2)


def test_a_plan_change_that_breaks_a_link_is_refused(client, world):
    strategic = make_plan(world.board, None, title="Koers")
    board_goal = make_goal(strategic, "Alle scholen lezen op niveau")
    school_plan = make_plan(world.board, world.school, ends_on=D(2026, 7, 31))
    make_goal(school_plan, "Groep 4 leest", serves=board_goal)
    answer = patch(
        as_user(client, world, Role.QUALITY_OFFICER),
        url("plan_update", world.board.pk, strategic.pk),
        {"revision": 1, "starts_on": "2026-08-01"},
    )
    assert answer.status_code == 422
    assert "Groep 4 leest" in " ".join(answer.json()["errors"]["ends_on"])
    strategic.refresh_from_db()
    assert strategic.revision == 1


def test_a_closed_plan_changes_through_the_api_only_when_reopened(english, world):
    plan = make_plan(world.board, world.school, status=PlanStatus.CLOSED)
    theme = make_theme(plan)
    client = as_user(english, world, Role.SCHOOL_LEADER)
    answer = patch(
        client, url("plan_update", world.board.pk, plan.pk), {"revision": 1, "title": "x"}
    )
    assert answer.status_code == 422 and "closed" in answer.json()["detail"]
    answer = post(client, url("theme_create", world.board.pk, plan.pk), {"title": "Rekenen"})
    assert answer.status_code == 422
    answer = patch(
        client, url("theme_update", world.board.pk, plan.pk, theme.pk), {"title": "Anders"}
    )
    assert answer.status_code == 422
    answer = post(client, url("goal_create", world.board.pk, plan.pk), {"title": "Nieuw"})
    assert answer.status_code == 422
    assert plan.themes.count() == 1 and not plan.goals.exists()
    answer = patch(
        client,
        url("plan_update", world.board.pk, plan.pk),
        {"revision": 1, "status": "active", "title": "Weer open"},
    )
    assert answer.status_code == 200 and answer.json()["title"] == "Weer open"


def test_the_next_plan_is_derived_with_its_themes_and_goals(client, world):
    leader = world.users[Role.SCHOOL_LEADER]
    plan = make_plan(world.board, world.school, owner=leader, title="Schoolplan 2025-2029")
    theme = make_theme(plan, "Lezen")
    goal = make_goal(plan, "Groep 4 leest op niveau", theme=theme, baseline=60)
    make_check_in(goal, measured=72)
    make_action(world.board, world.school, goal=goal)
    client = as_user(client, world, Role.SCHOOL_LEADER)
    path = url("plan_derive", world.board.pk, plan.pk)
    answer = post(
        client,
        path,
        {"starts_on": "2029-08-01", "ends_on": "2033-07-31", "title": "Schoolplan 2029-2033"},
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["previous_id"] == plan.pk and body["status"] == "draft"
    assert body["owner_id"] == leader.pk
    assert [t["title"] for t in body["themes"]] == ["Lezen"]
    [copied] = body["goals"]
    assert copied["title"] == "Groep 4 leest op niveau" and copied["baseline"] == 72
    assert copied["actions"] == []
    # Starting before the plan it carries on from is refused; so is an unknown owner.
    answer = post(client, path, {"starts_on": "2025-01-01", "ends_on": "2026-07-31"})
    assert answer.status_code == 422 and "starts_on" in answer.json()["errors"]
    answer = post(
        client, path, {"starts_on": "2029-08-01", "ends_on": "2033-07-31", "owner_id": 99999999}
    )
    assert answer.status_code == 422 and "owner_id" in answer.json()["errors"]
    assert Plan.objects.count() == 2


def test_themes_are_added_and_changed(client, world):
    plan = make_plan(world.board, world.school)
    make_theme(plan, "Lezen", 1)
    client = as_user(client, world, Role.SCHOOL_LEADER)
    answer = post(
        client,
        url("theme_create", world.board.pk, plan.pk),
        {"title": "Rekenen", "description": "Sommen"},
    )
    assert answer.status_code == 201
    assert answer.json()["position"] == 2 and answer.json()["description"] == "Sommen"
    theme_id = answer.json()["id"]
    answer = patch(
        client,
        url("theme_update", world.board.pk, plan.pk, theme_id),
        {"title": "Rekenen en wiskunde"},
    )
    assert answer.status_code == 200
    assert Theme.objects.get(pk=theme_id).description == "Sommen"  # left out, kept
    answer = post(client, url("theme_create", world.board.pk, plan.pk), {"title": "  "})
    assert answer.status_code == 422 and "title" in answer.json()["errors"]
    # A theme of another plan, or an id beyond a bigint, is not found under this plan.
    other = make_theme(make_plan(world.board, world.school, title="Ander plan"))
    for theme_id in (other.pk, 2**63):
        answer = patch(
            client, url("theme_update", world.board.pk, plan.pk, theme_id), {"title": "x"}
        )
        assert answer.status_code == 404
    assert plan.themes.count() == 2


# --- Actions -------------------------------------------------------------------------------


def test_an_action_is_recorded_under_a_goal_and_changed_on_its_revision(client, world):
    leader = world.users[Role.SCHOOL_LEADER]
    goal = make_goal(make_plan(world.board, world.school))
    client = as_user(client, world, Role.SCHOOL_LEADER)
    answer = post(
        client,
        url("action_create", world.board.pk),
        {
            "school_id": world.school.pk,
            "title": "Leesteam start",
            "owner_id": leader.pk,
            "starts_on": "2026-09-01",
            "due_on": "2026-12-01",
            "goal_id": goal.pk,
        },
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["goal_id"] == goal.pk and body["owner_id"] == leader.pk
    assert body["status"] == "planned" and body["revision"] == 1
    path = url("action_update", world.board.pk, body["id"])
    answer = patch(client, path, {"revision": 1, "progress": 40, "status": "in_progress"})
    assert answer.status_code == 200
    assert answer.json()["progress"] == 40 and answer.json()["goal_id"] == goal.pk
    stale = patch(client, path, {"revision": 1, "progress": 90})
    assert stale.status_code == 409 and stale.json()["revision"] == 2
    assert Action.objects.get(pk=body["id"]).progress == 40


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_on": "2026-01-01", "starts_on": "2026-02-01"}, "due_on"),
        ({"progress": 150}, "progress"),
        ({"status": "busy"}, "status"),
        ({"owner_id": 99999999}, "owner_id"),
        ({"standard_ids": [99999999]}, "standard_ids"),
        ({"assignment_ids": [99999999]}, "assignment_ids"),
        ({"visit_id": 99999999}, "visit_id"),
        ({"goal_id": 99999999}, "goal_id"),
    ],
)
def test_a_bad_action_answers_422_on_the_field(client, world, change, field):
    answer = post(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("action_create", world.board.pk),
        {"school_id": world.school.pk, "title": "Leesteam"} | change,
    )
    assert answer.status_code == 422
    assert field in answer.json()["errors"]
    assert not Action.objects.exists()


def test_an_action_cannot_hang_under_another_units_goal(client, world):
    elsewhere = make_goal(make_plan(world.board, world.other_school))
    board_goal = make_goal(make_plan(world.board, None))
    client = as_user(client, world, Role.QUALITY_OFFICER)
    for goal in (elsewhere, board_goal):
        answer = post(
            client,
            url("action_create", world.board.pk),
            {"school_id": world.school.pk, "title": "Leesteam", "goal_id": goal.pk},
        )
        assert answer.status_code == 422 and "goal_id" in answer.json()["errors"]
    # A school leader does not see the other school's goal at all.
    answer = post(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("action_create", world.board.pk),
        {"school_id": world.school.pk, "title": "Leesteam", "goal_id": elsewhere.pk},
    )
    assert answer.status_code == 422
    assert not Action.objects.exists()


def test_who_may_record_and_change_actions(client, world):
    mine = make_action(world.board, world.school)
    theirs = make_action(world.board, world.other_school)
    board_action = make_action(world.board, None)
    client = as_user(client, world, Role.STAFF)
    answer = post(
        client, url("action_create", world.board.pk), {"school_id": world.school.pk, "title": "x"}
    )
    assert answer.status_code == 403
    assert (
        patch(client, url("action_update", world.board.pk, mine.pk), {"revision": 1}).status_code
        == 403
    )
    client = as_user(client, world, Role.SCHOOL_LEADER)
    answer = patch(
        client, url("action_update", world.board.pk, theirs.pk), {"revision": 1, "progress": 5}
    )
    assert answer.status_code == 404
    answer = patch(
        client,
        url("action_update", world.board.pk, board_action.pk),
        {"revision": 1, "progress": 5},
    )
    assert answer.status_code == 404
    answer = post(client, url("action_create", world.board.pk), {"school_id": None, "title": "x"})
    assert answer.status_code == 403
    assert Action.objects.count() == 3


# --- Tables and meetings -------------------------------------------------------------------


def test_the_tables_list_with_rhythm_members_and_what_is_lacking(client, world):
    officer = world.users[Role.QUALITY_OFFICER]
    leader = world.users[Role.SCHOOL_LEADER]
    board_table = make_series(
        world.board,
        None,
        name="Bestuur en schoolleiders",
        rhythm="months",
        months=[10, 3],
        weekday=4,
        week_of_month=2,
        start_time=datetime.time(14, 0),
        place="Kantoor",
        members=[officer, leader],
    )
    school_table = make_series(world.board, world.school, name="Teamoverleg", members=[officer])
    hidden = make_series(world.board, None, name="Bestuursoverleg")
    make_meeting(world.board, series=board_table)
    answer = as_user(client, world, Role.QUALITY_OFFICER).get(url("tables", world.board.pk))
    assert answer.status_code == 200
    by_name = {t["name"]: t for t in answer.json()}
    assert set(by_name) == {"Bestuur en schoolleiders", "Teamoverleg", "Bestuursoverleg"}
    row = by_name["Bestuur en schoolleiders"]
    assert row["months"] == [3, 10] and row["rhythm"] == "months"
    assert row["rhythm_text"]
    assert set(row["member_ids"]) == {officer.pk, leader.pk}
    assert row["meeting_count"] == 1
    assert row["lacking"] == ["assignment", "mandate"]
    # The school leader sees their school's table and the board table they sit at.
    listed = as_user(client, world, Role.SCHOOL_LEADER).get(url("tables", world.board.pk)).json()
    assert {t["id"] for t in listed} == {board_table.pk, school_table.pk}
    assert client.get(url("table", world.board.pk, hidden.pk)).status_code == 404
    assert client.get(url("table", world.board.pk, board_table.pk)).json()["place"] == "Kantoor"
    mine = client.get(url("tables", world.board.pk, mine="true")).json()
    assert [t["id"] for t in mine] == [board_table.pk]
    assert (
        client.get(url("tables", world.board.pk, school_id=world.other_school.pk)).status_code
        == 404
    )


def test_the_tables_list_reads_as_many_queries_for_two_tables_as_for_twelve(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(client, world, Role.QUALITY_OFFICER)
    officer = world.users[Role.QUALITY_OFFICER]

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("tables", world.board.pk)).status_code == 200
        return len(queries)

    for _ in range(2):
        make_series(world.board, world.school, members=[officer])
    few = count()
    for _ in range(10):
        make_series(world.board, None, members=[officer])
    assert count() == few


def test_a_meeting_is_recorded_on_its_revision(client, world):
    meeting = make_meeting(world.board, world.school)
    client = as_user(client, world, Role.SCHOOL_LEADER)
    path = url("meeting_update", world.board.pk, meeting.pk)
    answer = patch(client, path, {"revision": 1, "state": "held", "minutes": "Lezen besproken."})
    assert answer.status_code == 200
    assert answer.json()["state"] == "held" and answer.json()["revision"] == 2
    stale = patch(client, path, {"revision": 1, "state": "cancelled"})
    assert stale.status_code == 409 and stale.json()["revision"] == 2
    meeting.refresh_from_db()
    assert (meeting.state, meeting.minutes) == ("held", "Lezen besproken.")


def test_a_meeting_ahead_cannot_be_recorded_as_held(client, world):
    meeting = make_meeting(
        world.board, world.school, day=timezone.localdate() + datetime.timedelta(days=5)
    )
    answer = patch(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("meeting_update", world.board.pk, meeting.pk),
        {"revision": 1, "state": "held"},
    )
    assert answer.status_code == 422 and "state" in answer.json()["errors"]
    answer = patch(
        client, url("meeting_update", world.board.pk, meeting.pk), {"revision": 1, "state": "maybe"}
    )
    assert answer.status_code == 422
    assert Meeting.objects.get(pk=meeting.pk).state == "planned"


def test_who_may_record_a_meeting(client, world):
    leader = world.users[Role.SCHOOL_LEADER]
    own = make_meeting(world.board, world.school)
    board_meeting = make_meeting(
        world.board, series=make_series(world.board, None, members=[leader])
    )
    body = {"revision": 1, "state": "held"}
    assert (
        patch(
            as_user(client, world, Role.STAFF), url("meeting_update", world.board.pk, own.pk), body
        ).status_code
        == 403
    )
    # Seated at the board's table, the leader reads it but does not record it.
    client = as_user(client, world, Role.SCHOOL_LEADER)
    assert client.get(url("meeting", world.board.pk, board_meeting.pk)).status_code == 200
    assert (
        patch(client, url("meeting_update", world.board.pk, board_meeting.pk), body).status_code
        == 403
    )
    assert Meeting.objects.filter(state="held").count() == 0


def test_agenda_items_are_added_also_from_a_rounds_conversation(client, world):
    meeting = make_meeting(world.board, world.school)
    round_, points = _round_with_points(world.board, world.school)
    client = as_user(client, world, Role.QUALITY_OFFICER)
    path = url("agenda_item_create", world.board.pk, meeting.pk)
    answer = post(client, path, {"title": "Opening", "notes": "Welkom"})
    assert answer.status_code == 201 and answer.json()["title"] == "Opening"
    answer = post(client, path, {"agenda_point_id": points[0].pk})
    assert answer.status_code == 201
    assert answer.json()["title"] == points[0].question
    assert answer.json()["agenda_point_id"] == points[0].pk
    again = post(client, path, {"agenda_point_id": points[0].pk})
    assert again.status_code == 422
    assert post(client, path, {"agenda_point_id": 99999999}).status_code == 422
    assert post(client, path, {"title": ""}).status_code == 422
    assert [i.title for i in AgendaItem.objects.filter(meeting=meeting)] == [
        "Opening",
        points[0].question,
    ]
    # A school leader records the agenda but does not organise rounds.
    leader = as_user(client, world, Role.SCHOOL_LEADER)
    assert post(leader, path, {"agenda_point_id": points[1].pk}).status_code == 403
    assert post(leader, path, {"title": "Rondvraag"}).status_code == 201


def test_a_cancelled_meeting_has_no_agenda(client, world):
    meeting = make_meeting(world.board, world.school, state="cancelled")
    answer = post(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("agenda_item_create", world.board.pk, meeting.pk),
        {"title": "Opening"},
    )
    assert answer.status_code == 422
    assert not AgendaItem.objects.exists()


def test_a_token_writes_plans_actions_and_meetings(client, world):
    _token, raw = token_create(user=world.users[Role.SCHOOL_LEADER], name="Koppeling")
    answer = post(
        client,
        url("plan_create", world.board.pk),
        PLAN | {"school_id": world.school.pk},
        **bearer(raw),
    )
    assert answer.status_code == 201
    plan_id = answer.json()["id"]
    answer = post(
        client,
        url("action_create", world.board.pk),
        {"school_id": world.school.pk, "title": "Leesteam"},
        **bearer(raw),
    )
    assert answer.status_code == 201
    meeting = make_meeting(world.board, world.school)
    answer = patch(
        client,
        url("meeting_update", world.board.pk, meeting.pk),
        {"revision": 1, "state": "held"},
        **bearer(raw),
    )
    assert answer.status_code == 200
    assert post(client, url("plan_create", world.board.pk), PLAN).status_code == 401
    assert Plan.objects.filter(pk=plan_id).exists()


def test_the_openapi_document_lists_the_writing_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    prefix = "/api/v1/boards/{board_id}"
    expected = {
        "/plans": {"get", "post"},
        "/plans/{plan_id}": {"get", "patch"},
        "/plans/{plan_id}/derive": {"post"},
        "/plans/{plan_id}/themes": {"post"},
        "/plans/{plan_id}/themes/{theme_id}": {"patch"},
        "/actions": {"get", "post"},
        "/actions/{action_id}": {"get", "patch"},
        "/tables": {"get"},
        "/tables/{series_id}": {"get"},
        "/meetings/{meeting_id}": {"get", "patch"},
        "/meetings/{meeting_id}/agenda-items": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[prefix + path]), path
    for path, method in (("/plans", "post"), ("/actions/{action_id}", "patch")):
        operation = paths[prefix + path][method]
        assert operation["requestBody"]["content"]["application/json"]["schema"]["properties"]
        assert "422" in operation["responses"]
