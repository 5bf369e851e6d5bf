"""PDF and Excel exports show exactly what the page shows: small groups stay hidden."""

import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from stelsel.organisations.roles import Role
from stelsel.selfevaluation import services
from tests.factories import fill_answers, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_round(world):
    round_ = make_round(world.board, world.school, state="open")
    for code, count, value in (("teachers", 6, 3), ("school_leaders", 5, 4), ("council", 2, 1)):
        fill_answers(round_, code, count, value)
    services.round_close(round_=round_)
    return round_


def test_the_workbook_hides_the_small_group(client, english, world, closed_round):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("selfevaluation:results_xlsx", args=[world.board.pk, closed_round.pk])
    response = client.get(url)
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Per statement"]
    header = [c.value for c in sheet[1]]
    council = header.index("Participation council: mean")
    for row in sheet.iter_rows(min_row=2, values_only=True):
        assert row[council] == "too few answers"
        assert row[council + 1] is None and row[council + 2] is None and row[council + 3] is None
        assert row[header.index("Teachers: spread")] == "0/0/6/0"
        assert row[header.index("Teachers: mean")] == 3
    values = [v for row in book["Per statement"].iter_rows(values_only=True) for v in row]
    assert 1 not in values and 1.0 not in values, "the council's answers appear nowhere"


def test_the_pdf_is_a_real_pdf_with_the_same_cells(client, world, closed_round, tmp_path):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("selfevaluation:results_pdf", args=[world.board.pk, closed_round.pk])
    response = client.get(url)
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "results.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "te weinig antwoorden" in text
    assert "3,0" in text and "4,0" in text


def test_exports_are_refused_like_the_page(client, world, closed_round):
    client.force_login(world.users[Role.STAFF])
    for name in ("selfevaluation:results_pdf", "selfevaluation:results_xlsx"):
        assert client.get(reverse(name, args=[world.board.pk, closed_round.pk])).status_code == 403
    client.force_login(world.outsider)
    assert (
        client.get(
            reverse("selfevaluation:results_pdf", args=[world.board.pk, closed_round.pk])
        ).status_code
        == 404
    )


def test_a_comment_that_looks_like_a_formula_is_written_as_text(client, world):
    from stelsel.selfevaluation.exports import safe

    assert safe('=HYPERLINK("http://evil.example")') == '\'=HYPERLINK("http://evil.example")'
    assert safe("+31 6") == "'+31 6" and safe(3.5) == 3.5 and safe("Goed") == "Goed"
