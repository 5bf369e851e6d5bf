"""Import of past cohorts: a valid file is written whole; a file with any problem writes nothing
and names every problem with its line."""

import datetime
from pathlib import Path

import pytest

from stelsel.trajectories.importer import (
    MAX_BYTES,
    ProgrammeFileError,
    cohorts_import,
    cohorts_import_file,
)
from stelsel.trajectories.models import Cohort, InterventionLog, Programme, Trajectory
from tests.factories.trajectories import make_cohort, make_programme

DATA = Path(__file__).resolve().parent.parent / "data" / "trajectories"

pytestmark = pytest.mark.django_db


def problems_of(name: str) -> list[str]:
    with pytest.raises(ProgrammeFileError) as caught:
        cohorts_import_file(path=DATA / name)
    return [str(problem) for problem in caught.value.problems]


def test_a_valid_file_creates_the_programme_cohorts_cases_and_log():
    summary = cohorts_import_file(path=DATA / "two-cohorts.yaml")
    assert (summary.programme, summary.created) == ("bestuurders-vo", True)
    assert summary.cohorts == ["2021-2022", "2022-2023"]
    assert (summary.cases, summary.interventions) == (4, 5)
    programme = Programme.objects.get(slug="bestuurders-vo")
    assert programme.sector == "vo"
    assert programme.interventions.count() == 15
    first = Cohort.objects.get(programme=programme, name="2021-2022")
    assert not first.open_for_applications
    assert (first.starts_on, first.ends_on) == (
        datetime.date(2021, 5, 3),
        datetime.date(2021, 10, 11),
    )
    case = Trajectory.objects.get(cohort=first, label="Casus 1")
    assert case.imported and case.board is None and not case.single_school_board
    assert (case.starts_on, case.ends_on) == (
        datetime.date(2021, 6, 14),
        datetime.date(2021, 10, 11),
    )
    assert case.attention == {
        "person_directing": 2,
        "person_executing": 0,
        "organisation_directing": 1,
        "organisation_executing": 1,
    }
    assert [n.name for n in case.needs.all()] == ["Kwaliteit van de dialoog met de schoolleiding"]
    logged = sorted(
        (e.on, e.intervention.name) for e in InterventionLog.objects.filter(trajectory=case)
    )
    assert logged == [
        (datetime.date(2021, 6, 14), "Coaching"),
        (datetime.date(2021, 9, 2), "Tegenspraak"),
        (datetime.date(2021, 10, 11), "Coaching"),
    ]
    # Every log date lies inside its trajectory.
    for entry in InterventionLog.objects.select_related("trajectory"):
        assert entry.trajectory.starts_on <= entry.on <= entry.trajectory.ends_on
    without = Trajectory.objects.get(cohort=first, label="Casus 3")
    assert without.attention is None
    assert (without.starts_on, without.ends_on) == (first.starts_on, first.ends_on)


def test_an_existing_programme_keeps_its_catalogue_and_gets_new_cohorts():
    programme = make_programme("bestuurders-vo", sector="vo")
    programme.interventions.filter(name="Tegenspraak").update(name="Kritische tegenspraak")
    with pytest.raises(ProgrammeFileError) as caught:
        cohorts_import_file(path=DATA / "two-cohorts.yaml")
    assert "unknown intervention 'Tegenspraak'; closest: 'Kritische tegenspraak'" in str(
        caught.value
    )
    programme.interventions.filter(name="Kritische tegenspraak").update(name="Tegenspraak")
    summary = cohorts_import_file(path=DATA / "two-cohorts.yaml")
    assert not summary.created
    assert Programme.objects.count() == 1
    assert programme.cohorts.count() == 2


def test_reimporting_a_cohort_is_refused_by_name_and_writes_nothing():
    cohorts_import_file(path=DATA / "two-cohorts.yaml")
    before = (Trajectory.objects.count(), InterventionLog.objects.count())
    found = problems_of("two-cohorts.yaml")
    assert any(
        ":5: cohorts[0].name: cohort '2021-2022' already exists in programme 'bestuurders-vo'" in p
        for p in found
    )
    assert any("cohort '2022-2023' already exists" in p for p in found)
    assert (Trajectory.objects.count(), InterventionLog.objects.count()) == before


def test_a_cohort_of_a_live_programme_with_the_same_name_is_refused():
    programme = make_programme("bestuurders-vo", sector="vo")
    make_cohort(programme, "2022-2023")
    found = problems_of("two-cohorts.yaml")
    assert found == [
        f"{DATA / 'two-cohorts.yaml'}:24: cohorts[1].name: cohort '2022-2023' already exists in "
        "programme 'bestuurders-vo'; an import does not change an existing cohort"
    ]
    assert not Cohort.objects.filter(name="2021-2022").exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "typo-intervention.yaml",
            ":10: cohorts[0].cases[0].interventions[0].name: unknown intervention 'Coachng'; "
            "closest: 'Coaching'",
        ),
        (
            "attention-five.yaml",
            ":8: cohorts[0].cases[0].attention: the attention points add up to 5, not 4",
        ),
        (
            "duplicate-label.yaml",
            ":8: cohorts[0].cases[1].label: label 'Casus 1' is twice in cohort '2021-2022'",
        ),
        (
            "unknown-key.yaml",
            ":8: cohorts[0].cases[0].board: unknown key (not part of the file format)",
        ),
        ("wrong-sector.yaml", ":3: sector: unknown sector 'hbo'; one of po, vo, so, mixed"),
        ("bad-date.yaml", ":9: not valid YAML: cannot read '2021-02-30' as timestamp"),
        ("aliases.yaml", ":7: anchors and aliases (&, *) are not accepted; write the values out"),
    ],
)
def test_a_bad_file_names_its_line_and_writes_nothing(name, expected):
    found = problems_of(name)
    assert found == [f"{DATA / name}{expected}"]
    assert not Programme.objects.exists()
    assert not Trajectory.objects.exists()


def test_a_problem_late_in_the_file_leaves_nothing_of_the_earlier_cohorts():
    text = (DATA / "two-cohorts.yaml").read_text()
    text = text.replace("Sparren over handelingsrepertoire", "Sparren over het repertoire")
    with pytest.raises(ProgrammeFileError) as caught:
        cohorts_import(text=text, file="f.yaml")
    assert str(caught.value).startswith("f.yaml:30: cohorts[1].cases[0].interventions[0].name")
    assert "closest: 'Sparren over handelingsrepertoire'" in str(caught.value)
    assert not Programme.objects.exists() and not Cohort.objects.exists()


def test_an_unknown_need_names_the_closest():
    text = (DATA / "two-cohorts.yaml").read_text().replace("De basis op orde", "Basis op orde")
    with pytest.raises(ProgrammeFileError) as caught:
        cohorts_import(text=text, file="f.yaml")
    assert str(caught.value) == (
        "f.yaml:17: cohorts[0].cases[1].needs[1]: unknown need 'Basis op orde'; "
        "closest: 'De basis op orde'"
    )


def test_attention_refuses_strings_negatives_and_missing_keys():
    base = (DATA / "attention-five.yaml").read_text()
    for attention, message in [
        (
            "{person_directing: '2', person_executing: 1, organisation_directing: 1, "
            "organisation_executing: 0}",
            "attention.person_directing: Input should be a valid integer",
        ),
        (
            "{person_directing: -1, person_executing: 3, organisation_directing: 1, "
            "organisation_executing: 1}",
            "attention.person_directing: Input should be greater",
        ),
        ("{person_directing: 4}", "attention.person_executing: required key is missing"),
    ]:
        text = base.replace(base[base.index("{person") :].splitlines()[0], attention)
        with pytest.raises(ProgrammeFileError) as caught:
            cohorts_import(text=text, file="f.yaml")
        assert f"f.yaml:8: cohorts[0].cases[0].{message}" in str(caught.value)


def test_not_yaml_too_large_and_binary_files_are_refused(tmp_path):
    other = tmp_path / "cases.csv"
    other.write_text("label;needs\n")
    with pytest.raises(ProgrammeFileError, match="not a YAML file"):
        cohorts_import_file(path=other)
    large = tmp_path / "large.yaml"
    large.write_text("# " + "x" * MAX_BYTES)
    with pytest.raises(ProgrammeFileError, match="too large"):
        cohorts_import_file(path=large)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00\x00")
    with pytest.raises(ProgrammeFileError, match="not UTF-8"):
        cohorts_import_file(path=binary)
    with pytest.raises(ProgrammeFileError, match="expected a mapping"):
        cohorts_import(text="- a list\n", file="f.yaml")
    with pytest.raises(ProgrammeFileError, match="binary content"):
        cohorts_import(text="programme: a\x00", file="f.yaml")


def test_a_billion_laughs_is_refused_before_anything_expands():
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    with pytest.raises(ProgrammeFileError, match="anchors and aliases"):
        cohorts_import(text="\n".join(lines), file="bomb.yaml")
