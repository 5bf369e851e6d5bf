"""Actions: the services' rules, the edit conflict, and the pages with their permissions."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stelsel.lib.revisions import EditConflict
from stelsel.organisations.roles import Role
from stelsel.picture.models import Indicator, Visit
from stelsel.planning.actions.services import action_create, action_update
from stelsel.planning.models import Action, ActionStatus
from tests.factories import grant, make_action, make_assignment, make_picture, make_user

TODAY = datetime.date.today()


@pytest.fixture
def unit(world):
    """The own school with a picture, two standards and a herstelopdracht on the first."""
    picture = make_picture(world.board, world.school)
    standards = {s.code: s for s in picture.framework_version.standards.all()}
    return SimpleNamespace(
        world=world,
        board=world.board,
        school=world.school,
        kl1=standards["KL1"],
        kl2=standards["KL2"],
        kl1_1=standards["KL1"].requirements.get(),
        kl2_1=standards["KL2"].requirements.get(),
        assignment=make_assignment(world.board, world.school),
        leader=world.users[Role.SCHOOL_LEADER],
        executive=world.users[Role.BOARD_EXECUTIVE],
    )


def _create(unit, **overrides):
    fields = {
        "board": unit.board,
        "school": unit.school,
        "title": "Klassenbezoeken rekenen",
        "owner": unit.leader,
        "starts_on": TODAY,
        "due_on": TODAY + datetime.timedelta(days=60),
        "status": ActionStatus.IN_PROGRESS,
        "progress": 30,
        "standards": [unit.kl1],
        "requirements": [unit.kl1_1],
        "assignments": [unit.assignment],
        "user": unit.executive,
    }
    fields.update(overrides)
    return action_create(**fields)


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


# --- Services -----------------------------------------------------------------------------


def test_create_records_the_action_with_its_links_and_history(unit):
    action = _create(unit)
    assert action.revision == 1
    assert action.created_by == unit.executive
    assert list(action.standards.all()) == [unit.kl1]
    assert list(action.requirements.all()) == [unit.kl1_1]
    assert list(unit.assignment.actions.all()) == [action]
    assert action.history.count() == 1


def test_done_means_progress_100(unit):
    action = _create(unit, status=ActionStatus.DONE, progress=20)
    assert action.progress == 100


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"due_on": TODAY - datetime.timedelta(days=1)}, "due_on"),
        ({"progress": 150}, "progress"),
        ({"progress": -1}, "progress"),
        ({"title": "   "}, "title"),
        ({"status": "nearly"}, "status"),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_written(unit, overrides, field):
    with pytest.raises(ValidationError) as exc_info:
        _create(unit, **overrides)
    assert field in _errors(exc_info)
    assert not Action.objects.exists()


def test_requirement_of_a_standard_the_action_does_not_link_is_refused(unit):
    with pytest.raises(ValidationError) as exc_info:
        _create(unit, standards=[unit.kl1], requirements=[unit.kl2_1])
    assert "KL2.1" in _errors(exc_info)["requirements"][0]
    assert not Action.objects.exists()


def test_requirement_alone_may_be_of_any_standard_of_the_units_versions(unit):
    action = _create(unit, standards=[], requirements=[unit.kl2_1], assignments=[])
    assert list(action.requirements.all()) == [unit.kl2_1]


def test_standard_of_a_framework_the_unit_has_no_picture_on_is_refused(unit):
    # The other board pictures itself on the board framework; our school has no such picture.
    other = make_picture(unit.world.other_board, None)
    foreign = other.framework_version.standards.get(code="KL1")
    with pytest.raises(ValidationError) as exc_info:
        _create(unit, standards=[foreign], requirements=[], assignments=[])
    assert "standards" in _errors(exc_info)
    assert not Action.objects.exists()


def test_assignment_of_another_board_or_school_is_refused(unit):
    foreign = make_assignment(unit.world.other_board, unit.world.other_board_school)
    sibling = make_assignment(unit.board, unit.world.other_school)
    for assignment in (foreign, sibling):
        with pytest.raises(ValidationError) as exc_info:
            _create(unit, assignments=[assignment])
        assert "assignments" in _errors(exc_info)
    assert not Action.objects.exists()


def test_visit_and_indicator_must_be_of_the_unit_and_board(unit):
    visit = Visit.objects.create(
        board=unit.board,
        school=unit.world.other_school,
        kind="four_yearly",
        title="Vierjaarlijks",
        starts_on=TODAY,
        ends_on=TODAY,
    )
    indicator = Indicator.objects.create(
        board=unit.world.other_board, perspective="ambitions", code="A1", title="Ambitie"
    )
    with pytest.raises(ValidationError) as exc_info:
        _create(unit, visit=visit, indicators=[indicator])
    assert {"visit", "indicators"} <= set(_errors(exc_info))
    assert not Action.objects.exists()


def test_owner_needs_a_role_on_the_board_or_that_school(unit):
    world = unit.world
    other_leader = make_user()
    grant(other_leader, world.board, Role.SCHOOL_LEADER, world.other_school)
    for owner in (world.nobody, world.outsider, other_leader):
        with pytest.raises(ValidationError) as exc_info:
            _create(unit, owner=owner)
        assert "owner" in _errors(exc_info)
    assert not Action.objects.exists()
    # A board role and a role on the school itself both qualify.
    assert _create(unit, owner=world.users[Role.QUALITY_OFFICER]).owner_id
    assert _create(unit, owner=world.users[Role.STAFF]).owner_id


def test_a_board_action_needs_an_owner_with_a_role_on_the_board_itself(unit):
    make_picture(unit.board, None)
    with pytest.raises(ValidationError) as exc_info:
        action_create(board=unit.board, school=None, title="Bestuursbreed", owner=unit.leader)
    assert "owner" in _errors(exc_info)
    action = action_create(
        board=unit.board, school=None, title="Bestuursbreed", owner=unit.executive
    )
    assert action.school is None


def test_update_increments_the_revision_and_records_history(unit):
    action = _create(unit)
    before = action.updated_at
    updated = action_update(
        action=action,
        revision=1,
        title="Klassenbezoeken rekenen en taal",
        owner=unit.leader,
        status=ActionStatus.IN_PROGRESS,
        progress=60,
        standards=[unit.kl1, unit.kl2],
        requirements=[unit.kl2_1],
        assignments=[],
        user=unit.leader,
    )
    assert updated.revision == 2
    assert updated.updated_at > before
    assert updated.progress == 60
    assert set(updated.standards.all()) == {unit.kl1, unit.kl2}
    assert not unit.assignment.actions.exists()
    assert action.history.count() == 2
    assert action.history.first().progress == 60


def test_two_edits_from_the_same_revision_keep_the_first_and_refuse_the_second(unit):
    action = _create(unit)
    first = {"action": action, "revision": 1, "owner": unit.leader, "user": unit.leader}
    action_update(**first, title="Eerste versie", progress=50, status="in_progress")
    with pytest.raises(EditConflict) as exc_info:
        action_update(**first, title="Tweede versie", progress=10, status="stalled")
    assert exc_info.value.current.title == "Eerste versie"
    action.refresh_from_db()
    assert (action.title, action.progress, action.status, action.revision) == (
        "Eerste versie",
        50,
        "in_progress",
        2,
    )
    assert action.history.count() == 2


def test_an_update_leaves_out_fields_it_does_not_name(unit):
    action = _create(unit, indicators=[])
    updated = action_update(action=action, revision=1, progress=80, user=unit.leader)
    assert updated.progress == 80
    assert updated.title == "Klassenbezoeken rekenen"
    assert list(updated.standards.all()) == [unit.kl1]
    assert list(updated.requirements.all()) == [unit.kl1_1]
    assert list(updated.assignments.all()) == [unit.assignment]
    assert updated.history.first().history_user == unit.leader


def test_an_owner_who_lost_their_role_stays_until_someone_else_is_chosen(unit):
    action = _create(unit)
    unit.leader.memberships.all().delete()
    updated = action_update(action=action, revision=1, progress=50, user=unit.executive)
    assert updated.owner == unit.leader
    with pytest.raises(ValidationError):
        action_update(action=updated, revision=2, owner=unit.world.nobody)
    newcomer = make_user()
    with pytest.raises(ValidationError):
        _create(unit, owner=unit.leader)  # a new action cannot be given to them
    grant(newcomer, unit.board, Role.SCHOOL_LEADER, unit.school)
    assert action_update(action=updated, revision=2, owner=newcomer).owner == newcomer


def test_a_refused_update_changes_nothing(unit):
    action = _create(unit)
    with pytest.raises(ValidationError):
        action_update(
            action=action,
            revision=1,
            title="Anders",
            progress=150,
            standards=[unit.kl2],
            user=unit.leader,
        )
    action.refresh_from_db()
    assert action.title == "Klassenbezoeken rekenen"
    assert action.revision == 1
    assert list(action.standards.all()) == [unit.kl1]


# --- Pages --------------------------------------------------------------------------------


def _url(name, board, **kwargs):
    return reverse(f"planning:{name}", kwargs={"board_id": board.pk, **kwargs})


def _form_data(unit, **overrides):
    data = {
        "title": "Leerlingbesprekingen",
        "description": "",
        "owner": unit.leader.pk,
        "starts_on": TODAY.isoformat(),
        "due_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
        "status": "planned",
        "progress": "0",
        "standards": [unit.kl1.pk],
        "assignments": [unit.assignment.pk],
    }
    data.update(overrides)
    return data


def test_school_leader_records_an_action_for_their_school(client, unit):
    client.force_login(unit.leader)
    url = _url("action_create", unit.board) + f"?school={unit.school.pk}"
    response = client.post(url, _form_data(unit))
    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("action_detail", unit.board, action_id=action.pk)
    assert action.school == unit.school
    assert action.created_by == unit.leader
    assert list(action.assignments.all()) == [unit.assignment]


def test_school_leader_goes_straight_to_the_form_and_may_not_choose_the_board(client, unit):
    client.force_login(unit.leader)
    response = client.get(_url("action_create", unit.board))
    assert response.status_code == 200
    assert b'name="title"' in response.content
    assert client.get(_url("action_create", unit.board) + "?school=bestuur").status_code == 403
    other = _url("action_create", unit.board) + f"?school={unit.world.other_school.pk}"
    assert client.get(other).status_code == 404


def test_executive_first_chooses_the_unit(client, unit):
    client.force_login(unit.executive)
    response = client.get(_url("action_create", unit.board) + "?assignment=999999")
    assert response.status_code == 200
    assert b'name="school"' in response.content
    assert unit.world.other_school.name.encode() in response.content


def test_the_form_preselects_the_assignment_and_its_standard(client, unit):
    client.force_login(unit.executive)
    url = _url("action_create", unit.board) + f"?assignment={unit.assignment.pk}"
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert response.context["school"] == unit.school
    assert form.initial["assignments"] == [unit.assignment.pk]
    assert form.initial["standards"] == [unit.kl1.pk]
    page = response.content.decode()
    assert re.search(rf'name="assignments" value="{unit.assignment.pk}"[^>]*checked', page)
    assert re.search(rf'name="standards" value="{unit.kl1.pk}"[^>]*checked', page)
    assert not re.search(rf'name="standards" value="{unit.kl2.pk}"[^>]*checked', page)


def test_a_visit_names_the_unit_of_its_follow_up_action(client, unit):
    visit = Visit.objects.create(
        board=unit.board,
        school=None,
        kind="four_yearly",
        title="Bestuursonderzoek",
        starts_on=TODAY,
        ends_on=TODAY,
    )
    client.force_login(unit.executive)
    response = client.get(_url("action_create", unit.board) + f"?visit={visit.pk}&school=")
    assert response.status_code == 200
    assert response.context["school"] is None
    assert response.context["form"].initial["visit"] == visit.pk


def test_the_form_refuses_what_the_service_refuses(client, unit, english):
    client.force_login(unit.executive)
    url = _url("action_create", unit.board) + f"?school={unit.school.pk}"
    response = client.post(url, _form_data(unit, progress="150"))
    assert response.status_code == 200
    assert b"Progress is a percentage from 0 to 100." in response.content
    response = client.post(
        url,
        _form_data(
            unit,
            starts_on=TODAY.isoformat(),
            due_on=(TODAY - datetime.timedelta(days=3)).isoformat(),
        ),
    )
    assert b"The due date cannot be before the start." in response.content
    assert not Action.objects.exists()


def test_staff_may_not_record_actions(client, unit):
    client.force_login(unit.world.users[Role.STAFF])
    url = _url("action_create", unit.board) + f"?school={unit.school.pk}"
    assert client.get(url).status_code == 403
    assert client.post(url, _form_data(unit)).status_code == 403
    assert not Action.objects.exists()


def test_supervisor_reads_but_does_not_edit(client, unit):
    action = _create(unit)
    client.force_login(unit.world.users[Role.SUPERVISOR])
    assert client.get(_url("actions", unit.board)).status_code == 200
    response = client.get(_url("action_detail", unit.board, action_id=action.pk))
    assert response.status_code == 200
    assert action.title.encode() in response.content
    assert response.context["can_edit"] is False
    edit = _url("action_edit", unit.board, action_id=action.pk)
    assert client.get(edit).status_code == 403
    assert client.post(edit, _form_data(unit, revision="1")).status_code == 403
    action.refresh_from_db()
    assert action.revision == 1


def test_another_boards_action_answers_404(client, unit):
    foreign = make_action(unit.world.other_board, unit.world.other_board_school)
    client.force_login(unit.executive)
    assert client.get(_url("action_detail", unit.board, action_id=foreign.pk)).status_code == 404
    edit = _url("action_edit", unit.board, action_id=foreign.pk)
    assert client.post(edit, {"title": "Overgenomen", "revision": "1"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.title != "Overgenomen"


def test_edit_conflict_is_shown_with_both_versions_and_overwrites_nothing(client, unit, english):
    action = _create(unit)
    url = _url("action_edit", unit.board, action_id=action.pk)
    client.force_login(unit.executive)
    opened = client.get(url).context["form"].initial["revision"]
    assert opened == 1
    first = client.post(url, _form_data(unit, title="Versie van de directeur", revision="1"))
    assert first.status_code == 302
    second = client.post(url, _form_data(unit, title="Versie van de kwaliteitszorg", revision="1"))
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else saved this action while you were editing" in page
    assert "Versie van de directeur" in page
    assert "Versie van de kwaliteitszorg" in page
    action.refresh_from_db()
    assert action.title == "Versie van de directeur"
    assert action.revision == 2
    # The form now carries the saved revision: saving again is a deliberate choice.
    assert second.context["form"]["revision"].value() == "2"


def test_action_list_filters_and_shows_progress_as_text(client, unit, english):
    world = unit.world
    mine = _create(unit, title="Mijn actie", owner=unit.executive, progress=40)
    late = _create(
        unit,
        title="Te late actie",
        starts_on=None,
        due_on=TODAY - datetime.timedelta(days=2),
        status="in_progress",
    )
    done_late = _create(
        unit, title="Klaar", starts_on=None, due_on=TODAY - datetime.timedelta(days=2)
    )
    action_update(
        action=done_late, revision=1, title="Klaar", status="done", owner=unit.leader, user=None
    )
    other = make_action(world.board, world.other_school, title="Andere school")
    client.force_login(unit.executive)
    url = _url("actions", unit.board)

    def titles(query=""):
        response = client.get(url + query)
        assert response.status_code == 200
        return {a.title for a in response.context["actions"]}

    assert titles() == {mine.title, late.title, "Klaar", other.title}
    assert titles(f"?school={world.other_school.pk}") == {other.title}
    assert titles("?owner=me") == {mine.title}
    assert titles("?overdue=on") == {late.title}
    assert titles("?status=done") == {"Klaar"}
    page = client.get(url + "?owner=me").content.decode()
    assert re.search(r'name="owner" value="me"[^>]*checked', page)
    assert "40%" in page
    assert "KL1" in page


def test_school_roles_see_only_their_schools_actions(client, unit):
    world = unit.world
    own = make_action(world.board, world.school, title="Eigen")
    make_action(world.board, world.other_school, title="Andere")
    make_action(world.board, None, title="Bestuur")
    client.force_login(world.users[Role.STAFF])
    response = client.get(_url("actions", unit.board))
    assert [a.title for a in response.context["actions"]] == [own.title]
