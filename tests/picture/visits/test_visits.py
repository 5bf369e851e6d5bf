"""Inspection visits: the preparation checklist copied from the board's template, ticking
steps, the document room and the log written during the visit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stelsel.organisations.roles import Role
from stelsel.picture.models import ChecklistTemplateItem, Visit, VisitNote
from stelsel.picture.visits import services
from tests.factories import make_action, make_evidence, make_framework_version, make_visit

TODAY = datetime.date.today()


def _url(name, world, *args):
    return reverse(f"picture:{name}", args=[world.board.pk, *args])


def _login(client, world, role):
    client.force_login(world.users[role])
    return client


# --- Checklist and template ----------------------------------------------------------------


def test_a_new_visit_gets_the_ten_steps_when_the_board_has_no_template(world):
    assert not ChecklistTemplateItem.objects.filter(board=world.board).exists()
    visit = make_visit(world.board, world.school)
    steps = list(visit.checklist.all())
    assert [s.text for s in steps] == list(services.DEFAULT_CHECKLIST)
    assert [s.position for s in steps] == list(range(1, 11))
    assert steps[0].text.startswith("Decide what you want to tell")
    assert all(s.done_at is None for s in steps)
    # The first use stored the template for the board, in the same transaction.
    assert ChecklistTemplateItem.objects.filter(board=world.board).count() == 10
    assert not ChecklistTemplateItem.objects.filter(board=world.other_board).exists()


def test_a_new_visit_copies_the_boards_edited_template_and_old_visits_keep_theirs(world):
    board = world.board
    earlier = make_visit(board, world.school)
    first = ChecklistTemplateItem.objects.filter(board=board).first()
    services.template_step_update(board=board, item_id=first.pk, text="  Eigen   eerste stap ")
    services.template_step_add(board=board, text="Koffie regelen")
    last = ChecklistTemplateItem.objects.filter(board=board).last()
    services.template_step_move(board=board, item_id=last.pk, direction="up")
    second = ChecklistTemplateItem.objects.filter(board=board)[1]
    services.template_step_remove(board=board, item_id=second.pk)

    template = [i.text for i in ChecklistTemplateItem.objects.filter(board=board)]
    assert template[0] == "Eigen eerste stap"
    assert template[-2] == "Koffie regelen"
    assert len(template) == 10
    later = make_visit(board, world.other_school)
    assert [s.text for s in later.checklist.all()] == template
    assert [s.text for s in earlier.checklist.all()] == list(services.DEFAULT_CHECKLIST)


def test_editing_the_defaults_before_first_use_stores_them_by_position(world):
    services.template_step_update(board=world.board, position=3, text="Derde, anders")
    texts = [i.text for i in ChecklistTemplateItem.objects.filter(board=world.board)]
    assert len(texts) == 10
    assert texts[2] == "Derde, anders"
    assert texts[0] == services.DEFAULT_CHECKLIST[0]


def test_bad_template_changes_change_nothing(world):
    make_visit(world.board, world.school)
    before = list(ChecklistTemplateItem.objects.filter(board=world.board).values_list("text"))
    with pytest.raises(ValidationError):
        services.template_step_add(board=world.board, text="   ")
    with pytest.raises(ValidationError):
        services.template_step_add(board=world.board, text="x" * 301)
    with pytest.raises(ValidationError):
        services.template_step_update(board=world.board, item_id=10**9, text="Weg")
    assert list(ChecklistTemplateItem.objects.filter(board=world.board).values_list("text")) == (
        before
    )


def test_the_template_page_edits_reorders_and_removes(client, english, world):
    client = _login(client, world, Role.QUALITY_OFFICER)
    url = _url("visit_template", world)
    page = client.get(url)
    assert page.status_code == 200
    assert services.DEFAULT_CHECKLIST[0].encode() in page.content
    assert client.post(url, {"op": "edit", "position": 1, "text": "Eerste"}).status_code == 302
    items = list(ChecklistTemplateItem.objects.filter(board=world.board))
    client.post(url, {"op": "down", "item": items[0].pk})
    client.post(url, {"op": "remove", "item": items[9].pk})
    client.post(url, {"op": "add", "text": "Nieuwe stap"})
    texts = [i.text for i in ChecklistTemplateItem.objects.filter(board=world.board)]
    assert texts[:2] == [services.DEFAULT_CHECKLIST[1], "Eerste"]
    assert texts[-1] == "Nieuwe stap"
    assert services.DEFAULT_CHECKLIST[9] not in texts
    assert len(texts) == 10


@pytest.mark.parametrize("role", [Role.SCHOOL_LEADER, Role.STAFF, Role.SUPERVISOR])
def test_only_the_board_office_edits_the_template(client, world, role):
    client = _login(client, world, role)
    response = client.post(_url("visit_template", world), {"op": "add", "text": "Stap"})
    assert response.status_code == 403
    assert not ChecklistTemplateItem.objects.filter(board=world.board).exists()


# --- Recording a visit ---------------------------------------------------------------------


def _visit_data(**overrides):
    data = {
        "kind": "verification",
        "title": "Verificatieonderzoek",
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + datetime.timedelta(days=1)).isoformat(),
        "notes": "Ons verhaal over lezen.",
    }
    return {**data, **overrides}


def test_a_school_leader_records_a_visit_to_their_school(client, world):
    client = _login(client, world, Role.SCHOOL_LEADER)
    response = client.post(_url("visit_create", world), _visit_data(school=world.school.pk))
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("visit", world, visit.pk)
    assert (visit.school, visit.kind, visit.created_by) == (
        world.school,
        "verification",
        world.users[Role.SCHOOL_LEADER],
    )
    assert visit.notes == "Ons verhaal over lezen."
    assert visit.checklist.count() == 10


def test_a_school_leader_cannot_record_a_visit_to_the_board_or_another_school(client, world):
    client = _login(client, world, Role.SCHOOL_LEADER)
    assert client.post(_url("visit_create", world), _visit_data()).status_code == 200
    response = client.post(_url("visit_create", world), _visit_data(school=world.other_school.pk))
    assert response.status_code == 200  # not a choice on their form
    assert not Visit.objects.exists()


def test_the_board_records_a_visit_to_itself(client, world):
    client = _login(client, world, Role.BOARD_EXECUTIVE)
    assert client.post(_url("visit_create", world), _visit_data()).status_code == 302
    assert Visit.objects.get().school is None


def test_the_last_day_cannot_be_before_the_first(client, english, world):
    client = _login(client, world, Role.BOARD_EXECUTIVE)
    data = _visit_data(ends_on=(TODAY - datetime.timedelta(days=1)).isoformat())
    response = client.post(_url("visit_create", world), data)
    assert response.status_code == 200
    assert b"The last day cannot be before the first day." in response.content
    assert not Visit.objects.exists()
    assert not ChecklistTemplateItem.objects.exists()


def test_editing_a_visit_keeps_its_unit_and_checks_the_days(client, world):
    visit = make_visit(world.board, world.school, title="Oud")
    client = _login(client, world, Role.SCHOOL_LEADER)
    url = _url("visit_edit", world, visit.pk)
    bad = _visit_data(title="Nieuw", ends_on=(TODAY - datetime.timedelta(days=3)).isoformat())
    assert client.post(url, bad).status_code == 200
    visit.refresh_from_db()
    assert visit.title == "Oud"
    assert (
        client.post(url, _visit_data(title="Nieuw", school=world.other_school.pk)).status_code
        == 302
    )
    visit.refresh_from_db()
    assert (visit.title, visit.school) == ("Nieuw", world.school)
    _login(client, world, Role.STAFF)
    assert client.post(url, _visit_data(title="Staf")).status_code == 403


# --- Ticking steps ---------------------------------------------------------------------------


def test_ticking_and_unticking_a_step_records_who_and_when(client, world):
    visit = make_visit(world.board, world.school)
    step = visit.checklist.all()[2]
    leader, officer = world.users[Role.SCHOOL_LEADER], world.users[Role.QUALITY_OFFICER]
    client.force_login(leader)
    url = _url("visit_step", world, visit.pk, step.pk)
    response = client.post(url, {"done": "1", "note": "Data en analyse klaar."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#step-{step.pk}")
    step.refresh_from_db()
    assert step.done_by == leader and step.done_at is not None
    assert step.note == "Data en analyse klaar."
    done_at = step.done_at

    # Saving the note again as someone else keeps who ticked it and when.
    client.force_login(officer)
    client.post(url, {"done": "1", "note": "Aangevuld."})
    step.refresh_from_db()
    assert (step.done_by, step.done_at, step.note) == (leader, done_at, "Aangevuld.")

    client.post(url, {"note": "Toch niet."})
    step.refresh_from_db()
    assert step.done_at is None and step.done_by is None

    page = client.get(_url("visit", world, visit.pk))
    assert b"Toch niet." in page.content
    assert visit.checklist.exclude(pk=step.pk).filter(done_at__isnull=False).count() == 0


def test_a_step_of_another_visit_answers_404(client, world):
    visit = make_visit(world.board, world.school)
    other = make_visit(world.board, world.school)
    step = other.checklist.first()
    client = _login(client, world, Role.SCHOOL_LEADER)
    response = client.post(_url("visit_step", world, visit.pk, step.pk), {"done": "1"})
    assert response.status_code == 404
    step.refresh_from_db()
    assert step.done_at is None


def test_staff_may_read_the_checklist_but_not_tick(client, world):
    visit = make_visit(world.board, world.school)
    step = visit.checklist.first()
    client = _login(client, world, Role.STAFF)
    assert client.get(_url("visit", world, visit.pk)).status_code == 200
    assert (
        client.post(_url("visit_step", world, visit.pk, step.pk), {"done": "1"}).status_code == 403
    )
    step.refresh_from_db()
    assert step.done_at is None


# --- The visit log -------------------------------------------------------------------------


def test_two_people_write_notes_that_appear_in_order_with_author_and_time(client, world):
    visit = make_visit(world.board, world.school)
    staff, leader = world.users[Role.STAFF], world.users[Role.SCHOOL_LEADER]
    url = _url("visit_note", world, visit.pk)
    client.force_login(staff)
    response = client.post(url, {"text": "09:10 Inspecteur vraagt naar de leesresultaten."})
    assert response.status_code == 302
    assert response["Location"].endswith("#log")
    client.force_login(leader)
    client.post(url, {"text": "09:40 Lesbezoek groep 5 afgerond."})

    notes = list(VisitNote.objects.filter(visit=visit))
    assert [n.author for n in notes] == [staff, leader]
    assert notes[0].created_at <= notes[1].created_at
    page = client.get(_url("visit", world, visit.pk)).content.decode()
    first = page.index("leesresultaten")
    second = page.index("Lesbezoek groep 5")
    assert first < second  # newest at the bottom
    assert str(staff) in page and str(leader) in page
    assert f'datetime="{timezone.localtime(notes[0].created_at).isoformat()}"' in page


def test_a_note_over_five_thousand_characters_is_refused(client, english, world):
    visit = make_visit(world.board, world.school)
    client = _login(client, world, Role.STAFF)
    response = client.post(_url("visit_note", world, visit.pk), {"text": "x" * 5001})
    assert response.status_code == 200
    assert b"Keep a note under 5000 characters." in response.content
    assert not VisitNote.objects.exists()
    assert client.post(_url("visit_note", world, visit.pk), {"text": "y" * 5000}).status_code == 302
    assert VisitNote.objects.count() == 1


def test_the_supervisory_board_reads_the_log_but_does_not_write_it(client, world):
    visit = make_visit(world.board, world.school)
    client = _login(client, world, Role.SUPERVISOR)
    assert client.get(_url("visit", world, visit.pk)).status_code == 200
    assert client.post(_url("visit_note", world, visit.pk), {"text": "Hallo"}).status_code == 403
    assert not VisitNote.objects.exists()


def test_notes_cannot_be_written_to_another_boards_visit(client, world):
    visit = make_visit(world.other_board, world.other_board_school)
    client = _login(client, world, Role.BOARD_EXECUTIVE)
    url = reverse("picture:visit_note", args=[world.other_board.pk, visit.pk])
    assert client.post(url, {"text": "x"}).status_code == 404
    url = reverse("picture:visit_note", args=[world.board.pk, visit.pk])
    assert client.post(url, {"text": "x"}).status_code == 404
    assert not VisitNote.objects.exists()


# --- The document room ---------------------------------------------------------------------


def test_the_document_room_offers_only_the_units_evidence(client, english, world):
    version = make_framework_version()
    kl1 = version.standards.get(code="KL1")
    own = make_evidence(world.board, world.school, title="Schoolplan")
    own.standards.add(kl1)
    loose = make_evidence(world.board, world.school, title="Jaarverslag", data=None)
    other_school = make_evidence(world.board, world.other_school, title="Ander schoolplan")
    board_doc = make_evidence(world.board, None, title="Bestuursplan")
    other_board = make_evidence(world.other_board, world.other_board_school, title="Vreemd")
    visit = make_visit(world.board, world.school)
    client = _login(client, world, Role.SCHOOL_LEADER)

    page = client.get(_url("visit", world, visit.pk))
    candidates = {d.evidence.pk for d in page.context["page"].candidates}
    assert candidates == {own.pk, loose.pk}
    for foreign in (other_school, board_doc, other_board):
        assert foreign.title.encode() not in page.content

    url = _url("visit_documents", world, visit.pk)
    response = client.post(url, {"op": "add", "evidence": [own.pk, other_school.pk]})
    assert response.status_code == 302
    assert not visit.documents.exists()  # nothing added when one of them is not the unit's
    client.post(url, {"op": "add", "evidence": [own.pk, loose.pk]})
    assert set(visit.documents.values_list("pk", flat=True)) == {own.pk, loose.pk}
    with pytest.raises(ValidationError):
        services.visit_documents_add(visit=visit, evidence=[board_doc])

    page = client.get(_url("visit", world, visit.pk))
    groups = page.context["page"].groups
    assert [g.label for g in groups] == ["KL1 Eerste", "Not linked to a standard"]
    assert [d.evidence.title for d in groups[0].documents] == ["Schoolplan"]
    download = reverse(
        "picture:evidence_download", args=[world.board.pk, own.pk, own.files.get().pk]
    )
    assert download.encode() in page.content
    assert b"https://example.org/plan" in page.content
    assert page.context["page"].candidates == []

    client.post(url, {"op": "remove", "evidence": [loose.pk]})
    assert list(visit.documents.values_list("pk", flat=True)) == [own.pk]


def test_the_document_search_filters_on_the_server(client, world):
    visit = make_visit(world.board, world.school)
    plan = make_evidence(world.board, world.school, title="Schoolplan lezen")
    report = make_evidence(world.board, world.school, title="Jaarverslag")
    visit.documents.add(plan, report)
    make_evidence(world.board, world.school, title="Leesplan groep 3")
    client = _login(client, world, Role.SCHOOL_LEADER)
    page = client.get(_url("visit", world, visit.pk), {"q": "lees"})
    shown = [d.evidence.title for g in page.context["page"].groups for d in g.documents]
    offered = [d.evidence.title for d in page.context["page"].candidates]
    assert shown == []
    assert offered == ["Leesplan groep 3"]
    page = client.get(_url("visit", world, visit.pk), {"q": "plan"})
    shown = [d.evidence.title for g in page.context["page"].groups for d in g.documents]
    assert shown == ["Schoolplan lezen"]


def test_staff_see_the_room_but_cannot_change_it(client, world):
    visit = make_visit(world.board, world.school)
    doc = make_evidence(world.board, world.school, title="Schoolplan")
    client = _login(client, world, Role.STAFF)
    page = client.get(_url("visit", world, visit.pk))
    assert page.context["page"].candidates == []
    response = client.post(
        _url("visit_documents", world, visit.pk), {"op": "add", "evidence": doc.pk}
    )
    assert response.status_code == 403
    assert not visit.documents.exists()


# --- Follow-up and reading -----------------------------------------------------------------


def test_follow_up_actions_of_the_visit_are_listed_with_a_link_to_add_one(client, world):
    visit = make_visit(world.board, world.school)
    make_action(world.board, world.school, title="Verbeterplan rekenen", visit=visit)
    make_action(world.board, world.school, title="Iets anders")
    client = _login(client, world, Role.SCHOOL_LEADER)
    page = client.get(_url("visit", world, visit.pk))
    assert [a.title for a in page.context["page"].actions] == ["Verbeterplan rekenen"]
    create = reverse("planning:action_create", args=[world.board.pk])
    expected = f"{create}?visit={visit.pk}&amp;school={world.school.pk}"
    assert expected.encode() in page.content


def test_the_list_shows_visible_visits_with_their_progress(client, world):
    own = make_visit(world.board, world.school, title="Eigen bezoek")
    make_visit(world.board, world.other_school, title="Ander bezoek")
    make_visit(world.board, None, title="Bestuursbezoek")
    step = own.checklist.first()
    services.visit_step_update(visit=own, item=step, done=True, note="", user=None)
    client = _login(client, world, Role.STAFF)
    page = client.get(_url("visits", world))
    assert [v.title for v in page.context["visits"]] == ["Eigen bezoek"]
    assert page.context["visits"][0].steps_done == 1
    assert page.context["visits"][0].steps == 10
    client = _login(client, world, Role.SUPERVISOR)
    titles = {v.title for v in client.get(_url("visits", world)).context["visits"]}
    assert titles == {"Eigen bezoek", "Ander bezoek", "Bestuursbezoek"}


def test_a_school_role_does_not_see_another_schools_visit(client, world):
    visit = make_visit(world.board, world.other_school)
    client = _login(client, world, Role.SCHOOL_LEADER)
    assert client.get(_url("visit", world, visit.pk)).status_code == 404


def test_the_visit_page_reads_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    version = make_framework_version()

    def grow(visit, n):
        for i in range(n):
            doc = make_evidence(world.board, world.school, title=f"Document {visit.pk}-{i}")
            doc.standards.add(*version.standards.all())
            visit.documents.add(doc)
            make_evidence(world.board, world.school, title=f"Aanbod {visit.pk}-{i}")
            services.visit_note_add(visit=visit, author=world.users[Role.STAFF], text=f"Feit {i}")
            make_action(world.board, world.school, visit=visit)
        for step in visit.checklist.all():
            services.visit_step_update(
                visit=visit, item=step, done=True, note="", user=world.users[Role.SCHOOL_LEADER]
            )

    small, large = make_visit(world.board, world.school), make_visit(world.board, world.school)
    grow(small, 1)
    grow(large, 6)
    client = _login(client, world, Role.SCHOOL_LEADER)
    counts = []
    for visit in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url("visit", world, visit.pk)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
