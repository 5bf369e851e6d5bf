"""The DUO import from the web: upload, preview of the changes, confirm; only the own board."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import Role
from tests.factories import make_board

pytestmark = pytest.mark.django_db

EXCERPT = (Path(__file__).parent.parent / "data" / "vestigingen-bo-excerpt.csv").read_bytes()


@pytest.fixture
def board_41775(world):
    """The world's board renumbered to a board that is in the excerpt."""
    world.board.number = "41775"
    world.board.save()
    return world.board


def _upload(client, board, data: bytes, name="alle-vestigingen-bo.csv"):
    return client.post(
        reverse("organisations:duo_import", args=[board.pk]),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_it_previews_then_imports_only_the_boards_schools(client, world, board_41775):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    before = School.objects.count()
    preview = _upload(client, board_41775, EXCERPT)
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert plan.counts["schools_created"] == 5
    assert School.objects.count() == before, "a preview changes nothing"
    confirm = client.post(
        reverse("organisations:duo_import_confirm", args=[board_41775.pk]),
        {"sha256": preview.context["pending_sha256"]},
    )
    assert confirm.status_code == 302
    assert School.objects.filter(board=board_41775).count() == 2 + 5
    assert not Board.objects.filter(number="10249").exists(), "other boards are not imported"


def test_a_confirm_without_preview_or_with_another_hash_imports_nothing(client, world, board_41775):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    before = School.objects.count()
    url = reverse("organisations:duo_import_confirm", args=[board_41775.pk])
    assert client.post(url, {"sha256": "x"}).status_code == 302
    _upload(client, board_41775, EXCERPT)
    client.post(url, {"sha256": "0" * 64})
    assert School.objects.count() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"PROVINCIE;NAAM\nDrenthe;x\n", "missing column"),
        (EXCERPT[:-40], "expected"),
        (b"\x00\x01\x02PNG", ""),
    ],
)
def test_bad_files_get_a_clear_error_and_change_nothing(
    english, client, world, board_41775, data, message
):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    before = (Board.objects.count(), School.objects.count())
    response = _upload(client, board_41775, data)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert message.lower() in response.content.decode().lower()
    assert (Board.objects.count(), School.objects.count()) == before


def test_a_board_not_in_the_file_gets_a_clear_error(english, client, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    response = _upload(client, world.board, EXCERPT)
    assert response.context["form"].errors["file"]
    assert f"no school locations of board {world.board.number}" in response.content.decode()


def test_an_oversized_file_is_refused(client, world, board_41775, settings):
    settings.DUO_UPLOAD_MAX_BYTES = 100
    client.force_login(world.users[Role.QUALITY_OFFICER])
    response = _upload(client, board_41775, EXCERPT)
    assert response.context["form"].errors["file"]
    assert make_board  # the factory stays importable for other modules


def test_a_board_cannot_pull_in_another_boards_school(english, client, world):
    """A crafted file listing another board's school under the own number is refused."""
    stolen = world.other_board_school
    header = b"BEVOEGD GEZAG NUMMER;BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM\n"
    row = f"{world.board.number};{stolen.instellingscode};{stolen.vestigingscode};Mine now\n"
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    response = _upload(client, world.board, header + row.encode())
    assert "cannot be added to this board" in response.content.decode()
    stolen.refresh_from_db()
    assert stolen.board == world.other_board
    assert stolen.name != "Mine now"


def test_a_board_import_does_not_rename_the_board(client, world):
    header = (
        b"BEVOEGD GEZAG NUMMER;BEVOEGD GEZAG NAAM;BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM\n"
    )
    row = f"{world.board.number};Hacked Name;77ZZ;77ZZ00;Nieuwe school\n"
    client.force_login(world.users[Role.QUALITY_OFFICER])
    preview = _upload(client, world.board, header + row.encode())
    assert [c.action for c in preview.context["plan"].changes] == ["create_school"]
    client.post(
        reverse("organisations:duo_import_confirm", args=[world.board.pk]),
        {"sha256": preview.context["pending_sha256"]},
    )
    world.board.refresh_from_db()
    assert world.board.name == "Stichting Eigen"
    assert School.objects.get(vestigingscode="77ZZ00").board == world.board


def test_a_new_upload_replaces_the_previous_pending_file(client, world, board_41775, settings):
    from django.core.files.storage import default_storage

    client.force_login(world.users[Role.QUALITY_OFFICER])
    _upload(client, board_41775, EXCERPT)
    _upload(client, board_41775, EXCERPT)
    _dirs, files = default_storage.listdir("duo-imports")
    assert len(files) == 1
