"""Issued reports on the inspector's link: offered when the link is made (only issued versions
of the link's own unit that the maker reads), listed on the link's pages, and read by the
inspector from the stored snapshot through the link's token; never a draft, never another
unit's report, never a version the link was not given."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stelsel.organisations.roles import Role
from stelsel.picture.inspector.services import inspector_link_create
from stelsel.picture.models import InspectorAccess, InspectorLink
from stelsel.reports import services
from stelsel.reports.models import InspectorShare, ReportSection
from tests.factories import make_inspector_link
from tests.factories.reports import make_report

pytestmark = pytest.mark.django_db


def _write(report, number, text):
    section = (
        ReportSection.objects.filter(version__report=report, version__number=number, kind="text")
        .order_by("position")
        .first()
    )
    services.section_update(
        section=section, title=section.title, text=text, revision=section.revision, user=None
    )


@pytest.fixture
def reports(world):
    """The school's Q-report (version 1 issued with a text, version 2 a draft), a draft of
    the school's spring report, another school's issued report and the board's own."""
    executive = world.users[Role.BOARD_EXECUTIVE]
    school = make_report(world.board, world.school, title="Q najaar Eigen")
    _write(school, 1, "Wat we de raad in juni vertelden.")
    services.version_issue(version=school.versions.get(), user=executive)
    services.version_new(report=school, user=executive, reason="Nieuwe cijfers.")
    _write(school, 2, "Een concept dat niemand buiten mag zien.")
    draft = make_report(world.board, world.school, title="Q voorjaar Eigen")
    other = make_report(world.board, world.other_school, title="Q najaar Ander", issued=True)
    board = make_report(world.board, None, title="Rapportage RvT", issued=True, author=executive)
    return {
        "issued": school.versions.get(number=1),
        "open": school.versions.get(number=2),
        "draft": draft.versions.get(),
        "other": other.versions.get(),
        "board": board.versions.get(),
    }


def _create_url(world):
    return reverse("picture:inspector_link_create", args=[world.board.pk])


def _report_url(token, version):
    return reverse("reports:inspector_report", args=[token, version.pk])


def _main(response) -> str:
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


def _until() -> str:
    return (timezone.localdate() + datetime.timedelta(days=20)).isoformat()


# --- Making a link -------------------------------------------------------------------------


def test_a_schools_link_offers_the_schools_issued_reports_only(client, world, reports):
    client.force_login(world.users[Role.SCHOOL_LEADER])
    form = client.get(_create_url(world), {"school": world.school.pk}).context["form"]
    offered = [key for key, _label in form.fields["reports"].choices]
    assert offered == [reports["issued"].pk]
    assert "Q najaar Eigen" in form.fields["reports"].choices[0][1]
    # The board's link offers the board's own reports, not a school's.
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    form = client.get(_create_url(world), {"unit": "board"}).context["form"]
    assert [key for key, _label in form.fields["reports"].choices] == [reports["board"].pk]


def test_a_unit_without_issued_reports_says_so(client, english, world, reports):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    reports["other"].report.delete()
    page = client.get(_create_url(world), {"school": world.other_school.pk})
    assert page.context["form"].fields["reports"].choices == []
    assert b"This school or board has no issued reports yet." in page.content


def test_a_link_is_made_with_an_issued_report(client, english, world, reports):
    client.force_login(world.users[Role.SCHOOL_LEADER])
    response = client.post(
        _create_url(world),
        {
            "unit": world.school.pk,
            "label": "Inspecteur J. de Vries",
            "valid_until": _until(),
            "reports": [reports["issued"].pk],
        },
    )
    assert response.status_code == 200, response.context["form"].errors
    link = InspectorLink.objects.get()
    share = InspectorShare.objects.get()
    assert (share.link, share.version, share.board) == (link, reports["issued"], world.board)
    assert share.added_by == world.users[Role.SCHOOL_LEADER]
    token = re.search(r"testserver/inzage/([A-Za-z0-9_-]+)/", response.content.decode()).group(1)
    # The board's page of the link says what it shares.
    detail = client.get(reverse("picture:inspector_link", args=[world.board.pk, link.pk]))
    assert b"Issued reports" in detail.content and b"Q najaar Eigen" in detail.content
    # The inspector's overview lists it with its page.
    client.logout()
    client.cookies["django_language"] = "en"
    overview = client.get(reverse("picture:inspector_view", args=[token]))
    assert overview.status_code == 200
    assert _report_url(token, reports["issued"]).encode() in overview.content


@pytest.mark.parametrize("which", ["draft", "open", "other", "board"])
def test_a_draft_or_another_units_report_is_refused_and_no_link_is_made(
    client, english, world, reports, which
):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    response = client.post(
        _create_url(world),
        {
            "unit": world.school.pk,
            "label": "Inspecteur J. de Vries",
            "valid_until": _until(),
            "reports": [reports["issued"].pk, reports[which].pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reports"]
    assert not InspectorLink.objects.exists() and not InspectorShare.objects.exists()


def test_the_service_refuses_what_the_maker_may_not_read(world, reports):
    """A key the form never offered (another school's report, for a school leader) is refused
    by the share itself, and the whole link with it."""
    with pytest.raises(ValidationError) as refused:
        inspector_link_create(
            board=world.board,
            school=world.other_school,
            label="Inspecteur",
            user=world.users[Role.SCHOOL_LEADER],
            shared={"reports": [reports["other"].pk]},
        )
    assert "reports" in refused.value.message_dict
    with pytest.raises(ValidationError):
        inspector_link_create(
            board=world.board, school=world.school, label="X", shared={"elsewhere": [1]}
        )
    assert not InspectorLink.objects.exists() and not InspectorShare.objects.exists()


# --- The inspector reads it ------------------------------------------------------------------


@pytest.fixture
def link(world, reports):
    link, token = make_inspector_link(
        world.board,
        world.school,
        user=world.users[Role.SCHOOL_LEADER],
        shared={"reports": [reports["issued"].pk]},
    )
    return link, token


def test_the_inspector_reads_the_issued_version_as_it_was_issued(
    client, english, world, reports, link
):
    link, token = link
    issued = reports["issued"]
    # The data change after issuing: the school is renamed.
    world.school.name = "Een nieuwe naam"
    world.school.save()
    page = client.get(_report_url(token, issued))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Q najaar Eigen" in body and "De Eigen School" in body
    # The breadcrumb names the link's school as it is now; the report says what it said.
    report = body[body.index('<div class="page-header">') : body.index("</article>")]
    assert "De Eigen School" in report and "Een nieuwe naam" not in report
    assert "Wat we de raad in juni vertelden." in body
    assert "Een concept dat niemand buiten mag zien." not in body
    assert issued.content_hash in body
    assert page["X-Robots-Tag"].startswith("noindex")
    assert "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "no-referrer"
    # Opening it is logged, and the board's page names it.
    access = InspectorAccess.objects.get()
    assert access.link == link and access.what.startswith("report Q najaar Eigen")
    client.force_login(world.users[Role.SCHOOL_LEADER])
    detail = client.get(reverse("picture:inspector_link", args=[world.board.pk, link.pk]))
    assert "Report “Q najaar Eigen (1)”".encode() in detail.content


def test_nothing_else_is_opened_through_the_link(client, world, reports, link):
    link, token = link
    unknown = client.get(reverse("picture:inspector_view", args=["x" * 43]))
    for which in ("open", "draft", "other", "board"):
        response = client.get(_report_url(token, reports[which]))
        assert response.status_code == 404
        assert _main(response) == _main(unknown)
    assert client.get(f"/inzage/{token}/rapportage/{10**20}/").status_code == 404
    # Not even when a share of another unit's report were stored against the link.
    InspectorShare.objects.create(board=world.board, link=link, version=reports["other"])
    assert client.get(_report_url(token, reports["other"])).status_code == 404
    # Another link of the same school does not open what this one shares.
    _other_link, other_token = make_inspector_link(world.board, world.school)
    assert client.get(_report_url(other_token, reports["issued"])).status_code == 404
    assert not InspectorAccess.objects.filter(what__startswith="report").exists()


def test_an_expired_or_revoked_link_opens_no_report(client, english, reports, link):
    link, token = link
    link.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    link.save()
    response = client.get(_report_url(token, reports["issued"]))
    assert response.status_code == 410
    link.expires_at = timezone.now() + datetime.timedelta(days=1)
    link.revoked_at = timezone.now()
    link.save()
    assert client.get(_report_url(token, reports["issued"])).status_code == 410
    assert not InspectorAccess.objects.exists()


def test_the_public_report_page_is_get_only(client, reports, link):
    _link, token = link
    assert client.post(_report_url(token, reports["issued"])).status_code == 405


def test_an_issued_version_is_added_to_a_link_already_given(world, client, reports):
    """From the version's page, to an open link of its unit; never to a revoked link or one of
    another unit, and only by those who give the unit's links."""
    leader = world.users[Role.SCHOOL_LEADER]
    link, token = make_inspector_link(world.board, world.school)
    issued = reports["issued"]
    page_url = reverse("reports:version", args=[world.board.pk, issued.report_id, 1])
    share_url = reverse("reports:version_share", args=[world.board.pk, issued.report_id, 1])
    client.force_login(leader)
    assert f'<option value="{link.pk}"' in client.get(page_url).content.decode()
    assert client.post(share_url, {"link": link.pk}).status_code == 302
    assert InspectorShare.objects.filter(link=link, version=issued).count() == 1
    client.post(share_url, {"link": link.pk})  # twice is once
    assert InspectorShare.objects.filter(link=link, version=issued).count() == 1
    assert f'<option value="{link.pk}"' not in client.get(page_url).content.decode()
    assert client.get(_report_url(token, issued)).status_code == 200
    # A link of the board itself, a revoked link and a draft add nothing.
    board_link, _token = make_inspector_link(world.board, None)
    client.force_login(world.users[Role.QUALITY_OFFICER])
    client.post(share_url, {"link": board_link.pk})
    revoked, _token = make_inspector_link(world.board, world.school)
    InspectorLink.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    client.post(share_url, {"link": revoked.pk})
    draft_url = reverse("reports:version_share", args=[world.board.pk, issued.report_id, 2])
    assert client.post(draft_url, {"link": link.pk}).status_code == 404
    assert InspectorShare.objects.filter(link__in=[board_link, revoked]).count() == 0
    # The supervisory board reads the report but gives no links.
    client.force_login(world.users[Role.SUPERVISOR])
    assert client.post(share_url, {"link": link.pk}).status_code == 403
