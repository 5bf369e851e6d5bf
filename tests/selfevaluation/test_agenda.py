"""The conversation agenda: made from published results, edited by the organiser."""

import pytest
from django.urls import reverse

from stelsel.organisations.roles import Role
from stelsel.selfevaluation import services
from stelsel.selfevaluation.models import AgendaPoint, Answer, Response
from tests.factories import make_round

pytestmark = pytest.mark.django_db


def _fill(round_, code, count, values, dont_know=()):
    perspective = round_.perspectives.get(code=code)
    items = list(round_.questionnaire_version.items.all())
    for index in range(count):
        response = Response.objects.create(
            round=round_, perspective=perspective, submitted_on=round_.opens_on
        )
        Answer.objects.bulk_create(
            Answer(
                response=response,
                round=round_,
                perspective=perspective,
                item=item,
                value=None if (item.code in dont_know and index % 2) else value,
                dont_know=bool(item.code in dont_know and index % 2),
            )
            for item, value in zip(items, values, strict=True)
        )


@pytest.fixture
def round_with_results(world):
    round_ = make_round(world.board, world.school, state="open")
    _fill(round_, "school_leaders", 6, [4, 4, 2])
    _fill(round_, "teachers", 10, [1, 4, 2], dont_know={"KL1-02"})
    _fill(round_, "council", 2, [1, 1, 1])  # below k: must never steer the agenda
    services.round_close(round_=round_)
    return round_


def test_it_makes_an_agenda_from_gaps_low_scores_and_dont_know(
    client, english, world, round_with_results
):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("selfevaluation:agenda", args=[world.board.pk, round_with_results.pk])
    client.post(url, {"action": "generate"})
    points = list(AgendaPoint.objects.filter(round=round_with_results))
    kinds = {p.item.code: p.kind for p in points}
    assert kinds["KL1-01"] == "gap", "leaders 4 against teachers 1"
    assert kinds["KL2-01"] == "low"
    assert kinds["KL1-02"] == "dont_know"
    gap = next(p for p in points if p.kind == "gap")
    assert "School leaders and Teachers" in gap.question
    assert all("council" not in p.question.lower() and "(G)MR" not in p.question for p in points)


def test_the_organiser_edits_adds_removes_and_regenerates_keeping_own_points(
    client, world, round_with_results
):
    client.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("selfevaluation:agenda", args=[world.board.pk, round_with_results.pk])
    client.post(url, {"action": "generate"})
    point = AgendaPoint.objects.filter(round=round_with_results).first()
    client.post(
        url,
        {
            "action": "update",
            "point": point.pk,
            "question": "Eigen vraag",
            "note": "Besproken op 3 juni",
        },
    )
    point.refresh_from_db()
    assert (point.question, point.note) == ("Eigen vraag", "Besproken op 3 juni")
    client.post(url, {"action": "update", "point": point.pk, "question": " "})
    point.refresh_from_db()
    assert point.question == "Eigen vraag", "an empty question is refused"
    standard = round_with_results.questionnaire_version.sections.first().standard
    client.post(url, {"action": "add", "standard": standard.pk, "question": "Wat nu?"})
    client.post(url, {"action": "generate"})
    assert AgendaPoint.objects.filter(round=round_with_results, kind="own").count() == 1
    client.post(url, {"action": "delete", "point": point.pk})
    printable = client.get(url).content.decode()
    assert "Wat nu?" in printable


def test_readers_may_read_but_not_change_and_other_boards_get_404(
    client, world, round_with_results
):
    url = reverse("selfevaluation:agenda", args=[world.board.pk, round_with_results.pk])
    services.round_share(round_=round_with_results, roles=[Role.STAFF])
    client.force_login(world.users[Role.STAFF])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "generate"}).status_code == 403
    assert not AgendaPoint.objects.exists()
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
