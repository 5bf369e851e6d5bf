"""Evidence: adding documents, links and results, versions, the lists, the pages and the
download, and that bad input leaves nothing behind."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stelsel.organisations.roles import Role
from stelsel.picture.evidence import selectors, services
from stelsel.picture.models import Evidence, EvidenceFile, Indicator
from stelsel.selfevaluation.services import round_share
from tests.factories import (
    files,
    grant,
    make_board,
    make_evidence,
    make_framework_version,
    make_picture,
    make_round,
    make_user,
)

TODAY = datetime.date.today()


@pytest.fixture
def media(settings) -> Path:
    return Path(settings.MEDIA_ROOT)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def picture(world):
    return make_picture(world.board, world.school)


@pytest.fixture
def kl1(picture):
    return picture.framework_version.standards.get(code="KL1")


@pytest.fixture
def kl2(picture):
    return picture.framework_version.standards.get(code="KL2")


@pytest.fixture
def leader(world):
    return world.users[Role.SCHOOL_LEADER]


def create(world, user, **kwargs):
    defaults = {
        "board": world.board,
        "school": world.school,
        "kind": "document",
        "title": "Schoolplan 2025-2029",
        "upload": files.upload("schoolplan.pdf", files.PDF),
        "user": user,
    }
    return services.evidence_create(**{**defaults, **kwargs})


# --- Services --------------------------------------------------------------------------------


def test_it_stores_a_document_as_its_first_version(world, leader, kl1, media):
    evidence = create(world, leader, standards=[kl1], description="  Het plan.  ")
    record = evidence.files.get()
    assert record.version == 1
    assert record.name == "schoolplan.pdf"
    assert record.content_type == "application/pdf"
    assert record.size == len(files.PDF)
    assert record.sha256 == hashlib.sha256(files.PDF).hexdigest()
    assert record.uploaded_by == leader
    assert evidence.description == "Het plan."
    assert list(evidence.standards.all()) == [kl1]
    # Stored under a random name in the board's folder; nothing of the upload's name.
    assert record.file.name.startswith(f"evidence/{world.board.pk}/")
    assert "schoolplan" not in record.file.name
    assert (media / record.file.name).read_bytes() == files.PDF


def test_it_keeps_the_clean_name_of_an_upload_with_a_path(world, leader, media):
    evidence = create(
        world,
        leader,
        upload=files.raw_upload("../../etc/passwd.pdf", files.PDF),
    )
    record = evidence.files.get()
    assert record.name == "passwd.pdf"
    assert ".." not in record.file.name
    assert Path(record.file.path).resolve().is_relative_to(media.resolve())


BAD_UPLOADS = [
    ("factuur.pdf", files.EXE, "Windows program"),
    ("rapport.pdf", files.HTML, "web page"),
    ("archief.docx", files.plain_zip(), "ZIP archive"),
    ("plan.docx", files.docx_without_word(), "ZIP archive"),
    ("verslag.docx", files.PDF, "ends in .docx"),
    ("leeg.pdf", b"", "is empty"),
    ("factuur\u202efdp.exe", files.EXE, "Windows program"),
    ("..", files.EXE, "“document” seems to be a Windows program"),
    ("a" * 400 + ".pdf", files.HTML, "web page"),
    ("rap\x00port.pdf", files.HTML, "“rapport.pdf” seems to be a web page"),
    ("C:\\x\\y.pdf", files.EXE, "“y.pdf” seems to be a Windows program"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_UPLOADS, ids=range(len(BAD_UPLOADS)))
def test_it_refuses_bad_uploads_and_writes_nothing(world, leader, media, name, data, message):
    with pytest.raises(ValidationError) as caught:
        create(world, leader, upload=files.raw_upload(name, data))
    assert message in " ".join(caught.value.message_dict["upload"])
    assert not Evidence.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert stored_files(media) == []


def test_it_refuses_an_upload_over_the_limit(world, leader, media, settings):
    settings.EVIDENCE_MAX_BYTES = 50
    with pytest.raises(ValidationError, match="larger than the limit"):
        create(world, leader)
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_it_leaves_neither_row_nor_file_when_saving_fails(world, leader, media, monkeypatch):
    def fail(self, *args, **kwargs):
        raise IntegrityError("disk said no")

    monkeypatch.setattr(EvidenceFile, "save", fail)
    with pytest.raises(IntegrityError):
        create(world, leader)
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_it_needs_a_file_for_a_document(world, leader):
    with pytest.raises(ValidationError) as caught:
        create(world, leader, upload=None)
    assert "Choose the file" in caught.value.message_dict["upload"][0]


@pytest.mark.parametrize(
    "url", ["", "javascript:alert(1)", "ftp://example.org/x", "example", "https://" + "x" * 600]
)
def test_it_refuses_links_that_are_not_web_addresses(world, leader, url):
    with pytest.raises(ValidationError) as caught:
        create(world, leader, kind="link", url=url, upload=None)
    assert "url" in caught.value.message_dict
    assert not Evidence.objects.exists()


def test_it_stores_a_link_without_a_file(world, leader, media):
    evidence = create(
        world,
        leader,
        kind="link",
        url=" https://school.example.org/schoolgids ",
        upload=files.upload("x.pdf", files.PDF),
    )
    assert evidence.url == "https://school.example.org/schoolgids"
    assert not evidence.files.exists()
    assert stored_files(media) == []


def test_it_links_results_only_of_a_closed_round_of_the_same_unit(world, leader):
    executive = world.users[Role.BOARD_EXECUTIVE]
    closed = make_round(world.board, world.school, state="closed")
    evidence = create(world, executive, kind="results", round=closed, upload=None)
    assert evidence.round == closed

    cases = [
        (make_round(world.board, world.school, state="open"), "no results yet"),
        (make_round(world.board, world.other_school, state="closed"), "Choose a round of"),
        (make_round(world.board, None, state="closed"), "Choose a round of"),
        (make_round(world.other_board, world.other_board_school, state="closed"), "may see"),
        (None, "Choose the self-evaluation round"),
    ]
    for round_, message in cases:
        with pytest.raises(ValidationError) as caught:
            create(world, executive, kind="results", round=round_, upload=None)
        assert message in caught.value.message_dict["round"][0]
    # A school leader may cite results only once they are shared with school leaders.
    with pytest.raises(ValidationError, match="not shared with you"):
        create(world, leader, kind="results", round=closed, upload=None)
    round_share(round_=closed, roles=[Role.SCHOOL_LEADER])
    closed.refresh_from_db()
    assert create(world, leader, kind="results", round=closed, upload=None).round == closed


def test_it_links_only_standards_of_the_units_pictures(world, leader, kl1):
    board_version = make_framework_version("board")
    with pytest.raises(ValidationError) as caught:
        create(world, leader, standards=[kl1, board_version.standards.get(code="KL2")])
    assert "KL2" in caught.value.message_dict["standards"][0]
    # The other school has no picture at all.
    with pytest.raises(ValidationError, match="has a picture on"):
        create(world, leader, school=world.other_school, standards=[kl1])
    assert not Evidence.objects.exists()


def test_it_links_only_indicators_of_the_same_board(world, leader):
    own = Indicator.objects.create(board=world.board, perspective="ambitions", code="A1", title="x")
    foreign = Indicator.objects.create(
        board=world.other_board, perspective="ambitions", code="A1", title="x"
    )
    with pytest.raises(ValidationError) as caught:
        create(world, leader, indicators=[own, foreign])
    assert "indicators" in caught.value.message_dict
    assert list(create(world, leader, indicators=[own]).indicators.all()) == [own]


def test_it_refuses_an_expiry_before_the_effective_date(world, leader):
    with pytest.raises(ValidationError) as caught:
        create(
            world,
            leader,
            effective_on=TODAY,
            expires_on=TODAY - datetime.timedelta(days=1),
        )
    assert "expires_on" in caught.value.message_dict


def test_it_refuses_a_school_of_another_board_and_an_empty_title(world, leader):
    with pytest.raises(ValidationError, match="not part of this board"):
        create(world, leader, school=world.other_board_school)
    with pytest.raises(ValidationError) as caught:
        create(world, leader, title="   ")
    assert "title" in caught.value.message_dict


def test_it_adds_versions_and_keeps_the_old_ones(world, leader, media):
    evidence = create(world, leader)
    second = files.PDF + b"% tweede versie\n"
    record = services.evidence_add_version(
        evidence=evidence, upload=files.upload("schoolplan-v2.pdf", second), user=leader
    )
    assert record.version == 2
    assert record.sha256 == hashlib.sha256(second).hexdigest()
    versions = {f.version: f for f in evidence.files.all()}
    assert set(versions) == {1, 2}
    assert (media / versions[1].file.name).read_bytes() == files.PDF
    assert (media / versions[2].file.name).read_bytes() == second
    third = services.evidence_add_version(
        evidence=evidence,
        upload=files.upload("foto.png", files.png()),
        user=leader,
    )
    assert third.version == 3
    assert third.content_type == "image/png"


def test_it_refuses_a_bad_version_and_keeps_what_was_there(world, leader, media):
    evidence = create(world, leader)
    before = stored_files(media)
    with pytest.raises(ValidationError):
        services.evidence_add_version(
            evidence=evidence,
            upload=files.upload("v2.pdf", files.EXE),
            user=leader,
        )
    assert evidence.files.count() == 1
    assert stored_files(media) == before


def test_it_refuses_a_version_of_a_link(world, leader):
    evidence = create(world, leader, kind="link", url="https://example.org", upload=None)
    with pytest.raises(ValidationError, match="Only documents"):
        services.evidence_add_version(
            evidence=evidence,
            upload=files.upload("x.pdf", files.PDF),
            user=leader,
        )


def test_it_updates_text_dates_and_links(world, leader, kl1, kl2):
    evidence = create(world, leader, standards=[kl1])
    services.evidence_update(
        evidence=evidence,
        title="Schoolplan (herzien)",
        description="Nieuw",
        effective_on=TODAY,
        expires_on=TODAY + datetime.timedelta(days=365),
        standards=[kl2],
        indicators=[],
        user=leader,
    )
    evidence.refresh_from_db()
    assert evidence.title == "Schoolplan (herzien)"
    assert list(evidence.standards.all()) == [kl2]
    with pytest.raises(ValidationError) as caught:
        services.evidence_update(
            evidence=evidence,
            title="Anders",
            description="",
            effective_on=TODAY,
            expires_on=TODAY - datetime.timedelta(days=1),
            standards=[kl1],
            indicators=[],
        )
    assert "expires_on" in caught.value.message_dict
    evidence.refresh_from_db()
    assert evidence.title == "Schoolplan (herzien)"
    assert list(evidence.standards.all()) == [kl2]


# --- Selectors -------------------------------------------------------------------------------


def test_it_lists_with_the_latest_file_counts_and_expiry(world, leader, kl1, kl2):
    evidence = create(world, leader, standards=[kl1, kl2])
    services.evidence_add_version(
        evidence=evidence,
        upload=files.upload("v2.pdf", files.PDF + b"%2"),
        user=leader,
    )
    old = make_evidence(world.board, world.school, expires_on=TODAY - datetime.timedelta(days=1))
    make_evidence(world.board, world.other_school)
    rows = {r.pk: r for r in selectors.evidence_list(leader, world.board)}
    assert set(rows) == {evidence.pk, old.pk}  # not the other school's
    row = rows[evidence.pk]
    assert row.latest_file.version == 2
    assert row.version_count == 2
    assert row.standard_count == 2 and row.link_count == 2
    assert not row.expired
    assert rows[old.pk].expired
    assert [r.pk for r in selectors.evidence_list(leader, world.board, expired=True)] == [old.pk]
    assert [r.pk for r in selectors.evidence_list(leader, world.board, standard=kl2)] == [
        evidence.pk
    ]


def test_it_shows_board_evidence_only_to_board_roles(world):
    board_evidence = make_evidence(world.board, None)
    executive = world.users[Role.BOARD_EXECUTIVE]
    assert [r.pk for r in selectors.evidence_list(executive, world.board, unit=None)] == [
        board_evidence.pk
    ]
    assert selectors.evidence_list(world.users[Role.STAFF], world.board) == []


def test_it_lists_in_a_fixed_number_of_queries(world, leader, kl1):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            rows = selectors.evidence_list(leader, world.board)
            for row in rows:
                _ = (row.latest_file, list(row.standards.all()), list(row.indicators.all()))
                _ = (row.school, row.round)
        return len(queries)

    make_evidence(world.board, world.school).standards.set([kl1])
    count()  # the memberships are read once and kept on the user
    few = count()
    for _i in range(6):
        make_evidence(world.board, world.school).standards.set([kl1])
    assert count() == few


# --- Pages -----------------------------------------------------------------------------------


def url(name, world, *args):
    return reverse(f"picture:{name}", args=[world.board.pk, *args])


def test_staff_add_a_document_through_the_page(client, world, kl1, media):
    staff = world.users[Role.STAFF]
    client.force_login(staff)
    page = client.get(
        url("evidence_create", world) + f"?school={world.school.pk}&standard={kl1.pk}"
    )
    assert page.status_code == 200
    assert f'value="{kl1.pk}"' in page.content.decode()
    assert "checked" in page.content.decode()
    response = client.post(
        url("evidence_create", world) + f"?school={world.school.pk}",
        {
            "school": world.school.pk,
            "kind": "document",
            "title": "Verslag teamdag",
            "effective_on": TODAY.isoformat(),
            "standards": [kl1.pk],
            "upload": files.upload("verslag.pdf", files.PDF, "text/html"),
        },
    )
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response.url == url("evidence_detail", world, evidence.pk)
    assert evidence.school == world.school
    assert evidence.created_by == staff
    assert evidence.files.get().content_type == "application/pdf"
    assert len(stored_files(media)) == 1


def test_the_page_shows_why_an_upload_is_refused_and_stores_nothing(
    client, english, world, picture, media
):
    client.force_login(world.users[Role.STAFF])
    response = client.post(
        url("evidence_create", world),
        {
            "school": world.school.pk,
            "kind": "document",
            "title": "Factuur",
            "effective_on": TODAY.isoformat(),
            "upload": files.upload("factuur.pdf", files.EXE),
        },
    )
    assert response.status_code == 200
    assert "seems to be a Windows program" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_staff_cannot_add_evidence_to_another_school_or_the_board(client, world, picture):
    client.force_login(world.users[Role.STAFF])
    for unit in (world.other_school.pk, "board"):
        response = client.post(
            url("evidence_create", world),
            {
                "school": unit,
                "kind": "link",
                "title": "Elders",
                "url": "https://example.org",
                "effective_on": TODAY.isoformat(),
            },
        )
        assert response.status_code == 200
        assert response.context["form"].errors["school"]
    assert not Evidence.objects.exists()


def test_the_board_adds_board_evidence(client, world):
    make_picture(world.board, None)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    response = client.post(
        url("evidence_create", world) + "?school=board",
        {
            "school": "board",
            "kind": "link",
            "title": "Jaarverslag",
            "url": "https://bestuur.example.org/jaarverslag",
            "effective_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    assert Evidence.objects.get().school is None


def test_a_supervisor_reads_but_cannot_add_or_upload(client, world, media):
    evidence = make_evidence(world.board, world.school)
    before = stored_files(media)
    client.force_login(world.users[Role.SUPERVISOR])
    assert client.get(url("evidence", world)).status_code == 200
    assert client.get(url("evidence_detail", world, evidence.pk)).status_code == 200
    assert client.get(url("evidence_create", world)).status_code == 403
    assert client.get(url("evidence_edit", world, evidence.pk)).status_code == 403
    response = client.post(
        url("evidence_version", world, evidence.pk),
        {"upload": files.upload("v2.pdf", files.PDF)},
    )
    assert response.status_code == 403
    assert evidence.files.count() == 1
    assert stored_files(media) == before


def test_other_boards_and_other_schools_get_404(client, world):
    evidence = make_evidence(world.board, world.school)
    record = evidence.files.get()
    paths = [
        url("evidence_detail", world, evidence.pk),
        url("evidence_edit", world, evidence.pk),
        url("evidence_download", world, evidence.pk, record.pk),
    ]
    client.force_login(world.outsider)
    for path in paths:
        assert client.get(path).status_code == 404
    other_staff = make_user()
    grant(other_staff, world.board, Role.STAFF, world.other_school)
    client.force_login(other_staff)
    for path in paths:
        assert client.get(path).status_code == 404
    assert (
        client.post(
            url("evidence_version", world, evidence.pk),
            {"upload": files.upload("v2.pdf", files.PDF)},
        ).status_code
        == 404
    )
    assert evidence.files.count() == 1
    assert evidence.title not in client.get(url("evidence", world)).content.decode()


def test_a_file_of_other_evidence_is_not_reached_through_this_one(client, world):
    mine = make_evidence(world.board, world.school)
    theirs = make_evidence(world.board, world.other_school)
    foreign = make_evidence(make_board(), None)
    client.force_login(world.users[Role.STAFF])
    for record in (theirs.files.get(), foreign.files.get()):
        assert client.get(url("evidence_download", world, mine.pk, record.pk)).status_code == 404


def test_the_download_is_an_attachment_of_the_checked_type(client, world, leader):
    evidence = create(world, leader, upload=files.upload("Jaarplan école.pdf", files.PDF))
    record = evidence.files.get()
    client.force_login(world.users[Role.ADVISOR])
    response = client.get(url("evidence_download", world, evidence.pk, record.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Jaarplan%20%C3%A9cole.pdf" in disposition


def test_the_detail_shows_every_version_with_its_hash(client, world, leader):
    evidence = create(world, leader)
    services.evidence_add_version(
        evidence=evidence, upload=files.upload("v2.txt", b"tweede\n"), user=leader
    )
    client.force_login(world.users[Role.STAFF])
    page = client.get(url("evidence_detail", world, evidence.pk)).content.decode()
    for record in evidence.files.all():
        assert record.sha256 in page
        assert url("evidence_download", world, evidence.pk, record.pk) in page
    assert "schoolplan.pdf" in page and "v2.txt" in page


def test_staff_upload_a_new_version_through_the_page(client, world, leader, media):
    evidence = create(world, leader)
    client.force_login(world.users[Role.STAFF])
    response = client.post(
        url("evidence_version", world, evidence.pk),
        {"upload": files.upload("schoolplan.docx", files.docx())},
    )
    assert response.status_code == 302
    assert sorted(evidence.files.values_list("version", flat=True)) == [1, 2]
    response = client.post(
        url("evidence_version", world, evidence.pk),
        {"upload": files.upload("schoolplan.docx", files.docx_without_word())},
    )
    assert response.status_code == 302
    assert evidence.files.count() == 2
    assert len(stored_files(media)) == 2


def test_staff_edit_evidence_through_the_page(client, english, world, leader, kl1, kl2):
    evidence = create(world, leader, standards=[kl1])
    client.force_login(world.users[Role.STAFF])
    page = client.get(url("evidence_edit", world, evidence.pk))
    assert page.status_code == 200
    data = {
        "title": "Nieuwe titel",
        "effective_on": TODAY.isoformat(),
        "expires_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "standards": [kl2.pk],
    }
    response = client.post(url("evidence_edit", world, evidence.pk), data)
    assert response.status_code == 200
    assert "cannot be before" in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.title == "Schoolplan 2025-2029"
    data["expires_on"] = ""
    assert client.post(url("evidence_edit", world, evidence.pk), data).status_code == 302
    evidence.refresh_from_db()
    assert evidence.title == "Nieuwe titel"
    assert list(evidence.standards.all()) == [kl2]


def test_the_list_filters_by_school_standard_and_expiry(client, world, leader, kl1):
    linked = create(world, leader, title="Gekoppeld", standards=[kl1])
    expired = make_evidence(
        world.board, world.other_school, title="Verlopen", expires_on=TODAY - datetime.timedelta(1)
    )
    board_level = make_evidence(world.board, None, title="Bestuursverslag")
    client.force_login(world.users[Role.QUALITY_OFFICER])

    def titles(query: str) -> set[str]:
        rows = client.get(url("evidence", world) + query).context["rows"]
        return {r.title for r in rows}

    assert titles("") == {linked.title, expired.title, board_level.title}
    assert titles(f"?school={world.school.pk}") == {linked.title}
    assert titles("?school=board") == {board_level.title}
    assert titles(f"?standard={kl1.pk}") == {linked.title}
    assert titles("?validity=expired") == {expired.title}
    assert titles("?validity=valid") == {linked.title, board_level.title}


def test_large_uploads_written_to_a_temporary_file_are_checked_and_stored(
    client, world, leader, media, settings
):
    """Uploads over Django's memory limit arrive as temporary files; they take the same path."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10
    settings.FILE_UPLOAD_TEMP_DIR = str(media.parent)
    evidence = create(world, leader)
    data = files.docx()
    client.force_login(leader)
    response = client.post(
        url("evidence_version", world, evidence.pk),
        {"upload": files.upload("plan.docx", data)},
    )
    assert response.status_code == 302
    record = evidence.files.get(version=2)
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    assert (media / record.file.name).read_bytes() == data
    response = client.post(
        url("evidence_version", world, evidence.pk),
        {"upload": files.upload("plan.docx", files.plain_zip())},
    )
    assert response.status_code == 302
    assert evidence.files.count() == 2
    assert len(stored_files(media)) == 2
