"""Loading framework files: validated first, all or nothing, idempotent, immutable per version."""

from pathlib import Path

import pytest

from stelsel.frameworks.models import (
    Area,
    Framework,
    FrameworkVersion,
    Requirement,
    Scale,
    ScaleLevel,
    Standard,
)
from stelsel.frameworks.schema import FrameworkFileError
from stelsel.frameworks.services import frameworks_load

SAMPLE = (
    Path(__file__).resolve().parent.parent / "data" / "frameworks" / "voorbeeld.yaml"
).read_text(encoding="utf-8")
MODELS = (Framework, FrameworkVersion, Scale, ScaleLevel, Area, Standard, Requirement)

pytestmark = pytest.mark.django_db


def write(folder: Path, text: str = SAMPLE, name: str = "voorbeeld") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def edit(old: str, new: str, text: str = SAMPLE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def rows() -> dict[str, list[tuple]]:
    """Every stored row with its id, so a test can prove rows were neither added nor changed."""
    return {
        model.__name__: sorted(tuple(row.values()) for row in model.objects.values().order_by("pk"))
        for model in MODELS
    }


def version_two(text: str = SAMPLE) -> str:
    text = edit("version: 1\n", "version: 2\n", text)
    text = edit('name: "Voorbeeldkader"\n', 'name: "Voorbeeldkader 2025"\n', text)
    text = edit('"Het aanbod dekt de kerndoelen."', '"Het aanbod dekt de nieuwe kerndoelen."', text)
    return edit("      - code: OP1.2\n", "      - code: OP1.3\n", text)


def test_it_stores_a_framework_with_its_scales_areas_standards_and_requirements(tmp_path):
    result = frameworks_load([write(tmp_path)])

    assert (result.created, result.unchanged) == (["voorbeeld v1"], [])
    version = FrameworkVersion.objects.select_related("framework", "default_scale").get()
    assert (version.framework.slug, version.framework.name) == ("voorbeeld", "Voorbeeldkader")
    assert (version.version, version.sector, version.level) == (1, "po", "school")
    assert version.default_scale.code == "status"
    assert list(version.scales.values_list("code", "position")) == [
        ("status", 0),
        ("inspectie", 1),
    ]
    assert list(
        ScaleLevel.objects.filter(scale__code="status").values_list("code", "tone", "position")
    ) == [
        ("in_orde", "positive", 0),
        ("nog_niet_in_orde", "negative", 1),
        ("nog_niet_beoordeeld", "neutral", 2),
    ]
    standards = {s.code: s for s in version.standards.select_related("area", "scale")}
    assert list(standards) == ["OP1", "OP2", "VS1"]
    assert standards["OP1"].area.code == "OP"
    assert standards["OP1"].scale.code == "status"
    assert standards["VS1"].scale.code == "inspectie"
    assert standards["OP1"].typical_evidence == ["Schoolplan", "Overzicht van methodes"]
    assert standards["OP2"].note == "Nog na te gaan."
    assert list(standards["OP1"].requirements.values_list("code", "text", "position")) == [
        ("OP1.1", "Het aanbod dekt de kerndoelen.", 0),
        ("OP1.2", "Het aanbod bereidt leerlingen voor op het vervolgonderwijs.", 1),
    ]


def test_loading_twice_creates_nothing_new(tmp_path):
    path = write(tmp_path)
    frameworks_load([path])
    before = rows()

    result = frameworks_load([path])

    assert (result.created, result.unchanged) == ([], ["voorbeeld v1"])
    assert rows() == before


def test_loading_the_library_twice_creates_nothing_new():
    first = frameworks_load()
    before = rows()

    second = frameworks_load()

    assert second.created == []
    assert sorted(second.unchanged) == sorted(first.created)
    assert rows() == before


def test_a_new_layout_of_the_same_content_counts_as_unchanged(tmp_path):
    frameworks_load([write(tmp_path / "a")])
    before = rows()
    relaid = "# Herschreven.\n" + SAMPLE.replace('"Voorbeeldkader"', "Voorbeeldkader")

    result = frameworks_load([write(tmp_path / "b", relaid)])

    assert result.unchanged == ["voorbeeld v1"]
    assert rows() == before


def test_changed_content_with_the_same_version_is_refused_and_names_the_next_version(tmp_path):
    frameworks_load([write(tmp_path / "a")])
    before = rows()
    changed = write(tmp_path / "b", edit("tone: neutral", "tone: negative"))

    with pytest.raises(FrameworkFileError) as caught:
        frameworks_load([changed])

    [problem] = caught.value.problems
    assert problem.file == str(changed)
    assert problem.line == 3
    assert problem.path == "version"
    assert problem.message == (
        "voorbeeld version 1 is published and cannot change; store the changed content as version 2"
    )
    assert rows() == before


def test_the_refusal_names_the_version_after_the_newest_stored(tmp_path):
    frameworks_load([write(tmp_path / "a"), write(tmp_path / "b", version_two())])

    with pytest.raises(FrameworkFileError) as caught:
        frameworks_load([write(tmp_path / "c", edit("tone: neutral", "tone: negative"))])

    assert caught.value.problems[0].message.endswith("store the changed content as version 3")


def test_the_refusal_counts_a_new_version_offered_in_the_same_load(tmp_path):
    frameworks_load([write(tmp_path / "a")])
    before = rows()

    with pytest.raises(FrameworkFileError) as caught:
        frameworks_load(
            [
                write(tmp_path / "b", edit("tone: neutral", "tone: negative")),
                write(tmp_path / "c", version_two(), name="voorbeeld"),
            ]
        )

    [problem] = caught.value.problems
    assert problem.message.endswith("store the changed content as version 3")
    assert rows() == before


def test_a_new_version_is_stored_beside_the_old_one_which_keeps_its_rows(tmp_path):
    frameworks_load([write(tmp_path / "v1")])
    old = FrameworkVersion.objects.get(version=1)
    old_standards = list(old.standards.values().order_by("pk"))
    old_requirements = list(
        Requirement.objects.filter(standard__framework_version=old).values().order_by("pk")
    )
    old_scales = list(old.scales.values())

    result = frameworks_load([write(tmp_path / "v2", version_two())])

    assert result.created == ["voorbeeld v2"]
    assert Framework.objects.get().name == "Voorbeeldkader 2025"
    assert list(FrameworkVersion.objects.order_by("version").values_list("version", "name")) == [
        (1, "Voorbeeldkader"),
        (2, "Voorbeeldkader 2025"),
    ]
    old.refresh_from_db()
    assert old.name == "Voorbeeldkader"
    assert list(old.standards.values().order_by("pk")) == old_standards
    assert (
        list(Requirement.objects.filter(standard__framework_version=old).values().order_by("pk"))
        == old_requirements
    )
    assert list(old.scales.values()) == old_scales
    new = FrameworkVersion.objects.get(version=2)
    assert list(
        Requirement.objects.filter(standard__framework_version=new, standard__code="OP1")
        .order_by("position")
        .values_list("code", "text")
    ) == [
        ("OP1.1", "Het aanbod dekt de nieuwe kerndoelen."),
        ("OP1.3", "Het aanbod bereidt leerlingen voor op het vervolgonderwijs."),
    ]
    assert not set(new.standards.values_list("pk", flat=True)) & {s["id"] for s in old_standards}


def test_loading_an_older_version_later_keeps_the_newest_name(tmp_path):
    frameworks_load([write(tmp_path / "v2", version_two())])

    frameworks_load([write(tmp_path / "v1")])

    assert Framework.objects.get().name == "Voorbeeldkader 2025"
    assert FrameworkVersion.objects.count() == 2


def test_both_versions_in_one_load_are_stored(tmp_path):
    result = frameworks_load([write(tmp_path / "v1"), write(tmp_path / "v2", version_two())])

    assert result.created == ["voorbeeld v1", "voorbeeld v2"]
    assert Framework.objects.get().name == "Voorbeeldkader 2025"


def test_one_invalid_file_means_nothing_is_loaded(tmp_path):
    good = write(tmp_path / "a")
    other = write(tmp_path / "b", edit("id: voorbeeld", "id: ander"), name="ander")
    bad = write(tmp_path / "c", edit("version: 1\n", 'version: "1"\n'), name="voorbeeld")

    with pytest.raises(FrameworkFileError) as caught:
        frameworks_load([good, other, bad])

    assert [(p.file, p.line, p.path) for p in caught.value.problems] == [(str(bad), 3, "version")]
    assert all(not model.objects.exists() for model in MODELS)


def test_it_reports_the_problems_of_every_invalid_file(tmp_path):
    first = write(tmp_path / "a", edit("sector: po", "sector: mbo"))
    second = write(tmp_path / "b", SAMPLE, name="verkeerde-naam")
    missing = tmp_path / "bestaat-niet.yaml"

    with pytest.raises(FrameworkFileError) as caught:
        frameworks_load([first, second, missing])

    assert [(p.file, p.path) for p in caught.value.problems] == [
        (str(first), "sector"),
        (str(second), "id"),
        (str(missing), ""),
    ]
    assert not FrameworkVersion.objects.exists()


def test_two_files_with_the_same_version_and_other_content_are_refused(tmp_path):
    first = write(tmp_path / "a")
    second = write(tmp_path / "b", edit("tone: neutral", "tone: negative"))

    with pytest.raises(FrameworkFileError) as caught:
        frameworks_load([first, second])

    [problem] = caught.value.problems
    assert problem.file == str(second)
    assert f"also in {first} with other content" in problem.message
    assert not FrameworkVersion.objects.exists()


def test_two_identical_files_load_once(tmp_path):
    result = frameworks_load([write(tmp_path / "a"), write(tmp_path / "b")])

    assert (result.created, result.unchanged) == (["voorbeeld v1"], ["voorbeeld v1"])
    assert FrameworkVersion.objects.count() == 1


def test_a_file_that_passes_validation_fits_the_database(tmp_path):
    """Validation matches the columns, so a long code is refused before PostgreSQL would."""
    long_code = write(tmp_path / "a", edit("  - code: OP1\n", f"  - code: OP{'1' * 19}\n"))

    with pytest.raises(FrameworkFileError):
        frameworks_load([long_code])

    longest = "A" * 20
    text = edit("  - code: OP1\n", f"  - code: {longest}\n")
    text = edit("code: OP1.1\n", f"code: {longest[:19]}1\n", text)
    text = edit('name: "Aanbod"', f'name: "{"N" * 200}"', text)
    frameworks_load([write(tmp_path / "b", text)])
    assert Standard.objects.get(code=longest).name == "N" * 200
