"""Missing answers named as the respondent sees them, with a link to each; sending is the main
action only once it can succeed."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from stelsel.selfevaluation import services
from stelsel.selfevaluation.answering import views
from stelsel.selfevaluation.models import Response
from tests.factories import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_round(world, django_capture_on_commit_callbacks):
    round_ = make_round(world.board, world.school)
    services.invitations_add(
        round_=round_,
        perspective=round_.perspectives.get(code="teachers"),
        emails=["leraar@school.nl"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(round_=round_)
    return round_


@pytest.fixture
def url(open_round):
    token = re.search(r"/vragenlijst/([^/\s]+)/", mail.outbox[-1].body).group(1)
    return reverse("selfevaluation:answer", args=[token])


def _items(round_):
    return list(round_.questionnaire_version.items.all())


def _send_button(html: str) -> str:
    return re.search(r'<button[^>]*value="submit"[^>]*>', html).group(0)


def test_missing_answers_are_named_by_number_and_text_and_linked(client, english, open_round, url):
    first, second, third = _items(open_round)
    response = client.post(url, {f"answer-{first.pk}": "3", "action": "submit"})
    html = response.content.decode()
    assert response.status_code == 200 and not Response.objects.exists()
    assert "Not every statement has an answer yet" in html
    links = re.findall(r'<li><a href="#(statement-\d+)">([^<]+)</a></li>', html)
    assert links == [
        (f"statement-{second.pk}", "2. Tweede stelling voor leraren."),
        (f"statement-{third.pk}", "3. Derde stelling."),
    ], "as worded for the respondent's perspective, numbered as on the page"
    assert second.code not in html and third.code not in html, "no codes the respondent never sees"
    for item in (second, third):
        fieldset = re.search(rf'<fieldset[^>]*id="statement-{item.pk}"[^>]*>', html).group(0)
        assert "statement--missing" in fieldset and 'tabindex="-1"' in fieldset
    answered = re.search(rf'<fieldset[^>]*id="statement-{first.pk}"[^>]*>', html).group(0)
    assert "statement--missing" not in answered
    assert "Not answered yet" in html


def test_a_long_list_names_the_first_and_marks_the_rest(
    client, english, open_round, url, monkeypatch
):
    monkeypatch.setattr(views, "PROBLEMS_LISTED", 1)
    html = client.post(url, {"action": "submit"}).content.decode()
    assert len(re.findall(r'<li><a href="#statement-', html)) == 1
    assert "The other statements without an answer are marked" in html
    assert html.count("statement--missing") == 3


def test_an_answer_outside_the_scale_names_its_statement(client, english, open_round, url):
    first, second, third = _items(open_round)
    data = {f"answer-{first.pk}": "3", f"answer-{second.pk}": "9", f"answer-{third.pk}": "dk"}
    html = client.post(url, {**data, "action": "submit"}).content.decode()
    assert "outside the scale" in html
    assert re.findall(r'<li><a href="#statement-(\d+)">', html) == [str(second.pk)]
    assert not Response.objects.exists()


def test_a_long_statement_is_shortened_at_a_word():
    text = "Het team bespreekt " + "de resultaten van de toetsen " * 6 + "elk jaar."
    short = views._short(text)
    assert len(short) <= 60 and short.endswith(" …")
    assert text.startswith(short[: -len(" …")])
    assert views._short("Derde stelling.") == "Derde stelling."
    bracketed = "De school weet of de basiskwaliteit op orde is (wat de wet en het kader vragen)."
    assert views._short(bracketed) == "De school weet of de basiskwaliteit op orde is …"


def test_sending_is_the_main_action_only_when_every_statement_has_an_answer(
    client, open_round, url
):
    first, *rest = _items(open_round)
    empty = client.get(url).content.decode()
    assert "button--primary" not in _send_button(empty), "a secondary button, not a dead one"
    assert "disabled" not in _send_button(empty)
    client.post(url, {f"answer-{first.pk}": "2", "action": "save"})
    assert "button--primary" not in _send_button(client.get(url).content.decode())
    client.post(url, {**{f"answer-{i.pk}": "dk" for i in rest}, "action": "save"})
    full = client.get(url)
    assert full.context["complete"] and "button--primary" in _send_button(full.content.decode())


def test_the_form_keeps_one_line_of_progress_and_the_send_button_together(client, open_round, url):
    html = client.get(url).content.decode()
    bar = re.search(r'<div class="answer-bar">(.*?)</form>', html, re.S).group(1)
    assert 'id="progress-text"' in bar and 'value="submit"' in bar
    assert 'value="save"' not in bar, "saving for later sits above the bar, not in it"
    assert 'value="save"' in html
