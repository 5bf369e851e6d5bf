"""Attacks on the quality reports: ids of other boards, versions and reports in every URL, writes
on issued versions, concurrent issuing, odd and huge input, dangerous Markdown, comparisons of
versions a reader may not see, templates, readers who may not see a school, the content hash on
both databases, and suppressed self-evaluation cells after issuing."""

import datetime
import json
import os
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from stelsel.lib.revisions import EditConflict
from stelsel.organisations.models import Membership
from stelsel.organisations.roles import Role
from stelsel.reports import services
from stelsel.reports.blocks import BLOCKS, BlockKind, table
from stelsel.reports.diff import compare
from stelsel.reports.models import ReportSection, ReportVersion, SectionComment
from stelsel.reports.selectors import version_content
from stelsel.reports.snapshot import content_hash
from stelsel.reports.text import plain, render
from stelsel.selfevaluation.services import round_close, round_share
from tests.factories import fill_answers, grant, make_round, make_school, make_user
from tests.factories.planning import make_goal, make_plan
from tests.factories.reports import library_template, make_report

pytestmark = pytest.mark.django_db

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
START, END = datetime.date(2026, 8, 1), datetime.date(2026, 12, 31)


def _version(report, number=1) -> ReportVersion:
    return ReportVersion.objects.select_related("report").get(report=report, number=number)


def _text_section(version) -> ReportSection:
    return version.sections.filter(kind="text").order_by("position").first()


def _url(name, *args):
    return reverse(f"reports:{name}", args=args)


def _compose(world, template, title):
    """A school report through the service, as the compose page calls it."""
    return services.report_compose(
        board=world.board,
        author=None,
        template=template,
        title=title,
        period_start=START,
        period_end=END,
        school=world.school,
    )


def _state(report) -> list:
    """Everything a write could change about a report, to compare before and after."""
    versions = ReportVersion.objects.filter(report=report).order_by("number")
    sections = ReportSection.objects.filter(version__report=report).order_by("version", "position")
    comments = SectionComment.objects.filter(section__version__report=report).order_by("pk")
    return [
        [(v.number, v.state, v.revision, v.content_hash, v.snapshot) for v in versions],
        [(s.version_id, s.title, s.text, s.revision) for s in sections],
        [(c.section_id, c.text, c.resolved_at) for c in comments],
    ]


def _issued_with_draft(board, school=None, **kwargs):
    """A report whose version 1 is issued and version 2 is a draft, with a comment on each."""
    report = make_report(board, school, issued=False, start=START, end=END, **kwargs)
    first = _text_section(_version(report))
    services.comment_add(section=first, author=None, text="Opmerking bij versie 1")
    services.version_issue(version=_version(report), user=None)
    services.version_new(report=report, user=None, reason="Nieuwe cijfers")
    second = _text_section(_version(report, 2))
    services.comment_add(section=second, author=None, text="Opmerking bij versie 2")
    return report


# --- Ids that are not the reader's: 404 everywhere, and nothing changes ----------------------


def test_another_boards_ids_in_every_url_answer_404(world, client):
    foreign = _issued_with_draft(world.other_board, world.other_board_school)
    section = _text_section(_version(foreign, 2))
    comment = SectionComment.objects.get(section=section)
    template = services.template_copy(
        board=world.other_board, template=library_template("rapportage-raad-van-toezicht")
    )
    before, template_before = _state(foreign), (template.name, template.sections)
    b, r = world.board.pk, foreign.pk
    gets = [
        _url("report", b, r),
        _url("version", b, r, 1),
        _url("version", b, r, 2),
        _url("compare", b, r) + "?old=1&new=2",
        _url("section_edit", b, r, 2, section.pk),
        _url("version_issue", b, r, 2),
        _url("template_edit", b, template.pk),
        _url("file", b, r, 1, "pdf"),
        _url("file_download", b, r, 1, "pdf"),
        _url("version", world.other_board.pk, r, 1),  # not the user's board at all
        _url("list", world.other_board.pk),
    ]
    posts = {
        _url("section_edit", b, r, 2, section.pk): {"title": "X", "text": "X", "revision": 1},
        _url("comment_add", b, r, 2, section.pk): {"text": "X"},
        _url("comment_resolve", b, r, 2, comment.pk): {},
        _url("version_submit", b, r, 2): {},
        _url("version_issue", b, r, 2): {},
        _url("version_new", b, r): {"reason": "X"},
        _url("template_copy", b, template.pk): {},
        _url("template_edit", b, template.pk): {"name": "X", "revision": 1},
        _url("file", b, r, 1, "pdf"): {},
    }
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert _state(foreign) == before
    template.refresh_from_db()
    assert (template.name, template.sections) == template_before
    assert not world.board.report_templates.exists()


def test_ids_of_another_version_or_report_of_the_same_board_answer_404(world, client):
    report = _issued_with_draft(world.board, world.school)
    other = _issued_with_draft(world.board, world.school, title="Een ander rapport")
    v1_section = _text_section(_version(report, 1))
    v1_comment = SectionComment.objects.get(section=v1_section)
    other_section = _text_section(_version(other, 2))
    other_comment = SectionComment.objects.get(section=other_section)
    before = (_state(report), _state(other))
    b, r = world.board.pk, report.pk
    client.force_login(world.users[Role.QUALITY_OFFICER])
    for section in (v1_section, other_section):
        edit = _url("section_edit", b, r, 2, section.pk)
        assert client.get(edit).status_code == 404
        assert client.post(edit, {"title": "X", "text": "X", "revision": 1}).status_code == 404
        comment = _url("comment_add", b, r, 2, section.pk)
        assert client.post(comment, {"text": "X"}).status_code == 404
    for comment in (v1_comment, other_comment):
        assert client.post(_url("comment_resolve", b, r, 2, comment.pk)).status_code == 404
    for number in (0, 3, 2**31, 2**63, 10**30):  # versions that do not exist
        assert client.get(_url("version", b, r, number)).status_code == 404, number
    assert (_state(report), _state(other)) == before


def test_get_on_routes_that_only_take_a_post_answers_405(world, client):
    report = _issued_with_draft(world.board, world.school)
    section = _text_section(_version(report, 2))
    comment = SectionComment.objects.get(section=section)
    b, r = world.board.pk, report.pk
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    for url in (
        _url("comment_add", b, r, 2, section.pk),
        _url("comment_resolve", b, r, 2, comment.pk),
        _url("version_submit", b, r, 2),
        _url("version_new", b, r),
        _url("template_copy", b, library_template().pk),
    ):
        assert client.get(url).status_code == 405, url


# --- Who reads what ---------------------------------------------------------------------------


def test_a_supervisory_board_member_meets_no_draft(world, client):
    report = _issued_with_draft(world.board, world.school)
    draft_only = make_report(world.board, title="Alleen een concept")
    section = _text_section(_version(report, 2))
    b, r = world.board.pk, report.pk
    client.force_login(world.users[Role.SUPERVISOR])
    for url in (
        _url("version", b, r, 2),
        _url("compare", b, r) + "?old=1&new=2",
        _url("compare", b, r) + "?old=2&new=1",
        _url("report", b, draft_only.pk),
        _url("version", b, draft_only.pk, 1),
        _url("file", b, r, 2, "pdf"),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(_url("version", b, r, 1)).status_code == 200
    assert client.get(_url("report", b, r)).url.endswith(_url("version", b, r, 1))
    page = client.get(_url("version", b, r, 1)).content.decode()
    assert "Opmerking bij versie" not in page
    # Writing needs the right to compose (403 before any lookup).
    assert client.get(_url("section_edit", b, r, 2, section.pk)).status_code == 403
    assert client.post(_url("comment_add", b, r, 2, section.pk), {"text": "X"}).status_code == 403


def test_the_list_tells_readers_of_issued_versions_nothing_about_drafts(world, english):
    _issued_with_draft(world.board, world.school)
    english.force_login(world.users[Role.SUPERVISOR])
    listing = english.get(_url("list", world.board.pk)).content.decode()
    assert "version 1" in listing
    assert "draft of version" not in listing and "in review" not in listing


def test_a_selection_report_is_404_for_a_school_leader_of_a_selected_school(world, client):
    report = make_report(
        world.board,
        selection=[world.school, world.other_school],
        title="Selectie",
        issued=True,
        start=START,
        end=END,
    )
    b, r = world.board.pk, report.pk
    client.force_login(world.users[Role.SCHOOL_LEADER])
    for url in (
        _url("report", b, r),
        _url("version", b, r, 1),
        _url("compare", b, r) + "?old=1&new=1",
        _url("file", b, r, 1, "pdf"),
    ):
        assert client.get(url).status_code == 404, url
    assert "Selectie" not in client.get(_url("list", b)).content.decode()


def test_a_report_of_a_school_the_user_lost_their_role_at_is_404(world, client):
    leader = world.users[Role.SCHOOL_LEADER]
    report = _issued_with_draft(world.board, world.school)
    section = _text_section(_version(report, 2))
    grant(leader, world.board, Role.SCHOOL_LEADER, world.other_school)
    client.force_login(leader)
    assert client.get(_url("version", world.board.pk, report.pk, 2)).status_code == 200
    Membership.objects.filter(user=leader, school=world.school).delete()
    before = _state(report)
    b, r = world.board.pk, report.pk
    for url in (_url("version", b, r, 1), _url("version", b, r, 2), _url("report", b, r)):
        assert client.get(url).status_code == 404, url
    assert client.post(_url("comment_add", b, r, 2, section.pk), {"text": "X"}).status_code == 404
    edit = _url("section_edit", b, r, 2, section.pk)
    assert client.post(edit, {"title": "X", "text": "X", "revision": 1}).status_code == 404
    assert "Q-rapportage najaar" not in client.get(_url("list", b)).content.decode()
    assert _state(report) == before


def test_a_staff_role_at_a_school_reads_none_of_its_reports(world, client):
    """Staff read no reports; a staff role does not start counting once the person also leads
    another school of the board."""
    person = make_user(name="Leider hier, leraar daar")
    grant(person, world.board, Role.SCHOOL_LEADER, world.school)
    grant(person, world.board, Role.STAFF, world.other_school)
    report = make_report(world.board, world.other_school, title="Van de andere school", issued=True)
    client.force_login(person)
    assert client.get(_url("version", world.board.pk, report.pk, 1)).status_code == 404
    assert "Van de andere school" not in client.get(_url("list", world.board.pk)).content.decode()


# --- An issued version never changes ---------------------------------------------------------


def test_posts_on_an_issued_version_are_refused_and_change_nothing(world, client):
    report = make_report(world.board, world.school, start=START, end=END)
    section = _text_section(_version(report))
    services.section_update(
        section=section, title=section.title, text="Juni", revision=1, user=None
    )
    comment = services.comment_add(section=section, author=None, text="Klopt dit?")
    services.version_issue(version=_version(report), user=None)
    before = _state(report)
    b, r = world.board.pk, report.pk
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    edit = _url("section_edit", b, r, 1, section.pk)
    response = client.post(edit, {"title": "X", "text": "Gewijzigd", "revision": 2}, follow=True)
    assert response.status_code == 200 and response.redirect_chain
    for url, data in (
        (_url("comment_add", b, r, 1, section.pk), {"text": "Nog een"}),
        (_url("comment_resolve", b, r, 1, comment.pk), {}),
        (_url("version_submit", b, r, 1), {}),
        (_url("version_issue", b, r, 1), {}),
    ):
        assert client.post(url, data).status_code == 302, url
    assert _state(report) == before
    for call in (
        lambda: services.comment_resolve(comment=comment, user=None),
        lambda: services.version_submit(version=_version(report), user=None),
    ):
        with pytest.raises(services.ReportIssued):
            call()
    assert _state(report) == before


@pytest.mark.django_db(transaction=True)
def test_issuing_twice_at_the_same_moment_issues_once(world):
    report = make_report(world.board, world.school, start=START, end=END)
    executive = world.users[Role.BOARD_EXECUTIVE]
    barrier = threading.Barrier(2)
    outcomes = []

    def issue():
        try:
            version = _version(report)
            barrier.wait(timeout=10)
            services.version_issue(version=version, user=executive)
            outcomes.append("issued")
        except services.ReportIssued:
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 - any other outcome fails the test below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["issued", "refused"]
    version = _version(report)
    assert version.revision == 2 and content_hash(version.snapshot) == version.content_hash


def test_issuing_refuses_content_changed_after_the_confirmation_was_opened(world, client):
    report = make_report(world.board, world.school, start=START, end=END)
    version = _version(report)
    section = _text_section(version)
    url = _url("version_issue", world.board.pk, report.pk, 1)
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    assert client.get(url).status_code == 200
    seen = version.revision
    services.section_update(
        section=section, title=section.title, text="Later toegevoegd", revision=1, user=None
    )
    client.post(url, {"revision": seen})
    assert _version(report).state != "issued"


def test_a_new_version_while_one_is_open_is_refused(world, client):
    report = _issued_with_draft(world.board, world.school)
    before = _state(report)
    with pytest.raises(ValidationError):
        services.version_new(report=report, user=None, reason="Nog een")
    client.force_login(world.users[Role.QUALITY_OFFICER])
    response = client.post(_url("version_new", world.board.pk, report.pk), {"reason": "Nog een"})
    assert response.status_code == 302
    assert _state(report) == before
    # A draft that was never issued has no version to correct either.
    fresh = make_report(world.board, world.school, title="Vers")
    with pytest.raises(ValidationError):
        services.version_new(report=fresh, user=None, reason="Te vroeg")
    assert fresh.versions.count() == 1


# --- Bad input: refused with a message, nothing stored ---------------------------------------


def test_text_over_the_limit_is_refused_on_the_page_and_nothing_changes(world, client):
    report = make_report(world.board, world.school)
    section = _text_section(_version(report))
    edit = _url("section_edit", world.board.pk, report.pk, 1, section.pk)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    for text in ("x" * 20_001, "😀" * 20_001, "ab\r\n" * 5_000 + "c"):
        response = client.post(edit, {"title": "T", "text": text, "revision": 1})
        assert response.status_code == 200 and "20" in response.content.decode()
        section.refresh_from_db()
        assert section.text == "" and section.revision == 1
    # Exactly the limit, in characters that take four bytes each, is kept as typed.
    exact = "😀" * 20_000
    assert client.post(edit, {"title": "T", "text": exact, "revision": 1}).status_code == 302
    section.refresh_from_db()
    assert section.text == exact


def test_nul_bytes_are_refused_on_the_pages(world, client):
    report = make_report(world.board, world.school)
    section = _text_section(_version(report))
    b, r = world.board.pk, report.pk
    client.force_login(world.users[Role.QUALITY_OFFICER])
    edit = _url("section_edit", b, r, 1, section.pk)
    for data in ({"title": "T", "text": "a\x00b"}, {"title": "a\x00b", "text": "T"}):
        assert client.post(edit, {**data, "revision": 1}).status_code == 200
    client.post(_url("comment_add", b, r, 1, section.pk), {"text": "a\x00b"})
    client.post(_url("version_new", b, r), {"reason": "a\x00b"})
    section.refresh_from_db()
    assert section.text == "" and section.title != "a\x00b"
    assert not SectionComment.objects.exists() and report.versions.count() == 1
    with pytest.raises(ValidationError):
        services.section_update(section=section, title="T", text="a\x00b", revision=1, user=None)


@pytest.mark.parametrize("case", ["section-title-nul", "comment-nul", "title-nul", "title-201"])
def test_the_services_refuse_what_the_columns_cannot_hold(world, case):
    section = _text_section(_version(make_report(world.board, world.school)))
    with pytest.raises(ValidationError):
        if case == "section-title-nul":
            services.section_update(section=section, title="a\x00b", text="", revision=1, user=None)
        elif case == "comment-nul":
            services.comment_add(section=section, author=None, text="a\x00b")
        else:
            _compose(world, library_template(), "a\x00b" if case == "title-nul" else "x" * 201)


def test_rtl_emoji_and_entities_are_kept_and_shown_as_typed(world, client):
    text = (
        "مرحبا بالعالم \u202eevil\u202c 👩‍👩‍👧 ﷽\n\n"
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &#x3C;b&#x3E; &#0; &nbsp;\n\n"
        "<b onclick=alert(1)>vet</b> <!-- verborgen --> <svg onload=alert(1)>"
    )
    report = make_report(world.board, world.school)
    section = _text_section(_version(report))
    services.section_update(section=section, title="‏عنوان 🎉", text=text, revision=1, user=None)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    page = client.get(_url("version", world.board.pk, report.pk, 1)).content.decode()
    assert "مرحبا بالعالم" in page and "👩‍👩‍👧" in page and "‏عنوان 🎉" in page
    for raw in ("<script>alert", "<b onclick", "<svg onload", "<!-- verborgen", "<b>vet"):
        assert raw not in page, raw
    assert "&lt;b onclick=alert(1)&gt;" in page and "&lt;script&gt;alert(1)" in page
    assert "&lt;b&gt;" in page
    issued = services.version_issue(version=_version(report), user=None)
    issued.refresh_from_db()
    assert issued.snapshot["sections"][0]["text"] == text
    assert content_hash(issued.snapshot) == issued.content_hash


DANGEROUS_LINKS = [
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](  javascript:alert(1))",
    "[a](<javascript:alert(1)>)",
    "[a](java&#115;cript:alert(1))",
    "[a](javascript&colon;alert(1))",
    "[a](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[a](java%0ascript:alert(1))",
    "[a](\tjavascript:alert(1))",
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[a](DATA:text/html,<script>alert(1)</script>)",
    "[a](vbscript:msgbox(1))",
    "[a](VBScript:msgbox(1))",
    "[a](file:///etc/passwd)",
    "[a](//evil.example/x)",
    "<javascript:alert(1)>",
    "<data:text/html,x>",
    "[a][x]\n\n[x]: javascript:alert(1)",
    "[a][x]\n\n[x]: <data:text/html,x>",
    "[x]\n\n[x]: vbscript:msgbox(1)",
    '<a href="javascript:alert(1)">a</a>',
]


@pytest.mark.parametrize("text", DANGEROUS_LINKS)
def test_dangerous_links_and_images_never_become_links(text):
    html = str(render(text))
    lowered = html.lower()
    assert "<a " not in lowered and "<img" not in lowered, html
    assert 'href="' not in lowered and "src=" not in lowered.replace("&lt;", ""), html


@pytest.mark.parametrize(
    "text", ["![a](http://evil.example/t.png)", "![a][p]\n\n[p]: https://evil.example/p.png"]
)
def test_images_are_shown_as_links_and_never_loaded(text):
    html = str(render(text)).lower()
    assert "<img" not in html and "src=" not in html
    assert '<a rel="noopener noreferrer nofollow" href="http' in html


def test_safe_links_work_also_by_reference_and_tell_the_other_site_nothing():
    html = str(
        render(
            '[a](https://example.org/x?a=1&b="2") [b][r] <mailto:kwaliteit@example.org>\n\n'
            '[r]: HTTP://example.org "titel \\" onmouseover=\\"alert(1)"'
        )
    )
    assert html.count('<a rel="noopener noreferrer nofollow" href=') == 3
    assert 'href="https://example.org/x?a=1&amp;b=%222%22"' in html
    assert 'onmouseover="' not in html


PATHOLOGICAL = {
    "list-10000-lines": "-\n" * 10_000,
    "list-5000-items": "- x\n" * 5_000,
    "quotes-10000-deep": "> " * 10_000,
    "list-140-deep": "".join("  " * i + "- a\n" for i in range(140)),
    "numbered": "1. " * 6_666,
    "brackets": "[" * 20_000,
    "emphasis": "*a" * 10_000,
    "backticks": "`a" * 10_000,
    "angles": "<" * 20_000,
    "references": "[a]: http://x\n" * 1_400 + "[a]" * 100,
    "hashes": "#" * 20_000,
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_renders_escaped_and_bounded(text):
    """bench/markdown.py times these inputs at two lengths and prints how time grows."""
    text = text[:20_000]
    html = str(render(text))
    lines = plain(text)
    assert "<script" not in html and isinstance(lines, str)
    # Nesting is capped: no more than a few dozen open blocks, whatever was typed.
    assert html.count("<blockquote>") <= 100 and html.count("<ul>") <= 100


def test_plain_text_keeps_words_apart_across_line_breaks():
    lines = plain("Eerste regel\ntweede regel  \nderde regel")
    assert "regeltweede" not in lines and "regelderde" not in lines
    assert "tweede regel" in lines


def test_text_is_stored_as_typed_on_the_page(world, client):
    report = make_report(world.board, world.school)
    section = _text_section(_version(report))
    client.force_login(world.users[Role.QUALITY_OFFICER])
    text = "    code, als code getoond\n\nen daarna tekst"
    edit = _url("section_edit", world.board.pk, report.pk, 1, section.pk)
    assert client.post(edit, {"title": "T", "text": text, "revision": 1}).status_code == 302
    section.refresh_from_db()
    assert section.text == text


# --- Comparing versions ----------------------------------------------------------------------


def test_comparing_with_versions_that_do_not_exist(world, client):
    report = _issued_with_draft(world.board, world.school)
    url = _url("compare", world.board.pk, report.pk)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    assert client.get(url + "?old=1&new=3").status_code == 404
    assert client.get(url + "?old=99999&new=1").status_code == 404
    for query in ("?old=0&new=1", "?old=-1&new=1", "?old=abc&new=1", "?old=1e3&new=1", "?old=1"):
        response = client.get(url + query)
        assert response.status_code == 200 and response.context["changes"] is None, query
    assert client.get(url + f"?old={2**63}&new=1").status_code == 200
    assert client.get(url + "?old=1&new=2").status_code == 200  # a writer compares the draft


def test_comparing_matches_sections_that_share_a_title(world):
    report = make_report(world.board, world.school, start=START, end=END)
    version = _version(report)
    first, second = version.sections.filter(kind="text").order_by("position")[:2]
    for section, text in ((first, "Eerste toelichting"), (second, "Tweede toelichting")):
        services.section_update(
            section=section, title="Toelichting", text=text, revision=1, user=None
        )
    services.version_issue(version=version, user=None)
    services.version_new(report=report, user=None, reason="Ongewijzigd opnieuw")
    services.version_issue(version=_version(report, 2), user=None)
    changes = compare(_version(report, 1).snapshot, _version(report, 2).snapshot)
    shared = [c for c in changes if c.title == "Toelichting"]
    assert [c.state for c in shared] == ["same", "same"], [
        (c.state, c.removed, c.added) for c in shared
    ]


# --- Templates -------------------------------------------------------------------------------


def _template_post(template, **changes):
    """The template page's form: one text section, the formset's management fields."""
    counts = {"TOTAL_FORMS": 1, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000}
    data = {f"sections-{key}": value for key, value in counts.items()}
    data.update({"sections-0-title": "Inleiding", "sections-0-block": "", "sections-0-ORDER": 1})
    data.update({"name": "Onze rapportage", "description": "", "revision": template.revision})
    return {**data, **changes}


def test_a_school_leader_neither_copies_nor_edits_templates(world, client):
    library = library_template()
    copy = services.template_copy(board=world.board, template=library)
    before = (copy.name, copy.sections, copy.revision)
    client.force_login(world.users[Role.SCHOOL_LEADER])
    assert client.post(_url("template_copy", world.board.pk, library.pk)).status_code == 403
    edit = _url("template_edit", world.board.pk, copy.pk)
    assert client.get(edit).status_code == 403
    assert client.post(edit, _template_post(copy)).status_code == 403
    copy.refresh_from_db()
    assert (copy.name, copy.sections, copy.revision) == before
    assert world.board.report_templates.count() == 1


def test_another_boards_template_is_never_used(world, client):
    foreign = services.template_copy(
        board=world.other_board, template=library_template(), name="Vreemd sjabloon"
    )
    client.force_login(world.users[Role.QUALITY_OFFICER])
    response = client.post(
        _url("compose", world.board.pk),
        {
            "template": foreign.pk,
            "title": "Met een vreemd sjabloon",
            "school": world.school.pk,
            "period_start": "2026-08-01",
            "period_end": "2026-12-01",
        },
    )
    assert response.status_code == 200 and not world.board.reports.exists()
    assert foreign.name not in client.get(_url("templates", world.board.pk)).content.decode()
    with pytest.raises(ValidationError):
        _compose(world, foreign, "X")


def test_a_stale_template_save_changes_nothing(world, client):
    copy = services.template_copy(board=world.board, template=library_template())
    edit = _url("template_edit", world.board.pk, copy.pk)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    assert client.post(edit, _template_post(copy, name="Eerste")).status_code == 302
    stale = _template_post(copy, name="Tweede")  # still the revision first read
    assert client.post(edit, stale).status_code == 302
    copy.refresh_from_db()
    assert copy.name == "Eerste" and copy.revision == 2
    with pytest.raises(EditConflict):
        services.template_update(
            template=copy, name="Derde", description="", sections=[{"title": "A"}], revision=1
        )


def test_the_service_never_changes_a_library_template(world):
    library = library_template()
    before = (library.name, library.sections)
    with pytest.raises((PermissionDenied, ValidationError)):
        services.template_update(
            template=library,
            name="Gekaapt",
            description="",
            sections=[{"title": "Alleen dit"}],
            revision=library.revision,
        )
    library.refresh_from_db()
    assert (library.name, library.sections) == before


# --- What the snapshot holds, and its hash -----------------------------------------------------


def test_the_snapshot_names_no_school_outside_the_report(world, client):
    secret = make_school(world.board, name="GEHEIM Buitenschool")
    for school in (secret, world.other_school):
        plan = make_plan(world.board, school, title=f"Schoolplan {school.name}")
        make_goal(plan, title=f"Doel van {school.name}")
        round_ = make_round(world.board, school, state="open")
        round_.title = f"Ronde {school.name}"
        round_.save(update_fields=["title"])
        fill_answers(round_, "teachers", 5, 2)
        round_close(round_=round_)
        round_share(round_=round_, roles=[Role.SUPERVISOR, Role.SCHOOL_LEADER])
    school_report = make_report(world.board, world.school, start=START, end=END, issued=True)
    selection = make_report(
        world.board, selection=[world.school, world.other_school], start=START, end=END
    )
    services.version_issue(version=_version(selection), user=None)
    for report, inside, outside in (
        (school_report, [world.school], [secret, world.other_school]),
        (selection, [world.school, world.other_school], [secret]),
    ):
        snapshot = _version(report).snapshot
        assert snapshot["schools"] == sorted(s.name for s in inside)
        dumped = json.dumps(snapshot, ensure_ascii=False)
        for school in outside:
            assert school.name not in dumped and school.name not in snapshot["unit"]
    client.force_login(world.users[Role.SCHOOL_LEADER])
    page = client.get(_url("version", world.board.pk, school_report.pk, 1)).content.decode()
    assert secret.name not in page and world.other_school.name not in page


FIXED_SNAPSHOT = {
    "format": 1,
    "title": "Q-rapportage – najaar ✓",
    "sections": [{"position": 0, "kind": "block", "title": "Cijfers", "text": "", "block": {
        "tables": [{"rows": [["De Eigen School", 0.1, 2.5, 1.0, 1 / 3, 12, None]]}]}}],
}  # fmt: skip
FIXED_HASH = "7b941592970bb81f922917918a4c43da1a697e140bc5a68f2110114ff884ff5e"


def test_the_hash_of_the_same_snapshot_is_the_same_string_after_storing(world):
    assert content_hash(FIXED_SNAPSHOT) == FIXED_HASH
    report = make_report(world.board, world.school, issued=True)
    ReportVersion.objects.filter(report=report).update(snapshot=FIXED_SNAPSHOT)
    assert content_hash(_version(report).snapshot) == FIXED_HASH
    # A real issued version: its stored document hashes to its stored hash.
    other = make_report(world.board, world.other_school, start=START, end=END, issued=True)
    version = _version(other)
    assert content_hash(version.snapshot) == version.content_hash
    assert content_hash(version_content(version)) == version.content_hash


def _figures(scope):
    """Figures as blocks make them: round(3.0 - 3.004, 2) is -0.0, a large float, thirds."""
    return {
        "source": "Proef",
        "as_of": "2026-12-01",
        "tables": [
            table("Cijfers", ["Wat", "Waarde"], [["verschil", round(3.0 - 3.004, 2)]]),
            table("Groot", ["Wat", "Waarde"], [["euro", 1e16], ["derde", 1 / 3]]),
        ],
    }


def test_the_stored_snapshot_hashes_to_its_hash_with_awkward_figures(world, monkeypatch):
    monkeypatch.setitem(BLOCKS, "proef", BlockKind("proef", "Proef", "", _figures))
    copy = services.template_copy(board=world.board, template=library_template())
    copy = services.template_update(
        template=copy,
        name=copy.name,
        description="",
        sections=[{"title": "Cijfers", "block": "proef"}],
        revision=copy.revision,
    )
    report = _compose(world, copy, "Proef")
    issued = services.version_issue(version=_version(report), user=None)
    stored = _version(report)
    assert stored.content_hash == issued.content_hash
    assert content_hash(stored.snapshot) == stored.content_hash


# --- Anonymity: suppressed cells stay suppressed ------------------------------------------------


def test_suppressed_self_evaluation_cells_stay_suppressed_when_issued_and_compared(world, client):
    round_ = make_round(world.board, world.school, state="open")
    fill_answers(round_, "teachers", 6, 3)
    fill_answers(round_, "school_leaders", 5, 4)
    fill_answers(round_, "council", 2, 1)  # two people: below k = 5
    round_close(round_=round_)
    round_share(round_=round_, roles=[Role.SUPERVISOR, Role.SCHOOL_LEADER])
    report = make_report(world.board, world.school, start=START, end=END, issued=True)
    services.version_new(report=report, user=None, reason="Opnieuw")
    services.version_issue(version=_version(report, 2), user=None)

    def council_rows(snapshot):
        (section,) = [
            s for s in snapshot["sections"] if s.get("block", {}).get("kind") == "selfevaluation"
        ]
        rows = [row for t in section["block"]["tables"] for row in t["rows"]]
        return [row for row in rows if "ouncil" in str(row[1]) or "MR" in str(row[1])]

    for number in (1, 2):
        snapshot = _version(report, number).snapshot
        rows = council_rows(snapshot)
        assert rows and all(row[2] is None and row[3] is None for row in rows), rows
        assert all(row[4] is None for row in rows)
        # The total is of the groups shown: (6 × 3 + 5 × 4) / 11, never (… + 2 × 1) / 13.
        dumped = json.dumps(snapshot)
        assert "3.45" in dumped and "3.08" not in dumped and '"Ronde' in dumped
    client.force_login(world.users[Role.SUPERVISOR])
    page = client.get(_url("compare", world.board.pk, report.pk) + "?old=1&new=2")
    changes = [c for c in page.context["changes"] if c.title == "Zelfevaluatie"]
    assert page.status_code == 200 and [c.state for c in changes] == ["same"]
