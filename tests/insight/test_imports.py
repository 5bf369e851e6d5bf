"""The board's web import of the inspectorate's files: upload, preview, confirm, history.

The excerpts are the inspectorate's own files (tests/insight/excerpts.py); board 41646 is the
board whose 25 schools are in them. A preview changes nothing; confirming imports exactly the
previewed bytes, only the board's OVTs, in one go, and lands on the import history.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stelsel.insight import inspectorate_uploads
from stelsel.insight.models import (
    DataImport,
    Ovt,
    PoResult,
    PublishedOutcome,
    Schoolweging,
    Signal,
)
from stelsel.insight.outcomes import po_outcomes
from stelsel.organisations.models import School
from stelsel.organisations.roles import Role
from tests.factories import make_school, make_user
from tests.insight import excerpts

pytestmark = pytest.mark.django_db

RESULTS = excerpts.RESULTS.read_bytes()
SCHOOLWEGING = excerpts.SCHOOLWEGING.read_bytes()


def counts() -> tuple[int, ...]:
    return (
        Ovt.objects.count(),
        PoResult.objects.count(),
        PublishedOutcome.objects.count(),
        Schoolweging.objects.count(),
        DataImport.objects.count(),
        Signal.objects.count(),
    )


@pytest.fixture
def board(world):
    """The world's board as board 41646, with a school for each BRIN of its OVTs."""
    return excerpts.board_41646(board=world.board)


@pytest.fixture
def officer(client, world):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    return client


def upload(client, board, kind, data, name, along=None, along_name="schoolweging.ods"):
    form = {"kind": kind, "file": SimpleUploadedFile(name, data)}
    if along is not None:
        form["schoolweging_file"] = SimpleUploadedFile(along_name, along)
    return client.post(reverse("insight:import", args=[board.pk]), form)


def confirm(client, board, preview):
    pending = preview.context["pending"]
    data = {"kind": preview.context["kind"], "sha256": pending["file"]["sha256"]}
    if pending["schoolweging_file"]:
        data["sha256_schoolweging"] = pending["schoolweging_file"]["sha256"]
    return client.post(reverse("insight:import_confirm", args=[board.pk]), data)


def test_the_upload_page_offers_both_kinds_and_the_second_file(officer, board):
    response = officer.get(reverse("insight:import", args=[board.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="inspectie-results"' in html and 'value="schoolweging"' in html
    assert 'name="schoolweging_file"' in html
    assert 'enctype="multipart/form-data"' in html


def test_results_and_schoolweging_together_preview_then_import_the_boards_25(
    english, officer, board
):
    before = counts()
    preview = upload(
        officer,
        board,
        "inspectie-results",
        RESULTS,
        "leerresultaten.ods",
        along=SCHOOLWEGING,
    )
    assert preview.status_code == 200, preview.context["form"].errors
    assert counts() == before, "a preview changes nothing"
    weging, results = (p["report"] for p in preview.context["previews"])
    assert weging.kind == "schoolweging" and results.kind == "inspectie-results"
    assert len(weging.kept) == len(results.kept) == 25
    assert set(results.kept) == set(excerpts.board_ovts())
    assert len(results.other_board) == 36 and results.differences == []
    html = preview.content.decode()
    assert "Import both files" in html and "agrees with every figure" in html
    assert "Not this board's: not imported" in html

    done = confirm(officer, board, preview)
    assert done.status_code == 302
    assert done.url == reverse("insight:import_history", args=[board.pk])
    ovts = Ovt.objects.filter(board=board)
    assert ovts.count() == 25 and Ovt.objects.count() == 25
    assert PublishedOutcome.objects.count() == 25 * 2
    assert Schoolweging.objects.filter(first_year=2022, last_year=2024).count() == 25
    records = list(DataImport.objects.filter(board=board).order_by("pk"))
    assert [r.kind for r in records] == ["schoolweging", "inspectie-results"]
    assert all(len(r.sha256) == 64 and r.imported_by is not None for r in records)
    assert records[1].file_name == "leerresultaten.ods"
    assert records[1].summary["period"] == "2023-2025"
    published = excerpts.published_outcomes()
    for outcome in po_outcomes(board=board):
        percentage, words = published[(outcome.ovt, outcome.indicator)]
        assert outcome.outcome == outcome.published_outcome == words
        assert outcome.percentage == (Decimal(percentage) if percentage != "*" else None)
    page = officer.get(done.url)
    message = " ".join(str(m) for m in page.context["messages"])
    assert "leerresultaten.ods: 25 schools (OVTs) imported, period 2023-2025." in message
    assert "new signal" in message


def test_schoolweging_first_then_the_results_alone(officer, board):
    weging = upload(officer, board, "schoolweging", SCHOOLWEGING, "schoolweging.ods")
    assert [len(p["report"].kept) for p in weging.context["previews"]] == [25]
    confirm(officer, board, weging)
    assert Schoolweging.objects.count() == 25 * 4
    without = excerpts.to_csv(excerpts.without_computed(excerpts.results_rows()))
    results = upload(officer, board, "inspectie-results", without, "zonder-berekening.csv")
    report = results.context["previews"][0]["report"]
    assert len(report.kept) == 25 and report.warnings == []
    confirm(officer, board, results)
    assert PoResult.objects.filter(ovt__board=board).count() > 0
    published = excerpts.published_outcomes()
    for outcome in po_outcomes(board=board):
        if outcome.source == "computed":
            assert outcome.outcome == published[(outcome.ovt, outcome.indicator)][1]


def test_a_results_import_by_brin_makes_the_ovts_the_boards(officer, board):
    """Without a schoolweging file, the board's schools' BRINs say which OVTs are its own; those
    are stored as the board's, so its pages and signals see them."""
    preview = upload(officer, board, "inspectie-results", RESULTS, "leerresultaten.ods")
    report = preview.context["previews"][0]["report"]
    assert len(report.kept) == 25
    confirm(officer, board, preview)
    assert set(Ovt.objects.filter(board=board).values_list("code", flat=True)) == set(
        excerpts.board_ovts()
    )


def test_ovts_named_for_the_board_whose_brin_stelsel_does_not_know_are_reported_and_kept(
    english, client, world
):
    board = excerpts.board_41646(board=world.board, schools=5)
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    preview = upload(
        client, board, "inspectie-results", RESULTS, "leerresultaten.ods", along=SCHOOLWEGING
    )
    report = preview.context["previews"][1]["report"]
    assert len(report.kept) == 25
    assert len(report.unknown_brin) == 20
    html = preview.content.decode()
    assert "BRIN matches no school in Stelsel" in html
    for code in report.unknown_brin:
        assert code in html
    confirm(client, board, preview)
    assert set(report.unknown_brin) <= set(Ovt.objects.values_list("code", flat=True))


def test_a_confirm_without_preview_or_with_another_hash_imports_nothing(english, officer, board):
    url = reverse("insight:import_confirm", args=[board.pk])
    before = counts()
    response = officer.post(url, {"kind": "inspectie-results", "sha256": "x"}, follow=True)
    assert "Nothing was imported" in response.content.decode()
    preview = upload(officer, board, "inspectie-results", RESULTS, "leerresultaten.ods")
    response = officer.post(url, {"kind": "inspectie-results", "sha256": "0" * 64}, follow=True)
    assert "upload the file again" in response.content.decode()
    assert counts() == before
    again = confirm(officer, board, preview)
    assert again.status_code == 302 and counts() == before, "a used preview is gone"


def test_a_confirm_of_both_needs_both_hashes(english, officer, board):
    preview = upload(
        officer, board, "inspectie-results", RESULTS, "leerresultaten.ods", along=SCHOOLWEGING
    )
    before = counts()
    data = {"kind": "inspectie-results", "sha256": preview.context["pending"]["file"]["sha256"]}
    response = officer.post(reverse("insight:import_confirm", args=[board.pk]), data, follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert counts() == before


def test_the_schoolweging_of_another_period_along_with_the_results_is_refused(
    english, officer, board
):
    before = counts()
    response = upload(
        officer,
        board,
        "inspectie-results",
        RESULTS,
        "leerresultaten.ods",
        along=excerpts.schoolweging_of_other_period(),
        along_name="schoolweging-2020-2023.ods",
    )
    errors = response.context["form"].errors["schoolweging_file"]
    assert errors == [
        "schoolweging-2020-2023.ods: this is the schoolweging of 2020/2021-2022/2023, but the "
        "results of 2023-2025 need the schoolweging of 2021/2022-2023/2024; upload the "
        "schoolweging file of that period"
    ]
    assert counts() == before


def test_a_second_file_goes_only_with_results(english, officer, board):
    response = upload(
        officer, board, "schoolweging", SCHOOLWEGING, "schoolweging.ods", along=SCHOOLWEGING
    )
    assert response.context["form"].errors["schoolweging_file"]
    assert response.context["previews"] == []


def test_a_file_without_any_of_the_boards_ovts_is_refused(english, client, world):
    """The world's other board has none of the excerpt's schools."""
    client.force_login(world.outsider)
    before = counts()
    response = upload(client, world.other_board, "inspectie-results", RESULTS, "l.ods")
    (error,) = response.context["form"].errors["file"]
    assert "none of the 61 schools (OVTs) in this file is this board's" in error
    assert counts() == before


def test_a_board_cannot_import_into_another_boards_ovt_with_its_brin(officer, board, world):
    """An OVT linked by another board keeps its figures, even when its BRIN is ours."""
    code = sorted(excerpts.board_ovts())[0]
    other_school = make_school(world.other_board, instellingscode="99XX", vestigingscode="99XX01")
    ovt = Ovt.objects.create(code=code, brin=code[:4], board=world.other_board, school=other_school)
    preview = upload(officer, board, "inspectie-results", RESULTS, "leerresultaten.ods")
    report = preview.context["previews"][0]["report"]
    assert code in report.other_board and code not in report.kept
    confirm(officer, board, preview)
    assert not PoResult.objects.filter(ovt=ovt).exists()
    ovt.refresh_from_db()
    assert ovt.board == world.other_board


def test_a_long_list_of_differences_is_cut_short_with_the_number_left_out(
    english, officer, board, monkeypatch
):
    rows = excerpts.results_rows()
    for row in rows[1:]:
        row[16] = str(int(row[16]) + 1) if row[16] not in ("", "*") else row[16]
    monkeypatch.setattr(inspectorate_uploads, "SHOWN_DIFFERENCES", 5)
    preview = upload(officer, board, "inspectie-results", excerpts.to_csv(rows), "anders.csv")
    shown = preview.context["previews"][0]
    assert len(shown["report"].differences) == 25
    assert len(shown["differences"]) == 5 and shown["differences_more"] == 20
    html = preview.content.decode()
    assert "and 20 more differences, not shown" in html
    assert "pupils over 3 years" in html


def test_the_history_lists_the_boards_imports_newest_first(english, officer, board, world):
    preview = upload(
        officer, board, "inspectie-results", RESULTS, "leerresultaten.ods", along=SCHOOLWEGING
    )
    officer.get(confirm(officer, board, preview).url)  # shows (and so clears) the message
    DataImport.objects.create(
        board=world.other_board, kind="schoolweging", file_name="van-een-ander.ods", sha256=""
    )
    response = officer.get(reverse("insight:import_history", args=[board.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "van-een-ander.ods" not in html
    assert html.index("leerresultaten.ods") < html.index("schoolweging.ods"), "newest first"
    assert "Inspectorate: results primary education" in html
    assert "Schools (OVTs) in the file: 61" in html and "Imported: 25" in html
    assert str(world.users[Role.QUALITY_OFFICER]) in html


def test_the_history_pages_through_many_imports(officer, board, django_assert_max_num_queries):
    user = make_user()
    DataImport.objects.bulk_create(
        DataImport(board=board, kind="schoolweging", file_name=f"f{n}.ods", imported_by=user)
        for n in range(120)
    )
    url = reverse("insight:import_history", args=[board.pk])
    with django_assert_max_num_queries(12):
        first = officer.get(url)
    assert len(first.context["rows"]) == 50
    last = officer.get(url, {"pagina": 3})
    assert len(last.context["rows"]) == 20


def test_the_queries_do_not_grow_with_the_boards_schools(
    officer, board, world, django_assert_max_num_queries
):
    """The preview reads the file whole and asks the database in fixed steps: the same number
    of queries whether the board has one school or one for each of its 25 OVTs; confirming
    (both files, then the signals) stays within a fixed number too."""

    def preview():
        with CaptureQueriesContext(connection) as captured:
            response = upload(
                officer, board, "inspectie-results", RESULTS, "l.ods", along=SCHOOLWEGING
            )
        return response, len(captured)

    preview()  # the first one loads the norms and starts the session
    School.objects.filter(board=board).exclude(pk=world.school.pk).delete()
    _few, few = preview()
    excerpts.board_41646(board=board)
    response, many = preview()
    assert len(response.context["previews"][1]["report"].kept) == 25
    assert many == few
    with django_assert_max_num_queries(80):
        assert confirm(officer, board, response).status_code == 302
