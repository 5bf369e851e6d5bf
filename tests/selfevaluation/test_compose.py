"""A board composes its own questionnaire from library statements."""

import pytest
from django.urls import reverse

from stelsel.organisations.roles import Role
from stelsel.selfevaluation.models import QuestionnaireVersion
from tests.factories import make_questionnaire

pytestmark = pytest.mark.django_db


def test_the_quality_officer_composes_a_questionnaire_of_chosen_statements(client, world):
    base = make_questionnaire()
    chosen = list(base.items.filter(code__in=["KL1-02", "KL2-01"]).values_list("pk", flat=True))
    client.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("selfevaluation:questionnaire_compose", args=[world.board.pk])
    assert "KL1-01" in client.get(url, {"base": base.pk}).content.decode()
    response = client.post(url, {"base": base.pk, "name": "Onze vragen", "items": chosen})
    assert response.status_code == 302
    own = QuestionnaireVersion.objects.get(questionnaire__board=world.board)
    assert [i.code for i in own.items.all()] == ["KL1-02", "KL2-01"]
    assert own.items.get(code="KL1-02").wording == {"teachers": "Tweede stelling voor leraren."}
    assert own.framework_version == base.framework_version
    assert own.scale_points == base.scale_points
    again = client.post(url, {"base": base.pk, "name": "Onze vragen", "items": chosen[:1]})
    assert again.status_code == 302, "the same name gets its own slug"
    assert QuestionnaireVersion.objects.filter(questionnaire__board=world.board).count() == 2


@pytest.mark.parametrize("items", [[], ["999999"], ["x"]])
def test_no_or_foreign_statements_are_refused_and_nothing_is_made(client, world, items):
    base = make_questionnaire()
    client.force_login(world.users[Role.QUALITY_OFFICER])
    url = reverse("selfevaluation:questionnaire_compose", args=[world.board.pk])
    response = client.post(url, {"base": base.pk, "name": "X", "items": items})
    assert response.status_code == 200
    assert not QuestionnaireVersion.objects.filter(questionnaire__board__isnull=False).exists()


def test_a_composed_questionnaire_is_not_offered_to_other_boards(client, world):
    from stelsel.selfevaluation.forms import RoundForm
    from stelsel.selfevaluation.library import questionnaire_compose

    base = make_questionnaire()
    own = questionnaire_compose(
        board=world.board, base=base, name="Eigen", item_ids=[base.items.first().pk]
    )
    form = RoundForm(board=world.other_board, schools=world.other_board.schools.all())
    assert own not in form.fields["questionnaire_version"].queryset
    assert (
        own
        in RoundForm(board=world.board, schools=world.board.schools.all())
        .fields["questionnaire_version"]
        .queryset
    )
