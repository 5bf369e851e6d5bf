"""The shipped framework library: every file valid, and the standards the domain relies on."""

import pytest

from stelsel.frameworks.models import FrameworkVersion, Requirement, Standard
from stelsel.frameworks.schema import parse_framework_file
from stelsel.frameworks.services import LIBRARY_DIR, frameworks_load, library_files

SCHOOL_STANDARDS = {"OP1", "OP2", "OP3", "VS1", "VS2", "OR1", "SKA1", "SKA2", "SKA3"}
FILES = {path.stem: path for path in library_files()}


def spec(name: str):
    return parse_framework_file(FILES[name])


def test_the_library_holds_the_four_frameworks():
    assert sorted(FILES) == [
        "bestuur-bka-2021",
        "onderzoekskader-2021-po",
        "onderzoekskader-2021-vo",
        "sterke-kwaliteitszorg",
    ]
    assert all(path.parent == LIBRARY_DIR for path in FILES.values())


@pytest.mark.parametrize("path", FILES.values(), ids=FILES.keys())
def test_every_shipped_file_is_valid_and_complete(path):
    framework = parse_framework_file(path)

    assert framework.id == path.stem
    assert framework.version >= 1
    assert framework.source
    for standard in framework.standards:
        assert standard.requirements, f"{standard.code} has no requirements"
        assert standard.typical_evidence, f"{standard.code} has no typical evidence"
        assert standard.gist and standard.guidance
        assert all(r.code.startswith(f"{standard.code}.") for r in standard.requirements)
    levels = {scale.code: {level.tone for level in scale.levels} for scale in framework.scales}
    assert all("positive" in tones and "negative" in tones for tones in levels.values())


@pytest.mark.parametrize(
    ("name", "sector"), [("onderzoekskader-2021-po", "po"), ("onderzoekskader-2021-vo", "vo")]
)
def test_the_school_frameworks_hold_the_inspection_standards(name, sector):
    framework = spec(name)
    codes = {standard.code for standard in framework.standards}

    assert (framework.sector, framework.level) == (sector, "school")
    assert codes >= SCHOOL_STANDARDS
    areas = {standard.code: standard.area for standard in framework.standards}
    assert {areas[code] for code in ("OP1", "OP2", "OP3")} == {"OP"}
    assert {areas[code] for code in ("VS1", "VS2")} == {"VS"}
    assert areas["OR1"] == "OR"
    assert {areas[code] for code in ("SKA1", "SKA2", "SKA3")} == {"SKA"}


def test_the_secondary_framework_has_its_own_standards_on_time_and_exams():
    codes = {standard.code for standard in spec("onderzoekskader-2021-vo").standards}

    assert {"OP4", "OP6"} <= codes


def test_the_board_framework_holds_bka1_to_bka3():
    framework = spec("bestuur-bka-2021")

    assert framework.level == "board"
    assert [standard.code for standard in framework.standards] == ["BKA1", "BKA2", "BKA3"]
    assert {standard.area for standard in framework.standards} == {"BKA"}


def test_the_characteristics_file_has_four_standards():
    framework = spec("sterke-kwaliteitszorg")

    assert framework.level == "board"
    assert len(framework.standards) == 4
    assert all(len(standard.requirements) >= 3 for standard in framework.standards)


@pytest.mark.django_db
def test_the_whole_library_loads_with_every_standard_and_requirement():
    result = frameworks_load()

    assert sorted(result.created) == sorted(f"{name} v1" for name in FILES)
    specs = [spec(name) for name in FILES]
    assert FrameworkVersion.objects.count() == len(specs)
    assert Standard.objects.count() == sum(len(s.standards) for s in specs)
    assert Requirement.objects.count() == sum(
        len(standard.requirements) for s in specs for standard in s.standards
    )
    for framework in specs:
        stored = FrameworkVersion.objects.get(framework__slug=framework.id, version=1)
        assert stored.content_hash == framework.content_hash()
        assert stored.default_scale.code == framework.default_scale
        assert list(stored.standards.values_list("code", flat=True)) == [
            standard.code for standard in framework.standards
        ]
