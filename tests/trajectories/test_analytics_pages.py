"""The analytics page and its CSV, Excel and PDF: who may read them, suppressed figures
everywhere, no board names or case labels, and a query count that does not grow with cases."""

import csv
import datetime
import io
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from stelsel.trajectories.models import InterventionLog, ProgrammeRole
from tests.factories import make_board, make_user
from tests.factories.trajectories import (
    make_cohort,
    make_programme,
    make_trajectory,
    programme_member,
)

pytestmark = pytest.mark.django_db

SECRET_BOARD = "Stichting Verborgen Scholen"


def add_cases(cohort, count, *, prefix="Casus geheim"):
    """`count` cases: every case has need 1 and Coaching (twice logged); the first case alone
    has need 2 and Tegenspraak; attention (2, 0, 1, 1) on every case."""
    programme = cohort.programme
    needs = list(programme.needs.all())
    coaching = programme.interventions.get(name="Coaching")
    counter = programme.interventions.get(name="Tegenspraak")
    board = make_board(name=SECRET_BOARD)
    for n in range(count):
        trajectory = make_trajectory(
            cohort,
            board=board if n == 0 else None,
            label=f"{prefix} {n}",
            single_school_board=n < 2,
            person_directing=2,
            person_executing=0,
            organisation_directing=1,
            organisation_executing=1,
        )
        trajectory.needs.set(needs[:2] if n == 0 else needs[:1])
        logs = [(coaching, 1), (coaching, 2)] + ([(counter, 3)] if n == 0 else [])
        InterventionLog.objects.bulk_create(
            InterventionLog(trajectory=trajectory, intervention=i, on=datetime.date(2026, 10, d))
            for i, d in logs
        )


@pytest.fixture
def setup(client):
    programme = make_programme("bestuurders-po", name="Bestuurders PO")
    cohort = make_cohort(programme, "2026-2027")
    add_cases(cohort, 4)
    researcher = make_user()
    programme_member(researcher, programme, ProgrammeRole.RESEARCHER)
    client.force_login(researcher)
    return programme, cohort, researcher


def url(programme, fmt=None, **query):
    if fmt is None:
        base = reverse("trajectories:analytics", args=[programme.slug])
    else:
        base = reverse("trajectories:analytics_export", args=[programme.slug, fmt])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def assert_nothing_of_a_board(text: str):
    assert SECRET_BOARD not in text
    assert "Casus geheim" not in text


def test_the_researcher_reads_the_suppressed_figures(client, setup):
    programme, _cohort, _user = setup
    response = client.get(url(programme))
    assert response.status_code == 200
    html = response.content.decode()
    assert_nothing_of_a_board(html)
    assert "Coaching" in html and "&lt; 3" in html
    main = html[html.index("<main") : html.index("</main>")]
    assert "<svg" in main and "<script" not in main and "style=" not in main
    shown = response.context["result"]
    rows = {r["name"]: r for r in shown["interventions"]}
    assert rows["Coaching"]["cases"] == 4
    assert rows["Tegenspraak"]["cases"] == "< 3"
    need = shown["needs"][0]
    assert (need["cases"], need["single"], need["multi"]) == (4, "< 3", "< 3")
    assert shown["totals"] == {"B": 4, "O": 0, "I": 0, "P": 4} and shown["totals_partial"]
    assert shown["attention"] == {
        "person": 50.0,
        "organisation": 50.0,
        "directing": 75.0,
        "executing": 25.0,
    }


def test_who_may_open_the_page(client, setup):
    programme, cohort, _user = setup
    office = make_user()
    programme_member(office, programme, ProgrammeRole.OFFICE)
    advisor = make_user()
    programme_member(advisor, programme, ProgrammeRole.ADVISOR)
    stranger = make_user()
    other = make_programme()
    programme_member(stranger, other, ProgrammeRole.RESEARCHER)
    for user, status in ((office, 200), (advisor, 403), (stranger, 404)):
        client.force_login(user)
        assert client.get(url(programme)).status_code == status
        assert client.get(url(programme, "csv")).status_code == status
    client.logout()
    assert client.get(url(programme)).status_code == 302
    assert client.get(url(programme, "pdf")).status_code == 302


def test_a_cohort_of_another_programme_or_an_unknown_format_is_404(client, setup):
    programme, _cohort, researcher = setup
    other = make_programme()
    programme_member(researcher, other, ProgrammeRole.RESEARCHER)
    foreign = make_cohort(other, "2026-2027")
    assert client.get(url(programme, cohort=foreign.pk)).status_code == 404
    assert client.get(url(programme, compare="x")).status_code == 404
    assert client.get(url(programme, "docx")).status_code == 404
    assert client.get(url(programme, "json")).status_code == 404


def test_a_cohort_of_fewer_than_three_cases_shows_only_its_count(client, setup):
    programme, cohort, _user = setup
    small = make_cohort(programme, "2027-2028")
    add_cases(small, 2, prefix="Casus klein")
    response = client.get(url(programme, cohort=small.pk))
    assert response.context["result"]["cases"] == "< 3"
    assert "Coaching" not in response.content.decode()


def test_two_cohorts_side_by_side(client, setup):
    programme, cohort, _user = setup
    later = make_cohort(programme, "2027-2028")
    add_cases(later, 6, prefix="Casus later")
    response = client.get(url(programme, cohort=cohort.pk, compare=later.pk))
    assert response.status_code == 200
    tables = response.context["tables"]
    assert tables[0].columns == ["", "2026-2027", "2027-2028"]
    coaching = next(r for r in tables[2].rows if r[0] == "Coaching")
    assert coaching == ["Coaching", 4, 6]
    counter = next(r for r in tables[2].rows if r[0] == "Tegenspraak")
    assert counter == ["Tegenspraak", "< 3", "< 3"]
    assert "Casus later" not in response.content.decode()


def test_csv_rows(client, setup):
    programme, _cohort, _user = setup
    response = client.get(url(programme, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert_nothing_of_a_board(text)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Coaching", "4", "B", "P"] in rows
    assert ["Tegenspraak", "< 3", "B", "P"] in rows
    assert [
        rows[i] for i in range(len(rows)) if rows[i][:1] == ["Expliciteren van de eigen rol"]
    ] == [["Expliciteren van de eigen rol", "4", "< 3", "< 3"]]


def test_excel_cells(client, setup):
    programme, _cohort, _user = setup
    response = client.get(url(programme, "xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    values = [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    assert ("Coaching", 4, "B", "P") in [tuple(v) for v in values]
    assert ("Tegenspraak", "< 3", "B", "P") in [tuple(v) for v in values]
    flat = " ".join(str(c) for row in values for c in row if c is not None)
    assert_nothing_of_a_board(flat)
    assert not any(c in (1, 2) for row in values for c in row if isinstance(c, int))


def test_pdf_holds_the_figures(client, setup, tmp_path):
    programme, _cohort, _user = setup
    response = client.get(url(programme, "pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "analyse.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Coaching" in text and "Bestuurders PO" in text
    assert "< 3" in text
    assert "75,0" in text or "75.0" in text
    assert_nothing_of_a_board(text)


def test_the_page_takes_the_same_queries_for_10_and_30_cases(client):
    counts = []
    for size in (10, 30):
        programme = make_programme()
        cohort = make_cohort(programme, "2026-2027")
        add_cases(cohort, size, prefix=f"Casus {size}")
        user = make_user()
        programme_member(user, programme, ProgrammeRole.RESEARCHER)
        client.force_login(user)
        client.get(url(programme))  # the session and caches settle
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(programme, cohort=cohort.pk))
        assert response.status_code == 200
        assert response.context["result"]["cases"] == size
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert counts[0] <= 15
