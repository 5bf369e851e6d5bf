"""Quality reports through the JSON API: who reads which reports and versions, an issued
version read from its snapshot with its hash, changing a section with the revision check,
review comments, the files of an issued version, and the bad input the pages refuse too."""

import hashlib
import json

import pytest
from django.core.files.base import ContentFile

from stelsel.accounts.services import token_create
from stelsel.organisations.roles import Role
from stelsel.reports import services
from stelsel.reports.models import ReportFile, ReportSection, SectionComment
from tests.api.test_planning_api import as_user, bearer, patch, post, url
from tests.factories.reports import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(world):
    """A draft Q-report of `school`, one of `other_school`, and the board's report to the
    supervisory board: version 1 issued, version 2 a draft."""
    author = world.users[Role.QUALITY_OFFICER]
    school = make_report(world.board, world.school, author=author, title="Q najaar Eigen")
    other = make_report(world.board, world.other_school, author=author, title="Q najaar Ander")
    board = make_report(world.board, None, author=author, title="Rapportage RvT", issued=True)
    services.version_new(report=board, user=author, reason="Cijfers bijgewerkt.")
    return school, other, board


def _text_section(report, number=1) -> ReportSection:
    return (
        ReportSection.objects.filter(version__report=report, version__number=number, kind="text")
        .order_by("position")
        .first()
    )


def _version(report, number):
    return url("report_version", report.board_id, report.pk, number)


def _section(report, number, section):
    return url("report_section_update", report.board_id, report.pk, number, section.pk)


def _comments(report, number):
    return url("report_comments", report.board_id, report.pk, number)


def _comment_add(report, number, section):
    return url("report_comment_add", report.board_id, report.pk, number, section.pk)


def _titles(answer) -> list[str]:
    assert answer.status_code == 200, answer.content
    return sorted(r["title"] for r in answer.json())


# --- Who reads what ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.BOARD_EXECUTIVE, Role.QUALITY_OFFICER])
def test_the_board_office_reads_every_report_with_its_drafts(client, world, reports, role):
    school, _other, board = reports
    client = as_user(client, world, role)
    answer = client.get(url("reports", world.board.pk))
    assert _titles(answer) == ["Q najaar Ander", "Q najaar Eigen", "Rapportage RvT"]
    rows = {r["title"]: r for r in answer.json()}
    assert rows["Q najaar Eigen"]["unit"] == {
        "school_id": world.school.pk,
        "school_name": world.school.name,
    }
    assert rows["Q najaar Eigen"]["open_version"] == {"number": 1, "state": "draft"}
    assert rows["Q najaar Eigen"]["latest_issued"] is None
    assert rows["Rapportage RvT"]["unit"]["school_id"] is None
    assert rows["Rapportage RvT"]["latest_issued"] == 1
    assert rows["Rapportage RvT"]["open_version"] == {"number": 2, "state": "draft"}

    detail = client.get(url("report", world.board.pk, board.pk)).json()
    assert [(v["number"], v["state"]) for v in detail["versions"]] == [(1, "issued"), (2, "draft")]
    assert detail["versions"][0]["content_hash"] and detail["versions"][1]["content_hash"] is None

    draft = client.get(_version(school, 1)).json()
    assert draft["state"] == "draft" and draft["snapshot"] is None
    assert draft["content_hash"] is None
    assert draft["unit"] == world.school.name
    kinds = {s["kind"] for s in draft["sections"]}
    assert kinds == {"text", "block"}
    for section in draft["sections"]:
        assert section["id"] and section["revision"] == 1
        assert (section["block"] is None) == (section["kind"] == "text")
        if section["kind"] == "block":
            assert section["block_key"] and "tables" in section["block"]


def test_a_school_leader_reads_their_own_schools_reports_only(client, world, reports):
    school, other, board = reports
    client = as_user(client, world, Role.SCHOOL_LEADER)
    assert _titles(client.get(url("reports", world.board.pk))) == ["Q najaar Eigen"]
    assert client.get(url("report", world.board.pk, school.pk)).status_code == 200
    assert client.get(_version(school, 1)).status_code == 200
    # Another school's report, and the board's own, answer as if they did not exist.
    for report in (other, board):
        assert client.get(url("report", world.board.pk, report.pk)).status_code == 404
        assert client.get(_version(report, 1)).status_code == 404
        assert client.get(_comments(report, 1)).status_code == 404
        assert client.get(url("report_files", world.board.pk, report.pk, 1)).status_code == 404
    section = _text_section(other)
    answer = patch(client, _section(other, 1, section), {"revision": 1, "text": "Ingebroken"})
    assert answer.status_code == 404
    answer = post(client, _comment_add(other, 1, section), {"text": "Ingebroken"})
    assert answer.status_code == 404
    section.refresh_from_db()
    assert section.text == "" and not SectionComment.objects.exists()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.COUNCIL, Role.ADVISOR])
def test_readers_of_issued_reports_never_see_a_draft(client, world, reports, role):
    _school, _other, board = reports
    client = as_user(client, world, role)
    # The drafts of the schools are not listed; the board's report is, without its draft.
    answer = client.get(url("reports", world.board.pk))
    assert _titles(answer) == ["Rapportage RvT"]
    assert answer.json()[0]["open_version"] is None
    detail = client.get(url("report", world.board.pk, board.pk)).json()
    assert [v["number"] for v in detail["versions"]] == [1]
    assert detail["open_version"] is None
    assert client.get(_version(board, 1)).status_code == 200
    assert client.get(_version(board, 2)).status_code == 404
    # Reading is all: no comments, no changes.
    assert client.get(_comments(board, 1)).status_code == 403
    section = _text_section(board, 2)
    answer = patch(client, _section(board, 2, section), {"revision": 1, "text": "Nee"})
    assert answer.status_code == 403
    assert post(client, _comment_add(board, 2, section), {"text": "Nee"}).status_code == 403


def test_staff_read_no_reports(client, world, reports):
    _school, _other, board = reports
    client = as_user(client, world, Role.STAFF)
    assert client.get(url("reports", world.board.pk)).status_code == 403
    assert client.get(url("report", world.board.pk, board.pk)).status_code == 403
    assert client.get(_version(board, 1)).status_code == 403


def test_another_board_answers_404(client, world, reports):
    school, _other, board = reports
    client.force_login(world.outsider)
    assert client.get(url("reports", world.board.pk)).status_code == 404
    # Through the outsider's own board the ids are not found either.
    assert client.get(url("report", world.other_board.pk, board.pk)).status_code == 404
    assert client.get(url("report", world.board.pk, board.pk)).status_code == 404
    assert client.get(_version(school, 1)).status_code == 404
    section = _text_section(school)
    answer = patch(client, _section(school, 1, section), {"revision": 1, "text": "x"})
    assert answer.status_code == 404


def test_a_personal_token_reads_and_writes_like_the_session(client, world, reports):
    school, _other, _board = reports
    _token, raw = token_create(user=world.users[Role.SCHOOL_LEADER], name="Rapportage-tool")
    assert _titles(client.get(url("reports", world.board.pk), **bearer(raw))) == ["Q najaar Eigen"]
    section = _text_section(school)
    answer = patch(
        client, _section(school, 1, section), {"revision": 1, "text": "Via de API."}, **bearer(raw)
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["revision"] == 2
    assert client.get(url("reports", world.board.pk)).status_code == 401
    assert client.get(url("reports", world.board.pk), **bearer(raw + "x")).status_code == 401


def test_unknown_ids_answer_404(client, world, reports):
    school, _other, _board = reports
    client = as_user(client, world, Role.QUALITY_OFFICER)
    assert client.get(url("report", world.board.pk, 10**6)).status_code == 404
    assert client.get(_version(school, 7)).status_code == 404
    assert client.get(url("report", world.board.pk, 2**63)).status_code in (404, 422)
    answer = client.get(_comments(school, 1) + "?section_id=999999")
    assert answer.status_code == 404


# --- An issued version ---------------------------------------------------------------------


def test_an_issued_version_is_its_snapshot_with_its_hash_after_the_data_changed(
    client, world, reports
):
    school, _other, _board = reports
    section = _text_section(school)
    services.section_update(
        section=section, title=section.title, text="Het gaat goed.", revision=1, user=None
    )
    version = school.versions.get()
    services.version_issue(version=version, user=world.users[Role.BOARD_EXECUTIVE])
    client = as_user(client, world, Role.SUPERVISOR)
    before = client.get(_version(school, 1)).json()
    assert before["state"] == "issued"
    snapshot = before["snapshot"]
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert before["content_hash"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert before["unit"] == world.school.name
    assert [s["title"] for s in before["sections"]] == [s["title"] for s in snapshot["sections"]]
    assert "Het gaat goed." in [s["text"] for s in before["sections"]]
    # The data change: the school is renamed. The issued version reads as it was issued.
    world.school.name = "Een nieuwe naam"
    world.school.save()
    after = client.get(_version(school, 1)).json()
    assert after == before


# --- Changing a section --------------------------------------------------------------------


def test_a_section_is_changed_with_a_revision_check(client, world, reports):
    school, _other, _board = reports
    section = _text_section(school)
    client = as_user(client, world, Role.SCHOOL_LEADER)
    path = _section(school, 1, section)
    answer = patch(client, path, {"revision": 1, "text": "## Lezen\n\nWe zien groei."})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["id"], body["revision"], body["title"]) == (section.pk, 2, section.title)
    assert body["text"] == "## Lezen\n\nWe zien groei."
    # A change on the old revision changes nothing and says which revision is current.
    answer = patch(client, path, {"revision": 1, "text": "Ouder"})
    assert answer.status_code == 409
    assert answer.json()["revision"] == 2
    answer = patch(client, path, {"revision": 2, "title": "Waar staan we nu?"})
    assert answer.status_code == 200
    section.refresh_from_db()
    assert (section.title, section.text, section.revision) == (
        "Waar staan we nu?",
        "## Lezen\n\nWe zien groei.",
        3,
    )
    assert section.updated_by == world.users[Role.SCHOOL_LEADER]


def test_an_issued_version_is_not_changed(client, english, world, reports):
    _school, _other, board = reports
    section = _text_section(board, 1)
    client = as_user(client, world, Role.BOARD_EXECUTIVE)
    answer = patch(client, _section(board, 1, section), {"revision": 1, "text": "Achteraf"})
    assert answer.status_code == 409
    assert "new version" in answer.json()["detail"]
    answer = post(client, _comment_add(board, 1, section), {"text": "Achteraf"})
    assert answer.status_code == 409
    section.refresh_from_db()
    assert section.text == "" and not SectionComment.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"revision": 1, "text": "x" * 20_001}, 422, "text"),
        ({"revision": 1, "title": "  "}, 422, "title"),
        ({"revision": 1, "title": "T" * 201}, 422, "title"),
        ({"revision": 1, "text": "a\x00b"}, 422, "text"),
        ({"revision": 0, "text": "x"}, 422, None),
        ({"text": "x"}, 422, None),
        ({"revision": 1, "colour": "red"}, 422, None),
    ],
)
def test_bad_section_changes_are_refused_and_change_nothing(
    client, world, reports, body, status, field
):
    school, _other, _board = reports
    section = _text_section(school)
    client = as_user(client, world, Role.QUALITY_OFFICER)
    answer = patch(client, _section(school, 1, section), body)
    assert answer.status_code == status, answer.content
    if field:
        assert field in answer.json()["errors"]
    section.refresh_from_db()
    assert (section.text, section.revision) == ("", 1)


def test_a_body_that_is_not_json_answers_400(client, world, reports):
    school, _other, _board = reports
    section = _text_section(school)
    client = as_user(client, world, Role.QUALITY_OFFICER)
    answer = client.patch(_section(school, 1, section), "tekst", content_type="text/plain")
    assert answer.status_code == 400


def test_markup_in_a_text_is_stored_and_answered_as_typed(client, world, reports):
    """The API hands back the text as written; the pages render it with raw HTML escaped."""
    school, _other, _board = reports
    section = _text_section(school)
    typed = 'Let op <script>alert("x")</script> en <b>vet</b>.'
    client = as_user(client, world, Role.QUALITY_OFFICER)
    answer = patch(client, _section(school, 1, section), {"revision": 1, "text": typed})
    assert answer.json()["text"] == typed
    page = client.get(f"/besturen/{world.board.pk}/rapportages/{school.pk}/versies/1/")
    assert b"<script>alert" not in page.content
    assert b"&lt;script&gt;" in page.content


# --- Review comments -----------------------------------------------------------------------


def test_review_comments_are_added_and_listed(client, world, reports):
    school, _other, _board = reports
    first = _text_section(school)
    block = ReportSection.objects.filter(version__report=school, kind="block").first()
    client = as_user(client, world, Role.BOARD_EXECUTIVE)
    answer = post(client, _comment_add(school, 1, first), {"text": "Noem de leesresultaten."})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["section_id"] == first.pk and body["author"] == "board_executive user"
    assert body["resolved_at"] is None
    leader = as_user(client, world, Role.SCHOOL_LEADER)
    assert post(leader, _comment_add(school, 1, block), {"text": "Klopt dit?"}).status_code == 201
    listed = leader.get(_comments(school, 1)).json()
    assert [c["text"] for c in listed] == ["Noem de leesresultaten.", "Klopt dit?"]
    only = leader.get(_comments(school, 1) + f"?section_id={block.pk}").json()
    assert [c["text"] for c in only] == ["Klopt dit?"]
    version = leader.get(_version(school, 1)).json()
    counts = {s["id"]: s["open_comments"] for s in version["sections"]}
    assert counts[first.pk] == 1 and counts[block.pk] == 1


@pytest.mark.parametrize(("text", "field"), [("   ", "text"), ("x" * 4_001, "text")])
def test_bad_comments_are_refused(client, world, reports, text, field):
    school, _other, _board = reports
    client = as_user(client, world, Role.QUALITY_OFFICER)
    answer = post(client, _comment_add(school, 1, _text_section(school)), {"text": text})
    assert answer.status_code == 422
    assert field in answer.json()["errors"]
    assert not SectionComment.objects.exists()


def test_a_section_of_another_version_answers_404(client, world, reports):
    _school, _other, board = reports
    old = _text_section(board, 1)
    client = as_user(client, world, Role.QUALITY_OFFICER)
    answer = patch(client, _section(board, 2, old), {"revision": 1, "text": "x"})
    assert answer.status_code == 404
    assert post(client, _comment_add(board, 2, old), {"text": "x"}).status_code == 404


# --- Files ---------------------------------------------------------------------------------


def test_the_files_of_an_issued_version_with_their_state(client, world, reports):
    school, _other, board = reports
    version = board.versions.get(number=1)
    done = ReportFile(board=world.board, version=version, format="pdf", state="done", progress=100)
    done.file.save("rapportage.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    done.save()
    ReportFile.objects.create(
        board=world.board, version=version, format="docx", state="running", progress=40
    )
    client = as_user(client, world, Role.SUPERVISOR)
    answer = client.get(url("report_files", world.board.pk, board.pk, 1))
    assert answer.status_code == 200, answer.content
    files = {f["format"]: f for f in answer.json()}
    assert set(files) == {"pdf", "docx"}
    assert files["docx"]["state"] == "running" and files["docx"]["progress"] == 40
    assert files["docx"]["download_url"] is None and files["docx"]["size"] is None
    assert files["pdf"]["state"] == "done" and files["pdf"]["size"] == len(b"%PDF-1.7 test")
    assert files["pdf"]["page_url"].endswith("/versies/1/bestanden/pdf/")
    # The finished file comes through the API, also with a personal token.
    _token, raw = token_create(user=world.users[Role.SUPERVISOR], name="Archief")
    download = client.get(files["pdf"]["download_url"], **bearer(raw))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 test"
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    unfinished = url("report_file", world.board.pk, board.pk, 1, "docx")
    assert client.get(unfinished).status_code == 404
    assert client.get(url("report_file", world.board.pk, board.pk, 1, "exe")).status_code == 404
    client.force_login(world.users[Role.STAFF])
    assert client.get(files["pdf"]["download_url"]).status_code == 403
    client.force_login(world.outsider)
    assert client.get(files["pdf"]["download_url"]).status_code == 404
    client = as_user(client, world, Role.SUPERVISOR)
    # A draft has no files; a reader of issued versions does not reach it at all.
    assert client.get(url("report_files", world.board.pk, board.pk, 2)).status_code == 404
    office = as_user(client, world, Role.QUALITY_OFFICER)
    assert office.get(url("report_files", world.board.pk, school.pk, 1)).json() == []


# --- Cost and the document -----------------------------------------------------------------


def test_the_list_reads_a_fixed_number_of_queries(
    client, world, reports, django_assert_max_num_queries
):
    client = as_user(client, world, Role.QUALITY_OFFICER)
    client.get(url("reports", world.board.pk))  # sessions and grants warm
    path = url("reports", world.board.pk)
    with django_assert_max_num_queries(6) as few:
        assert len(client.get(path).json()) == 3
    for n in range(4):
        make_report(world.board, world.school, title=f"Extra {n}", issued=n % 2 == 0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(path).json()) == 7


def test_the_openapi_document_lists_the_report_routes(client):
    document = client.get("/api/v1/openapi.json").json()
    base = "/api/v1/boards/{board_id}/reports"
    version = base + "/{report_id}/versions/{number}"
    assert {
        base,
        base + "/{report_id}",
        version,
        version + "/sections/{section_id}",
        version + "/comments",
        version + "/sections/{section_id}/comments",
        version + "/files",
        version + "/files/{format}",
    } <= set(document["paths"])
    patch_op = document["paths"][version + "/sections/{section_id}"]["patch"]
    assert {"200", "403", "404", "409", "422"} <= set(patch_op["responses"])
    assert "revision" in json.dumps(patch_op["requestBody"])
    assert "quality reports" in document["paths"][base]["get"]["tags"]
