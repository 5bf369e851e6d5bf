"""Herstelopdrachten: the services' rules, the follow-up, and the pages with their
permissions."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stelsel.organisations.roles import Role
from stelsel.picture.assignments.services import (
    assignment_create,
    assignment_follow_up,
    assignment_update,
)
from stelsel.picture.models import Assignment, Visit
from tests.factories import make_action, make_assignment, make_framework_version, make_picture

TODAY = datetime.date.today()


@pytest.fixture
def unit(world):
    picture = make_picture(world.board, world.school)
    standards = {s.code: s for s in picture.framework_version.standards.all()}
    board_version = make_framework_version("board")
    return SimpleNamespace(
        world=world,
        board=world.board,
        school=world.school,
        kl1=standards["KL1"],
        kl2=standards["KL2"],
        kl1_1=standards["KL1"].requirements.get(),
        kl2_1=standards["KL2"].requirements.get(),
        board_kl1=board_version.standards.get(code="KL1"),
        executive=world.users[Role.BOARD_EXECUTIVE],
        leader=world.users[Role.SCHOOL_LEADER],
    )


def _create(unit, **overrides):
    fields = {
        "board": unit.board,
        "school": unit.school,
        "kind": "herstel",
        "standard": unit.kl1,
        "requirement": unit.kl1_1,
        "text": "Zorg dat de school de ontwikkeling van leerlingen volgt.",
        "deadline": TODAY + datetime.timedelta(days=180),
        "user": unit.executive,
    }
    fields.update(overrides)
    return assignment_create(**fields)


# --- Services -----------------------------------------------------------------------------


def test_create_records_the_opdracht(unit):
    assignment = _create(unit)
    assert (assignment.standard, assignment.requirement) == (unit.kl1, unit.kl1_1)
    assert assignment.created_by == unit.executive
    assert assignment.history.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"requirement": "kl2_1"}, "requirement"),
        ({"standard": "board_kl1", "requirement": None}, "standard"),
        ({"deadline": None}, "deadline"),
        ({"text": "  "}, "text"),
        ({"kind": "straf"}, "kind"),
        ({"standard": None, "requirement": None}, "standard"),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_written(unit, overrides, field):
    overrides = {
        k: getattr(unit, v) if isinstance(v, str) and hasattr(unit, v) else v
        for k, v in overrides.items()
    }
    with pytest.raises(ValidationError) as exc_info:
        _create(unit, **overrides)
    assert field in exc_info.value.message_dict
    assert not Assignment.objects.exists()


def test_the_board_gets_opdrachten_on_the_board_framework_only(unit):
    with pytest.raises(ValidationError) as exc_info:
        _create(unit, school=None, standard=unit.kl1, requirement=None)
    assert "standard" in exc_info.value.message_dict
    assignment = _create(unit, school=None, standard=unit.board_kl1, requirement=None)
    assert assignment.school is None


def test_source_visit_must_be_of_the_same_unit(unit):
    visit = Visit.objects.create(
        board=unit.board,
        school=unit.world.other_school,
        kind="four_yearly",
        title="Bezoek",
        starts_on=TODAY,
        ends_on=TODAY,
    )
    with pytest.raises(ValidationError) as exc_info:
        _create(unit, visit=visit)
    assert "visit" in exc_info.value.message_dict


def test_update_keeps_the_unit_and_records_history(unit):
    assignment = _create(unit)
    updated = assignment_update(
        assignment=assignment,
        kind="ontwikkel",
        standard=unit.kl2,
        requirement=unit.kl2_1,
        text="Nieuwe tekst",
        deadline=TODAY + datetime.timedelta(days=10),
        user=unit.executive,
    )
    assert (updated.kind, updated.standard, updated.school) == ("ontwikkel", unit.kl2, unit.school)
    assert assignment.history.count() == 2
    with pytest.raises(ValidationError):
        assignment_update(
            assignment=assignment,
            kind="herstel",
            standard=unit.kl1,
            requirement=unit.kl2_1,
            text="Fout",
            deadline=TODAY,
        )
    assignment.refresh_from_db()
    assert assignment.text == "Nieuwe tekst"


def test_an_update_keeps_what_it_does_not_name_and_rechecks_the_rest(unit):
    assignment = _create(unit)
    updated = assignment_update(assignment=assignment, text="Alleen de tekst.")
    assert (updated.standard, updated.requirement) == (unit.kl1, unit.kl1_1)
    with pytest.raises(ValidationError) as exc_info:
        assignment_update(assignment=assignment, standard=unit.kl2)  # KL1.1 stays: refused
    assert "requirement" in exc_info.value.message_dict
    assignment.refresh_from_db()
    assert assignment.standard == unit.kl1


def test_follow_up_outcome_needs_a_date_that_has_passed(unit):
    assignment = _create(unit)
    with pytest.raises(ValidationError) as exc_info:
        assignment_follow_up(assignment=assignment, follow_up_on=None, outcome="sufficient")
    assert "follow_up_on" in exc_info.value.message_dict
    tomorrow = TODAY + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        assignment_follow_up(assignment=assignment, follow_up_on=tomorrow, outcome="sufficient")
    with pytest.raises(ValidationError):
        assignment_follow_up(assignment=assignment, follow_up_on=TODAY, outcome="great")
    assignment.refresh_from_db()
    assert (assignment.follow_up_on, assignment.follow_up_outcome) == (None, "")
    # A planned date without an outcome is fine, and so is an outcome on the day itself.
    planned = assignment_follow_up(assignment=assignment, follow_up_on=tomorrow, outcome="")
    assert planned.follow_up_on == tomorrow
    held = assignment_follow_up(
        assignment=assignment, follow_up_on=TODAY, outcome="sufficient", note="  Voldoende.  "
    )
    assert (held.follow_up_outcome, held.follow_up_note) == ("sufficient", "Voldoende.")


# --- Pages --------------------------------------------------------------------------------


def _url(name, board, **kwargs):
    return reverse(f"picture:{name}", kwargs={"board_id": board.pk, **kwargs})


def _form_data(unit, **overrides):
    data = {
        "kind": "herstel",
        "standard": unit.kl1.pk,
        "requirement": unit.kl1_1.pk,
        "text": "Zorg voor een dekkend aanbod.",
        "deadline": (TODAY + datetime.timedelta(days=90)).isoformat(),
    }
    data.update(overrides)
    return data


def test_executive_records_an_opdracht_for_a_school(client, unit):
    client.force_login(unit.executive)
    url = _url("assignment_create", unit.board) + f"?school={unit.school.pk}"
    response = client.post(url, _form_data(unit))
    assignment = Assignment.objects.get()
    assert response.status_code == 302
    assert assignment.school == unit.school
    assert assignment.requirement == unit.kl1_1


def test_standard_select_holds_only_the_units_framework(client, unit):
    client.force_login(unit.executive)
    url = _url("assignment_create", unit.board) + f"?school={unit.school.pk}"
    response = client.get(url)
    offered = set(response.context["form"].fields["standard"].queryset)
    assert offered == {unit.kl1, unit.kl2}
    response = client.post(url, _form_data(unit, standard=unit.board_kl1.pk, requirement=""))
    assert response.status_code == 200
    assert "standard" in response.context["form"].errors
    board_form = client.get(_url("assignment_create", unit.board) + "?school=bestuur")
    assert set(board_form.context["form"].fields["standard"].queryset) == set(
        unit.board_kl1.framework_version.standards.all()
    )
    assert not Assignment.objects.exists()


def test_requirement_of_another_standard_is_refused_on_the_page(client, unit, english):
    client.force_login(unit.executive)
    url = _url("assignment_create", unit.board) + f"?school={unit.school.pk}"
    response = client.post(url, _form_data(unit, requirement=unit.kl2_1.pk))
    assert response.status_code == 200
    assert b"Requirement KL2.1 is not part of standard KL1." in response.content
    assert not Assignment.objects.exists()


def test_detail_offers_a_covering_action_preselected(client, unit, english):
    assignment = _create(unit)
    client.force_login(unit.leader)
    response = client.get(_url("assignment_detail", unit.board, assignment_id=assignment.pk))
    assert response.status_code == 200
    link = response.context["add_action"]
    assert link.startswith(reverse("planning:action_create", args=[unit.board.pk]))
    assert f"school={unit.school.pk}" in link and f"assignment={assignment.pk}" in link
    assert b"Add a covering action" in response.content
    follow = client.get(link)
    assert follow.context["form"].initial["assignments"] == [assignment.pk]


def test_follow_up_is_recorded_through_its_page(client, unit):
    assignment = _create(unit)
    client.force_login(unit.leader)
    url = _url("assignment_follow_up", unit.board, assignment_id=assignment.pk)
    response = client.post(
        url,
        {
            "follow_up_on": TODAY.isoformat(),
            "follow_up_outcome": "sufficient",
            "follow_up_note": "Alles op orde.",
        },
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.follow_up_outcome == "sufficient"
    response = client.post(url, {"follow_up_on": "", "follow_up_outcome": "insufficient"})
    assert response.status_code == 200
    assert "follow_up_on" in response.context["form"].errors
    assignment.refresh_from_db()
    assert assignment.follow_up_outcome == "sufficient"


def test_staff_and_supervisors_may_not_write(client, unit):
    assignment = _create(unit)
    for role in (Role.STAFF, Role.SUPERVISOR):
        client.force_login(unit.world.users[role])
        create = _url("assignment_create", unit.board) + f"?school={unit.school.pk}"
        assert client.post(create, _form_data(unit)).status_code == 403
        follow = _url("assignment_follow_up", unit.board, assignment_id=assignment.pk)
        response = client.post(
            follow, {"follow_up_on": TODAY.isoformat(), "follow_up_outcome": "sufficient"}
        )
        assert response.status_code == 403
        detail = client.get(_url("assignment_detail", unit.board, assignment_id=assignment.pk))
        assert detail.status_code == 200
        assert detail.context["can_edit"] is False
    assert Assignment.objects.count() == 1
    assignment.refresh_from_db()
    assert assignment.follow_up_outcome == ""


def test_another_boards_opdracht_answers_404(client, unit):
    foreign = make_assignment(unit.world.other_board, unit.world.other_board_school)
    client.force_login(unit.executive)
    for name in ("assignment_detail", "assignment_edit"):
        assert client.get(_url(name, unit.board, assignment_id=foreign.pk)).status_code == 404
    url = _url("assignment_follow_up", unit.board, assignment_id=foreign.pk)
    response = client.post(
        url, {"follow_up_on": TODAY.isoformat(), "follow_up_outcome": "sufficient"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.follow_up_outcome == ""


def test_coverage_page_shows_states_counts_and_filters(client, unit, english):
    world = unit.world
    past = TODAY - datetime.timedelta(days=1)
    uncovered = _create(unit, text="Niemand werkt eraan.")
    overdue = _create(unit, text="Te laat.", deadline=past)
    covered = _create(unit, text="Er wordt aan gewerkt.")
    make_action(world.board, world.school, assignments=[covered], status="in_progress", progress=40)
    make_action(world.board, world.school, assignments=[covered], status="cancelled")
    resolved = _create(unit, text="Opgelost.", deadline=past)
    assignment_follow_up(assignment=resolved, follow_up_on=past, outcome="sufficient")
    elsewhere = make_assignment(world.board, world.other_school, text="Andere school.")
    client.force_login(unit.executive)
    url = _url("assignments", unit.board)

    response = client.get(url)
    assert response.status_code == 200
    states = {row.assignment.pk: row.state for row in response.context["rows"]}
    assert states == {
        uncovered.pk: "uncovered",
        overdue.pk: "overdue",
        covered.pk: "covered",
        resolved.pk: "resolved",
        elsewhere.pk: "uncovered",
    }
    summary = response.context["summary"]
    assert summary.counts["uncovered"] == 2 and summary.total == 5
    page = response.content.decode()
    for label in ("Not covered by an action", "Deadline passed", "Covered", "Resolved"):
        assert label in page
    assert "40%" in page

    response = client.get(url + f"?school={world.school.pk}&state=uncovered")
    assert [row.assignment.pk for row in response.context["rows"]] == [uncovered.pk]
    # The counts follow the school filter, not the state filter.
    assert response.context["summary"].total == 4


def test_coverage_page_for_a_school_leader_holds_only_their_school(client, unit):
    own = _create(unit)
    make_assignment(unit.board, unit.world.other_school)
    make_assignment(unit.board, None)
    client.force_login(unit.leader)
    response = client.get(_url("assignments", unit.board))
    assert [row.assignment.pk for row in response.context["rows"]] == [own.pk]
