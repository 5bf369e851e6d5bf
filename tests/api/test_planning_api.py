"""Plans, goals, check-ins, meetings and decisions in the JSON API, under the same access rules
and with the same service checks as the pages."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stelsel.accounts.services import token_create
from stelsel.meetings.models import AgendaItem, Decision
from stelsel.organisations.roles import Role
from stelsel.planning.models import Action, CheckIn, Goal, PlanKind, PlanStatus
from tests.factories import make_action, make_evidence, make_school, make_user
from tests.factories.meetings import make_meeting, make_series
from tests.factories.planning import make_check_in, make_goal, make_plan, make_theme

pytestmark = pytest.mark.django_db

D = datetime.date


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def as_user(client, world, role):
    client.force_login(world.users[role])
    return client


def url(name, *args, **query):
    path = reverse(f"api:{name}", args=args)
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def post(client, path, body, **extra):
    return client.post(path, json.dumps(body), content_type="application/json", **extra)


def patch(client, path, body, **extra):
    return client.patch(path, json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def plans(world):
    """The board's strategic plan, a plan of `school` and one of `other_school`."""
    strategic = make_plan(world.board, None, title="Koersplan", status=PlanStatus.ACTIVE)
    school = make_plan(world.board, world.school, title="Schoolplan Eigen")
    other = make_plan(world.board, world.other_school, title="Schoolplan Ander")
    return strategic, school, other


# --- Plans ---------------------------------------------------------------------------------


def test_the_board_office_lists_every_plan_with_filters(client, world, plans):
    strategic, school, other = plans
    make_goal(school)
    make_goal(school)
    improvement = make_plan(
        world.board, world.school, kind=PlanKind.IMPROVEMENT, title="Plan van aanpak"
    )
    client = as_user(client, world, Role.QUALITY_OFFICER)
    answer = client.get(url("plans", world.board.pk))
    assert answer.status_code == 200
    by_id = {p["id"]: p for p in answer.json()}
    assert set(by_id) == {strategic.pk, school.pk, other.pk, improvement.pk}
    assert by_id[strategic.pk]["unit"] == {"school_id": None, "school_name": None}
    assert by_id[school.pk]["unit"]["school_id"] == world.school.pk
    assert by_id[school.pk]["goal_count"] == 2
    assert by_id[strategic.pk]["status"] == "active"
    assert by_id[strategic.pk]["kind"] == "strategic"
    assert by_id[school.pk]["starts_on"] == "2025-08-01"

    def ids(**query):
        return {p["id"] for p in client.get(url("plans", world.board.pk, **query)).json()}

    assert ids(school_id=world.school.pk) == {school.pk, improvement.pk}
    assert ids(kind="improvement") == {improvement.pk}
    assert ids(status="active") == {strategic.pk}
    assert ids(school_id=world.school.pk, kind="school") == {school.pk}


@pytest.mark.parametrize("query", [{"kind": "wish"}, {"status": "open"}])
def test_an_unknown_kind_or_status_answers_422(client, english, world, plans, query):
    answer = as_user(client, world, Role.QUALITY_OFFICER).get(url("plans", world.board.pk, **query))
    assert answer.status_code == 422
    assert "must be one of" in answer.json()["detail"]


def test_school_roles_see_only_their_schools_plans(client, world, plans):
    strategic, school, other = plans
    for role in (Role.SCHOOL_LEADER, Role.STAFF):
        client = as_user(client, world, role)
        listed = client.get(url("plans", world.board.pk)).json()
        assert [p["id"] for p in listed] == [school.pk]
        assert client.get(url("plan", world.board.pk, school.pk)).status_code == 200
        assert client.get(url("plan", world.board.pk, other.pk)).status_code == 404
        assert client.get(url("plan", world.board.pk, strategic.pk)).status_code == 404
        answer = client.get(url("plans", world.board.pk, school_id=world.other_school.pk))
        assert answer.status_code == 404


def test_another_boards_plans_answer_404(client, world, plans):
    foreign = make_plan(world.other_board, world.other_board_school)
    goal = make_goal(foreign)
    client = as_user(client, world, Role.BOARD_EXECUTIVE)
    assert client.get(url("plans", world.other_board.pk)).status_code == 404
    assert client.get(url("plan", world.board.pk, foreign.pk)).status_code == 404
    assert client.get(url("plan", world.other_board.pk, foreign.pk)).status_code == 404
    assert client.get(url("goal", world.board.pk, goal.pk)).status_code == 404
    answer = patch(client, url("goal_update", world.board.pk, goal.pk), {"revision": 1})
    assert answer.status_code == 404
    answer = post(client, url("check_in_create", world.board.pk, goal.pk), {"progress": "on_track"})
    assert answer.status_code == 404
    answer = post(client, url("goal_create", world.board.pk, foreign.pk), {"title": "Doel"})
    assert answer.status_code == 404
    assert CheckIn.objects.count() == 0 and Goal.objects.filter(plan=foreign).count() == 1


def test_a_plan_has_its_themes_goals_actions_and_the_coachs_review(client, world, plans):
    strategic, school, _other = plans
    reading = make_theme(school, "Lezen", position=1)
    make_theme(school, "Rekenen", position=2)
    board_goal = make_goal(strategic, "In 2029 leest 85% van de leerlingen op niveau")
    leader = world.users[Role.SCHOOL_LEADER]
    goal = make_goal(
        school,
        "In juni 2028 leest 80% van groep 4 op niveau",
        theme=reading,
        indicator="Aandeel op niveau",
        baseline=Decimal("62.50"),
        target=Decimal("80"),
        unit="%",
        target_date=D(2028, 6, 30),
        owner=leader,
        serves=board_goal,
    )
    kl1 = _school_standard(world)
    goal.standards.set([kl1])
    loose = make_goal(school, "We proberen het leesplezier te vergroten", target=None)
    make_check_in(goal, held_on=D(2026, 1, 15), measured=Decimal("66"))
    latest = make_check_in(
        goal, held_on=D(2026, 3, 1), measured=Decimal("70.5"), progress="at_risk"
    )
    action = make_action(
        world.board, world.school, title="Leesteam start elke zes weken", goal=goal, owner=leader
    )
    stray = make_action(world.board, world.school, title="Losse actie", due_on=D(2026, 5, 1))

    answer = as_user(client, world, Role.SCHOOL_LEADER).get(url("plan", world.board.pk, school.pk))
    assert answer.status_code == 200
    body = answer.json()
    assert body["title"] == "Schoolplan Eigen" and body["goal_count"] == 2
    assert [t["title"] for t in body["themes"]] == ["Lezen", "Rekenen"]
    # Goals theme by theme; those without a theme last.
    assert [g["id"] for g in body["goals"]] == [goal.pk, loose.pk]
    first = body["goals"][0]
    assert first["theme_id"] == reading.pk
    assert first["indicator"] == "Aandeel op niveau"
    assert first["baseline"] == 62.5 and first["target"] == 80 and first["unit"] == "%"
    assert first["target_date"] == "2028-06-30"
    assert first["owner_id"] == leader.pk and first["owner"] == "school_leader user"
    assert first["serves_id"] == board_goal.pk
    assert first["standard_ids"] == [kl1.pk]
    assert first["latest_check_in"] == {
        "id": latest.pk,
        "held_on": "2026-03-01",
        "progress": "at_risk",
        "measured": 70.5,
    }
    assert [a["id"] for a in first["actions"]] == [action.pk]
    assert first["actions"][0]["owner_id"] == leader.pk
    assert body["goals"][1]["latest_check_in"] is None

    found = {(f["rule"], f["subject_type"], f["subject_id"]) for f in body["findings"]}
    assert ("try_language", "goal", loose.pk) in found
    assert ("no_owner", "goal", loose.pk) in found
    assert ("action_without_goal", "action", stray.pk) in found
    assert not any(f[1:] == ("goal", goal.pk) for f in found), found
    for finding in body["findings"]:
        assert finding["message"] and finding["suggestion"]


def _school_standard(world):
    from tests.factories import make_picture

    picture = make_picture(world.board, world.school)
    return picture.entries.filter(standard__isnull=False).first().standard


def _queries(client, path) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(path)
    assert answer.status_code == 200
    return len(captured.captured_queries), answer.json()


def test_the_plans_list_reads_as_many_queries_for_one_plan_as_for_six(client, world):
    client = as_user(client, world, Role.BOARD_EXECUTIVE)
    make_goal(make_plan(world.board, world.school, owner=world.users[Role.SCHOOL_LEADER]))
    few, listed = _queries(client, url("plans", world.board.pk))
    assert len(listed) == 1
    for i in range(5):
        plan = make_plan(
            world.board,
            make_school(world.board, name=f"School {i}"),
            owner=world.users[Role.QUALITY_OFFICER],
        )
        make_goal(plan)
    many, listed = _queries(client, url("plans", world.board.pk))
    assert len(listed) == 6
    assert few == many


def test_a_plans_queries_do_not_grow_with_its_goals(client, world):
    client = as_user(client, world, Role.QUALITY_OFFICER)
    plan = make_plan(world.board, world.school)
    theme = make_theme(plan)
    kl1 = _school_standard(world)

    def add_goal(i):
        goal = make_goal(plan, f"Doel {i}", theme=theme, owner=world.users[Role.SCHOOL_LEADER])
        goal.standards.set([kl1])
        make_check_in(goal)
        make_action(world.board, world.school, goal=goal, owner=world.users[Role.STAFF])

    add_goal(0)
    few, body = _queries(client, url("plan", world.board.pk, plan.pk))
    assert len(body["goals"]) == 1
    for i in range(1, 6):
        add_goal(i)
    many, body = _queries(client, url("plan", world.board.pk, plan.pk))
    assert len(body["goals"]) == 6
    assert few == many


# --- Goals ---------------------------------------------------------------------------------


def test_a_school_leader_adds_a_goal_with_a_target_typed_with_a_comma(client, world, plans):
    strategic, school, _other = plans
    board_goal = make_goal(strategic)
    theme = make_theme(school)
    answer = post(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("goal_create", world.board.pk, school.pk),
        {
            "title": "In juni 2028 scoort groep 8 gemiddeld 7,5 op de leestoets",
            "theme_id": theme.pk,
            "baseline": 6,
            "target": "7,5",
            "unit": "cijfer",
            "target_date": "2028-06-30",
            "owner_id": world.users[Role.SCHOOL_LEADER].pk,
            "serves_id": board_goal.pk,
        },
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    goal = Goal.objects.get(pk=body["id"])
    assert goal.plan == school and goal.target == Decimal("7.5") and goal.baseline == 6
    assert goal.serves == board_goal and goal.theme == theme
    assert body["target"] == 7.5 and body["revision"] == 1
    assert body["plan"]["unit"] == {"school_id": world.school.pk, "school_name": "De Eigen School"}
    assert body["plan"]["id"] == school.pk and body["plan"]["kind"] == "school"
    assert body["check_ins"] == [] and body["findings"] == []


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("target", "85%", "without the percent sign"),
        ("target", "veel", "must be a number"),
        ("baseline", "1.500,5", "thousands separators"),
        ("target_date", "2030-01-01", "within the plan's period"),
    ],
)
def test_a_goal_with_bad_values_answers_422_on_the_field(
    client, english, world, plans, field, value, words
):
    _strategic, school, _other = plans
    answer = post(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("goal_create", world.board.pk, school.pk),
        {"title": "In 2028 leest 80% van groep 4 op niveau", field: value},
    )
    assert answer.status_code == 422
    body = answer.json()
    assert list(body["errors"]) == [field]
    assert words in body["errors"][field][0]
    assert words in body["detail"]
    assert not Goal.objects.filter(plan=school).exists()


def test_ids_that_match_nothing_answer_422_and_add_nothing(client, world, plans):
    strategic, school, other = plans
    other_theme = make_theme(other)
    answer = post(
        as_user(client, world, Role.QUALITY_OFFICER),
        url("goal_create", world.board.pk, school.pk),
        {
            "title": "In 2028 leest 80% van groep 4 op niveau",
            "theme_id": other_theme.pk,
            "owner_id": world.outsider.pk,
            "standard_ids": [999999],
        },
    )
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"theme_id", "owner_id", "standard_ids"}
    assert not Goal.objects.filter(plan=school).exists()


def test_staff_and_readers_may_not_add_goals(client, world, plans):
    _strategic, school, _other = plans
    for role in (Role.STAFF, Role.SUPERVISOR):
        answer = post(
            as_user(client, world, role),
            url("goal_create", world.board.pk, school.pk),
            {"title": "Doel"},
        )
        assert answer.status_code == 403
        assert answer.json()["detail"]
    assert not Goal.objects.filter(plan=school).exists()


def test_a_goal_has_its_check_ins_actions_and_the_goals_serving_it(client, world, plans):
    strategic, school, other = plans
    board_goal = make_goal(strategic, "In 2029 leest 85% op niveau")
    serving = make_goal(school, serves=board_goal)
    hidden = make_goal(other, serves=board_goal)
    evidence = make_evidence(world.board, None)
    older = make_check_in(board_goal, held_on=D(2026, 1, 10), do_text="Het loopt.")
    newer = make_check_in(
        board_goal, held_on=D(2026, 2, 10), measured=Decimal("81"), progress="on_track"
    )
    newer.evidence.set([evidence])
    action = make_action(world.board, None, goal=board_goal)

    client = as_user(client, world, Role.QUALITY_OFFICER)
    body = client.get(url("goal", world.board.pk, board_goal.pk)).json()
    assert [c["id"] for c in body["check_ins"]] == [newer.pk, older.pk]
    assert body["check_ins"][0]["evidence_ids"] == [evidence.pk]
    assert body["check_ins"][0]["measured"] == 81
    assert body["check_ins"][1]["do_text"] == "Het loopt."
    assert body["latest_check_in"]["id"] == newer.pk
    assert [a["id"] for a in body["actions"]] == [action.pk]
    assert set(body["served_by_ids"]) == {serving.pk, hidden.pk}
    assert {f["rule"] for f in body["findings"]} == {"no_owner"}
    # A school leader reads the board goal their goal serves, but not the other school's goal.
    client = as_user(client, world, Role.SCHOOL_LEADER)
    assert client.get(url("goal", world.board.pk, board_goal.pk)).status_code == 404
    assert client.get(url("goal", world.board.pk, hidden.pk)).status_code == 404
    assert client.get(url("goal", world.board.pk, serving.pk)).status_code == 200


def test_a_goal_is_changed_with_its_revision(client, world, plans):
    _strategic, school, _other = plans
    goal = make_goal(school, owner=world.users[Role.SCHOOL_LEADER])
    client = as_user(client, world, Role.SCHOOL_LEADER)
    answer = patch(
        client,
        url("goal_update", world.board.pk, goal.pk),
        {"revision": 1, "target": "82,5", "indicator": "Aandeel op niveau", "owner_id": None},
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["revision"] == 2 and body["target"] == 82.5 and body["owner_id"] is None
    goal.refresh_from_db()
    assert goal.target == Decimal("82.5") and goal.owner is None
    assert goal.indicator == "Aandeel op niveau"
    assert goal.target_date == school.ends_on  # left out: kept
    assert "no_owner" in {f["rule"] for f in body["findings"]}


def test_a_stale_revision_answers_409_with_the_current_one_and_changes_nothing(
    client, world, plans
):
    _strategic, school, _other = plans
    goal = make_goal(school)
    client = as_user(client, world, Role.SCHOOL_LEADER)
    path = url("goal_update", world.board.pk, goal.pk)
    assert patch(client, path, {"revision": 1, "unit": "%"}).status_code == 200
    answer = patch(client, path, {"revision": 1, "target": 90})
    assert answer.status_code == 409
    assert answer.json()["revision"] == 2
    assert answer.json()["detail"]
    goal.refresh_from_db()
    assert goal.target == Decimal("80") and goal.revision == 2


def test_a_circle_of_goals_answers_422(client, english, world):
    strategic = make_plan(world.board, None, title="Koersplan")
    year = make_plan(
        world.board,
        None,
        kind=PlanKind.YEAR,
        title="Jaarplan",
        starts_on=D(2026, 8, 1),
        ends_on=D(2027, 7, 31),
    )
    board_goal = make_goal(strategic)
    year_goal = make_goal(year, serves=board_goal)
    answer = patch(
        as_user(client, world, Role.QUALITY_OFFICER),
        url("goal_update", world.board.pk, board_goal.pk),
        {"revision": 1, "serves_id": year_goal.pk},
    )
    assert answer.status_code == 422
    assert "circle" in answer.json()["errors"]["serves_id"][0]
    board_goal.refresh_from_db()
    assert board_goal.serves is None and board_goal.revision == 1


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"target": "85%"}, "target", "percent sign"),
        ({"baseline": "veel"}, "baseline", "must be a number"),
        ({"target_date": "2025-01-01"}, "target_date", "within the plan's period"),
        ({"title": None}, "title", "what it yields for pupils"),
    ],
)
def test_a_change_with_bad_values_answers_422_and_changes_nothing(
    client, english, world, plans, body, field, words
):
    _strategic, school, _other = plans
    goal = make_goal(school)
    answer = patch(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("goal_update", world.board.pk, goal.pk),
        {"revision": 1, **body},
    )
    assert answer.status_code == 422
    assert words in answer.json()["errors"][field][0]
    goal.refresh_from_db()
    assert goal.revision == 1 and goal.target == Decimal("80")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b'{"target": 90}', 422),
        (b'{"revision": 1}', 422),
        (b'{"revision": 1, "colour": "red"}', 422),
        (b'{"revision": 1, "target": true}', 422),
        (b'{"revision": 1, "standard_ids": [0]}', 422),
        (b"[1, 2]", 422),
    ],
)
def test_a_bad_body_is_refused_and_changes_nothing(client, world, plans, body, status):
    _strategic, school, _other = plans
    goal = make_goal(school)
    answer = as_user(client, world, Role.SCHOOL_LEADER).patch(
        url("goal_update", world.board.pk, goal.pk), body, content_type="application/json"
    )
    assert answer.status_code == status
    assert answer.json()["detail"]
    goal.refresh_from_db()
    assert goal.revision == 1


def test_staff_may_not_change_goals_but_record_check_ins(client, world, plans):
    _strategic, school, _other = plans
    goal = make_goal(school)
    client = as_user(client, world, Role.STAFF)
    answer = patch(
        client, url("goal_update", world.board.pk, goal.pk), {"revision": 1, "unit": "%"}
    )
    assert answer.status_code == 403
    assert answer.json()["detail"]
    goal.refresh_from_db()
    assert goal.revision == 1 and goal.unit == ""
    answer = post(
        client,
        url("check_in_create", world.board.pk, goal.pk),
        {"progress": "at_risk", "measured": "71,5", "check_text": "Nog niet op koers."},
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    check_in = CheckIn.objects.get(pk=body["id"])
    assert check_in.measured == Decimal("71.5") and check_in.author == world.users[Role.STAFF]
    assert check_in.held_on == timezone.localdate()
    assert body["measured"] == 71.5 and body["author"] == "staff user"
    assert body["check_text"] == "Nog niet op koers."


def test_readers_may_not_record_check_ins(client, world, plans):
    _strategic, school, _other = plans
    goal = make_goal(school)
    for role in (Role.SUPERVISOR, Role.ADVISOR):
        answer = post(
            as_user(client, world, role),
            url("check_in_create", world.board.pk, goal.pk),
            {"progress": "on_track"},
        )
        assert answer.status_code == 403
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"progress": "fine"}, "progress"),
        ({"progress": "on_track", "measured": "veel"}, "measured"),
        ({"progress": "on_track", "held_on": "2099-01-01"}, "held_on"),
    ],
)
def test_a_bad_check_in_answers_422_and_records_nothing(client, world, plans, body, field):
    _strategic, school, _other = plans
    goal = make_goal(school)
    answer = post(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("check_in_create", world.board.pk, goal.pk),
        body,
    )
    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == [field]
    assert not CheckIn.objects.exists()


def test_a_check_in_takes_evidence_of_its_own_unit_only(client, english, world, plans):
    _strategic, school, _other = plans
    goal = make_goal(school)
    own = make_evidence(world.board, world.school)
    theirs = make_evidence(world.board, world.other_school)
    client = as_user(client, world, Role.QUALITY_OFFICER)
    path = url("check_in_create", world.board.pk, goal.pk)
    answer = post(client, path, {"progress": "on_track", "evidence_ids": [theirs.pk]})
    assert answer.status_code == 422
    assert "another school" in answer.json()["errors"]["evidence_ids"][0]
    answer = post(client, path, {"progress": "on_track", "evidence_ids": [999999]})
    assert answer.status_code == 422 and "evidence_ids" in answer.json()["errors"]
    answer = post(client, path, {"progress": "on_track", "evidence_ids": [own.pk]})
    assert answer.status_code == 201
    assert answer.json()["evidence_ids"] == [own.pk]


def test_actions_carry_the_goal_they_hang_under(client, world, plans):
    _strategic, school, _other = plans
    goal = make_goal(school)
    under = make_action(world.board, world.school, goal=goal)
    loose = make_action(world.board, world.school)
    client = as_user(client, world, Role.SCHOOL_LEADER)
    by_id = {a["id"]: a for a in client.get(url("actions", world.board.pk)).json()}
    assert by_id[under.pk]["goal_id"] == goal.pk and by_id[loose.pk]["goal_id"] is None
    assert client.get(url("action", world.board.pk, under.pk)).json()["goal_id"] == goal.pk


# --- Meetings ------------------------------------------------------------------------------


def _in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def calendar(world):
    """A board table and a table of each school, with meetings around today."""
    board_table = make_series(world.board, None, name="Bestuur", place="Kantoor")
    own_table = make_series(world.board, world.school, name="Team Eigen")
    other_table = make_series(world.board, world.other_school, name="Team Ander")
    meetings = {
        "past": make_meeting(world.board, series=board_table, day=_in_days(-2)),
        "soon": make_meeting(world.board, series=board_table, day=_in_days(10)),
        "later": make_meeting(world.board, series=board_table, day=_in_days(120)),
        "own": make_meeting(world.board, series=own_table, day=_in_days(20)),
        "other": make_meeting(world.board, series=other_table, day=_in_days(30)),
    }
    return board_table, own_table, other_table, meetings


def test_the_meetings_list_shows_the_coming_90_days_by_default(client, world, calendar):
    board_table, own_table, _other_table, m = calendar
    client = as_user(client, world, Role.QUALITY_OFFICER)
    answer = client.get(url("meetings", world.board.pk))
    assert answer.status_code == 200
    listed = answer.json()
    assert [x["id"] for x in listed] == [m["soon"].pk, m["own"].pk, m["other"].pk]
    soon = listed[0]
    assert soon["series_id"] == board_table.pk and soon["series_name"] == "Bestuur"
    assert soon["place"] == "Kantoor" and soon["state"] == "planned"
    assert soon["unit"] == {"school_id": None, "school_name": None}
    assert soon["starts_at"].startswith(_in_days(10).isoformat() + "T15:00:00")


def test_the_meetings_list_filters_by_period_and_table(client, world, calendar):
    board_table, own_table, _other_table, m = calendar
    client = as_user(client, world, Role.QUALITY_OFFICER)

    def ids(**query):
        answer = client.get(url("meetings", world.board.pk, **query))
        assert answer.status_code == 200, answer.content
        return [x["id"] for x in answer.json()]

    start, end = _in_days(-5).isoformat(), _in_days(200).isoformat()
    assert ids(**{"from": start, "to": end}) == [
        m["past"].pk,
        m["soon"].pk,
        m["own"].pk,
        m["other"].pk,
        m["later"].pk,
    ]
    assert ids(**{"from": start, "to": end, "series_id": board_table.pk}) == [
        m["past"].pk,
        m["soon"].pk,
        m["later"].pk,
    ]
    assert ids(**{"from": _in_days(20).isoformat(), "to": _in_days(20).isoformat()}) == [
        m["own"].pk
    ]
    assert ids(to=_in_days(15).isoformat()) == [m["soon"].pk]


@pytest.mark.parametrize(
    "query",
    [
        {"from": "22-11-2026"},
        {"to": "morgen"},
        {"from": "2026-12-01", "to": "2026-11-01"},
        {"from": "2026-01-01", "to": "2029-01-01"},
    ],
)
def test_bad_periods_answer_422(client, world, calendar, query):
    answer = as_user(client, world, Role.QUALITY_OFFICER).get(
        url("meetings", world.board.pk, **query)
    )
    assert answer.status_code == 422
    assert answer.json()["detail"]


def test_school_roles_see_their_schools_meetings_only(client, world, calendar):
    board_table, own_table, other_table, m = calendar
    client = as_user(client, world, Role.STAFF)
    assert [x["id"] for x in client.get(url("meetings", world.board.pk)).json()] == [m["own"].pk]
    for table in (board_table, other_table):
        answer = client.get(url("meetings", world.board.pk, series_id=table.pk))
        assert answer.status_code == 404
    for key in ("soon", "other"):
        assert client.get(url("meeting", world.board.pk, m[key].pk)).status_code == 404
    assert client.get(url("meeting", world.board.pk, m["own"].pk)).status_code == 200


def test_another_boards_meetings_answer_404(client, world):
    foreign = make_meeting(world.other_board, world.other_board_school)
    client = as_user(client, world, Role.BOARD_EXECUTIVE)
    assert client.get(url("meetings", world.other_board.pk)).status_code == 404
    answer = client.get(url("meetings", world.board.pk, series_id=foreign.series_id))
    assert answer.status_code == 404
    assert client.get(url("meeting", world.board.pk, foreign.pk)).status_code == 404
    answer = post(client, url("decision_create", world.board.pk, foreign.pk), {"text": "Besluit"})
    assert answer.status_code == 404
    assert not Decision.objects.exists()


def test_the_meetings_list_reads_as_many_queries_for_one_meeting_as_for_eight(client, world):
    client = as_user(client, world, Role.BOARD_EXECUTIVE)
    make_meeting(world.board, world.school, day=_in_days(5))
    few, listed = _queries(client, url("meetings", world.board.pk))
    assert len(listed) == 1
    for i in range(7):
        make_meeting(world.board, make_school(world.board, name=f"School {i}"), day=_in_days(i + 6))
    many, listed = _queries(client, url("meetings", world.board.pk))
    assert len(listed) == 8
    assert few == many


def test_a_meeting_has_its_agenda_minutes_and_decisions(client, world):
    meeting = make_meeting(world.board, world.school, state="held", minutes="Besproken: lezen.")
    item = AgendaItem.objects.create(
        board=world.board, meeting=meeting, title="Resultaten lezen", notes="Zie rapport."
    )
    action = make_action(world.board, world.school, title="Leesplan opstellen")
    decision = Decision.objects.create(
        board=world.board,
        meeting=meeting,
        text="Het leesplan komt er.",
        action=action,
        created_by=world.users[Role.SCHOOL_LEADER],
    )
    body = as_user(client, world, Role.STAFF).get(url("meeting", world.board.pk, meeting.pk)).json()
    assert body["state"] == "held" and body["minutes"] == "Besproken: lezen."
    assert body["revision"] == 1
    assert body["agenda_items"] == [
        {
            "id": item.pk,
            "title": "Resultaten lezen",
            "notes": "Zie rapport.",
            "position": 0,
            "agenda_point_id": None,
        }
    ]
    assert [(d["id"], d["action_id"]) for d in body["decisions"]] == [(decision.pk, action.pk)]
    assert body["decisions"][0]["created_by"] == "school_leader user"


def test_a_decision_is_recorded_with_the_action_that_carries_it_out(client, world):
    meeting = make_meeting(world.board, world.school)
    staff = world.users[Role.STAFF]
    due = _in_days(60)
    answer = post(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("decision_create", world.board.pk, meeting.pk),
        {
            "text": "Groep 4 krijgt extra leesinstructie.\nDe IB'er volgt het.",
            "create_action": True,
            "action_owner_id": staff.pk,
            "action_due_on": due.isoformat(),
        },
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    decision = Decision.objects.get(pk=body["id"])
    action = Action.objects.get(pk=body["action_id"])
    assert decision.action == action and decision.meeting == meeting
    assert action.title == "Groep 4 krijgt extra leesinstructie."
    assert action.owner == staff and action.due_on == due and action.school == world.school
    assert body["created_by"] == "school_leader user"
    detail = as_user(client, world, Role.STAFF).get(url("meeting", world.board.pk, meeting.pk))
    assert [d["action_id"] for d in detail.json()["decisions"]] == [action.pk]


def test_a_decision_without_an_action(client, world):
    meeting = make_meeting(world.board, None)
    answer = post(
        as_user(client, world, Role.QUALITY_OFFICER),
        url("decision_create", world.board.pk, meeting.pk),
        {"text": "Het jaarverslag is vastgesteld."},
    )
    assert answer.status_code == 201
    assert answer.json()["action_id"] is None
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    ("days", "body", "field"),
    [
        (-2, {"text": "  "}, "text"),
        (5, {"text": "Te vroeg."}, "__all__"),
        (-2, {"text": "Besluit", "create_action": True, "action_owner_id": 999999}, None),
    ],
)
def test_a_bad_decision_answers_422_and_records_nothing(client, world, days, body, field):
    meeting = make_meeting(world.board, world.school, day=_in_days(days))
    answer = post(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("decision_create", world.board.pk, meeting.pk),
        body,
    )
    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == [field or "action_owner_id"]
    assert not Decision.objects.exists() and not Action.objects.exists()


def test_an_owner_from_outside_the_unit_is_refused_with_the_services_message(client, world):
    meeting = make_meeting(world.board, world.school)
    elsewhere = make_user(name="Elders")
    from tests.factories import grant

    grant(elsewhere, world.board, Role.STAFF, world.other_school)
    answer = post(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("decision_create", world.board.pk, meeting.pk),
        {"text": "Besluit", "create_action": True, "action_owner_id": elsewhere.pk},
    )
    assert answer.status_code == 422
    assert "action_owner_id" in answer.json()["errors"]
    assert not Decision.objects.exists()


def test_staff_and_readers_may_not_record_decisions(client, world):
    meeting = make_meeting(world.board, world.school)
    for role in (Role.STAFF, Role.SUPERVISOR):
        answer = post(
            as_user(client, world, role),
            url("decision_create", world.board.pk, meeting.pk),
            {"text": "Besluit"},
        )
        assert answer.status_code == 403
        assert answer.json()["detail"]
    assert not Decision.objects.exists()


# --- Tokens and the document ---------------------------------------------------------------


def test_a_token_reads_plans_and_meetings_and_changes_a_goal(client, world, plans, calendar):
    _strategic, school, _other = plans
    goal = make_goal(school)
    _token, raw = token_create(user=world.users[Role.SCHOOL_LEADER], name="Dashboard")
    listed = client.get(url("plans", world.board.pk), **bearer(raw))
    assert [p["id"] for p in listed.json()] == [school.pk]
    meetings = client.get(url("meetings", world.board.pk), **bearer(raw))
    assert [m["id"] for m in meetings.json()] == [calendar[3]["own"].pk]
    answer = patch(
        client,
        url("goal_update", world.board.pk, goal.pk),
        {"revision": 1, "target": 85},
        **bearer(raw),
    )
    assert answer.status_code == 200
    answer = post(
        client,
        url("check_in_create", world.board.pk, goal.pk),
        {"progress": "on_track"},
        **bearer(raw),
    )
    assert answer.status_code == 201
    assert client.get(url("plans", world.board.pk), **bearer("stl_wrong")).status_code == 401
    assert client.get(url("plans", world.board.pk)).status_code == 401


def test_the_openapi_document_lists_the_planning_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    prefix = "/api/v1/boards/{board_id}"
    expected = {
        "/plans": {"get"},
        "/plans/{plan_id}": {"get"},
        "/plans/{plan_id}/goals": {"post"},
        "/goals/{goal_id}": {"get", "patch"},
        "/goals/{goal_id}/check-ins": {"post"},
        "/meetings": {"get"},
        "/meetings/{meeting_id}": {"get"},
        "/meetings/{meeting_id}/decisions": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[prefix + path]), path
    goal = paths[prefix + "/goals/{goal_id}"]["patch"]
    body = goal["requestBody"]["content"]["application/json"]["schema"]
    assert "revision" in body["properties"]
    assert {"409", "422"} <= set(goal["responses"])
    listed = {p["name"] for p in paths[prefix + "/meetings"]["get"]["parameters"]}
    assert {"from", "to", "series_id"} <= listed
    action = paths[prefix + "/actions/{action_id}"]["get"]["responses"]["200"]
    assert action["content"]["application/json"]["schema"]["$ref"].endswith("ActionOut")
