"""Presentation mode: every entry of the picture as a slide, server-rendered, without inline
script, for everyone who may see the picture."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from stelsel.organisations.roles import Role
from stelsel.picture.entries.services import EntryChange, entry_update
from stelsel.picture.models import Indicator
from tests.factories import make_evidence, make_picture

PRESENT_JS = Path(__file__).resolve().parents[3] / "src/stelsel/picture/static/picture/present.js"


def _url(picture):
    return reverse("picture:picture_present", args=[picture.board_id, picture.pk])


@pytest.fixture
def picture(world):
    Indicator.objects.create(
        board=world.board, perspective="ambitions", code="EI1", title="Eigen ambitie lezen"
    )
    picture = make_picture(world.board, world.school)
    entry = picture.entries.get(standard__code="KL2")
    entry_update(
        entry=entry,
        revision=entry.revision,
        change=EntryChange(
            status="ok",
            requirements_met=[entry.standard.requirements.get().pk],
            ambitions="Wat we beogen met KL2.",
            visible="Zichtbaar in de klas.",
            secured="Geborgd in de kwaliteitskalender.",
            accounted="Verantwoord in het jaarverslag.",
        ),
        user=world.users[Role.SCHOOL_LEADER],
    )
    make_evidence(world.board, world.school).standards.add(entry.standard)
    return picture


def test_every_entry_gets_a_slide_after_the_title_slide(client, english, world, picture):
    client.force_login(world.users[Role.STAFF])
    response = client.get(_url(picture))
    assert response.status_code == 200
    body = response.content.decode()
    slides = re.findall(r'<section class="slide[^"]*" id="slide-(\d+)"', body)
    assert slides == ["1", "2", "3", "4"]  # title, KL1, KL2, EI1
    assert body.count("/ 4</p>") == 5  # every slide's number, and the counter
    for code in ("KL1", "KL2", "EI1"):
        assert f'<span class="slide__code">{code}</span>' in body
    assert "De Eigen School" in body and "Klein kader" in body and "2026-2027" in body
    kl2 = body[body.index('id="slide-3"') : body.index('id="slide-4"')]
    for text in (
        "In orde",
        "Requirements: 1 of 1 ticked",
        "KL2.1",
        "What the plans aim for",
        "Wat we beogen met KL2.",
        "Zichtbaar in de klas.",
        "Geborgd in de kwaliteitskalender.",
        "Verantwoord in het jaarverslag.",
    ):
        assert text in kl2, text
    assert re.search(r"<strong>1</strong> evidence", kl2)
    assert 'aria-live="polite"' in body


def test_the_page_has_no_inline_script_and_loads_present_js_deferred(client, world, picture):
    client.force_login(world.users[Role.SUPERVISOR])
    body = client.get(_url(picture)).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert not re.search(r"\son[a-z]+\s*=", body)
    assert not re.search(r"\sstyle\s*=", body)
    assert re.search(r'<script src="[^"]*picture/present\.js" defer></script>', body)


def test_present_js_knows_the_keys_and_guards_the_fullscreen_api():
    script = PRESENT_JS.read_text(encoding="utf-8")
    for key in ('"ArrowRight"', '"PageDown"', '" "', '"ArrowLeft"', '"PageUp"', '"Home"', '"End"'):
        assert key in script, key
    assert '"f"' in script and '"Escape"' in script
    assert "requestFullscreen" in script and "exitFullscreen" in script
    assert "ignoreRejection" in script  # promises of the Fullscreen API never go unhandled


def test_a_school_role_cannot_present_another_schools_picture(client, world, picture):
    other = make_picture(world.board, world.other_school)
    foreign = make_picture(world.other_board, world.other_board_school)
    client.force_login(world.users[Role.SCHOOL_LEADER])
    assert client.get(_url(other)).status_code == 404
    assert client.get(_url(foreign)).status_code == 404
    client.force_login(world.users[Role.COUNCIL])
    assert client.get(_url(other)).status_code == 200


def test_the_presentation_reads_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users[Role.BOARD_EXECUTIVE])
    small = make_picture(world.board, world.school)
    for n in range(8):
        Indicator.objects.create(
            board=world.board, perspective="expectations", code=f"V{n}", title=f"Verwachting {n}"
        )
    large = make_picture(world.board, world.other_school)
    assert large.entries.count() == small.entries.count() + 8
    counts = []
    for picture in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(picture)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
