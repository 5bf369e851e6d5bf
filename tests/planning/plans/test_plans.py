"""Plans: starting, changing and deriving one, themes, and the plan pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stelsel.lib.revisions import EditConflict
from stelsel.organisations.roles import Role
from stelsel.planning.actions.services import action_create, action_update
from stelsel.planning.goals.services import check_in_add, goal_create, goal_update
from stelsel.planning.models import Action, Goal, Plan, PlanKind, PlanStatus, Progress, Theme
from stelsel.planning.plans.selectors import plan_list
from stelsel.planning.plans.services import (
    plan_create,
    plan_derive,
    plan_update,
    theme_add,
    theme_remove,
    theme_update,
)
from tests.factories import make_action, make_user
from tests.factories.planning import END, START, make_check_in, make_goal, make_plan, make_theme

D = datetime.date


def _create(world, school=None, **overrides):
    values = {
        "board": world.board,
        "school": school,
        "kind": PlanKind.STRATEGIC if school is None else PlanKind.SCHOOL,
        "title": "Koers 2025-2029",
        "starts_on": START,
        "ends_on": END,
    }
    return plan_create(**(values | overrides))


def _messages(exc: ValidationError, field: str) -> str:
    return " ".join(exc.value.message_dict.get(field, []))


# --- plan_create --------------------------------------------------------------------------


def test_a_strategic_plan_of_the_board_is_started_as_a_draft(world):
    owner = world.users[Role.QUALITY_OFFICER]
    plan = _create(world, owner=owner, user=owner)
    assert plan.school is None
    assert plan.status == PlanStatus.DRAFT
    assert plan.owner == owner
    assert plan.history.first().history_user == owner


def test_a_strategic_plan_belongs_to_the_board_and_a_school_plan_to_a_school(world):
    with pytest.raises(ValidationError) as exc:
        _create(world, world.school, kind=PlanKind.STRATEGIC)
    assert "belongs to the board" in _messages(exc, "kind")
    with pytest.raises(ValidationError) as exc:
        _create(world, None, kind=PlanKind.SCHOOL)
    assert "belongs to a school" in _messages(exc, "kind")
    assert not Plan.objects.exists()


@pytest.mark.parametrize("kind", [PlanKind.YEAR, PlanKind.IMPROVEMENT])
def test_year_and_improvement_plans_belong_to_either(world, kind):
    ends = D(2026, 7, 31)
    assert _create(world, None, kind=kind, ends_on=ends).school is None
    assert _create(world, world.school, kind=kind, ends_on=ends).school == world.school


def test_the_period_ends_after_it_starts(world):
    with pytest.raises(ValidationError) as exc:
        _create(world, ends_on=START)
    assert "end after it starts" in _messages(exc, "ends_on")


def test_a_four_year_plan_runs_at_most_four_years_and_two_months(world):
    assert _create(world, ends_on=D(2029, 10, 1)).ends_on == D(2029, 10, 1)
    with pytest.raises(ValidationError) as exc:
        _create(world, ends_on=D(2029, 10, 2))
    assert "four years and two months" in _messages(exc, "ends_on")


def test_a_year_plan_runs_at_most_thirteen_months(world):
    _create(world, kind=PlanKind.YEAR, ends_on=D(2026, 9, 1))
    with pytest.raises(ValidationError) as exc:
        _create(world, kind=PlanKind.YEAR, ends_on=D(2026, 9, 2))
    assert "thirteen months" in _messages(exc, "ends_on")


def test_the_owner_needs_a_role_on_the_unit(world):
    staff = world.users[Role.STAFF]  # on world.school
    with pytest.raises(ValidationError) as exc:
        _create(world, None, owner=staff)
    assert "role on the board itself" in _messages(exc, "owner")
    with pytest.raises(ValidationError):
        _create(world, world.other_school, owner=staff)
    assert _create(world, world.school, owner=staff).owner == staff


def test_every_problem_is_named_at_once(world):
    with pytest.raises(ValidationError) as exc:
        _create(world, title=" ", starts_on=None, ends_on=None, status="unknown")
    assert set(exc.value.message_dict) == {"title", "starts_on", "ends_on", "status"}


# --- plan_update --------------------------------------------------------------------------


def test_a_plan_is_changed_on_the_revision_it_was_opened_on(world):
    plan = _create(world)
    updated = plan_update(plan=plan, revision=1, status=PlanStatus.ACTIVE)
    assert updated.status == PlanStatus.ACTIVE
    assert updated.title == "Koers 2025-2029"  # fields left out keep what is stored
    assert updated.revision == 2
    with pytest.raises(EditConflict) as exc:
        plan_update(plan=plan, revision=1, title="Overschreven")
    assert exc.value.current.revision == 2
    plan.refresh_from_db()
    assert plan.title == "Koers 2025-2029"


def test_a_period_cannot_leave_a_goal_behind(world):
    plan = _create(world)
    make_goal(plan, "Alle leerlingen lezen", target_date=D(2029, 6, 30))
    with pytest.raises(ValidationError) as exc:
        plan_update(plan=plan, revision=1, ends_on=D(2028, 7, 31))
    assert "Alle leerlingen lezen" in _messages(exc, "ends_on")


def test_a_board_plan_keeps_the_school_goals_that_serve_it_in_its_period(world):
    strategic = _create(world)
    board_goal = make_goal(strategic, "Alle scholen lezen op niveau")
    school_plan = make_plan(
        world.board, world.school, starts_on=D(2025, 8, 1), ends_on=D(2026, 7, 31)
    )
    make_goal(school_plan, "Groep 4 leest op niveau", serves=board_goal)
    with pytest.raises(ValidationError) as exc:
        plan_update(plan=strategic, revision=1, starts_on=D(2026, 8, 1), ends_on=D(2029, 7, 31))
    assert "Groep 4 leest op niveau" in _messages(exc, "ends_on")
    with pytest.raises(ValidationError) as exc:
        plan_update(plan=strategic, revision=1, kind=PlanKind.IMPROVEMENT)
    assert "Groep 4 leest op niveau" in _messages(exc, "kind")
    strategic.refresh_from_db()
    assert (strategic.kind, strategic.starts_on, strategic.revision) == (
        PlanKind.STRATEGIC,
        START,
        1,
    )
    # A period that still overlaps the school plan is fine.
    plan_update(plan=strategic, revision=1, starts_on=D(2026, 1, 1))


def test_a_school_plan_keeps_overlapping_the_board_plan_its_goals_serve(world):
    strategic = make_plan(world.board, None, starts_on=D(2025, 8, 1), ends_on=D(2027, 7, 31))
    board_goal = make_goal(strategic, "Alle scholen lezen op niveau")
    school_plan = _create(world, world.school)
    make_goal(school_plan, "Groep 4 leest op niveau", serves=board_goal, target_date=None)
    with pytest.raises(ValidationError) as exc:
        plan_update(plan=school_plan, revision=1, starts_on=D(2027, 8, 1))
    assert "Alle scholen" not in _messages(exc, "ends_on")
    assert "Groep 4 leest op niveau" in _messages(exc, "ends_on")


def test_a_closed_plan_changes_only_when_it_is_reopened(world):
    plan = _create(world, world.school, status=PlanStatus.CLOSED)
    theme = make_theme(plan)
    goal = make_goal(plan, "Groep 4 leest op niveau")
    attempts = [
        lambda: plan_update(plan=plan, revision=1, title="Anders"),
        lambda: theme_add(plan=plan, title="Rekenen"),
        lambda: theme_update(theme=theme, title="Anders"),
        lambda: theme_remove(theme=theme),
        lambda: goal_create(plan=plan, title="Nieuw doel"),
        lambda: goal_update(goal=goal, revision=1, title="Anders"),
        lambda: check_in_add(goal=goal, progress=Progress.ON_TRACK),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert "closed" in " ".join(exc.value.messages)
    assert Theme.objects.filter(plan=plan).count() == 1
    assert Goal.objects.filter(plan=plan).count() == 1
    assert not goal.check_ins.exists()
    plan.refresh_from_db()
    assert (plan.title, plan.revision) == ("Koers 2025-2029", 1)
    # Saving it unchanged is no change; reopening it (with a change at once) is allowed.
    plan_update(plan=plan, revision=1, status=PlanStatus.CLOSED)
    reopened = plan_update(plan=plan, revision=2, status=PlanStatus.ACTIVE, title="Weer open")
    assert reopened.title == "Weer open"
    theme_add(plan=reopened, title="Rekenen")


def test_an_action_is_not_put_under_a_goal_of_a_closed_plan(world):
    plan = make_plan(world.board, world.school, status=PlanStatus.CLOSED)
    goal = make_goal(plan)
    with pytest.raises(ValidationError) as exc:
        action_create(board=world.board, school=world.school, title="Lezen", goal=goal)
    assert "closed" in _messages(exc, "goal")
    # An action that hung under the goal before the plan closed keeps it when it is updated.
    kept = make_action(world.board, world.school, goal=goal)
    assert action_update(action=kept, revision=1, progress=50).goal == goal


def test_a_closed_plans_pages_offer_no_changes_but_reopening(english, world):
    plan = make_plan(world.board, world.school, status=PlanStatus.CLOSED)
    make_theme(plan)
    goal = make_goal(plan)
    client = _login(english, world, Role.SCHOOL_LEADER)
    page = client.get(reverse("planning:plan", args=[world.board.pk, plan.pk])).content.decode()
    assert "This plan is closed" in page
    assert reverse("planning:plan_edit", args=[world.board.pk, plan.pk]) in page
    assert reverse("planning:theme_add", args=[world.board.pk, plan.pk]) not in page
    assert reverse("planning:goal_create", args=[world.board.pk, plan.pk]) not in page
    page = client.get(reverse("planning:goal", args=[world.board.pk, goal.pk])).content.decode()
    assert reverse("planning:goal_edit", args=[world.board.pk, goal.pk]) not in page
    assert 'name="progress"' not in page  # no check-in form
    response = client.post(
        reverse("planning:theme_add", args=[world.board.pk, plan.pk]), {"title": "Rekenen"}
    )
    assert response.status_code == 200
    assert "This plan is closed" in response.content.decode()
    assert plan.themes.count() == 1


def test_new_links_to_a_closed_plans_goals_are_refused(world):
    closed = make_plan(world.board, None, status=PlanStatus.CLOSED)
    old_goal = make_goal(closed, "Oud bestuursdoel")
    school_plan = _create(world, world.school)
    with pytest.raises(ValidationError) as exc:
        goal_create(plan=school_plan, title="Groep 4 leest", serves=old_goal)
    assert "closed" in _messages(exc, "serves")
    # A link made while the plan ran stays, and the goal can still be changed.
    kept = make_goal(school_plan, "Groep 4 leest", serves=old_goal)
    goal_update(goal=kept, revision=1, unit="%")


# --- plan_derive --------------------------------------------------------------------------


@pytest.fixture
def old_plan(world):
    leader = world.users[Role.SCHOOL_LEADER]
    strategic = make_plan(world.board, None, starts_on=D(2023, 8, 1), ends_on=D(2031, 7, 31))
    board_goal = make_goal(strategic, "Alle scholen halen de signaleringswaarde")
    plan = make_plan(world.board, world.school, owner=leader, title="Schoolplan 2025-2029")
    reading = make_theme(plan, "Lezen", 1)
    make_theme(plan, "Rekenen", 2)
    measured = make_goal(
        plan,
        "80% leest op niveau",
        theme=reading,
        indicator="Leesniveau groep 4",
        baseline=Decimal("60"),
        target=Decimal("80"),
        unit="%",
        target_date=D(2027, 6, 30),
        owner=leader,
        serves=board_goal,
    )
    make_check_in(measured, held_on=D(2026, 1, 10), measured=Decimal("64"))
    make_check_in(measured, held_on=D(2026, 6, 10), measured=Decimal("71.5"))
    make_check_in(measured, held_on=D(2026, 9, 1), measured=None, progress=Progress.AT_RISK)
    make_goal(plan, "Minder verzuim", baseline=Decimal("12"), target_date=None)
    make_action(world.board, world.school, goal=measured)
    return plan


def test_derive_copies_themes_and_goals_moves_dates_and_starts_from_what_was_measured(
    world, old_plan
):
    user = world.users[Role.QUALITY_OFFICER]
    new = plan_derive(previous=old_plan, starts_on=D(2029, 8, 1), ends_on=D(2033, 7, 31), user=user)
    assert new.previous == old_plan
    assert (new.school, new.kind, new.status) == (world.school, PlanKind.SCHOOL, "draft")
    assert new.title == "Schoolplan 2025-2029"
    assert new.owner == world.users[Role.SCHOOL_LEADER]
    assert list(new.themes.values_list("title", flat=True)) == ["Lezen", "Rekenen"]
    reading, unmeasured = new.goals.order_by("position")
    assert reading.theme.plan == new and reading.theme.title == "Lezen"
    assert reading.baseline == Decimal("71.50")  # the latest value measured, not the old one
    assert reading.target == Decimal("80") and reading.unit == "%"
    assert reading.indicator == "Leesniveau groep 4"
    assert reading.target_date == D(2031, 6, 30)  # moved by the four years the period moved
    assert reading.serves.title == "Alle scholen halen de signaleringswaarde"
    assert unmeasured.baseline == Decimal("12")  # nothing measured: the old baseline stays
    assert not Action.objects.filter(goal__plan=new).exists()  # actions are decided anew
    assert Goal.objects.filter(plan=old_plan).count() == 2  # the old plan is untouched


def test_derive_drops_a_served_goal_whose_plan_has_ended(world, old_plan):
    new = plan_derive(previous=old_plan, starts_on=D(2031, 8, 1), ends_on=D(2035, 7, 31))
    assert new.goals.filter(serves__isnull=False).count() == 0


def test_derive_keeps_target_dates_inside_a_shorter_period(world, old_plan):
    new = plan_derive(
        previous=old_plan, kind=PlanKind.YEAR, starts_on=D(2029, 8, 1), ends_on=D(2030, 7, 31)
    )
    assert new.kind == PlanKind.YEAR
    assert new.goals.get(title="80% leest op niveau").target_date == D(2030, 7, 31)


def test_derive_checks_the_new_period_and_writes_nothing_on_bad_input(world, old_plan):
    with pytest.raises(ValidationError) as exc:
        plan_derive(previous=old_plan, starts_on=D(2029, 8, 1), ends_on=D(2029, 7, 1))
    assert "ends_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        plan_derive(previous=old_plan, starts_on=START, ends_on=END)
    assert "start after" in _messages(exc, "starts_on")
    assert Plan.objects.filter(previous=old_plan).count() == 0
    assert Theme.objects.count() == 2


def test_derive_leaves_out_an_owner_who_has_left_the_unit(world, old_plan):
    leaver = make_user()
    old_plan.owner = leaver
    old_plan.save()
    new = plan_derive(previous=old_plan, starts_on=D(2029, 8, 1), ends_on=D(2033, 7, 31))
    assert new.owner is None


# --- themes -------------------------------------------------------------------------------


def test_themes_are_added_in_order_changed_and_removed_without_losing_goals(world):
    plan = make_plan(world.board)
    first = theme_add(plan=plan, title="Lezen")
    second = theme_add(plan=plan, title="Burgerschap", description="Samen leven")
    assert (first.position, second.position) == (1, 2)
    with pytest.raises(ValidationError):
        theme_add(plan=plan, title="  ")
    theme_update(theme=first, title="Lezen en taal")
    first.refresh_from_db()
    assert first.title == "Lezen en taal"
    goal = make_goal(plan, theme=second)
    theme_remove(theme=second)
    goal.refresh_from_db()
    assert goal.theme is None
    assert list(plan.themes.all()) == [first]


# --- pages --------------------------------------------------------------------------------


def _login(client, world, role):
    client.force_login(world.users[role])
    return client


def test_the_plan_list_filters_by_unit_kind_and_status(english, world):
    make_plan(world.board, None, title="Koersplan")
    make_plan(world.board, world.school, title="Schoolplan Eigen", status=PlanStatus.ACTIVE)
    make_plan(world.board, world.other_school, title="Schoolplan Ander")
    make_plan(world.other_board, None, title="Plan van een ander bestuur")
    client = _login(english, world, Role.QUALITY_OFFICER)
    url = reverse("planning:plans", args=[world.board.pk])
    text = client.get(url).content.decode()
    assert "Koersplan" in text and "Schoolplan Eigen" in text and "Schoolplan Ander" in text
    assert "Plan van een ander bestuur" not in text
    text = client.get(url, {"school": "bestuur"}).content.decode()
    assert "Koersplan" in text and "Schoolplan Eigen" not in text
    text = client.get(url, {"school": world.school.pk}).content.decode()
    assert "Schoolplan Eigen" in text and "Schoolplan Ander" not in text
    text = client.get(url, {"kind": "school", "status": "active"}).content.decode()
    assert "Schoolplan Eigen" in text and "Schoolplan Ander" not in text and "Koersplan" not in text


def test_a_school_leader_sees_only_their_own_schools_plans(english, world):
    make_plan(world.board, None, title="Koersplan")
    make_plan(world.board, world.other_school, title="Schoolplan Ander")
    make_plan(world.board, world.school, title="Schoolplan Eigen")
    client = _login(english, world, Role.SCHOOL_LEADER)
    text = client.get(reverse("planning:plans", args=[world.board.pk])).content.decode()
    assert "Schoolplan Eigen" in text
    assert "Koersplan" not in text and "Schoolplan Ander" not in text


def test_a_plan_is_started_from_the_page(english, world):
    client = _login(english, world, Role.SCHOOL_LEADER)
    url = reverse("planning:plan_create", args=[world.board.pk])
    assert client.get(url).status_code == 200  # one unit: straight to the form
    response = client.post(
        url,
        {
            "kind": "school",
            "title": "Schoolplan 2025-2029",
            "starts_on": "2025-08-01",
            "ends_on": "2029-07-31",
            "owner": world.users[Role.SCHOOL_LEADER].pk,
            "status": "draft",
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:plan", args=[world.board.pk, plan.pk])
    assert plan.school == world.school


def test_the_plan_form_shows_the_services_messages(english, world):
    client = _login(english, world, Role.QUALITY_OFFICER)
    url = reverse("planning:plan_create", args=[world.board.pk]) + "?school=bestuur"
    response = client.post(
        url,
        {
            "kind": "strategic",
            "title": "Te lang",
            "starts_on": "2025-08-01",
            "ends_on": "2030-08-01",
            "status": "draft",
        },
    )
    assert response.status_code == 200
    assert "four years and two months" in response.content.decode()
    assert not Plan.objects.exists()


def test_the_plan_edit_page_answers_a_conflict_with_both_versions(english, world):
    plan = make_plan(world.board, world.school, title="Schoolplan")
    plan_update(plan=plan, revision=1, title="Schoolplan (bijgewerkt)")
    client = _login(english, world, Role.SCHOOL_LEADER)
    response = client.post(
        reverse("planning:plan_edit", args=[world.board.pk, plan.pk]),
        {
            "kind": "school",
            "title": "Mijn versie",
            "starts_on": "2025-08-01",
            "ends_on": "2029-07-31",
            "status": "draft",
            "revision": 1,
        },
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "Schoolplan (bijgewerkt)" in text and "Mijn versie" in text
    plan.refresh_from_db()
    assert plan.title == "Schoolplan (bijgewerkt)"


def test_derive_page_starts_the_next_plan(english, world, old_plan):
    client = _login(english, world, Role.SCHOOL_LEADER)
    url = reverse("planning:plan_derive", args=[world.board.pk, old_plan.pk])
    page = client.get(url).content.decode()
    assert 'value="2029-08-01"' in page and 'value="2033-07-31"' in page
    response = client.post(
        url, {"title": "Schoolplan 2029-2033", "starts_on": "2029-08-01", "ends_on": "2033-07-31"}
    )
    new = Plan.objects.get(previous=old_plan)
    assert response.status_code == 302
    assert new.goals.count() == 2


def test_theme_pages_add_edit_and_remove(english, world):
    plan = make_plan(world.board, world.school)
    client = _login(english, world, Role.SCHOOL_LEADER)
    client.post(reverse("planning:theme_add", args=[world.board.pk, plan.pk]), {"title": "Lezen"})
    theme = plan.themes.get()
    client.post(
        reverse("planning:theme_edit", args=[world.board.pk, plan.pk, theme.pk]),
        {"title": "Taal"},
    )
    theme.refresh_from_db()
    assert theme.title == "Taal"
    url = reverse("planning:theme_remove", args=[world.board.pk, plan.pk, theme.pk])
    assert "Taal" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not plan.themes.exists()


def test_a_theme_of_another_plan_answers_404(english, world):
    plan = make_plan(world.board, world.school)
    other = make_theme(make_plan(world.board, world.school, title="Ander plan"))
    client = _login(english, world, Role.SCHOOL_LEADER)
    url = reverse("planning:theme_edit", args=[world.board.pk, plan.pk, other.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["planning:theme_edit", "planning:theme_remove"])
@pytest.mark.parametrize("theme_id", [2**63, 10**30])
def test_a_theme_id_beyond_any_row_answers_404(english, world, name, theme_id):
    plan = make_plan(world.board, world.school)
    make_theme(plan)
    client = _login(english, world, Role.SCHOOL_LEADER)
    url = reverse(name, args=[world.board.pk, plan.pk, theme_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Taal"}).status_code == 404
    assert plan.themes.get().title == "Lezen"


def test_a_theme_is_reached_only_through_its_plan_and_board(world):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from stelsel.planning.access import get_theme_for_user

    plan = make_plan(world.board, world.school)
    theme = make_theme(plan)
    other_plan = make_plan(world.board, world.school, title="Ander plan")
    leader = world.users[Role.SCHOOL_LEADER]
    assert get_theme_for_user(leader, world.board, str(theme.pk), plan=plan) == theme
    for bad in (theme.pk + 1000, "abc", None, 0, -1, 2**63):
        with pytest.raises(Http404):
            get_theme_for_user(leader, world.board, bad, plan=plan)
    with pytest.raises(Http404):
        get_theme_for_user(leader, world.board, theme.pk, plan=other_plan)
    with pytest.raises(Http404):  # the plan's board, not another one the user asks through
        get_theme_for_user(world.outsider, world.other_board, theme.pk, plan=plan)
    with pytest.raises(PermissionDenied):
        get_theme_for_user(world.nobody, world.board, theme.pk, plan=plan)


def test_the_plan_page_shows_themes_goals_actions_check_ins_and_the_coach(english, world):
    plan = make_plan(world.board, world.school, title="Schoolplan")
    theme = make_theme(plan, "Lezen")
    goal = make_goal(
        plan,
        "80% van groep 4 leest op niveau",
        theme=theme,
        indicator="DMT",
        baseline=Decimal("60"),
        unit="%",
    )
    make_goal(plan, "We proberen het protocol op te stellen", target=None, target_date=None)
    make_check_in(goal, measured=Decimal("70"), progress=Progress.AT_RISK)
    make_action(world.board, world.school, goal=goal, title="Leesles observeren")
    client = _login(english, world, Role.SUPERVISOR)
    response = client.get(reverse("planning:plan", args=[world.board.pk, plan.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Lezen" in text and "80% van groep 4 leest op niveau" in text
    assert "Goals without a theme" in text
    assert "DMT" in text and "At risk" in text and "badge--warn" in text
    assert "Leesles observeren" in text
    assert "coach-finding" in text  # the try-language goal gets remarks
    assert "Edit plan" not in text  # a supervisor reads


def _plan_with(world, goals: int) -> Plan:
    plan = make_plan(world.board, world.school, title=f"Plan met {goals} doelen")
    themes = [make_theme(plan, f"Thema {i}", i) for i in range(3)]
    for i in range(goals):
        goal = make_goal(
            plan,
            f"Doel {i}: 80% leest op niveau",
            theme=themes[i % 3],
            owner=world.users[Role.SCHOOL_LEADER],
            unit="%",
        )
        make_check_in(goal, measured=Decimal(i))
        make_check_in(goal, held_on=datetime.date(2026, 3, 1), measured=Decimal(i + 1))
        make_action(world.board, world.school, goal=goal, owner=world.users[Role.STAFF])
        make_action(world.board, world.school, goal=goal)
    return plan


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_plan_page_reads_as_many_queries_for_two_goals_as_for_fifteen(client, world):
    small, large = _plan_with(world, 2), _plan_with(world, 15)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    _queries(client, reverse("planning:plan", args=[world.board.pk, small.pk]))  # warm caches
    few = _queries(client, reverse("planning:plan", args=[world.board.pk, small.pk]))
    many = _queries(client, reverse("planning:plan", args=[world.board.pk, large.pk]))
    assert few == many


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date(9999, 1, 1), datetime.date(9999, 12, 31)),
        (datetime.date(1, 1, 1), datetime.date(1, 6, 1)),
    ],
)
def test_a_period_far_outside_any_plan_is_refused(world, start, end):
    with pytest.raises(ValidationError):
        plan_create(
            board=world.board,
            school=world.school,
            kind="year",
            title="Jaarplan",
            starts_on=start,
            ends_on=end,
        )


def test_odd_ids_in_the_goal_form_get_a_message_not_an_error(client, world):
    from tests.factories.planning import make_plan

    plan = make_plan(world.board, world.school)
    client.force_login(world.users[Role.SCHOOL_LEADER])
    url = reverse("planning:goal_create", args=[world.board.pk, plan.pk])
    assert client.get(url, {"theme": "²"}).status_code == 200
    response = client.post(
        url, {"title": "Meer leesplezier", "standards": [str(10**20)], "owner": str(10**20)}
    )
    assert response.status_code in (200, 400)
    assert plan.goals.count() == 0


@pytest.mark.parametrize(
    ("page", "api"),
    [
        ({}, {}),
        ({"school": "bestuur"}, None),
        ({"school": "own"}, {"school_id": "own"}),
        ({"kind": "school", "status": "active"}, {"kind": "school", "status": "active"}),
    ],
)
def test_the_list_page_and_the_api_read_the_same_plans(client, world, page, api):
    """Both read `plan_list`: a filter keeps the same plans, with the same goal counts."""
    koersplan = make_plan(world.board, None, title="Koersplan")
    make_goal(koersplan)
    own = make_plan(world.board, world.school, title="Eigen", status=PlanStatus.ACTIVE)
    make_goal(own)
    make_goal(own)
    make_plan(world.board, world.other_school, title="Ander")
    make_plan(world.other_board, None, title="Ander bestuur")
    client.force_login(world.users[Role.QUALITY_OFFICER])

    def own_school(filters):
        return {k: world.school.pk if v == "own" else v for k, v in filters.items()}

    listed = client.get(reverse("planning:plans", args=[world.board.pk]), own_school(page))
    shown = {(p.pk, p.goal_count) for p in listed.context["plans"]}
    reached = plan_list(
        world.users[Role.QUALITY_OFFICER],
        world.board,
        unit=str(own_school(page).get("school", "")),
        kind=page.get("kind"),
        status=page.get("status"),
    )
    assert shown == {(p.pk, p.goal_count) for p in reached}
    assert (own.pk, 2) in shown or page.get("school") == "bestuur"
    if api is not None:
        answer = client.get(f"/api/v1/boards/{world.board.pk}/plans", own_school(api))
        assert {(p["id"], p["goal_count"]) for p in answer.json()} == shown
