"""The answers tables have no path to a person or an invitation, and no time of day."""

from django.db import models

from stelsel.selfevaluation.models import (
    Answer,
    Comment,
    Completion,
    Draft,
    RespondentInvitation,
    Response,
    UsedSubmission,
)

ANONYMOUS = [Response, Answer, Comment]
FORBIDDEN = {RespondentInvitation, Completion, Draft, UsedSubmission}


def _forward_closure(model, seen=None):
    """Every model reachable from `model` by following foreign keys forward."""
    seen = seen if seen is not None else set()
    for field in model._meta.get_fields():
        if (
            field.is_relation
            and field.many_to_one
            or getattr(field, "one_to_one", False)
            and field.concrete
        ):
            target = field.related_model
            if target not in seen:
                seen.add(target)
                _forward_closure(target, seen)
    return seen


def test_no_answer_table_reaches_an_invitation_or_completion():
    for model in ANONYMOUS:
        reachable = _forward_closure(model)
        assert not (reachable & FORBIDDEN), (model, reachable & FORBIDDEN)


def test_no_answer_table_has_a_direct_link_to_a_user():
    from django.contrib.auth import get_user_model

    for model in ANONYMOUS:
        targets = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
        assert get_user_model() not in targets


def test_completion_carries_no_date_to_match_with_a_response():
    assert not any(
        isinstance(f, (models.DateField, models.DateTimeField))
        for f in Completion._meta.concrete_fields
    )


def test_drafts_are_not_keyed_by_the_invitation_token():
    from stelsel.selfevaluation.services import draft_hash, key_hash

    assert draft_hash("invitation:1") != key_hash("invitation:1")


def test_answers_carry_the_date_only_and_random_ids():
    for model in [*ANONYMOUS, Completion]:
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField), (model, field.name)
            assert not isinstance(field, models.GenericIPAddressField), (model, field.name)
        assert isinstance(model._meta.pk, models.UUIDField), model
