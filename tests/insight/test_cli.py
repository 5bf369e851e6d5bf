"""The command line other tools call, exactly as the issue writes it:

    python -m stelsel import inspectie-results FILE [--board NUMBER] [--dry-run]
    python -m stelsel import schoolweging FILE [--dry-run]
    python -m stelsel signals --json [--board NUMBER]

On the inspectorate's excerpt, Stelsel reproduces every published 3-year average and outcome,
from the published file and from the same file without the inspectorate's computed columns
(with the schoolweging from the schoolweging file's excerpt).
"""

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from stelsel.insight.links import ovt_link
from stelsel.insight.models import DataImport, Ovt, PoResult, PublishedOutcome, Schoolweging
from stelsel.organisations.models import School
from tests.factories import make_user
from tests.insight import excerpts

pytestmark = pytest.mark.django_db

KEYS = {
    "ovt",
    "indicator",
    "period",
    "percentage",
    "pupils",
    "schoolweging",
    "norm",
    "outcome",
    "published_outcome",
    "source",
    "board",
    "school",
}
OUTCOMES = {"above", "below", "small_school", "insufficient_data"}
# Schools whose yearly figures the inspectorate masks (*): only its own columns show them.
MASKED = {"03GP|C1", "03WG|C1", "09ZA|C1", "16LI|C1"}


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def signals(*args) -> list[dict]:
    return [json.loads(line) for line in run("signals", "--json", *args).splitlines()]


def counts() -> tuple[int, ...]:
    return (
        Ovt.objects.count(),
        PoResult.objects.count(),
        PublishedOutcome.objects.count(),
        Schoolweging.objects.count(),
        DataImport.objects.count(),
    )


@pytest.fixture
def without_columns(tmp_path) -> Path:
    path = tmp_path / "leerresultaten-zonder-berekening.csv"
    path.write_bytes(excerpts.to_csv(excerpts.without_computed(excerpts.results_rows())))
    return path


def check_types(line: dict) -> None:
    assert set(line) == KEYS
    assert isinstance(line["ovt"], str) and line["indicator"] in {"1F", "1S/2F"}
    assert line["period"] == "2023-2025"
    for key in ("percentage", "schoolweging", "norm"):
        assert line[key] is None or isinstance(line[key], float), key
    for key in ("pupils", "board", "school"):
        assert line[key] is None or (isinstance(line[key], int) and line[key] >= 0), key
    assert line["outcome"] in OUTCOMES
    assert line["published_outcome"] is None or line["published_outcome"] in OUTCOMES
    assert line["source"] in {"computed", "published"}


def test_the_published_file_is_reproduced_line_for_line():
    output = run("import", "inspectie-results", str(excerpts.RESULTS))
    assert "differences from the published values: 0" in output
    assert "Imported: 61 OVTs." in output
    published = excerpts.published_outcomes()
    lines = signals()
    assert len(lines) == 61 * 2
    for line in lines:
        check_types(line)
        percentage, outcome = published[(line["ovt"], line["indicator"])]
        assert line["outcome"] == line["published_outcome"] == outcome, line
        file_value = None if percentage in ("", "*") else Decimal(percentage)
        ours = None if line["percentage"] is None else Decimal(str(line["percentage"]))
        assert ours == file_value, line
        any_masked = line["ovt"] in MASKED or line["ovt"] == "32AU|C1"  # one year masked
        assert line["source"] == ("published" if any_masked else "computed")
        assert line["board"] is None and line["school"] is None


def test_without_the_computed_columns_the_same_outcomes_are_computed(without_columns):
    run("import", "schoolweging", str(excerpts.SCHOOLWEGING))
    output = run("import", "inspectie-results", str(without_columns))
    assert "warning" not in output
    published = excerpts.published_outcomes()
    lines = signals()
    assert len(lines) == 61 * 2
    reproduced = 0
    for line in lines:
        check_types(line)
        assert line["published_outcome"] is None, "the file published nothing to compare"
        assert line["source"] == "computed"
        if line["ovt"] in MASKED:
            assert line["outcome"] == "insufficient_data" and line["percentage"] is None
            continue
        percentage, outcome = published[(line["ovt"], line["indicator"])]
        assert line["outcome"] == outcome, line
        if line["percentage"] is not None:
            assert Decimal(str(line["percentage"])) == Decimal(percentage), line
        reproduced += 1
    assert reproduced == (61 - len(MASKED)) * 2


def test_the_schoolweging_is_the_3_year_value_of_the_schoolweging_file(without_columns):
    run("import", "schoolweging", str(excerpts.SCHOOLWEGING))
    run("import", "inspectie-results", str(without_columns))
    three_year = {
        row[0]: row[3]
        for row in excerpts.schoolweging_sheets()["Driejaarsgemiddelde"][1:]
        if row[3] != ""
    }
    for line in signals():
        expected = three_year.get(line["ovt"])
        if expected is None:
            assert line["schoolweging"] is None
        else:
            assert Decimal(str(line["schoolweging"])) == Decimal(expected)


def test_board_keeps_only_that_boards_ovts_and_reports_the_others():
    board = excerpts.board_41646(schools=6)
    brins = set(School.objects.filter(board=board).values_list("instellingscode", flat=True))
    mine = sorted(c for c in excerpts.board_ovts() if c[:4] in brins)
    output = run("import", "inspectie-results", str(excerpts.RESULTS), "--board", "41646")
    assert f"OVTs imported: {len(mine)}" in output
    assert f"OVTs of other boards: {61 - len(mine)}" in output
    assert "of other boards or not known as this board's, not imported: " in output
    assert f"… and {61 - len(mine) - 20} more" in output
    assert sorted(Ovt.objects.values_list("code", flat=True)) == mine
    assert set(Ovt.objects.values_list("board__number", flat=True)) == {"41646"}


def test_with_the_schoolweging_file_the_board_gets_all_25_of_its_ovts():
    """The schoolweging file names the board (BGNR) of every OVT: then the board's import keeps
    all 25, also those whose BRIN no school in Stelsel has, and says which those are."""
    board = excerpts.board_41646(schools=6)
    run("import", "schoolweging", str(excerpts.SCHOOLWEGING))
    output = run("import", "inspectie-results", str(excerpts.RESULTS), "--board", board.number)
    assert "OVTs imported: 25" in output and "OVTs of other boards: 36" in output
    assert "BRIN matches no school in Stelsel (stored, not linked): " in output
    lines = signals("--board", "41646")
    assert len(lines) == 25 * 2
    assert {line["ovt"] for line in lines} == set(excerpts.board_ovts())
    assert {line["board"] for line in lines} == {41646}
    assert all(line["school"] is None for line in lines), "nothing is linked yet"
    school = School.objects.get(board=board, instellingscode="00AP")
    ovt_link(ovt=Ovt.objects.get(code="00AP|C1"), school=school, user=make_user())
    linked = [line for line in signals("--board", "41646") if line["ovt"] == "00AP|C1"]
    assert [line["school"] for line in linked] == [school.pk, school.pk]


def test_dry_runs_change_nothing(without_columns):
    before = counts()
    output = run("import", "schoolweging", str(excerpts.SCHOOLWEGING), "--dry-run")
    assert "Dry run: nothing was changed." in output and "OVTs in file: 61" in output
    output = run("import", "inspectie-results", str(excerpts.RESULTS), "--dry-run")
    assert "Dry run: nothing was changed." in output and "Signals" not in output
    run("import", "inspectie-results", str(without_columns), "--dry-run")
    assert counts() == before == (0, 0, 0, 0, 0)
    assert signals() == []


def test_an_import_is_recorded_with_its_hash_and_counts():
    run("import", "inspectie-results", str(excerpts.RESULTS))
    record = DataImport.objects.get()
    assert record.board is None and record.kind == "inspectie-results"
    assert record.file_name == excerpts.RESULTS.name and len(record.sha256) == 64
    assert record.rows == 61 and record.summary["period"] == "2023-2025"
    assert record.summary["counts"]["OVTs imported"] == 61


def test_an_unknown_board_or_file_is_a_clear_error_and_changes_nothing(tmp_path):
    with pytest.raises(CommandError, match="Stelsel knows no board numbered 99999"):
        run("import", "inspectie-results", str(excerpts.RESULTS), "--board", "99999")
    with pytest.raises(CommandError, match="no such file"):
        run("import", "schoolweging", str(tmp_path / "weg.ods"))
    with pytest.raises(CommandError, match="no board numbered 99999"):
        signals("--board", "99999")
    assert counts() == (0, 0, 0, 0, 0)
