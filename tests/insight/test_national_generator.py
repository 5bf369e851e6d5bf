"""The benchmarks' synthetic national files (bench/national_files.py) are what they claim to be.

A benchmark of the import is only worth something if its files read as the inspectorate's do: the
same sheets, the same 19 columns in the same cell formats as the real excerpt, masked and empty
years, schools without a schoolweging, and published columns that Stelsel's own computation
reproduces. A small output of the generator is read by the real parsers and imported here.
"""

import importlib.util
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from stelsel.insight.imports import import_results, import_schoolweging
from stelsel.insight.library import norms_ensure_loaded
from stelsel.insight.results_file import parse_results
from stelsel.insight.schoolweging_file import parse_schoolweging

ROOT = Path(__file__).resolve().parents[2]
EXCERPT = Path(__file__).resolve().parent / "data" / "leerresultaten-po-excerpt.ods"
SPEC = importlib.util.spec_from_file_location(
    "national_files", ROOT / "bench" / "national_files.py"
)
national_files = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(national_files)

SMALL = {"results": 160, "schoolweging": 170}


@pytest.fixture(scope="module")
def files():
    return national_files.generate(**SMALL, seed=7)


def _sheet(data: bytes, name: str) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name).to_python()


def _kinds(rows: list[list]) -> list[set[str]]:
    """Per column, the kinds of its filled cells below the header: text or number."""
    kinds = [set() for _cell in rows[0]]
    for row in rows[1:]:
        for index, cell in enumerate(row[: len(kinds)]):
            if cell != "":
                kinds[index].add("number" if isinstance(cell, float) else "text")
    return kinds


def test_the_results_file_has_the_excerpts_sheets_columns_and_cell_formats(files):
    excerpt = EXCERPT.read_bytes()
    ours = _sheet(files.results, "Data")
    real = _sheet(excerpt, "Data")
    assert ours[0] == real[0][:19] and len(ours[0]) == 19
    assert _kinds(ours) == _kinds(real)
    assert CalamineWorkbook.from_filelike(io.BytesIO(files.results)).sheet_names == [
        "Toelichting",
        "Bestandsbeschrijving",
        "Data",
    ]
    texts = [cell for row in ours[1:] for cell in row[1:10] if cell not in ("", "*")]
    assert any("," in cell for cell in texts) and not any("." in cell for cell in texts)


def test_the_small_output_parses_with_every_kind_of_row(files):
    parsed = parse_results(files.results, "synthetic.ods")
    assert len(parsed.rows) == SMALL["results"] == files.results_rows
    assert parsed.period == "2023-2025" and parsed.computed_columns
    assert sum(any(y.masked for y in row.years) for row in parsed.rows) == files.counts["masked"]
    assert any(not all(y.present for y in row.years) for row in parsed.rows)
    assert any(row.published.schoolweging is None for row in parsed.rows)
    assert {o for row in parsed.rows for o in row.published.outcomes.values()} == {
        "above",
        "below",
        "small_school",
        "insufficient_data",
    }
    weging = parse_schoolweging(files.schoolweging, "synthetic-weging.ods")
    assert weging.yearly == [2024, 2023, 2022] and weging.three_year == (2022, 2024)
    yearly = [r for r in weging.rows if r.first_year == r.last_year]
    assert len(yearly) == 3 * SMALL["schoolweging"]
    assert len(weging.rows) - len(yearly) == files.three_year_rows < SMALL["schoolweging"]
    assert {r.board_number for r in weging.rows} == set(files.board_numbers)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_schools(files):
    again = national_files.generate(**SMALL, seed=7)
    assert (again.results, again.schoolweging) == (files.results, files.schoolweging)
    other = national_files.generate(**SMALL, seed=8)
    assert other.results != files.results


@pytest.mark.django_db
def test_importing_the_small_output_reproduces_every_published_value(files, tmp_path):
    norms_ensure_loaded()
    weging = import_schoolweging(files.schoolweging, "weging.ods")
    results = import_results(files.results, "results.ods")
    assert weging.differences == [] and results.differences == []
    assert len(results.kept) == SMALL["results"] and weging.applied and results.applied
    out = io.StringIO()
    call_command("signals", "--json", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 2 * SMALL["results"]
    masked = {line["ovt"] for line in lines if line["source"] == "published"}
    assert len(masked) == files.counts["masked"]
    assert all(line["outcome"] == line["published_outcome"] for line in lines)


@pytest.mark.parametrize(
    "sizes, message",
    [
        ({"results": 19, "schoolweging": 30}, "at least 20 results rows"),
        ({"results": 200, "schoolweging": 100}, "more results rows than schools"),
    ],
)
def test_sizes_the_files_cannot_have_are_refused(sizes, message):
    with pytest.raises(ValueError, match=message):
        national_files.generate(**sizes)
