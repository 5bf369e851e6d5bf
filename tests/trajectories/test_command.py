"""`python -m stelsel programme import FILE` and `programme analytics SLUG --json [--cohort]`."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from stelsel.trajectories.models import Programme, Trajectory

DATA = Path(__file__).resolve().parent.parent / "data" / "trajectories"

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("programme", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_a_summary():
    out, _err = run("import", str(DATA / "two-cohorts.yaml"))
    assert out.splitlines() == [
        "programme: bestuurders-vo (created with the default catalogues)",
        "cohorts: 2021-2022, 2022-2023",
        "cases: 4",
        "interventions logged: 5",
    ]


def test_import_of_a_bad_file_writes_every_problem_and_nothing_else():
    err = StringIO()
    with pytest.raises(CommandError, match=r"1 problem\(s\) found; nothing was imported"):
        call_command("programme", "import", str(DATA / "typo-intervention.yaml"), stderr=err)
    assert err.getvalue().strip() == (
        f"{DATA / 'typo-intervention.yaml'}:10: cohorts[0].cases[0].interventions[0].name: "
        "unknown intervention 'Coachng'; closest: 'Coaching'"
    )
    assert not Programme.objects.exists()


def test_analytics_json_has_exactly_the_five_keys_with_full_figures():
    run("import", str(DATA / "two-cohorts.yaml"))
    out, _err = run("analytics", "bestuurders-vo", "--json")
    result = json.loads(out)
    assert list(result) == ["cases", "needs", "interventions", "totals", "attention"]
    assert result["cases"] == 4
    needs = {r["name"]: r["cases"] for r in result["needs"]}
    # Not suppressed on the command line: counts of 1 and 2 show as they are.
    assert needs["Kwaliteit van de dialoog met de schoolleiding"] == 2
    assert needs["De basis op orde"] == 1
    rows = {r["name"]: r for r in result["interventions"]}
    assert rows["Coaching"] == {"name": "Coaching", "cases": 1, "aim": "B", "kind": "P"}
    assert rows["Gesprek met staf"] == {
        "name": "Gesprek met staf",
        "cases": 1,
        "aim": "O",
        "kind": "I P",
    }
    assert result["totals"] == {"B": 3, "O": 1, "I": 2, "P": 4}
    # Points: (2,0,1,1) and (1,1,1,1): person 4 of 8, directing 5 of 8.
    assert result["attention"] == {
        "person": 50.0,
        "organisation": 50.0,
        "directing": 62.5,
        "executing": 37.5,
    }
    out, _err = run("analytics", "bestuurders-vo", "--json", "--cohort", "2022-2023")
    one = json.loads(out)
    assert one["cases"] == 1
    assert one["totals"] == {"B": 1, "O": 0, "I": 1, "P": 1}
    assert one["attention"] == {
        "person": 0.0,
        "organisation": 0.0,
        "directing": 0.0,
        "executing": 0.0,
    }


def test_analytics_without_json_prints_a_table():
    run("import", str(DATA / "two-cohorts.yaml"))
    out, _err = run("analytics", "bestuurders-vo")
    assert "cases: 4" in out
    assert any(line.startswith("Coaching") and line.split()[1] == "1" for line in out.splitlines())
    assert "totals: B 3, O 1, I 2, P 4" in out


def test_unknown_programme_or_cohort_is_a_clear_error():
    with pytest.raises(CommandError, match="no programme 'nope'"):
        run("analytics", "nope", "--json")
    run("import", str(DATA / "two-cohorts.yaml"))
    with pytest.raises(
        CommandError,
        match="no cohort '1999' in programme 'bestuurders-vo'; cohorts: 2021-2022, 2022-2023",
    ):
        run("analytics", "bestuurders-vo", "--json", "--cohort", "1999")


@pytest.mark.django_db(transaction=True)
def test_python_m_stelsel_prints_one_json_object(tmp_path):
    """The command as other tools call it, in its own process on the test database."""
    call_command("programme", "import", str(DATA / "two-cohorts.yaml"), stdout=StringIO())
    assert Trajectory.objects.count() == 4
    database = settings.DATABASES["default"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "stelsel.settings"}
    if database["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    else:
        env["DATABASE_URL"] = (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        )
    done = subprocess.run(
        [sys.executable, "-m", "stelsel", "programme", "analytics", "bestuurders-vo", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["cases"] == 4 and len(result["interventions"]) == 15
    missing = subprocess.run(
        [sys.executable, "-m", "stelsel", "programme", "analytics", "nope", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert missing.returncode == 1
    assert "no programme 'nope'" in missing.stderr
