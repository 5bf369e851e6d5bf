"""The quality picture in the JSON API: pictures, entries (read and change), evidence metadata,
actions and opdrachten, under the same access rules as the pages."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stelsel.accounts.services import token_create
from stelsel.organisations.roles import Role
from stelsel.picture.entries import selectors
from stelsel.picture.entries.services import EntryChange, entry_update
from stelsel.picture.models import Entry
from tests.factories import make_action, make_assignment, make_evidence, make_picture, make_school
from tests.factories.picture import school_standard

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def as_user(client, world, role):
    client.force_login(world.users[role])
    return client


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def judge(entry, user, status, **fields):
    return entry_update(
        entry=entry, revision=entry.revision, change=EntryChange(status=status, **fields), user=user
    )


def standard_entry(picture, code="KL1"):
    return picture.entries.select_related("standard").get(standard__code=code)


def patch(client, path, body, **extra):
    return client.patch(path, json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def pictured(world):
    """A picture for `school`, `other_school` and the board; KL1 of `school` judged in order."""
    school = make_picture(world.board, world.school)
    other = make_picture(world.board, world.other_school)
    board = make_picture(world.board, None)
    judge(standard_entry(school), world.users[Role.SCHOOL_LEADER], "ok")
    judge(standard_entry(other, "KL2"), world.users[Role.BOARD_EXECUTIVE], "nok")
    return school, other, board


# --- Pictures ------------------------------------------------------------------------------


def test_the_board_office_lists_every_current_picture_with_its_counts(client, world, pictured):
    school, other, board = pictured
    answer = as_user(client, world, Role.QUALITY_OFFICER).get(url("pictures", world.board.pk))
    assert answer.status_code == 200
    by_id = {p["id"]: p for p in answer.json()}
    assert set(by_id) == {school.pk, other.pk, board.pk}
    assert by_id[board.pk]["unit"] == {"school_id": None, "school_name": None}
    assert by_id[school.pk]["unit"] == {
        "school_id": world.school.pk,
        "school_name": "De Eigen School",
    }
    assert by_id[school.pk]["framework_version"]["slug"] == "klein-beeldkader"
    assert by_id[school.pk]["period"] == "2026-2027"
    requirements = by_id[school.pk]["summary"][0]
    assert requirements.pop("label")  # in the language of the request
    assert requirements == {
        "perspective": "requirements",
        "in_order": 1,
        "not_in_order": 0,
        "not_judged": 1,
        "total": 2,
        "framework": {"in_order": 1, "not_in_order": 0, "not_judged": 1, "total": 2},
        "own": {"in_order": 0, "not_in_order": 0, "not_judged": 0, "total": 0},
    }
    assert by_id[other.pk]["summary"][0]["not_in_order"] == 1
    assert [s["perspective"] for s in by_id[board.pk]["summary"]] == [
        "requirements",
        "ambitions",
        "expectations",
    ]


def test_the_list_counts_as_the_picture_itself_does(client, world, pictured):
    client = as_user(client, world, Role.BOARD_EXECUTIVE)
    for item in client.get(url("pictures", world.board.pk)).json():
        from stelsel.picture.models import Picture

        view = selectors.picture_view(Picture.objects.get(pk=item["id"]))
        expected = [
            [b.summary.in_order, b.summary.not_in_order, b.summary.not_judged]
            for b in view.perspectives
        ]
        got = [[s["in_order"], s["not_in_order"], s["not_judged"]] for s in item["summary"]]
        assert got == expected


def test_a_closed_picture_is_not_listed_as_current(client, world, pictured):
    from stelsel.picture.entries.periods import picture_new_period

    school, _other, _board = pictured
    new = picture_new_period(picture=school, period="2027-2028")
    ids = [
        p["id"]
        for p in as_user(client, world, Role.BOARD_EXECUTIVE)
        .get(url("pictures", world.board.pk))
        .json()
    ]
    assert new.pk in ids and school.pk not in ids


def test_school_roles_see_only_their_schools_picture(client, world, pictured):
    school, other, board = pictured
    for role in (Role.SCHOOL_LEADER, Role.STAFF):
        answer = as_user(client, world, role).get(url("pictures", world.board.pk))
        assert [p["id"] for p in answer.json()] == [school.pk]
        assert client.get(url("picture", world.board.pk, other.pk)).status_code == 404
        assert client.get(url("picture", world.board.pk, board.pk)).status_code == 404


def test_another_boards_pictures_answer_404(client, world, pictured):
    foreign = make_picture(world.other_board, world.other_board_school)
    client = as_user(client, world, Role.BOARD_EXECUTIVE)
    assert client.get(url("pictures", world.other_board.pk)).status_code == 404
    assert client.get(url("picture", world.board.pk, foreign.pk)).status_code == 404
    assert client.get(url("picture", world.other_board.pk, foreign.pk)).status_code == 404
    entry = foreign.entries.first()
    assert client.get(url("entry", world.board.pk, entry.pk)).status_code == 404


def _list_queries(client, board) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url("pictures", board.pk))
    assert answer.status_code == 200
    return len(captured.captured_queries), len(answer.json())


def test_the_list_reads_as_many_queries_for_one_picture_as_for_five(client, world):
    make_picture(world.board, world.school)
    client = as_user(client, world, Role.BOARD_EXECUTIVE)
    few, n_few = _list_queries(client, world.board)
    for i in range(4):
        make_picture(world.board, make_school(world.board, name=f"School {i}"))
    many, n_many = _list_queries(client, world.board)
    assert (n_few, n_many) == (1, 5)
    assert few == many


def test_the_picture_has_every_entry_with_what_stands_behind_it(client, world, pictured):
    school, _other, _board = pictured
    kl1 = school_standard("KL1")
    requirement = kl1.requirements.get()
    entry = standard_entry(school)
    judge(entry, world.users[Role.SCHOOL_LEADER], "ok", requirements_met=[requirement.pk])
    make_evidence(world.board, world.school, standards=[kl1])
    make_evidence(
        world.board,
        world.school,
        standards=[kl1],
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    make_evidence(world.board, world.other_school, standards=[kl1])  # another unit
    make_action(world.board, world.school, standards=[kl1])
    make_action(world.board, world.school, standards=[kl1], status="done")
    make_assignment(world.board, world.school, kl1)

    answer = as_user(client, world, Role.STAFF).get(url("picture", world.board.pk, school.pk))
    assert answer.status_code == 200
    data = answer.json()
    assert data["as_of"] is None
    rows = {e["code"]: e for e in data["entries"]}
    assert set(rows) == {"KL1", "KL2"}
    assert rows["KL1"] == {
        "id": entry.pk,
        "code": "KL1",
        "title": "Eerste",
        "perspective": "requirements",
        "area": "Klein",
        "standard_id": kl1.pk,
        "indicator_id": None,
        "status_code": "ok",
        "status_label": "In orde",
        "status_tone": "positive",
        "judged_at": rows["KL1"]["judged_at"],
        "judged_by": "school_leader user",
        "requirements_met": 1,
        "requirements_total": 1,
        "evidence": 2,
        "evidence_expired": 1,
        "open_actions": 1,
        "open_assignments": 1,
    }
    assert rows["KL1"]["judged_at"] is not None
    assert rows["KL2"]["status_code"] == "nnb" and rows["KL2"]["status_tone"] is None
    assert data["summary"][0]["in_order"] == 1


def test_the_picture_as_it_stood_on_an_earlier_date(client, world, pictured):
    school, _other, _board = pictured
    entry = standard_entry(school)
    Entry.history.filter(id=entry.pk).update(
        history_date=timezone.now() - datetime.timedelta(days=10)
    )
    last = Entry.history.filter(id=entry.pk).order_by("-history_id").first()
    last.history_date = timezone.now()  # the judgement: today
    last.save()
    client = as_user(client, world, Role.BOARD_EXECUTIVE)
    day = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    earlier = client.get(url("picture", world.board.pk, school.pk), {"as_of": day}).json()
    assert earlier["as_of"] == day
    assert {e["code"]: e["status_code"] for e in earlier["entries"]}["KL1"] == "nnb"
    now = client.get(url("picture", world.board.pk, school.pk)).json()
    assert {e["code"]: e["status_code"] for e in now["entries"]}["KL1"] == "ok"


@pytest.mark.parametrize("value", ["gisteren", "2026-13-01", "01-02-2026"])
def test_an_unreadable_date_answers_422(client, english, world, pictured, value):
    school, _other, _board = pictured
    answer = as_user(client, world, Role.BOARD_EXECUTIVE).get(
        url("picture", world.board.pk, school.pk), {"as_of": value}
    )
    assert answer.status_code == 422
    assert "YYYY-MM-DD" in answer.json()["detail"]


def test_a_future_date_answers_422(client, english, world, pictured):
    school, _other, _board = pictured
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    answer = as_user(client, world, Role.BOARD_EXECUTIVE).get(
        url("picture", world.board.pk, school.pk), {"as_of": tomorrow}
    )
    assert answer.status_code == 422
    assert "future" in answer.json()["detail"]


# --- Entries -------------------------------------------------------------------------------


def test_an_entry_shows_status_substantiation_and_links(client, world, pictured):
    school, _other, _board = pictured
    kl1 = school_standard("KL1")
    requirement = kl1.requirements.get()
    entry = standard_entry(school)
    judge(
        entry,
        world.users[Role.SCHOOL_LEADER],
        "ok",
        requirements_met=[requirement.pk],
        visible="In de klas.",
    )
    evidence = make_evidence(world.board, world.school, standards=[kl1])
    assignment = make_assignment(world.board, world.school, kl1)
    action = make_action(world.board, world.school, standards=[kl1], assignments=[assignment])
    make_evidence(world.board, world.school, standards=[school_standard("KL2")])

    answer = as_user(client, world, Role.STAFF).get(url("entry", world.board.pk, entry.pk))
    assert answer.status_code == 200
    data = answer.json()
    assert data["status_code"] == "ok" and data["revision"] == 3
    assert data["visible"] == "In de klas." and data["ambitions"] == ""
    assert data["requirements"] == [
        {"id": requirement.pk, "code": "KL1.1", "text": "Eis.", "met": True}
    ]
    assert data["evidence_ids"] == [evidence.pk]
    assert data["action_ids"] == [action.pk]
    assert data["assignment_ids"] == [assignment.pk]
    assert [lv["code"] for lv in data["scale"]] == ["ok", "nok", "nnb"]
    assert data["unit"]["school_id"] == world.school.pk
    assert (data["may_judge"], data["may_contribute"]) == (False, True)


def test_the_school_leader_judges_and_substantiates(client, world, pictured):
    school, _other, _board = pictured
    entry = standard_entry(school, "KL2")
    requirement = school_standard("KL2").requirements.get()
    client = as_user(client, world, Role.SCHOOL_LEADER)
    answer = patch(
        client,
        url("entry_update", world.board.pk, entry.pk),
        {
            "revision": 1,
            "status": "nok",
            "requirements_met": [requirement.pk],
            "ambitions": "  Meer lezen.  ",
        },
    )
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["revision"] == 2 and data["status_code"] == "nok"
    assert data["ambitions"] == "Meer lezen."
    assert data["requirements"][0]["met"] is True
    assert data["judged_by"] == "school_leader user"
    entry.refresh_from_db()
    assert entry.status.code == "nok" and entry.revision == 2


def test_a_stale_revision_answers_409_with_the_current_one_and_changes_nothing(
    client, english, world, pictured
):
    school, _other, _board = pictured
    entry = standard_entry(school, "KL2")
    judge(entry, world.users[Role.SCHOOL_LEADER], "ok", visible="Eerst.")  # now revision 2
    client = as_user(client, world, Role.SCHOOL_LEADER)
    answer = patch(
        client,
        url("entry_update", world.board.pk, entry.pk),
        {"revision": 1, "status": "nok", "visible": "Later."},
    )
    assert answer.status_code == 409
    assert answer.json()["revision"] == 2
    assert "nothing was changed" in answer.json()["detail"]
    entry.refresh_from_db()
    assert (entry.status.code, entry.visible, entry.revision) == ("ok", "Eerst.", 2)


def test_a_status_outside_the_scale_is_refused_with_the_services_message(
    client, english, world, pictured
):
    school, _other, _board = pictured
    entry = standard_entry(school, "KL2")
    client = as_user(client, world, Role.SCHOOL_LEADER)
    answer = patch(
        client,
        url("entry_update", world.board.pk, entry.pk),
        {"revision": 1, "status": "voldoende", "ambitions": "Niet bewaard."},
    )
    assert answer.status_code == 422
    data = answer.json()
    assert "“voldoende” is not a level of the scale Status." in data["errors"]["status"]
    assert "voldoende" in data["detail"]
    entry.refresh_from_db()
    assert (entry.status.code, entry.ambitions, entry.revision) == ("nnb", "", 1)


def test_requirements_of_another_standard_are_refused(client, world, pictured):
    school, _other, _board = pictured
    entry = standard_entry(school, "KL2")
    other_requirement = school_standard("KL1").requirements.get()
    answer = patch(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("entry_update", world.board.pk, entry.pk),
        {"revision": 1, "requirements_met": [other_requirement.pk]},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"]["requirements_met"]


def test_staff_may_substantiate_but_not_judge(client, world, pictured):
    school, _other, _board = pictured
    entry = standard_entry(school, "KL2")
    client = as_user(client, world, Role.STAFF)
    path = url("entry_update", world.board.pk, entry.pk)
    refused = patch(client, path, {"revision": 1, "status": "ok", "visible": "Zo."})
    assert refused.status_code == 403
    assert refused.json()["detail"]
    refused = patch(client, path, {"revision": 1, "requirements_met": []})
    assert refused.status_code == 403
    entry.refresh_from_db()
    assert (entry.status.code, entry.visible, entry.revision) == ("nnb", "", 1)
    saved = patch(client, path, {"revision": 1, "status": None, "visible": "Zo zie je het."})
    assert saved.status_code == 200
    assert saved.json()["visible"] == "Zo zie je het." and saved.json()["revision"] == 2


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.COUNCIL, Role.ADVISOR])
def test_readers_may_not_change_an_entry(client, world, pictured, role):
    school, _other, _board = pictured
    entry = standard_entry(school, "KL2")
    answer = patch(
        as_user(client, world, role),
        url("entry_update", world.board.pk, entry.pk),
        {"revision": 1, "ambitions": "Nee."},
    )
    assert answer.status_code == 403
    entry.refresh_from_db()
    assert entry.ambitions == "" and entry.revision == 1


def test_the_board_office_judges_the_board_but_not_a_school(client, world, pictured):
    school, _other, board = pictured
    client = as_user(client, world, Role.QUALITY_OFFICER)
    board_entry = standard_entry(board)
    answer = patch(
        client, url("entry_update", world.board.pk, board_entry.pk), {"revision": 1, "status": "ok"}
    )
    assert answer.status_code == 200
    assert answer.json()["may_judge"] is True
    school_entry = standard_entry(school, "KL2")
    answer = patch(
        client,
        url("entry_update", world.board.pk, school_entry.pk),
        {"revision": 1, "status": "ok"},
    )
    assert answer.status_code == 403
    answer = patch(
        client,
        url("entry_update", world.board.pk, school_entry.pk),
        {"revision": 1, "secured": "Via de kwaliteitskalender."},
    )
    assert answer.status_code == 200


def test_a_school_leader_does_not_reach_the_boards_entries(client, world, pictured):
    _school, _other, board = pictured
    answer = patch(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("entry_update", world.board.pk, standard_entry(board).pk),
        {"revision": 1, "status": "ok"},
    )
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (b'{"status": "ok"}', 422),
        (b'{"revision": 1}', 422),
        (b'{"revision": 1, "status": null}', 422),
        (b'{"revision": 1, "colour": "red"}', 422),
        (b'{"revision": "one", "status": "ok"}', 422),
        (b"[1, 2]", 422),
    ],
)
def test_a_bad_body_is_refused_and_changes_nothing(client, world, pictured, body, status):
    school, _other, _board = pictured
    entry = standard_entry(school, "KL2")
    answer = as_user(client, world, Role.SCHOOL_LEADER).patch(
        url("entry_update", world.board.pk, entry.pk), body, content_type="application/json"
    )
    assert answer.status_code == status
    assert answer.json()["detail"]
    entry.refresh_from_db()
    assert entry.revision == 1


def test_a_closed_picture_cannot_be_changed(client, english, world, pictured):
    from stelsel.picture.entries.periods import picture_new_period

    school, _other, _board = pictured
    entry = standard_entry(school, "KL2")
    picture_new_period(picture=school, period="2027-2028")
    answer = patch(
        as_user(client, world, Role.SCHOOL_LEADER),
        url("entry_update", world.board.pk, entry.pk),
        {"revision": 1, "ambitions": "Te laat."},
    )
    assert answer.status_code == 422
    assert "closed period" in answer.json()["detail"]


def test_a_token_reads_and_changes_the_picture(client, world, pictured):
    school, _other, _board = pictured
    _token, raw = token_create(user=world.users[Role.SCHOOL_LEADER], name="Dashboard")
    listed = client.get(url("pictures", world.board.pk), **bearer(raw))
    assert [p["id"] for p in listed.json()] == [school.pk]
    entry = standard_entry(school, "KL2")
    answer = patch(
        client,
        url("entry_update", world.board.pk, entry.pk),
        {"revision": 1, "status": "ok"},
        **bearer(raw),
    )
    assert answer.status_code == 200
    assert answer.json()["status_code"] == "ok"
    assert client.get(url("pictures", world.board.pk), **bearer("stl_wrong")).status_code == 401


# --- Evidence ------------------------------------------------------------------------------


def test_evidence_is_listed_with_metadata_and_never_contents(client, world):
    kl1, kl2 = school_standard("KL1"), school_standard("KL2")
    document = make_evidence(
        world.board, world.school, title="Schoolplan", standards=[kl1], versions=2
    )
    link = make_evidence(
        world.board,
        world.school,
        title="Website",
        kind="link",
        url="https://example.org/plan",
        standards=[kl2],
        versions=0,
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    make_evidence(world.board, world.other_school, title="Elders")
    make_evidence(world.board, None, title="Bestuursplan")

    client = as_user(client, world, Role.STAFF)
    answer = client.get(url("evidence", world.board.pk))
    assert answer.status_code == 200
    by_id = {e["id"]: e for e in answer.json()}
    assert set(by_id) == {document.pk, link.pk}
    doc = by_id[document.pk]
    assert doc["standards"] == [{"id": kl1.pk, "code": "KL1"}]
    assert doc["latest_file"]["version"] == 2
    assert doc["latest_file"]["name"] == "schoolplan-v2.pdf"
    assert doc["latest_file"]["content_type"] == "application/pdf"
    assert len(doc["latest_file"]["sha256"]) == 64
    assert set(doc["latest_file"]) == {
        "version",
        "name",
        "size",
        "content_type",
        "sha256",
        "uploaded_at",
    }
    assert doc["expired"] is False
    assert by_id[link.pk]["url"] == "https://example.org/plan"
    assert by_id[link.pk]["latest_file"] is None and by_id[link.pk]["expired"] is True
    assert b"evidence/" not in answer.content  # no stored file names or paths

    filtered = client.get(url("evidence", world.board.pk), {"standard_id": kl2.pk}).json()
    assert [e["id"] for e in filtered] == [link.pk]


def test_evidence_filters_by_school(client, world):
    mine = make_evidence(world.board, world.school)
    theirs = make_evidence(world.board, world.other_school)
    board_own = make_evidence(world.board, None)
    client = as_user(client, world, Role.QUALITY_OFFICER)
    everything = {e["id"] for e in client.get(url("evidence", world.board.pk)).json()}
    assert everything == {mine.pk, theirs.pk, board_own.pk}
    only = client.get(url("evidence", world.board.pk), {"school_id": world.other_school.pk})
    assert [e["id"] for e in only.json()] == [theirs.pk]
    assert (
        client.get(
            url("evidence", world.board.pk), {"school_id": world.other_board_school.pk}
        ).status_code
        == 404
    )
    client = as_user(client, world, Role.STAFF)
    answer = client.get(url("evidence", world.board.pk), {"school_id": world.other_school.pk})
    assert answer.status_code == 404


def test_one_piece_of_evidence_has_every_version(client, world):
    evidence = make_evidence(world.board, world.school, versions=3)
    client = as_user(client, world, Role.SCHOOL_LEADER)
    data = client.get(url("evidence_item", world.board.pk, evidence.pk)).json()
    assert [f["version"] for f in data["files"]] == [3, 2, 1]
    assert data["latest_file"]["version"] == 3
    theirs = make_evidence(world.board, world.other_school)
    assert client.get(url("evidence_item", world.board.pk, theirs.pk)).status_code == 404
    foreign = make_evidence(world.other_board, world.other_board_school)
    assert client.get(url("evidence_item", world.board.pk, foreign.pk)).status_code == 404
    assert client.get(url("evidence_item", world.other_board.pk, foreign.pk)).status_code == 404


# --- Actions -------------------------------------------------------------------------------


def test_actions_are_listed_with_their_links(client, world):
    kl1 = school_standard("KL1")
    assignment = make_assignment(world.board, world.school, kl1)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = make_action(
        world.board,
        world.school,
        title="Leesplan",
        status="in_progress",
        progress=40,
        due_on=yesterday,
        standards=[kl1],
        assignments=[assignment],
        owner=world.users[Role.SCHOOL_LEADER],
    )
    done = make_action(world.board, world.school, status="done", due_on=yesterday)
    make_action(world.board, world.other_school)

    client = as_user(client, world, Role.STAFF)
    answer = client.get(url("actions", world.board.pk))
    by_id = {a["id"]: a for a in answer.json()}
    assert set(by_id) == {late.pk, done.pk}
    item = by_id[late.pk]
    assert item["title"] == "Leesplan" and item["owner"] == "school_leader user"
    assert item["status"] == "in_progress" and item["progress"] == 40
    assert item["overdue"] is True and by_id[done.pk]["overdue"] is False
    assert item["standard_ids"] == [kl1.pk] and item["assignment_ids"] == [assignment.pk]
    assert item["unit"]["school_id"] == world.school.pk
    detail = client.get(url("action", world.board.pk, late.pk))
    assert detail.json() == item


def test_another_units_action_answers_404(client, world):
    theirs = make_action(world.board, world.other_school)
    board_own = make_action(world.board, None)
    foreign = make_action(world.other_board, world.other_board_school)
    client = as_user(client, world, Role.SCHOOL_LEADER)
    for action in (theirs, board_own, foreign):
        assert client.get(url("action", world.board.pk, action.pk)).status_code == 404
    client = as_user(client, world, Role.SUPERVISOR)
    assert client.get(url("action", world.board.pk, board_own.pk)).status_code == 200


# --- Opdrachten ----------------------------------------------------------------------------


def test_assignments_carry_their_coverage(client, world):
    kl1, kl2 = school_standard("KL1"), school_standard("KL2")
    covered = make_assignment(world.board, world.school, kl1)
    action = make_action(
        world.board, world.school, status="in_progress", progress=50, assignments=[covered]
    )
    make_action(world.board, world.school, status="cancelled", assignments=[covered])
    uncovered = make_assignment(world.board, world.school, kl2)
    overdue = make_assignment(
        world.board, world.school, kl2, deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    make_assignment(world.board, world.other_school, kl1)

    client = as_user(client, world, Role.STAFF)
    by_id = {a["id"]: a for a in client.get(url("assignments", world.board.pk)).json()}
    assert set(by_id) == {covered.pk, uncovered.pk, overdue.pk}
    assert by_id[covered.pk]["coverage"] == {
        "state": "covered",
        "covered": True,
        "flags": [],
        "progress": 50,
        "actions": 1,
        "done": 0,
        "covering_action_ids": [action.pk],
    }
    assert by_id[uncovered.pk]["coverage"]["state"] == "uncovered"
    assert by_id[overdue.pk]["coverage"]["flags"] == ["overdue", "uncovered"]
    assert by_id[overdue.pk]["coverage"]["state"] == "overdue"
    assert by_id[overdue.pk]["coverage"]["covered"] is False
    assert by_id[covered.pk]["standard"] == {"id": kl1.pk, "code": "KL1"}
    assert by_id[covered.pk]["kind"] == "herstel"
    detail = client.get(url("assignment", world.board.pk, covered.pk)).json()
    assert detail == by_id[covered.pk]


def test_list_queries_do_not_grow_with_records(client, world):
    kl1 = school_standard("KL1")
    client = as_user(client, world, Role.BOARD_EXECUTIVE)

    def counts():
        result = []
        for name in ("evidence", "actions", "assignments"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url(name, world.board.pk)).status_code == 200
            result.append(len(captured.captured_queries))
        return result

    def add(n):
        for _ in range(n):
            a = make_assignment(world.board, world.school, kl1)
            make_action(world.board, world.school, standards=[kl1], assignments=[a])
            make_evidence(world.board, world.school, standards=[kl1], versions=2)

    add(1)
    few = counts()
    add(6)
    assert counts() == few


def test_the_openapi_document_lists_the_picture_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/boards/{board_id}/pictures",
        "/api/v1/boards/{board_id}/pictures/{picture_id}",
        "/api/v1/boards/{board_id}/entries/{entry_id}",
        "/api/v1/boards/{board_id}/evidence",
        "/api/v1/boards/{board_id}/evidence/{evidence_id}",
        "/api/v1/boards/{board_id}/actions",
        "/api/v1/boards/{board_id}/actions/{action_id}",
        "/api/v1/boards/{board_id}/assignments",
        "/api/v1/boards/{board_id}/assignments/{assignment_id}",
    } <= set(paths)
    entry = paths["/api/v1/boards/{board_id}/entries/{entry_id}"]
    assert {"get", "patch"} <= set(entry)
    body = entry["patch"]["requestBody"]["content"]["application/json"]["schema"]
    assert "revision" in body["properties"]
    assert "409" in entry["patch"]["responses"]
