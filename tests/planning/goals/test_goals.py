"""Goals and check-ins: numbers as people type them, dates within the plan, the board goal a
goal serves (never in a circle), concurrent edits, and the goal pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stelsel.lib.revisions import EditConflict
from stelsel.organisations.roles import Role
from stelsel.picture.models import Indicator
from stelsel.planning.actions.services import action_create, action_update
from stelsel.planning.goals.forms import CheckInForm
from stelsel.planning.goals.services import check_in_add, goal_create, goal_update
from stelsel.planning.models import CheckIn, Goal, PlanKind, Progress
from stelsel.planning.numbers import parse_number
from tests.factories import grant, make_action, make_evidence, make_picture, make_user
from tests.factories.planning import make_check_in, make_goal, make_plan, make_theme

D = datetime.date


@pytest.fixture
def strategic(world):
    return make_plan(world.board, None, title="Koersplan")


@pytest.fixture
def school_plan(world):
    return make_plan(world.board, world.school, title="Schoolplan")


def _messages(exc, field: str) -> str:
    return " ".join(exc.value.message_dict.get(field, []))


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [("85", "85"), ("1,5", "1.5"), ("1.5", "1.5"), (" 7,25 ", "7.25"), ("-3", "-3"), (",5", "0.5")],
)
def test_numbers_are_read_as_people_type_them(typed, number):
    assert parse_number(typed, label="target") == (Decimal(number), None)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("85%", "without the percent sign"),
        ("veel", "must be a number"),
        ("1.000,5", "without thousands separators"),
        ("1,555", "at most two decimals"),
        ("12345678901", "too large"),
    ],
)
def test_what_is_not_a_number_gets_a_message_that_helps(typed, says):
    number, message = parse_number(typed, label="target value")
    assert number is None
    assert says in message


def test_blank_is_no_number():
    assert parse_number("  ", label="target") == (None, None)
    assert parse_number(None, label="target") == (None, None)


# --- goal_create --------------------------------------------------------------------------


def test_a_goal_takes_a_comma_decimal_and_its_links(world, school_plan):
    version_standard = make_picture(world.board, world.school).framework_version.standards.first()
    indicator = Indicator.objects.create(
        board=world.board, perspective="ambitions", code="A1", title="Plezier in lezen"
    )
    theme = make_theme(school_plan)
    leader = world.users[Role.SCHOOL_LEADER]
    goal = goal_create(
        plan=school_plan,
        title="In juni 2027 leest 80% van groep 4 op niveau",
        theme=theme,
        baseline="62,5",
        target="80",
        unit="%",
        target_date=D(2027, 6, 30),
        owner=leader,
        standards=[version_standard],
        indicators=[indicator],
        user=leader,
    )
    assert (goal.baseline, goal.target) == (Decimal("62.50"), Decimal("80.00"))
    assert goal.board == world.board and goal.position == 1
    assert list(goal.standards.all()) == [version_standard]
    assert list(goal.indicators.all()) == [indicator]


def test_targets_that_are_not_numbers_are_refused_with_clear_messages(school_plan):
    with pytest.raises(ValidationError) as exc:
        goal_create(plan=school_plan, title="Beter lezen", baseline="veel", target="85%")
    assert "must be a number" in _messages(exc, "baseline")
    assert "percent sign" in _messages(exc, "target")
    assert not Goal.objects.exists()


def test_the_target_date_falls_within_the_plan_period(school_plan):
    with pytest.raises(ValidationError) as exc:
        goal_create(plan=school_plan, title="Doel", target_date=D(2030, 1, 1))
    assert "within the plan's period" in _messages(exc, "target_date")
    with pytest.raises(ValidationError):
        goal_create(plan=school_plan, title="Doel", target_date=D(2025, 7, 31))
    assert goal_create(plan=school_plan, title="Doel", target_date=school_plan.ends_on)


def test_the_owner_needs_a_role_on_the_unit(world, school_plan, strategic):
    with pytest.raises(ValidationError) as exc:
        goal_create(plan=school_plan, title="Doel", owner=make_user())
    assert "owner" in exc.value.message_dict
    with pytest.raises(ValidationError):
        goal_create(plan=strategic, title="Doel", owner=world.users[Role.STAFF])


def test_standards_come_from_the_units_pictures_and_indicators_from_the_board(world, school_plan):
    board_standard = make_picture(world.board, None).framework_version.standards.first()
    foreign = Indicator.objects.create(
        board=world.other_board, perspective="ambitions", code="X1", title="Elders"
    )
    with pytest.raises(ValidationError) as exc:
        goal_create(
            plan=school_plan, title="Doel", standards=[board_standard], indicators=[foreign]
        )
    assert "picture on" in _messages(exc, "standards")
    assert "this board's own indicators" in _messages(exc, "indicators")


def test_a_theme_of_another_plan_is_refused(world, school_plan, strategic):
    with pytest.raises(ValidationError) as exc:
        goal_create(plan=school_plan, title="Doel", theme=make_theme(strategic))
    assert "theme" in exc.value.message_dict


# --- serves -------------------------------------------------------------------------------


def test_a_school_goal_serves_a_goal_of_the_strategic_plan(world, school_plan, strategic):
    board_goal = make_goal(strategic, "Alle scholen halen de signaleringswaarde")
    goal = goal_create(plan=school_plan, title="Doel", serves=board_goal)
    assert goal.serves == board_goal


def test_a_goal_cannot_serve_itself(world, strategic):
    year = make_plan(world.board, None, kind=PlanKind.YEAR, ends_on=D(2026, 7, 31))
    goal = make_goal(year, "Jaardoel", target_date=None)
    with pytest.raises(ValidationError) as exc:
        goal_update(goal=goal, revision=1, serves=goal)
    assert "cannot serve itself" in _messages(exc, "serves")


def test_goals_cannot_serve_each_other_in_a_circle(world, strategic):
    year = make_plan(world.board, None, kind=PlanKind.YEAR, ends_on=D(2026, 7, 31))
    a = make_goal(year, "Jaardoel A", target_date=None)
    b = make_goal(strategic, "Koersdoel B")
    goal_update(goal=a, revision=1, serves=b)  # A → B
    with pytest.raises(ValidationError) as exc:
        goal_update(goal=b, revision=1, serves=a)  # B → A would close the circle
    assert "circle" in _messages(exc, "serves")
    b.refresh_from_db()
    assert b.serves is None


def test_a_longer_circle_is_found_too(world, strategic):
    year = make_plan(world.board, None, kind=PlanKind.YEAR, ends_on=D(2026, 7, 31))
    later = make_plan(world.board, None, kind=PlanKind.STRATEGIC, title="Tweede koers")
    a = make_goal(year, "A", target_date=None)
    b = make_goal(strategic, "B")
    c = make_goal(later, "C")
    goal_update(goal=a, revision=1, serves=b)
    goal_update(goal=b, revision=1, serves=c)
    with pytest.raises(ValidationError) as exc:
        goal_update(goal=c, revision=1, serves=a)
    assert "circle" in _messages(exc, "serves")


def test_a_goal_cannot_serve_a_goal_of_another_board(world, school_plan):
    foreign = make_goal(make_plan(world.other_board, None), "Ander bestuur")
    with pytest.raises(ValidationError) as exc:
        goal_create(plan=school_plan, title="Doel", serves=foreign)
    assert "another board" in _messages(exc, "serves")


def test_a_goal_cannot_serve_a_school_goal(world, school_plan):
    other = make_goal(make_plan(world.board, world.other_school), "Andere school")
    with pytest.raises(ValidationError) as exc:
        goal_create(plan=school_plan, title="Doel", serves=other)
    assert "not a goal of a school" in _messages(exc, "serves")


def test_a_goal_serves_only_a_strategic_or_year_goal_that_runs_at_the_same_time(world, school_plan):
    improvement = make_plan(world.board, None, kind=PlanKind.IMPROVEMENT, ends_on=D(2026, 7, 31))
    ended = make_plan(world.board, None, starts_on=D(2019, 8, 1), ends_on=D(2023, 7, 31))
    with pytest.raises(ValidationError) as exc:
        goal_create(plan=school_plan, title="Doel", serves=make_goal(improvement, target_date=None))
    assert "strategic plan or of a board year plan" in _messages(exc, "serves")
    with pytest.raises(ValidationError) as exc:
        goal_create(plan=school_plan, title="Doel", serves=make_goal(ended, target_date=None))
    assert "does not run at the same time" in _messages(exc, "serves")


# --- goal_update --------------------------------------------------------------------------


def test_a_concurrent_edit_of_a_goal_is_refused_and_nothing_is_lost(world, school_plan):
    goal = make_goal(school_plan, "Eerste versie")
    goal_update(goal=goal, revision=1, target="85")  # someone else saves first
    with pytest.raises(EditConflict) as exc:
        goal_update(goal=goal, revision=1, title="Mijn versie")
    assert exc.value.current.target == Decimal("85")
    goal.refresh_from_db()
    assert (goal.title, goal.target, goal.revision) == ("Eerste versie", Decimal("85"), 2)


def test_an_update_keeps_what_it_does_not_name(world, school_plan):
    goal = make_goal(school_plan, "Doel", unit="%", indicator="DMT")
    updated = goal_update(goal=goal, revision=1, target="90,5")
    assert (updated.target, updated.unit, updated.indicator) == (Decimal("90.50"), "%", "DMT")


# --- check-ins ----------------------------------------------------------------------------


def test_a_check_in_records_the_conversation_the_value_and_the_evidence(world, school_plan):
    goal = make_goal(school_plan)
    evidence = make_evidence(world.board, world.school)
    staff = world.users[Role.STAFF]
    check_in = check_in_add(
        goal=goal,
        held_on=D(2026, 2, 1),
        progress=Progress.AT_RISK,
        measured="71,5",
        plan_text="80% op niveau",
        check_text="De toets laat 71,5% zien",
        evidence=[evidence],
        user=staff,
    )
    assert check_in.measured == Decimal("71.50")
    assert check_in.author == staff
    assert list(check_in.evidence.all()) == [evidence]


def test_a_check_in_refuses_bad_values_and_records_nothing(world, school_plan):
    goal = make_goal(school_plan)
    with pytest.raises(ValidationError) as exc:
        check_in_add(
            goal=goal,
            progress="great",
            measured="ongeveer 70",
            evidence=[make_evidence(world.board, world.other_school)],
            held_on=datetime.date.today() + datetime.timedelta(days=2),
        )
    assert set(exc.value.message_dict) == {"progress", "measured", "evidence", "held_on"}
    assert not CheckIn.objects.exists()


# --- actions under goals ------------------------------------------------------------------


def test_an_action_hangs_under_a_goal_of_its_own_unit(world, school_plan, strategic):
    goal = make_goal(school_plan)
    action = action_create(
        board=world.board, school=world.school, title="Leesles observeren", goal=goal
    )
    assert action.goal == goal
    with pytest.raises(ValidationError) as exc:
        action_create(board=world.board, school=world.other_school, title="Elders", goal=goal)
    assert "goal" in exc.value.message_dict
    with pytest.raises(ValidationError):
        action_update(action=action, revision=1, goal=make_goal(strategic))
    updated = action_update(action=action, revision=1, progress=20)
    assert updated.goal == goal  # kept when not named


# --- pages --------------------------------------------------------------------------------


def _goal_post(**overrides):
    data = {
        "title": "In juni 2027 leest 80% van groep 4 op niveau",
        "indicator": "DMT",
        "baseline": "62,5",
        "target": "80",
        "unit": "%",
        "target_date": "2027-06-30",
    }
    return data | overrides


def test_a_goal_is_written_on_the_page_and_the_coach_shows_after_saving(
    english, world, school_plan
):
    english.force_login(world.users[Role.SCHOOL_LEADER])
    url = reverse("planning:goal_create", args=[world.board.pk, school_plan.pk])
    page = english.get(url).content.decode()
    assert 'hx-post="' + reverse("planning:goal_coach", args=[world.board.pk]) in page
    assert 'hx-trigger="keyup changed delay:500ms"' in page
    assert "django_htmx/htmx-2.min.js" in page
    response = english.post(url, _goal_post(title="We proberen het lezen te verbeteren", target=""))
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert goal.baseline == Decimal("62.50")
    page = english.get(response["Location"]).content.decode()
    assert "coach-finding" in page


def test_the_goal_form_explains_a_target_that_is_not_a_number(english, world, school_plan):
    english.force_login(world.users[Role.SCHOOL_LEADER])
    url = reverse("planning:goal_create", args=[world.board.pk, school_plan.pk])
    response = english.post(url, _goal_post(target="85%", target_date="2031-01-01"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "without the percent sign" in text
    assert "within the plan&#x27;s period" in text or "within the plan's period" in text
    assert not Goal.objects.exists()


def test_the_coach_answers_while_writing(english, world):
    english.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("planning:goal_coach", args=[world.board.pk])
    response = english.post(url, {"title": "We proberen meer te lezen"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "coach-finding" in response.content.decode()
    assert "<html" not in response.content.decode()  # a fragment, not a page
    assert english.post(url, {"title": ""}).content.decode().strip() == ""
    assert english.get(url).status_code == 405


def test_the_goal_edit_page_answers_a_conflict_with_both_versions(english, world, school_plan):
    goal = make_goal(school_plan, "Eerste versie")
    goal_update(goal=goal, revision=1, title="Versie van een ander")
    english.force_login(world.users[Role.SCHOOL_LEADER])
    response = english.post(
        reverse("planning:goal_edit", args=[world.board.pk, goal.pk]),
        _goal_post(title="Mijn versie", revision=1),
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "Versie van een ander" in text and "Mijn versie" in text
    goal.refresh_from_db()
    assert goal.title == "Versie van een ander"


def test_the_goal_page_shows_history_chart_and_table(english, world, school_plan):
    goal = make_goal(school_plan, "Leesdoel", baseline=Decimal("60"), unit="%")
    make_check_in(goal, held_on=D(2026, 1, 10), measured=Decimal("64"), do_text="Goed op weg")
    make_check_in(goal, held_on=D(2026, 6, 10), measured=Decimal("71.5"), progress="at_risk")
    make_action(world.board, world.school, goal=goal, title="Leesles observeren")
    english.force_login(world.users[Role.SUPERVISOR])
    text = english.get(reverse("planning:goal", args=[world.board.pk, goal.pk])).content.decode()
    assert "<svg" in text and "<polyline" in text and "<table" in text
    assert "71.5" in text and "Goed op weg" in text and "Leesles observeren" in text
    assert "At risk" in text
    assert "Add a check-in" not in text  # a supervisor reads
    assert "Edit goal" not in text


def test_staff_check_in_but_do_not_edit_goals(english, world, school_plan):
    goal = make_goal(school_plan)
    english.force_login(world.users[Role.STAFF])
    assert (
        "Add a check-in"
        in english.get(reverse("planning:goal", args=[world.board.pk, goal.pk])).content.decode()
    )
    assert (
        english.get(reverse("planning:goal_edit", args=[world.board.pk, goal.pk])).status_code
        == 403
    )
    assert (
        english.post(
            reverse("planning:goal_edit", args=[world.board.pk, goal.pk]), _goal_post(revision=1)
        ).status_code
        == 403
    )
    response = english.post(
        reverse("planning:check_in_add", args=[world.board.pk, goal.pk]),
        {
            "held_on": "2026-01-15",
            "progress": "on_track",
            "measured": "72,5",
            "do_text": "Het loopt",
        },
    )
    assert response.status_code == 302
    assert CheckIn.objects.get().measured == Decimal("72.50")


def test_the_check_in_form_shows_the_conversation_guide_and_its_errors(english, world, school_plan):
    goal = make_goal(school_plan)
    english.force_login(world.users[Role.SCHOOL_LEADER])
    url = reverse("planning:check_in_add", args=[world.board.pk, goal.pk])
    text = english.get(url).content.decode()
    assert "what do we want to achieve?" in text and "How can you see that?" in text
    response = english.post(
        url, {"held_on": "2026-01-15", "progress": "on_track", "measured": "veel"}
    )
    assert response.status_code == 200
    assert "must be a number" in response.content.decode()
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("on_board", [False, True])
def test_the_check_in_form_offers_the_evidence_of_the_plans_own_unit(
    english, world, school_plan, strategic, on_board
):
    plan = strategic if on_board else school_plan
    goal = make_goal(plan)
    own_school = make_evidence(world.board, world.school, title="Bewijs eigen school")
    other_school = make_evidence(world.board, world.other_school, title="Bewijs andere school")
    boards_own = make_evidence(world.board, None, title="Bewijs van het bestuur")
    make_evidence(world.other_board, None, title="Bewijs ander bestuur")
    make_evidence(world.other_board, world.other_board_school, title="Bewijs school ander bestuur")
    user = world.users[Role.QUALITY_OFFICER if on_board else Role.SCHOOL_LEADER]
    form = CheckInForm(user=user, board=world.board, plan=plan)
    assert list(form.fields["evidence"].queryset) == [boards_own if on_board else own_school]
    english.force_login(user)
    for name in ("planning:goal", "planning:check_in_add"):
        offered = english.get(reverse(name, args=[world.board.pk, goal.pk])).context[
            "check_in_form" if name == "planning:goal" else "form"
        ]
        assert list(offered.fields["evidence"].queryset) == list(form.fields["evidence"].queryset)
    assert other_school.title not in str(form["evidence"])


def test_the_check_in_forms_evidence_goes_through_the_users_reach(world, school_plan):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        CheckInForm(user=world.nobody, board=world.board, plan=school_plan)
    staff_elsewhere = make_user(name="Staff elsewhere")
    grant(staff_elsewhere, world.board, Role.STAFF, world.other_school)
    make_evidence(world.board, world.school, title="Bewijs eigen school")
    form = CheckInForm(user=staff_elsewhere, board=world.board, plan=school_plan)
    assert not form.fields["evidence"].queryset.exists()


def test_another_boards_goal_answers_404(english, world):
    foreign = make_goal(make_plan(world.other_board, world.other_board_school))
    english.force_login(world.users[Role.BOARD_EXECUTIVE])
    for name in ("planning:goal", "planning:goal_edit", "planning:check_in_add"):
        assert english.get(reverse(name, args=[world.board.pk, foreign.pk])).status_code == 404
    assert (
        english.get(reverse("planning:goal", args=[world.other_board.pk, foreign.pk])).status_code
        == 404
    )


def test_an_action_is_put_under_a_goal_from_the_action_form(english, world, school_plan):
    goal = make_goal(school_plan, "Leesdoel")
    other = make_goal(make_plan(world.board, world.other_school), "Doel elders")
    english.force_login(world.users[Role.SCHOOL_LEADER])
    url = reverse("planning:action_create", args=[world.board.pk])
    page = english.get(url, {"school": world.school.pk, "goal": goal.pk}).content.decode()
    assert f'<option value="{goal.pk}" selected>' in page
    assert "Doel elders" not in page  # only the unit's own goals are offered
    data = {"title": "Leesles observeren", "status": "planned", "progress": "0", "goal": goal.pk}
    response = english.post(f"{url}?school={world.school.pk}", data)
    assert response.status_code == 302
    assert goal.actions.get().title == "Leesles observeren"
    response = english.post(f"{url}?school={world.school.pk}", data | {"goal": other.pk})
    assert response.status_code == 200
    assert goal.actions.count() == 1


def _goal_with(world, plan, check_ins: int) -> Goal:
    goal = make_goal(plan, f"Doel met {check_ins} check-ins", baseline=Decimal("50"), unit="%")
    for i in range(check_ins):
        check_in = make_check_in(
            goal,
            held_on=D(2025, 9, 1) + datetime.timedelta(days=30 * i),
            measured=Decimal(50 + i),
            author=world.users[Role.STAFF],
        )
        check_in.evidence.set([make_evidence(world.board, world.school)])
        make_action(world.board, world.school, goal=goal, owner=world.users[Role.STAFF])
    return goal


def test_the_goal_page_reads_as_many_queries_for_two_check_ins_as_for_twelve(
    client, world, school_plan
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, large = _goal_with(world, school_plan, 2), _goal_with(world, school_plan, 12)
    client.force_login(world.users[Role.SCHOOL_LEADER])
    counts = []
    for goal in (small, small, large):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("planning:goal", args=[world.board.pk, goal.pk]))
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[1] == counts[2]
