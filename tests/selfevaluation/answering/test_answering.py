"""Answering by personal link and by meeting code: drafts, progress, once-only, clear refusals."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from stelsel.selfevaluation import services
from stelsel.selfevaluation.models import (
    Answer,
    Completion,
    Draft,
    RespondentInvitation,
    Response,
    UsedSubmission,
)
from tests.factories import make_round

pytestmark = pytest.mark.django_db


def _invite(world, round_, email="leraar@school.nl", perspective_code="teachers"):
    perspective = round_.perspectives.get(code=perspective_code)
    services.invitations_add(round_=round_, perspective=perspective, emails=[email])


def _token_from_mail() -> str:
    return re.search(r"/vragenlijst/([^/\s]+)/", mail.outbox[-1].body).group(1)


def _full(round_, value="3"):
    return {
        f"answer-{pk}": value
        for pk in round_.questionnaire_version.items.values_list("pk", flat=True)
    }


@pytest.fixture
def open_round(world, django_capture_on_commit_callbacks):
    round_ = make_round(world.board, world.school)
    _invite(world, round_)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(round_=round_)
    return round_


def test_a_personal_link_answers_once_and_keeps_no_link_to_the_person(client, open_round):
    token = _token_from_mail()
    url = reverse("selfevaluation:answer", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Tweede stelling voor leraren." in page.content.decode(), "wording per perspective"
    response = client.post(url, {**_full(open_round), "action": "submit"})
    assert response.status_code == 302
    assert Response.objects.filter(round=open_round).count() == 1
    assert Answer.objects.count() == 3
    assert Completion.objects.count() == 1
    again = client.post(url, {**_full(open_round), "action": "submit"})
    assert again.status_code == 410
    assert Response.objects.count() == 1, "a replay is not counted twice"


def test_an_interrupted_respondent_continues_where_they_left_off(client, open_round):
    url = reverse("selfevaluation:answer", args=[_token_from_mail()])
    first_item = open_round.questionnaire_version.items.first()
    saved = client.post(url, {f"answer-{first_item.pk}": "4", "action": "save"})
    assert saved.status_code == 200 and saved.context["answered"] == 1
    assert Draft.objects.count() == 1
    later = client.get(url)
    assert later.context["answered"] == 1
    assert f'name="answer-{first_item.pk}" value="4" checked' in later.content.decode()
    rest = {k: v for k, v in _full(open_round).items() if k != f"answer-{first_item.pk}"}
    assert client.post(url, {**rest, "action": "submit"}).status_code == 302
    assert Draft.objects.count() == 0, "the draft goes once the answers are in"
    assert Answer.objects.get(item=first_item).value == 4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data, item: data.pop(f"answer-{item}"), "Not every statement has an answer"),
        (lambda data, item: data.update({f"answer-{item}": "9"}), "outside the scale"),
        (lambda data, item: data.update({f"answer-{item}": "abc"}), "outside the scale"),
    ],
)
def test_incomplete_or_out_of_scale_answers_are_refused_and_nothing_is_stored(
    client, english, open_round, change, message
):
    url = reverse("selfevaluation:answer", args=[_token_from_mail()])
    data = _full(open_round)
    change(data, open_round.questionnaire_version.items.first().pk)
    response = client.post(url, {**data, "action": "submit"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Response.objects.exists() and not Completion.objects.exists()


def test_dont_know_is_an_answer(client, open_round):
    url = reverse("selfevaluation:answer", args=[_token_from_mail()])
    client.post(url, {**_full(open_round, services.DONT_KNOW), "action": "submit"})
    assert Answer.objects.filter(dont_know=True, value__isnull=True).count() == 3


def test_after_closing_the_link_answers_closed(client, open_round):
    url = reverse("selfevaluation:answer", args=[_token_from_mail()])
    services.round_close(round_=open_round)
    assert client.post(url, {**_full(open_round), "action": "submit"}).status_code == 410
    assert not Response.objects.exists()


def test_unknown_links_are_refused_and_guessing_is_throttled(client, db):
    for _ in range(30):
        assert client.get(reverse("selfevaluation:answer", args=["x" * 43])).status_code == 404
    assert client.get(reverse("selfevaluation:answer", args=["y" * 43])).status_code == 429


def test_a_meeting_code_gives_one_response_per_device(client, world, open_round):
    perspective = services.meeting_code_start(
        round_=open_round, perspective=open_round.perspectives.get(code="council"), cap=10
    )
    url = reverse("selfevaluation:meeting", args=[perspective.meeting_code])
    assert client.get(url).status_code == 200
    assert client.post(url, {**_full(open_round), "action": "submit"}).status_code == 302
    assert client.get(url).status_code == 410, "the same device cannot answer twice"
    other_device = client.__class__()
    assert other_device.post(url, {**_full(open_round), "action": "submit"}).status_code == 302
    assert Response.objects.filter(perspective=perspective).count() == 2
    assert UsedSubmission.objects.count() == 2


def test_a_reminder_sends_a_new_link_the_old_one_still_works_and_the_draft_stays(
    client, open_round, django_capture_on_commit_callbacks
):
    old = _token_from_mail()
    item = open_round.questionnaire_version.items.first()
    client.post(
        reverse("selfevaluation:answer", args=[old]), {f"answer-{item.pk}": "2", "action": "save"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send(round_=open_round, reminder=True) == 1
    new = _token_from_mail()
    assert new != old
    assert client.get(reverse("selfevaluation:answer", args=[new])).context["answered"] == 1
    # A form that was open before the reminder still submits, once.
    url = reverse("selfevaluation:answer", args=[old])
    assert client.post(url, {**_full(open_round), "action": "submit"}).status_code == 302
    assert client.get(reverse("selfevaluation:answer", args=[new])).status_code == 410
    assert RespondentInvitation.objects.get().reminder_count == 1
    assert Response.objects.count() == 1 and Draft.objects.count() == 0


def test_after_the_last_day_the_link_answers_closed_even_if_nobody_closed_the_round(
    client, open_round
):
    import datetime

    from stelsel.selfevaluation.models import Round

    url = reverse("selfevaluation:answer", args=[_token_from_mail()])
    Round.objects.filter(pk=open_round.pk).update(closes_on=datetime.date(2020, 1, 1))
    assert client.post(url, {**_full(open_round), "action": "submit"}).status_code == 410
    assert not Response.objects.exists()


def test_a_draft_with_a_statement_that_is_not_in_the_questionnaire_still_submits_once(
    client, open_round
):
    token = _token_from_mail()
    invitation = RespondentInvitation.objects.get()
    Draft.objects.create(  # a draft from before a statement was left out
        key_hash=services.draft_hash(f"invitation:{invitation.pk}"),
        round=open_round,
        data={"answer-999999": "4", "comment-999999": "weg"},
    )
    url = reverse("selfevaluation:answer", args=[token])
    assert client.post(url, {**_full(open_round), "action": "submit"}).status_code == 302
    assert Answer.objects.count() == 3 and Response.objects.count() == 1


def test_a_meeting_code_stops_at_the_number_of_people_in_the_room(client, open_round):
    perspective = services.meeting_code_start(
        round_=open_round, perspective=open_round.perspectives.get(code="council"), cap=5
    )
    url = reverse("selfevaluation:meeting", args=[perspective.meeting_code])
    for _ in range(5):
        device = client.__class__()
        assert device.post(url, {**_full(open_round), "action": "submit"}).status_code == 302
    sixth = client.__class__().post(url, {**_full(open_round), "action": "submit"})
    assert sixth.status_code == 410
    assert Response.objects.filter(perspective=perspective).count() == 5


def test_a_meeting_code_and_its_cap_are_given_once_per_session(client, open_round):
    """A cap that could be set again would let the organiser probe how many answered; one
    below k could never be shown."""
    from django.core.exceptions import ValidationError

    council = open_round.perspectives.get(code="council")
    with pytest.raises(ValidationError, match="between 5"):
        services.meeting_code_start(round_=open_round, perspective=council, cap=4)
    council = services.meeting_code_start(round_=open_round, perspective=council, cap=5)
    code = council.meeting_code
    with pytest.raises(ValidationError, match="once"):
        services.meeting_code_start(round_=open_round, perspective=council, cap=6)
    council.refresh_from_db()
    assert (council.meeting_code, council.meeting_cap) == (code, 5)
    url = reverse("selfevaluation:meeting", args=[code])
    for _ in range(5):
        client.__class__().post(url, {**_full(open_round), "action": "submit"})
    services.round_close(round_=open_round)
    services.round_reopen(round_=open_round, reason="Een tweede bijeenkomst.")
    council.refresh_from_db()
    assert council.meeting_code is None, "the old code stops working"
    with pytest.raises(ValidationError, match="meeting code"):
        services.invitations_add(round_=open_round, perspective=council, emails=["x@school.nl"])
    council = services.meeting_code_start(round_=open_round, perspective=council, cap=5)
    late = reverse("selfevaluation:meeting", args=[council.meeting_code])
    for _ in range(5):  # the cap counts this session only
        device = client.__class__()
        assert device.post(late, {**_full(open_round), "action": "submit"}).status_code == 302
    full = client.__class__().post(late, {**_full(open_round), "action": "submit"})
    assert full.status_code == 410
    assert client.get(url).status_code == 404


def test_a_perspective_answers_by_link_or_by_code_never_both(open_round):
    from django.core.exceptions import ValidationError

    teachers = open_round.perspectives.get(code="teachers")  # has a personal invitation
    with pytest.raises(ValidationError):
        services.meeting_code_start(round_=open_round, perspective=teachers, cap=5)
    council = services.meeting_code_start(
        round_=open_round, perspective=open_round.perspectives.get(code="council"), cap=5
    )
    with pytest.raises(ValidationError):
        services.invitations_add(round_=open_round, perspective=council, emails=["x@school.nl"])


def test_nul_characters_in_a_comment_are_dropped_not_a_server_error(client, open_round):
    url = reverse("selfevaluation:answer", args=[_token_from_mail()])
    section = open_round.questionnaire_version.sections.exclude(comment_prompt="").first()
    data = {**_full(open_round), f"comment-{section.pk}": "goed\x00zo", "action": "submit"}
    assert client.post(url, data).status_code == 302
    from stelsel.selfevaluation.models import Comment

    assert Comment.objects.get().text == "goedzo"


def test_unknown_fields_never_enter_a_draft(client, open_round):
    token = _token_from_mail()
    url = reverse("selfevaluation:answer", args=[token])
    item = open_round.questionnaire_version.items.first()
    client.post(url, {f"answer-{item.pk}": "3", "answer-999999": "x" * 10_000, "action": "save"})
    draft = Draft.objects.get()
    assert set(draft.data) == {f"answer-{item.pk}"}
