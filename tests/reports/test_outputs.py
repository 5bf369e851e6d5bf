"""The files of an issued report (PDF, Word, Excel), read back and compared with the web page;
the same content after the data change; empty cells empty in every output; the files made by
the task worker with progress, storage and an email; and who may have them."""

import datetime
import http.server
import re
import subprocess
import threading
import zlib
from html.parser import HTMLParser
from io import BytesIO
from unittest import mock

import docx
import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from stelsel.insight.signals import signals_refresh
from stelsel.organisations.roles import Role
from stelsel.reports import files, outputs, services
from stelsel.reports.models import RenderState, ReportFile, ReportVersion
from stelsel.reports.outputs.xlsx import sheet_name
from tests.factories import grant, make_school, make_user, make_world
from tests.factories.insight import add_results, add_schoolweging, make_ovt
from tests.factories.reports import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_in_english(english):
    """The assertions read the pages' English texts."""


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FORMATS = ("pdf", "docx", "xlsx")

TEXT = """# Where we stand

The school is doing **well** and *keeps improving*; read
[the inspectorate's report](https://www.onderwijsinspectie.nl/zoek-scholen) too.

## What we do next

- Reading comprehension is **up** again
- Maths needs attention

3. Talk to the team
4. Plan the *visit*
"""
# A row of the results block with a year the inspectorate did not publish: three empty cells.
MASKED_YEAR = "2023-2024"


@pytest.fixture
def world():
    world = make_world()
    ovt = make_ovt(world.board, world.school)
    add_results(ovt, {2023: (20, 90, 40), 2024: "*", 2025: (22, 91.5, 44)})
    add_schoolweging(ovt, 31.5)
    signals_refresh(world.board)
    world.ovt = ovt
    return world


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


def issue(world, *, text: str = TEXT, title: str = "Q-rapportage najaar") -> ReportVersion:
    report = make_report(world.board, world.school, title=title)
    version = report.versions.get()
    section = version.sections.filter(kind="text").order_by("position").first()
    services.section_update(section=section, title=section.title, text=text, revision=1, user=None)
    return services.version_issue(version=version, user=world.users[Role.BOARD_EXECUTIVE])


# --- Reading the files back ---------------------------------------------------------------


def flat(text: str) -> str:
    """Text without white space and hyphens: a PDF breaks lines and words where it must."""
    return re.sub(r"[\s\-\u00ad\u2010]+", "", text)


def pdf_text(data: bytes, tmp_path, *, layout: bool = False) -> str:
    """The PDF's text; with `layout`, a table's row on one line as it is printed."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    options = ["-layout"] if layout else []
    return subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout


def pdf_info(data: bytes, tmp_path, *options) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdfinfo", *options, str(path)], capture_output=True, check=True, text=True
    ).stdout


def pdf_streams(data: bytes) -> bytes:
    """The PDF's compressed objects, unpacked, to read its catalogue."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


def docx_document(data: bytes):
    return docx.Document(BytesIO(data))


def docx_text(data: bytes) -> str:
    document = docx_document(data)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    parts.extend(p.text for p in document.sections[0].footer.paragraphs)
    return "\n".join(parts)


def xlsx_rows(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def xlsx_text(data: bytes) -> str:
    return "\n".join(
        str(value)
        for rows in xlsx_rows(data).values()
        for row in rows
        for value in row
        if value is not None
    )


class PageText(HTMLParser):
    """The texts the report's page shows in its article: headings, paragraphs, list items,
    captions and table cells, each as one string."""

    KEEP = {"h2", "h3", "h4", "h5", "p", "li", "caption", "th", "td"}

    def __init__(self):
        super().__init__()
        self.inside = 0
        self.stack: list[list[str]] = []
        self.texts: dict[str, list[str]] = {tag: [] for tag in self.KEEP}

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "article" and "report" in classes.split():
            self.inside += 1
        elif self.inside and tag in self.KEEP:
            self.stack.append([tag])

    def handle_endtag(self, tag):
        if tag == "article" and self.inside:
            self.inside -= 1
        elif self.inside and tag in self.KEEP and self.stack and self.stack[-1][0] == tag:
            parts = self.stack.pop()
            text = " ".join("".join(parts[1:]).split())
            if text:
                self.texts[tag].append(text)

    def handle_data(self, data):
        for entry in self.stack:
            entry.append(data)


def page_texts(client, world, version) -> dict[str, list[str]]:
    client.force_login(world.users[Role.SUPERVISOR])
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = version.snapshot["language"]
    url = reverse("reports:version", args=[world.board.pk, version.report_id, version.number])
    response = client.get(url)
    assert response.status_code == 200
    parser = PageText()
    parser.feed(response.content.decode())
    return parser.texts


def made(world, version, format) -> bytes:
    report_file = files.file_request(
        version=version, format=format, user=world.users[Role.SUPERVISOR]
    )
    report_file.refresh_from_db()
    assert report_file.state == RenderState.DONE, report_file.error
    with report_file.file.open("rb") as handle:
        return handle.read()


# --- The outputs say what the page says ------------------------------------------------------


def test_the_three_files_say_what_the_page_says(world, client, immediate, tmp_path):
    version = issue(world)
    texts = page_texts(client, world, version)
    # The page shows the author's text, the block's tables and their empty cells.
    assert "Where we stand" in texts["h3"] and "What we do next" in texts["h4"]
    assert "Reading comprehension is up again" in texts["li"]
    assert "—" in texts["td"]
    assert any("keeps improving" in t for t in texts["p"])
    assert len(texts["td"]) > 20 and len(texts["h2"]) == len(version.snapshot["sections"])
    pdf = made(world, version, "pdf")
    contents = {"pdf": pdf_text(pdf, tmp_path), "docx": docx_text(made(world, version, "docx"))}
    for format, text in contents.items():
        found = flat(text)
        # Every heading, paragraph (notes and sources too), list item, caption and cell.
        for tag in ("h2", "h3", "h4", "p", "li", "caption", "th", "td"):
            for shown in texts[tag]:
                assert flat(shown) in found, (format, tag, shown)
        assert version.content_hash in text, format  # the hash in full
        assert " ".join(re.findall(".{4}", version.content_hash[:16])) in text, format  # footer
    # The year the inspectorate did not publish: its three cells empty, as on the page.
    masked = flat(f"{MASKED_YEAR} — — — Inspectorate: not published (*)")
    assert masked in flat(pdf_text(pdf, tmp_path, layout=True))
    # Excel holds the figures: every table cell of the page, numbers as numbers.
    workbook = made(world, version, "xlsx")
    sheets = xlsx_rows(workbook)
    values = [value for rows in sheets.values() for row in rows for value in row]
    texts_in_book = {str(value) for value in values if isinstance(value, str)}
    numbers_in_book = {float(value) for value in values if isinstance(value, int | float)}
    for cell in texts["th"] + [t for t in texts["td"] if t != "—"]:
        if re.fullmatch(r"[\d.,]+", cell):
            assert float(cell.replace(",", "")) in numbers_in_book, cell
        else:
            assert cell in texts_in_book, cell
    overview = "\n".join(str(v) for row in sheets["Overview"] for v in row if v is not None)
    assert version.content_hash in overview and "Q-rapportage najaar" in overview
    assert "Where we stand" in overview  # the texts in plain words beside the contents


def test_the_pdf_is_tagged_in_the_reports_language_with_a_footer_on_every_page(world, tmp_path):
    version = issue(world)
    data = outputs.render("pdf", version.snapshot)
    info = pdf_info(data, tmp_path)
    assert "Tagged:          yes" in info
    assert re.search(r"Title:\s+Q-rapportage najaar", info)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages > 3  # every section starts on a page of its own
    assert b"/Lang (en)" in pdf_streams(data)
    structure = pdf_info(data, tmp_path, "-struct")
    for tag in ("Table", "TH", "TD", "Figure", "H1", "H2", "L", "Link"):
        assert re.search(rf"^\s*{tag}\b", structure, re.M), tag
    text = pdf_text(data, tmp_path)
    short = " ".join(re.findall(".{4}", version.content_hash[:16]))
    pages_text = [page for page in text.split("\f") if page.strip()]
    assert len(pages_text) == pages
    for number, page in enumerate(pages_text, start=1):
        assert "Q-rapportage najaar · version 1 · issued" in page, number
        assert short in page and f"{number} / {pages}" in page, number
    # A chart is followed by the table of its figures.
    chart = text.index("The figures of the charts are in the tables below.")
    assert text.index("Results per school year", chart) > chart


def test_the_word_document_has_headings_lists_links_and_tables(world):
    version = issue(world)
    document = docx_document(outputs.render("docx", version.snapshot))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert styles[0] == ("Title", "Q-rapportage najaar")
    titles = [s["title"] for s in version.snapshot["sections"]]
    assert [t for style, t in styles if style == "Heading 1"] == titles
    assert ("Heading 2", "Where we stand") in styles
    assert ("Heading 3", "What we do next") in styles
    assert ("List Bullet", "Reading comprehension is up again") in styles
    assert ("List Number", "Talk to the team") in styles
    paragraph = next(p for p in document.paragraphs if "keeps improving" in p.text)
    assert [r.text for r in paragraph.runs if r.bold] == ["well"]
    assert [r.text for r in paragraph.runs if r.italic] == ["keeps improving"]
    (link,) = paragraph.hyperlinks
    assert link.text == "the inspectorate's report"
    assert link.url == "https://www.onderwijsinspectie.nl/zoek-scholen"
    # The numbered list starts at 3, as written.
    numbered = next(p for p in document.paragraphs if p.text == "Talk to the team")
    num_id = numbered._p.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    num = numbering.num_having_numId(num_id)
    assert num.lvlOverride_lst[0].startOverride.val == 3
    # Tables: a caption before, a header row that repeats, "—" for an empty cell.
    years = next(t for t in document.tables if t.rows[0].cells[2].text == "School year")
    assert (
        years.rows[0]._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    )
    masked = next(r for r in years.rows if r.cells[2].text == MASKED_YEAR)
    assert [c.text for c in masked.cells[3:6]] == ["—", "—", "—"]
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Results per school year" in captions
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Q-rapportage najaar · version 1 · issued")
    assert " ".join(re.findall(".{4}", version.content_hash[:16])) in footer
    assert any("Source: Results · data as of" in p.text for p in document.paragraphs)


def test_the_workbook_keeps_numbers_as_numbers_and_empty_cells_empty(world):
    version = issue(world)
    sheets = xlsx_rows(outputs.render("xlsx", version.snapshot))
    names = list(sheets)
    assert names[0] == "Overview"
    blocks = [s["title"] for s in version.snapshot["sections"] if s["kind"] == "block"]
    assert names[1:] == [sheet_name(t, set()) for t in blocks]
    assert all(len(name) <= 31 for name in names)
    rows = sheets["Resultaten en signalen"]
    header = next(
        i
        for i, row in enumerate(rows)
        if row[:3] == ("School", "Inspectorate school", "School year")
    )
    data = rows[header + 1 : header + 4]
    assert data[0][3:6] == (20, 90, 40)
    masked = next(row for row in data if row[2] == MASKED_YEAR)
    assert masked[3:6] == (None, None, None)
    # The note that says why sits under the table.
    after = rows[header + 4][0]
    assert after.startswith("Not published (*)")


def test_sheet_names_are_valid_and_unique():
    taken = set()
    names = [
        sheet_name("Resultaten: lezen/rekenen [2025]?", taken),
        sheet_name("Resultaten: lezen/rekenen [2025]?", taken),
        sheet_name("x" * 40, taken),
        sheet_name("X" * 40, taken),
        sheet_name("'*'", taken),
    ]
    assert all(len(name) <= 31 for name in names)
    assert not any(re.search(r"[\[\]:*?/\\]", name) for name in names)
    assert len({name.lower() for name in names}) == len(names)
    assert names[0] == "Resultaten lezen rekenen 2025"
    assert names[1] == "Resultaten lezen rekenen 20 (2)"  # 31 characters at most


def test_an_issued_report_gives_the_same_files_after_the_data_change(world, immediate, tmp_path):
    version = issue(world)
    before = {
        "pdf": pdf_text(made(world, version, "pdf"), tmp_path),
        "docx": docx_text(made(world, version, "docx")),
        "xlsx": xlsx_text(made(world, version, "xlsx")),
    }
    assert "De Eigen School" in before["pdf"]
    # The data change: the school is renamed and a year of results is added.
    world.school.name = "Een nieuwe naam"
    world.school.save()
    add_results(world.ovt, {2022: (30, 99, 70)})
    for report_file in ReportFile.objects.filter(version=version):
        report_file.file.delete(save=False)
    ReportFile.objects.filter(version=version).delete()
    version = ReportVersion.objects.get(pk=version.pk)
    after = {
        "pdf": pdf_text(made(world, version, "pdf"), tmp_path),
        "docx": docx_text(made(world, version, "docx")),
        "xlsx": xlsx_text(made(world, version, "xlsx")),
    }
    assert after == before
    assert "Een nieuwe naam" not in after["pdf"]


def test_the_outputs_follow_the_reports_language(world, tmp_path):
    with translation.override("nl"):
        version = issue(world)
    assert version.snapshot["language"] == "nl"
    pdf = outputs.render("pdf", version.snapshot)
    assert b"/Lang (nl)" in pdf_streams(pdf)
    assert "31,5" in pdf_text(pdf, tmp_path)  # the schoolweging, in Dutch notation
    assert "31,5" in docx_text(outputs.render("docx", version.snapshot))
    sheets = xlsx_rows(outputs.render("xlsx", version.snapshot))
    assert any(31.5 in row for rows in sheets.values() for row in rows)  # a number still


def test_the_pdf_fetches_nothing_from_anywhere(world, tmp_path):
    """A report is complete in itself: an address in its content is never fetched."""
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        address = f"http://127.0.0.1:{server.server_port}"
        version = issue(world, text=f"![logo]({address}/image.png) and <img src='{address}/raw'>")
        content = dict(version.snapshot)
        block = next(s for s in content["sections"] if s.get("block", {}).get("svg"))
        block["block"] = dict(
            block["block"],
            svg=f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><title>t</title>'
            f'<image href="{address}/chart.png" width="9" height="9"/></svg>',
        )
        text = pdf_text(outputs.render("pdf", content), tmp_path)
    finally:
        server.shutdown()
    assert asked == []
    assert "<img src=" in text  # the raw HTML is shown as typed


def test_progress_is_told_per_section(world):
    version = issue(world)
    for format in FORMATS:
        seen = []
        outputs.render(format, version.snapshot, progress=seen.append)
        assert len(seen) >= len(version.snapshot["sections"]), format
        assert seen == sorted(seen) and seen[-1] >= 0.95, format


# --- Made by the task worker -----------------------------------------------------------------


def test_the_worker_makes_the_file_records_it_and_emails_the_requester(world, client, settings):
    settings.TASKS = DATABASE
    version = issue(world)
    supervisor = world.users[Role.SUPERVISOR]
    client.force_login(supervisor)
    url = reverse("reports:file", args=[world.board.pk, version.report_id, 1, "pdf"])
    response = client.post(url)
    assert response.status_code == 302 and response.url == url
    report_file = ReportFile.objects.get(version=version, format="pdf")
    assert report_file.state == RenderState.QUEUED and report_file.requested_by == supervisor
    # While it waits, the page follows the progress by itself (htmx, no inline script).
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "<script>" not in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'id="file-status"' in fragment
    # Asking again while it waits queues nothing more.
    client.post(url)
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.count() == 1
    mail.outbox.clear()
    # The worker closes stale connections between tasks; here that is the test's own.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    report_file.refresh_from_db()
    assert report_file.state == RenderState.DONE and report_file.progress == 100
    assert report_file.seconds is not None and report_file.seconds > 0
    assert report_file.finished_at is not None and report_file.notified
    assert report_file.file.name.startswith("reports/") and report_file.file.size > 1000
    (email,) = mail.outbox
    assert email.to == [supervisor.email] and "Q-rapportage najaar" in email.subject
    assert url in email.body
    # Done: the page offers the download and polls no more.
    page = client.get(url).content.decode()
    assert "every 2s" not in page
    download = reverse("reports:file_download", args=[world.board.pk, version.report_id, 1, "pdf"])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ('attachment; filename="q-rapportage-najaar-v1.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # A second request gives the same file at once.
    assert client.post(url).url == download
    assert DBTaskResult.objects.count() == 1


def test_the_task_writes_its_progress_as_it_goes(world, settings):
    settings.TASKS = DATABASE
    version = issue(world)
    for format in FORMATS:
        report_file = files.file_request(version=version, format=format, user=None)
        with CaptureQueriesContext(connection) as captured:
            assert files.render_report_file.call(report_file.pk) == RenderState.DONE
        steps = [
            q["sql"]
            for q in captured.captured_queries
            if q["sql"].startswith('UPDATE "reports_reportfile" SET "progress"')
        ]
        assert len(steps) >= 3, format  # the sections are ten: progress moves in steps
        report_file.refresh_from_db()
        assert report_file.progress == 100 and report_file.seconds is not None


def test_a_failure_is_recorded_readably_and_can_be_tried_again(world, client, immediate):
    version = issue(world)
    # The stored content no longer matches its hash (changed behind Stelsel's back).
    tampered = dict(version.snapshot, title="Iets anders")
    ReportVersion.objects.filter(pk=version.pk).update(snapshot=tampered)
    version.refresh_from_db()
    report_file = files.file_request(version=version, format="docx", user=None)
    report_file.refresh_from_db()
    assert report_file.state == RenderState.FAILED
    assert "does not match its content hash" in report_file.error
    assert not report_file.file
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    url = reverse("reports:file", args=[world.board.pk, version.report_id, 1, "docx"])
    page = client.get(url, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "does not match its content hash" in page.content.decode()
    download = reverse("reports:file_download", args=[world.board.pk, version.report_id, 1, "docx"])
    assert client.get(download).url == url  # nothing to download: back to the page
    # Put right, asking again makes it.
    ReportVersion.objects.filter(pk=version.pk).update(
        snapshot=dict(tampered, title=version.report.title)
    )
    assert client.post(url).status_code == 302
    report_file.refresh_from_db()
    assert report_file.state == RenderState.DONE and report_file.error == ""


# --- Who may have the files ------------------------------------------------------------------


def test_who_reads_the_version_has_its_files_and_nobody_else(world, client, immediate):
    version = issue(world)
    draft = make_report(world.board, world.school, title="Concept").versions.get()
    other_board_version = issue_for_other_board(world)

    def urls(v, format="pdf"):
        args = [v.board_id, v.report_id, v.number, format]
        return reverse("reports:file", args=args), reverse("reports:file_download", args=args)

    page, download = urls(version)
    # The supervisory board reads the issued version: it may have the file.
    client.force_login(world.users[Role.SUPERVISOR])
    assert client.post(page).url == download
    assert client.get(page).status_code == 200
    assert client.get(download).status_code == 200
    # Staff read no reports.
    client.force_login(world.users[Role.STAFF])
    for response in (client.get(page), client.post(page), client.get(download)):
        assert response.status_code == 403
    # Another board's executive does not know the report.
    client.force_login(world.outsider)
    for response in (client.get(page), client.post(page), client.get(download)):
        assert response.status_code == 404
    # A draft has no files, not even for those who write it; nor has an unknown type.
    client.force_login(world.users[Role.QUALITY_OFFICER])
    draft_page, draft_download = urls(draft)
    for response in (client.get(draft_page), client.post(draft_page), client.get(draft_download)):
        assert response.status_code == 404
    odd_page, odd_download = urls(version, "exe")
    assert client.get(odd_page).status_code == 404
    assert client.get(odd_download).status_code == 404
    # Another board's report under this board's address is not found either.
    other_page, other_download = urls(other_board_version)
    other_page = other_page.replace(
        f"/besturen/{other_board_version.board_id}/", f"/besturen/{world.board.pk}/"
    )
    assert client.get(other_page).status_code == 404
    assert ReportFile.objects.filter(version=draft).count() == 0


def test_a_school_leader_has_the_files_of_their_own_school_only(world, client, immediate):
    own = issue(world)
    other_school = make_report(world.board, world.other_school, title="Ander", issued=True)
    leader = world.users[Role.SCHOOL_LEADER]
    client.force_login(leader)
    own_url = reverse("reports:file", args=[world.board.pk, own.report_id, 1, "xlsx"])
    assert client.post(own_url).status_code == 302
    other_url = reverse("reports:file", args=[world.board.pk, other_school.pk, 1, "xlsx"])
    assert client.post(other_url).status_code == 404


def test_the_version_page_offers_the_files_of_an_issued_version_only(world, client):
    version = issue(world)
    draft = make_report(world.board, world.school, title="Concept")
    client.force_login(world.users[Role.QUALITY_OFFICER])
    page = client.get(
        reverse("reports:version", args=[world.board.pk, version.report_id, 1])
    ).content.decode()
    for format in FORMATS:
        assert reverse("reports:file", args=[world.board.pk, version.report_id, 1, format]) in page
    page = client.get(reverse("reports:version", args=[world.board.pk, draft.pk, 1])).content
    assert b"/bestanden/" not in page


def test_a_drafts_figures_come_as_excel_at_once(world, client):
    report = make_report(world.board, world.school, title="Concept")
    url = reverse("reports:draft_figures", args=[world.board.pk, report.pk, 1])
    client.force_login(world.users[Role.QUALITY_OFFICER])
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = (
        "en"  # a draft is made in the reader's language
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="concept-v1-draft.xlsx"'
    overview = xlsx_rows(response.content)["Overview"]
    assert ("Version", "Version 1, draft: not issued, the figures can still change.") in overview
    assert not ReportFile.objects.exists()  # nothing kept
    # Readers of issued versions do not know a report with nothing issued; nor may they have
    # the figures of a draft of one they know (the permission matrix covers that case).
    client.force_login(world.users[Role.SUPERVISOR])
    assert client.get(url).status_code == 404
    # An issued version's files are made apart.
    version = issue(world)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    issued_url = reverse("reports:draft_figures", args=[world.board.pk, version.report_id, 1])
    assert client.get(issued_url).url == reverse(
        "reports:file", args=[world.board.pk, version.report_id, 1, "xlsx"]
    )


def test_a_file_waiting_long_for_a_worker_says_so(world, client, settings):
    settings.TASKS = DATABASE
    version = issue(world)
    report_file = files.file_request(version=version, format="pdf", user=None)
    url = reverse("reports:file", args=[world.board.pk, version.report_id, 1, "pdf"])
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    assert "task worker has not started" not in client.get(url).content.decode()
    ReportFile.objects.filter(pk=report_file.pk).update(
        requested_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert "task worker has not started" in client.get(url).content.decode()


def issue_for_other_board(world) -> ReportVersion:
    school = make_school(world.other_board, name="Elders")
    writer = make_user()
    grant(writer, world.other_board, Role.BOARD_EXECUTIVE)
    report = make_report(world.other_board, school, title="Elders", author=writer)
    return services.version_issue(version=report.versions.get(), user=writer)
