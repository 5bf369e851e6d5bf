"""`python -m stelsel import duo-schools FILE [--board NUMBER] [--dry-run]`."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from stelsel.organisations.models import Board, School
from tests.factories import make_board, make_school

DATA = Path(__file__).resolve().parent.parent / "data"
BO_EXCERPT = DATA / "vestigingen-bo-excerpt.csv"
VO_EXCERPT = DATA / "vestigingen-vo-excerpt.csv"
HEADER = "BEVOEGD GEZAG NUMMER;BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;PLAATSNAAM"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English; the site's default language is Dutch."""
    with translation.override("en"):
        yield


def run(*args: str) -> str:
    out = StringIO()
    call_command("import", "duo-schools", *args, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, *lines: str, name: str = "scholen.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(("\r\n".join([HEADER, *lines]) + "\r\n").encode("cp1252"))
    return path


def state() -> tuple:
    return (
        sorted(Board.objects.values_list("number", "name", "sector")),
        sorted(School.objects.values_list("vestigingscode", "board__number", "name", "city")),
        Board.history.count(),
        School.history.count(),
    )


def test_it_imports_a_file_and_reports_the_counts():
    out = run(str(BO_EXCERPT))

    assert f"{BO_EXCERPT}: 12 school locations of 6 boards" in out
    assert "boards created: 6" in out
    assert "schools created: 12" in out
    assert "create_school 05OC00 Dalton Kindcentrum \u2019t Kompas" in out
    assert "Imported: 18 changes." in out
    assert School.objects.count() == 12


def test_it_reports_what_a_dry_run_would_change_and_changes_nothing():
    out = run(str(VO_EXCERPT), "--dry-run")

    assert "schools created: 5" in out
    assert "Dry run: nothing was changed." in out
    assert (Board.objects.count(), School.objects.count()) == (0, 0)


def test_a_second_run_says_there_is_nothing_to_change():
    run(str(BO_EXCERPT))
    before = state()

    out = run(str(BO_EXCERPT))

    assert "schools unchanged: 12" in out
    assert "Nothing to change." in out
    assert state() == before


def test_it_lists_the_first_twenty_changes_unless_asked_for_all(tmp_path):
    lines = [f"41775;{n:02d}AB;{n:02d}AB00;School {n};ROTTERDAM" for n in range(25)]
    path = write(tmp_path, *lines)

    short = run(str(path), "--dry-run")
    full = run(str(path), "--dry-run", "--verbose-changes")

    assert "… and 6 more changes" in short
    assert "create_school 24AB00" not in short
    assert "create_school 24AB00 School 24" in full
    assert "more changes" not in full


def test_it_shows_old_and_new_values_of_a_moved_school(tmp_path):
    old = make_board(number="10249", name="Oud bestuur")
    make_school(
        old, name="De Esdoorn", instellingscode="16DJ", vestigingscode="16DJ00", city="EMMEN"
    )

    out = run(str(write(tmp_path, "30709;16DJ;16DJ00;De Esdoorn;EMMEN")))

    assert "update_school 16DJ00 De Esdoorn board: '10249' → '30709'" in out
    assert School.objects.get(vestigingscode="16DJ00").board.number == "30709"


def test_it_imports_only_the_board_asked_for():
    out = run(str(BO_EXCERPT), "--board", "10249")

    assert "3 school locations of 1 boards" in out
    assert list(Board.objects.values_list("number", flat=True)) == ["10249"]
    assert School.objects.count() == 3


def test_it_refuses_a_board_that_is_not_in_the_file_and_changes_nothing():
    make_board(number="10249")
    before = state()

    with pytest.raises(CommandError) as caught:
        run(str(BO_EXCERPT), "--board", "12345")

    message = str(caught.value)
    assert "no school locations of board 12345" in message
    assert message.endswith("nothing was changed")
    assert state() == before


@pytest.mark.parametrize(
    ("last_line", "expected"),
    [
        ("41775;06BG;06B", "row 4: expected 5 fields, found 3"),
        ('41775;06BG;06BG00;"Het Landje', "row 4: unexpected end of data"),
        ("4177A;06BG;06BG00;Het Landje;ROTTERDAM", "row 4, column BEVOEGD GEZAG NUMMER"),
        ("41775;06BG;07BG00;Het Landje;ROTTERDAM", "row 4, column VESTIGINGSCODE"),
        ("41775;03DX;03DX00;Jan Prins;ROTTERDAM", "appears twice (also on row 3)"),
    ],
    ids=["truncated", "truncated in quotes", "board number", "vestigingscode", "duplicate"],
)
def test_it_stops_at_a_malformed_last_row_names_it_and_changes_nothing(
    tmp_path, last_line, expected
):
    board = make_board(number="41775", name="BOOR")
    make_school(board, name="Oude naam", instellingscode="00DO", vestigingscode="00DO00")
    path = tmp_path / "kapot.csv"
    good = "\r\n".join(
        [
            HEADER,
            "41775;00DO;00DO00;Van Rijckevorsel;HOEK VAN HOLLAND",
            "41775;03DX;03DX00;Jan Prins;ROTTERDAM",
        ]
    )
    path.write_bytes(f"{good}\r\n{last_line}".encode("cp1252"))
    before = state()

    with pytest.raises(CommandError) as caught:
        run(str(path))

    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert message.endswith("; nothing was changed")
    assert state() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (HEADER.encode() + b"\r\n", "row 2: the file has a header but no school locations"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "nothing was changed"),
        (HEADER.encode() + b"\r\n41775;00DO;00DO00;Caf\x81;X\r\n", "row 2: the file is neither"),
    ],
    ids=["empty", "header only", "binary", "undecodable"],
)
def test_it_refuses_a_file_that_is_no_school_list(tmp_path, content, expected):
    path = tmp_path / "scholen.csv"
    path.write_bytes(content)

    with pytest.raises(CommandError) as caught:
        run(str(path))

    assert expected in str(caught.value)
    assert "nothing was changed" in str(caught.value)
    assert (Board.objects.count(), School.objects.count()) == (0, 0)


def test_it_refuses_a_path_that_is_not_a_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "bestaat-niet.csv"))
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path))


def test_it_requires_a_kind_of_import():
    with pytest.raises(CommandError):
        call_command("import")
