"""`python -m stelsel frameworks load [FILE …]`."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stelsel.frameworks.models import FrameworkVersion, Standard
from stelsel.frameworks.services import library_files

SAMPLE = (
    Path(__file__).resolve().parent.parent / "data" / "frameworks" / "voorbeeld.yaml"
).read_text(encoding="utf-8")
LIBRARY = sorted(f"{path.stem} v1" for path in library_files())

pytestmark = pytest.mark.django_db


def load(*files: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("frameworks", "load", *files, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_without_files_it_loads_the_shipped_library():
    out, _err = load()

    assert sorted(line.removeprefix("loaded ") for line in out.splitlines()[:-1]) == LIBRARY
    assert out.splitlines()[-1] == f"{len(LIBRARY)} loaded, 0 already present"
    assert FrameworkVersion.objects.count() == len(LIBRARY)


def test_a_second_run_reports_everything_as_already_present():
    load()
    standards = Standard.objects.count()

    out, _err = load()

    assert sorted(line.removeprefix("unchanged ") for line in out.splitlines()[:-1]) == LIBRARY
    assert out.splitlines()[-1] == f"0 loaded, {len(LIBRARY)} already present"
    assert Standard.objects.count() == standards


def test_it_loads_the_files_given(tmp_path):
    path = tmp_path / "voorbeeld.yaml"
    path.write_text(SAMPLE, encoding="utf-8")

    out, _err = load(str(path))

    assert out.splitlines() == ["loaded voorbeeld v1", "1 loaded, 0 already present"]
    assert list(FrameworkVersion.objects.values_list("framework__slug", flat=True)) == ["voorbeeld"]


def test_it_lists_every_problem_with_file_and_line_and_loads_nothing(tmp_path):
    good = tmp_path / "voorbeeld.yaml"
    good.write_text(SAMPLE, encoding="utf-8")
    bad = tmp_path / "kapot.yaml"
    bad.write_text(
        SAMPLE.replace("id: voorbeeld", "id: kapot").replace("version: 1", "version: nul"),
        encoding="utf-8",
    )
    err = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("frameworks", "load", str(good), str(bad), stdout=StringIO(), stderr=err)

    assert str(caught.value) == "1 problem(s) found; no framework was loaded"
    assert err.getvalue().splitlines() == [
        f"{bad}:3: version: Input should be a valid integer; found 'nul'"
    ]
    assert not FrameworkVersion.objects.exists()


def test_it_refuses_changed_content_under_a_published_version(tmp_path):
    path = tmp_path / "voorbeeld.yaml"
    path.write_text(SAMPLE, encoding="utf-8")
    load(str(path))
    path.write_text(SAMPLE.replace("Schoolplan", "Schoolgids"), encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("frameworks", "load", str(path), stdout=StringIO(), stderr=err)

    assert "store the changed content as version 2" in err.getvalue()
    assert list(Standard.objects.get(code="OP1").typical_evidence) == [
        "Schoolplan",
        "Overzicht van methodes",
    ]


def test_it_reports_a_file_that_does_not_exist(tmp_path):
    err = StringIO()

    with pytest.raises(CommandError, match="no framework was loaded"):
        call_command(
            "frameworks", "load", str(tmp_path / "weg.yaml"), stdout=StringIO(), stderr=err
        )

    assert err.getvalue().startswith(f"{tmp_path / 'weg.yaml'}:1: cannot read")


def test_it_requires_an_action():
    with pytest.raises(CommandError):
        call_command("frameworks")
