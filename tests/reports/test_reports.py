"""Reports from composing to issuing: sections, review, the frozen snapshot and its hash, new
versions and what changed, who reads what, and the bad input the pages and services refuse."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stelsel.lib.revisions import EditConflict
from stelsel.organisations.roles import Role
from stelsel.reports import services
from stelsel.reports.library import TemplateFileError, parse_template
from stelsel.reports.models import ReportVersion, VersionState
from stelsel.reports.selectors import version_content
from tests.factories import make_world
from tests.factories.reports import library_template, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _version(report, number=1) -> ReportVersion:
    return ReportVersion.objects.select_related("report").get(report=report, number=number)


def _text_section(version):
    return version.sections.filter(kind="text").order_by("position").first()


def test_composing_makes_a_draft_of_the_templates_sections(world):
    report = make_report(world.board, world.school, author=world.users[Role.QUALITY_OFFICER])
    version = _version(report)
    template = library_template()
    assert version.state == VersionState.DRAFT
    assert [s.title for s in version.sections.order_by("position")] == [
        s["title"] for s in template.sections
    ]
    content = version_content(version)
    assert content["unit"] == world.school.name
    blocks = [s for s in content["sections"] if s["kind"] == "block"]
    assert blocks and all(b["block"]["kind"] for b in blocks)


def test_composing_refuses_bad_input_and_stores_nothing(world):
    template = library_template()
    cases = [
        {"title": " ", "school": world.school},
        {"title": "X", "school": None},  # a school template without a school
        {"title": "X", "school": world.other_board_school},
        {
            "title": "X",
            "school": world.school,
            "period_start": datetime.date(2026, 9, 1),
            "period_end": datetime.date(2026, 8, 1),
        },
        {
            "title": "X",
            "school": world.school,
            "period_start": datetime.date(2015, 1, 1),
            "period_end": datetime.date(2026, 8, 1),
        },
    ]
    for case in cases:
        args = {
            "board": world.board,
            "author": None,
            "template": template,
            "period_start": datetime.date(2026, 8, 1),
            "period_end": datetime.date(2026, 12, 1),
        }
        args.update(case)
        with pytest.raises(ValidationError):
            services.report_compose(**args)
    assert not world.board.reports.exists()


def test_a_section_is_saved_with_a_revision_check(world):
    report = make_report(world.board, world.school)
    section = _text_section(_version(report))
    services.section_update(
        section=section, title="Waar staan we?", text="Eerste", revision=1, user=None
    )
    with pytest.raises(EditConflict):
        services.section_update(
            section=section, title="Waar staan we?", text="Tweede", revision=1, user=None
        )
    section.refresh_from_db()
    assert section.text == "Eerste" and section.revision == 2


def test_very_long_text_is_refused(world):
    report = make_report(world.board, world.school)
    section = _text_section(_version(report))
    with pytest.raises(ValidationError):
        services.section_update(
            section=section, title="T", text="x" * 20_001, revision=1, user=None
        )
    section.refresh_from_db()
    assert section.text == ""


def test_an_issued_report_keeps_its_content_and_hash_after_the_data_change(world):
    report = make_report(world.board, world.school)
    version = _version(report)
    section = _text_section(version)
    services.section_update(
        section=section, title=section.title, text="Het gaat goed.", revision=1, user=None
    )
    issued = services.version_issue(version=version, user=world.users[Role.BOARD_EXECUTIVE])
    stored = issued.snapshot
    digest = issued.content_hash
    assert len(digest) == 64
    # The data change: the school is renamed.
    world.school.name = "Een nieuwe naam"
    world.school.save()
    again = _version(report)
    assert version_content(again) == stored
    from stelsel.reports.snapshot import content_hash

    assert content_hash(version_content(again)) == digest
    assert again.snapshot["unit"] == "De Eigen School"


def test_an_issued_version_refuses_every_change(world):
    report = make_report(world.board, world.school, issued=True)
    version = _version(report)
    section = _text_section(version)
    with pytest.raises(services.ReportIssued):
        services.section_update(section=section, title="x", text="x", revision=1, user=None)
    with pytest.raises(services.ReportIssued):
        services.comment_add(section=section, author=None, text="x")
    with pytest.raises(services.ReportIssued):
        services.version_issue(version=version, user=None)


def test_a_new_version_starts_from_the_issued_texts_and_shows_what_changed(world):
    from stelsel.reports.diff import compare

    report = make_report(world.board, world.school)
    version = _version(report)
    section = _text_section(version)
    services.section_update(
        section=section, title=section.title, text="Juni: goed.", revision=1, user=None
    )
    services.version_issue(version=version, user=None)
    with pytest.raises(ValidationError):
        services.version_new(report=report, user=None, reason="  ")
    second = services.version_new(report=report, user=None, reason="Nieuwe cijfers")
    with pytest.raises(ValidationError):
        services.version_new(report=report, user=None, reason="Nog een")
    copied = _text_section(second)
    assert copied.text == "Juni: goed."
    services.section_update(
        section=copied, title=copied.title, text="December: beter.", revision=1, user=None
    )
    services.version_issue(version=second, user=None)
    changes = {
        c.title: c for c in compare(_version(report, 1).snapshot, _version(report, 2).snapshot)
    }
    change = changes[section.title]
    assert change.state == "changed"
    assert change.removed == ["Juni: goed."] and change.added == ["December: beter."]


ATTACK = "<script>alert(1)</script>\n\n[klik](javascript:alert(2)) <img src=x onerror=alert(3)>"


def test_text_is_escaped_and_links_are_limited(world, client):
    report = make_report(world.board, world.school)
    section = _text_section(_version(report))
    services.section_update(
        section=section,
        title=section.title,
        text=ATTACK,
        revision=1,
        user=None,
    )
    client.force_login(world.users[Role.QUALITY_OFFICER])
    page = client.get(reverse("reports:version", args=[world.board.pk, report.pk, 1]))
    html = page.content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert "<img src=x" not in html


def test_template_files_are_validated_with_lines():
    text = """id: eigen-sjabloon
version: 1
name: T
audience: school
sections:
  - title: Eerste
  - title: Tweede
    block: bestaat_niet
"""
    with pytest.raises(TemplateFileError) as exc:
        parse_template(text, file="t.yaml")
    problem = exc.value.problems[0]
    assert problem.line == 8 and "bestaat_niet" in problem.message


def test_the_shipped_library_loads(db):
    from stelsel.reports.library import templates_load

    result = templates_load()
    assert len(result.created) == 4
    assert templates_load().created == []


# --- Who reads what ----------------------------------------------------------------------


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_readers_of_issued_reports_do_not_see_drafts(world, client):
    draft = make_report(world.board, world.school, title="Concept")
    issued = make_report(world.board, world.school, title="Uitgebracht", issued=True)
    board_draft = make_report(world.board, title="Bestuur concept")
    for role in (Role.SUPERVISOR, Role.COUNCIL, Role.ADVISOR):
        user = world.users[role]
        listing = _get(
            client, user, reverse("reports:list", args=[world.board.pk])
        ).content.decode()
        assert "Uitgebracht" in listing and "Concept" not in listing, role
        for report in (draft, board_draft):
            url = reverse("reports:version", args=[world.board.pk, report.pk, 1])
            assert _get(client, user, url).status_code == 404, role
        url = reverse("reports:version", args=[world.board.pk, issued.pk, 1])
        assert _get(client, user, url).status_code == 200, role


def test_a_school_leader_sees_only_their_schools_reports(world, client):
    own = make_report(world.board, world.school, title="Eigen")
    other = make_report(world.board, world.other_school, title="Ander", issued=True)
    board_report = make_report(world.board, title="Bestuur", issued=True)
    leader = world.users[Role.SCHOOL_LEADER]
    listing = _get(client, leader, reverse("reports:list", args=[world.board.pk])).content.decode()
    assert "Eigen" in listing and "Ander" not in listing and "Bestuur" not in listing
    for report in (other, board_report):
        url = reverse("reports:version", args=[world.board.pk, report.pk, 1])
        assert _get(client, leader, url).status_code == 404
    url = reverse("reports:version", args=[world.board.pk, own.pk, 1])
    assert _get(client, leader, url).status_code == 200


def test_staff_read_no_reports_and_other_boards_get_404(world, client):
    report = make_report(world.board, world.school, issued=True)
    url = reverse("reports:list", args=[world.board.pk])
    assert _get(client, world.users[Role.STAFF], url).status_code == 403
    version_url = reverse("reports:version", args=[world.board.pk, report.pk, 1])
    assert _get(client, world.outsider, version_url).status_code == 404


def test_only_the_board_executive_issues(world, client):
    report = make_report(world.board, world.school)
    url = reverse("reports:version_issue", args=[world.board.pk, report.pk, 1])
    client.force_login(world.users[Role.QUALITY_OFFICER])
    assert client.post(url).status_code == 403
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert _version(report).state == VersionState.ISSUED


def test_editing_an_issued_section_offers_a_new_version(world, english):
    client = english
    report = make_report(world.board, world.school, issued=True)
    section = _text_section(_version(report))
    client.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("reports:section_edit", args=[world.board.pk, report.pk, 1, section.pk])
    response = client.post(url, {"title": "x", "text": "y", "revision": 1}, follow=True)
    assert "new version" in response.content.decode().lower()
    section.refresh_from_db()
    assert section.text == ""


def test_the_flow_on_the_pages(world, client):
    officer = world.users[Role.QUALITY_OFFICER]
    client.force_login(officer)
    template = library_template()
    response = client.post(
        reverse("reports:compose", args=[world.board.pk]),
        {
            "template": template.pk,
            "title": "Q-rapportage najaar",
            "school": world.school.pk,
            "period_start": "2026-08-01",
            "period_end": "2026-12-01",
        },
    )
    assert response.status_code == 302
    report = world.board.reports.get()
    section = _text_section(_version(report))
    edit = reverse("reports:section_edit", args=[world.board.pk, report.pk, 1, section.pk])
    assert (
        client.post(
            edit, {"title": "Waar staan we?", "text": "**Goed**", "revision": 1}
        ).status_code
        == 302
    )
    # A stale second save is shown as a conflict.
    assert (
        client.post(edit, {"title": "Waar staan we?", "text": "Anders", "revision": 1}).status_code
        == 409
    )
    client.post(reverse("reports:version_submit", args=[world.board.pk, report.pk, 1]))
    leader = world.users[Role.SCHOOL_LEADER]
    client.force_login(leader)
    comment = reverse("reports:comment_add", args=[world.board.pk, report.pk, 1, section.pk])
    assert client.post(comment, {"text": "Noem ook de rekenresultaten."}).status_code == 302
    page = client.get(
        reverse("reports:version", args=[world.board.pk, report.pk, 1])
    ).content.decode()
    assert "Noem ook de rekenresultaten." in page and "<strong>Goed</strong>" in page
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    client.post(reverse("reports:version_issue", args=[world.board.pk, report.pk, 1]))
    client.force_login(world.users[Role.SUPERVISOR])
    page = client.get(
        reverse("reports:version", args=[world.board.pk, report.pk, 1])
    ).content.decode()
    assert _version(report).content_hash[:4] in page
    assert "Noem ook" not in page  # review comments are the writers' own


def test_a_school_leader_cannot_compose_about_another_school(world, client):
    leader = world.users[Role.SCHOOL_LEADER]
    client.force_login(leader)
    url = reverse("reports:compose", args=[world.board.pk])
    page = client.get(url).content.decode()
    assert world.school.name in page and world.other_school.name not in page
    for school in (world.other_school, world.other_board_school):
        response = client.post(
            url,
            {
                "template": library_template().pk,
                "title": "Niet van mij",
                "school": school.pk,
                "period_start": "2026-08-01",
                "period_end": "2026-12-01",
            },
        )
        assert response.status_code == 200
    # A board template is not offered to a school leader at all.
    board_template = library_template("rapportage-raad-van-toezicht")
    response = client.post(
        url,
        {
            "template": board_template.pk,
            "title": "Bestuur",
            "school": world.school.pk,
            "period_start": "2026-08-01",
            "period_end": "2026-12-01",
        },
    )
    assert response.status_code == 200
    assert not world.board.reports.exists()


def test_a_board_template_is_adapted_in_the_boards_copy(world, client):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    library = library_template("rapportage-raad-van-toezicht")
    response = client.post(reverse("reports:template_copy", args=[world.board.pk, library.pk]))
    copy = world.board.report_templates.get()
    assert response.status_code == 302 and copy.copied_from == library
    url = reverse("reports:template_edit", args=[world.board.pk, copy.pk])
    data = {
        "name": "Onze rapportage",
        "description": "",
        "revision": copy.revision,
        "sections-TOTAL_FORMS": 2,
        "sections-INITIAL_FORMS": 0,
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 1000,
        "sections-0-title": "Resultaten",
        "sections-0-block": "results",
        "sections-0-ORDER": 2,
        "sections-1-title": "Inleiding",
        "sections-1-block": "",
        "sections-1-ORDER": 1,
    }
    assert client.post(url, data).status_code == 302
    copy.refresh_from_db()
    assert [s["title"] for s in copy.sections] == ["Inleiding", "Resultaten"]
    data["revision"] = copy.revision
    data["sections-0-block"] = "bestaat_niet"
    assert client.post(url, data).status_code == 200  # refused: not a choice
    copy.refresh_from_db()
    assert copy.sections[1]["block"] == "results"
    # The library's own template cannot be edited, and a school leader adapts nothing.
    library_url = reverse("reports:template_edit", args=[world.board.pk, library.pk])
    assert client.get(library_url).status_code == 403
    library.refresh_from_db()
    assert library.name != "Onze rapportage"


def test_each_chart_of_a_block_is_shown_with_its_own_title():
    from stelsel.reports.templatetags.report_tags import charts_of

    svg = (
        '<svg role="img"><title id="a">1F per schooljaar</title><rect/></svg>'
        '<svg role="img"><title>1S/2F &amp; norm</title></svg>'
    )
    charts = charts_of(svg)
    assert [c["title"] for c in charts] == ["1F per schooljaar", "1S/2F & norm"]
    assert str(charts[0]["svg"]).startswith("<svg") and str(charts[1]["svg"]).endswith("</svg>")
    assert charts_of("") == []
