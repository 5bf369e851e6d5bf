"""The inspector's link: read-only, within its scope, logged, time-limited and revocable."""

import datetime
import logging
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stelsel.organisations.roles import Role
from stelsel.picture.entries.services import EntryChange, entry_update
from stelsel.picture.inspector import services
from stelsel.picture.models import (
    EntryMessage,
    InspectorAccess,
    InspectorLink,
    hash_link_token,
)
from stelsel.web.logs import RedactSecretPaths
from tests.factories import (
    make_action,
    make_assignment,
    make_evidence,
    make_inspector_link,
    make_picture,
    make_visit,
)


def _public(name, token, *args):
    return reverse(f"picture:{name}", args=[token, *args])


def _main(response) -> str:
    """The page's main content, for comparing what two answers tell."""
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


@pytest.fixture
def shared(world):
    """A school's picture with a judged, substantiated standard, evidence (one chosen), an open
    herstelopdracht, an open and a finished action, and internal feedback."""
    picture = make_picture(world.board, world.school)
    entry = picture.entries.get(standard__code="KL1")
    requirement = entry.standard.requirements.get()
    entry_update(
        entry=entry,
        revision=entry.revision,
        change=EntryChange(
            status="nok",
            requirements_met=[requirement.pk],
            ambitions="Alle leerlingen lezen op niveau.",
            visible="Dagelijks stillezen.",
            secured="Leescoördinator en toetskalender.",
            accounted="Jaarverslag in juni.",
        ),
        user=world.users[Role.SCHOOL_LEADER],
    )
    EntryMessage.objects.create(
        board=world.board, entry=entry, kind="feedback", text="Interne feedback van het bestuur"
    )
    kl1 = entry.standard
    chosen = make_evidence(world.board, world.school, title="Leesplan")
    chosen.standards.add(kl1)
    secret = make_evidence(world.board, world.school, title="Geheim verslag")
    secret.standards.add(kl1)
    assignment = make_assignment(world.board, world.school, text="Herstel de leesaanpak")
    make_action(world.board, world.school, title="Leesaanpak vernieuwen")
    make_action(world.board, world.school, title="Oude actie afgerond", status="done")
    for action in world.board.actions.all():
        action.standards.add(kl1)
    link, token = make_inspector_link(world.board, world.school, documents=[chosen])
    return {
        "picture": picture,
        "entry": entry,
        "chosen": chosen,
        "secret": secret,
        "assignment": assignment,
        "link": link,
        "token": token,
    }


# --- Creating links --------------------------------------------------------------------------


def test_only_a_hash_of_the_token_is_stored(world):
    link, token = make_inspector_link(world.board, world.school)
    assert len(token) >= 40
    stored = InspectorLink.objects.filter(pk=link.pk).values().get()
    assert token not in {str(v) for v in stored.values()}
    assert stored["token_hash"] == hash_link_token(token)
    assert services.link_from_token(token) == link


def test_a_link_is_valid_fourteen_days_by_default_and_at_most_sixty(world):
    link, _ = make_inspector_link(world.board, world.school)
    days = (link.expires_at - timezone.now()).total_seconds() / 86400
    assert 13.9 < days <= 14
    with pytest.raises(ValidationError) as exc:
        make_inspector_link(
            world.board, world.school, expires_at=timezone.now() + datetime.timedelta(days=62)
        )
    assert "expires_at" in exc.value.message_dict
    with pytest.raises(ValidationError):
        make_inspector_link(
            world.board, world.school, expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )
    assert InspectorLink.objects.count() == 1


def test_a_link_shares_only_documents_and_a_visit_of_its_own_unit(world):
    other = make_evidence(world.board, world.other_school)
    board_doc = make_evidence(world.board, None)
    with pytest.raises(ValidationError) as exc:
        make_inspector_link(world.board, world.school, documents=[other])
    assert "documents" in exc.value.message_dict
    with pytest.raises(ValidationError):
        make_inspector_link(world.board, world.school, documents=[board_doc])
    visit = make_visit(world.board, world.other_school)
    with pytest.raises(ValidationError):
        make_inspector_link(world.board, world.school, visit=visit)
    with pytest.raises(ValidationError):
        make_inspector_link(world.board, world.school, label="  ")
    assert not InspectorLink.objects.exists()


def test_a_school_leader_makes_a_link_and_sees_the_token_once(client, world):
    visit = make_visit(world.board, world.school)
    doc = make_evidence(world.board, world.school, title="Schoolplan")
    visit.documents.add(doc)
    make_evidence(world.board, world.other_school, title="Andermans plan")
    client.force_login(world.users[Role.SCHOOL_LEADER])
    url = reverse("picture:inspector_link_create", args=[world.board.pk])

    form = client.get(url, {"visit": visit.pk})
    assert form.status_code == 200
    assert b"Schoolplan" in form.content and b"Andermans plan" not in form.content
    assert form.context["form"]["documents"].value() == [doc.pk]

    until = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        url,
        {
            "unit": world.school.pk,
            "label": "Inspecteur J. de Vries",
            "valid_until": until.isoformat(),
            "visit": visit.pk,
            "documents": [doc.pk],
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    link = InspectorLink.objects.get()
    token = re.search(r"testserver/inzage/([A-Za-z0-9_-]+)/", response.content.decode()).group(1)
    assert link.token_hash == hash_link_token(token)
    assert (link.school, link.visit, link.label) == (world.school, visit, "Inspecteur J. de Vries")
    assert list(link.documents.all()) == [doc]
    assert timezone.localtime(link.expires_at).date() == until
    # The detail page never shows it again.
    detail = client.get(reverse("picture:inspector_link", args=[world.board.pk, link.pk]))
    assert detail.status_code == 200
    assert token.encode() not in detail.content


def test_a_link_for_another_school_or_the_board_is_not_for_a_school_leader(client, world):
    client.force_login(world.users[Role.SCHOOL_LEADER])
    url = reverse("picture:inspector_link_create", args=[world.board.pk])
    data = {"label": "X", "valid_until": timezone.localdate().isoformat()}
    assert client.post(url, {**data, "unit": world.other_school.pk}).status_code == 404
    assert client.post(url, {**data, "unit": "board"}).status_code == 403
    assert not InspectorLink.objects.exists()
    step_one = client.get(url)
    assert step_one.context["units"] == [world.school]


def test_more_than_sixty_days_is_refused_on_the_form(client, english, world):
    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    url = reverse("picture:inspector_link_create", args=[world.board.pk])
    until = timezone.localdate() + datetime.timedelta(days=61)
    response = client.post(
        url, {"unit": "board", "label": "Inspectie", "valid_until": until.isoformat()}
    )
    assert response.status_code == 200
    assert b"A link can be valid for at most 60 days." in response.content
    assert not InspectorLink.objects.exists()


# --- The public pages ----------------------------------------------------------------------


def test_the_link_shows_the_picture_within_its_scope_and_logs_every_access(client, shared):
    token, entry = shared["token"], shared["entry"]
    headers = {"HTTP_USER_AGENT": "InspectieBrowser/1.0"}

    overview = client.get(_public("inspector_view", token), **headers)
    assert overview.status_code == 200
    body = overview.content.decode()
    assert "KL1 Eerste" in body and "KL2 Tweede" in body
    assert "Nog niet in orde" in body
    assert "Leesplan" in body
    assert "Geheim verslag" not in body
    for response in [overview]:
        assert response["X-Robots-Tag"].startswith("noindex")
        assert response["Referrer-Policy"] == "no-referrer"
        assert "no-store" in response["Cache-Control"]

    page = client.get(_public("inspector_entry", token, entry.pk), **headers)
    assert page.status_code == 200
    body = page.content.decode()
    for text in (
        "Alle leerlingen lezen op niveau.",
        "Dagelijks stillezen.",
        "Leescoördinator en toetskalender.",
        "Jaarverslag in juni.",
        "Herstel de leesaanpak",
        "Leesaanpak vernieuwen",
        "Leesplan",
        "KL1.1",
    ):
        assert text in body, text
    assert "Interne feedback van het bestuur" not in body
    assert "Geheim verslag" not in body
    assert "Oude actie afgerond" not in body
    assert "no-store" in page["Cache-Control"]

    download = client.get(_public("inspector_document", token, shared["chosen"].pk), **headers)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert 'filename="leesplan-v1.pdf"' in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    log = list(InspectorAccess.objects.filter(link=shared["link"]).order_by("at", "pk"))
    assert [a.what for a in log] == ["overview", "standard KL1", "document Leesplan"]
    assert {a.user_agent for a in log} == {"InspectieBrowser/1.0"}


def test_the_board_reads_the_access_log(client, english, shared, world):
    client.get(_public("inspector_view", shared["token"]), HTTP_USER_AGENT="Firefox/1")
    client.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("picture:inspector_link", args=[world.board.pk, shared["link"].pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Firefox/1" in page.content
    assert page.context["detail"].accesses[0].label == "Overview of the picture"
    assert b"Overview of the picture" in page.content
    listing = client.get(reverse("picture:inspector_links", args=[world.board.pk]))
    assert listing.context["links"][0].n_accesses == 1


def test_an_entry_of_another_pictures_answers_404(client, shared, world):
    token = shared["token"]
    other = make_picture(world.board, world.other_school).entries.first()
    board_entry = make_picture(world.board, None).entries.first()
    foreign = make_picture(world.other_board, world.other_board_school).entries.first()
    for entry in (other, board_entry, foreign):
        response = client.get(_public("inspector_entry", token, entry.pk))
        assert response.status_code == 404
        assert response["Referrer-Policy"] == "no-referrer"
    assert client.get(_public("inspector_entry", token, 10**12)).status_code == 404
    assert client.get(_public("inspector_entry", token, 10**20)).status_code == 404
    assert not InspectorAccess.objects.exclude(what="overview").exists()


def test_a_document_not_chosen_answers_404(client, shared, world):
    token = shared["token"]
    elsewhere = make_evidence(world.board, world.other_school)
    for evidence in (shared["secret"], elsewhere):
        assert client.get(_public("inspector_document", token, evidence.pk)).status_code == 404
    assert not InspectorAccess.objects.exists()


def test_unknown_tokens_and_unknown_things_get_the_same_page(client, shared, world):
    unknown = client.get(_public("inspector_view", "x" * 43))
    not_in_scope = client.get(_public("inspector_document", shared["token"], shared["secret"].pk))
    assert unknown.status_code == not_in_scope.status_code == 404
    assert _main(unknown) == _main(not_in_scope)
    assert unknown["X-Robots-Tag"].startswith("noindex")
    assert client.get(_public("inspector_view", "y" * 200)).status_code == 404


def test_an_expired_link_answers_410(client, english, shared):
    link = shared["link"]
    link.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    link.save()
    for url in (
        _public("inspector_view", shared["token"]),
        _public("inspector_entry", shared["token"], shared["entry"].pk),
        _public("inspector_document", shared["token"], shared["chosen"].pk),
    ):
        response = client.get(url)
        assert response.status_code == 410
        assert b"This link has expired." in response.content
    assert not InspectorAccess.objects.exists()


def test_a_revoked_link_answers_410(client, english, shared, world):
    client.force_login(world.users[Role.SCHOOL_LEADER])
    url = reverse("picture:inspector_link_revoke", args=[world.board.pk, shared["link"].pk])
    assert client.post(url).status_code == 302
    shared["link"].refresh_from_db()
    assert shared["link"].revoked_by == world.users[Role.SCHOOL_LEADER]
    assert shared["link"].state == "revoked"
    client.logout()
    client.cookies["django_language"] = "en"  # logging out drops the language cookie
    response = client.get(_public("inspector_view", shared["token"]))
    assert response.status_code == 410
    assert b"This link has been withdrawn." in response.content
    assert not InspectorAccess.objects.exists()


def test_staff_and_other_schools_cannot_revoke(client, world):
    link, token = make_inspector_link(world.board, world.other_school)
    url = reverse("picture:inspector_link_revoke", args=[world.board.pk, link.pk])
    client.force_login(world.users[Role.SCHOOL_LEADER])
    assert client.post(url).status_code == 404
    client.force_login(world.users[Role.SUPERVISOR])
    assert client.post(url).status_code == 403
    link.refresh_from_db()
    assert link.state == "active"
    assert client.get(_public("inspector_view", token)).status_code == 200


def test_guessing_tokens_is_throttled_but_known_links_still_work(client, shared):
    for n in range(30):
        assert client.get(_public("inspector_view", f"guess{n}")).status_code == 404
    assert client.get(_public("inspector_view", "one-more")).status_code == 429
    assert client.get(_public("inspector_view", shared["token"])).status_code == 200


def test_the_token_is_redacted_from_logs():
    def logged(path):
        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "%s: %s", ("Gone", path), None
        )
        RedactSecretPaths().filter(record)
        return record.getMessage()

    assert logged("/inzage/abcDEF123_-xyz/standaard/4/") == "Gone: /inzage/…/standaard/4/"
    assert logged("/besturen/3/inzage/12/") == "Gone: /besturen/3/inzage/12/"


def test_the_picture_page_link_with_a_school_opens_the_form_for_that_school(client, world):
    client.force_login(world.users[Role.SCHOOL_LEADER])
    url = reverse("picture:inspector_link_create", args=[world.board.pk])
    page = client.get(url, {"school": world.school.pk})
    assert page.status_code == 200
    assert page.context["school"] == world.school
    assert client.get(url, {"school": world.other_school.pk}).status_code == 404


def test_the_public_pages_read_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for school, n in ((world.school, 1), (world.other_school, 6)):
        picture = make_picture(world.board, school)
        docs = [make_evidence(world.board, school) for _ in range(n)]
        for doc in docs:
            doc.standards.add(*picture.framework_version.standards.all())
        for _ in range(n):
            make_action(world.board, school).standards.add(
                *picture.framework_version.standards.all()
            )
        _link, token = make_inspector_link(world.board, school, documents=docs)
        entry = picture.entries.first()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_public("inspector_view", token)).status_code == 200
            assert client.get(_public("inspector_entry", token, entry.pk)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
