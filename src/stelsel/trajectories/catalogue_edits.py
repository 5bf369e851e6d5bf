"""A programme adapting its catalogues: support needs, interventions, the names of the attention
quadrants and the questions of the triangle conversations.

Renaming changes the row itself, so every trajectory and log entry that uses it follows the new
name (and the history keeps the old one). A need or intervention that a trajectory uses cannot
be deleted: the cases that counted it would silently change."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from stelsel.trajectories.models import (
    Aim,
    AttentionQuadrant,
    Intervention,
    InterventionLog,
    Kind,
    PlayingField,
    Programme,
    SupportNeed,
)

MAX_QUESTIONS = 30


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give it a name.")})
    if len(name) > 200:
        raise ValidationError({"name": _("Keep the name under 200 characters.")})
    return name


def _unique(model, programme_id, name, *, excluding=None) -> None:
    rows = model.objects.filter(programme_id=programme_id, name__iexact=name)
    if excluding is not None:
        rows = rows.exclude(pk=excluding.pk)
    if rows.exists():
        raise ValidationError({"name": _("The catalogue already has an item of that name.")})


def _save(instance, **kwargs):
    try:
        with transaction.atomic():
            instance.save(**kwargs)
    except IntegrityError as exc:
        raise ValidationError(
            {"name": _("The catalogue already has an item of that name.")}
        ) from exc
    return instance


def _next_position(model, programme) -> int:
    return (model.objects.filter(programme=programme).aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def need_save(
    *,
    programme: Programme,
    name: str,
    field: str,
    description: str = "",
    need: SupportNeed | None = None,
) -> SupportNeed:
    """Add a support need, or rename and move `need` on the playing field."""
    name = _name(name)
    if field not in PlayingField.values:
        raise ValidationError({"field": _("Choose a question of the playing field.")})
    if need is not None and need.programme_id != programme.pk:
        raise ValidationError(_("That need belongs to another programme."))
    _unique(SupportNeed, programme.pk, name, excluding=need)
    if need is None:
        need = SupportNeed(programme=programme, position=_next_position(SupportNeed, programme))
    need.name, need.field, need.description = name, field, (description or "").strip()
    return _save(need)


@transaction.atomic
def intervention_save(
    *,
    programme: Programme,
    name: str,
    aim: str,
    kind: str,
    description: str = "",
    intervention: Intervention | None = None,
) -> Intervention:
    """Add an intervention, or rename it and change its aim and kind."""
    name = _name(name)
    if aim not in Aim.values:
        raise ValidationError({"aim": _("Choose at whom the intervention is aimed.")})
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose what the intervention is about.")})
    if intervention is not None and intervention.programme_id != programme.pk:
        raise ValidationError(_("That intervention belongs to another programme."))
    _unique(Intervention, programme.pk, name, excluding=intervention)
    if intervention is None:
        intervention = Intervention(
            programme=programme, position=_next_position(Intervention, programme)
        )
    intervention.name, intervention.aim, intervention.kind = name, aim, kind
    intervention.description = (description or "").strip()
    return _save(intervention)


@transaction.atomic
def intervention_delete(*, intervention: Intervention) -> None:
    """Delete an intervention no advisor has logged yet."""
    if InterventionLog.objects.filter(intervention=intervention).exists():
        raise ValidationError(
            _(
                "“%(name)s” is used in the log of a trajectory and cannot be deleted. Rename it "
                "instead, if its name no longer fits."
            )
            % {"name": intervention.name},
            code="in_use",
        )
    try:
        with transaction.atomic():
            intervention.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("“%(name)s” is in use and cannot be deleted.") % {"name": intervention.name},
            code="in_use",
        ) from exc


@transaction.atomic
def need_delete(*, need: SupportNeed) -> None:
    """Delete a support need no trajectory names."""
    if need.trajectories.exists():
        raise ValidationError(
            _(
                "“%(name)s” is named by a trajectory and cannot be deleted. Rename it instead, "
                "if its name no longer fits."
            )
            % {"name": need.name},
            code="in_use",
        )
    need.delete()


@transaction.atomic
def quadrant_rename(
    *, quadrant: AttentionQuadrant, name: str, description: str = ""
) -> AttentionQuadrant:
    """Name a quadrant as the programme calls it; its key (its place on the axes) stays."""
    name = _name(name)
    quadrant.name, quadrant.description = name, (description or "").strip()
    quadrant.save(update_fields=["name", "description"])
    return quadrant


@transaction.atomic
def triangle_questions_update(*, programme: Programme, questions: list[str]) -> Programme:
    """The question list of future triangle conversations; reports already written keep the
    questions they were asked."""
    questions = [question.strip() for question in questions if question and question.strip()]
    if not questions:
        raise ValidationError({"questions": _("Keep at least one question.")})
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError(
            {"questions": _("Keep to %(n)s questions at most.") % {"n": MAX_QUESTIONS}}
        )
    if any(len(question) > 500 for question in questions):
        raise ValidationError({"questions": _("Keep each question under 500 characters.")})
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    programme.triangle_questions = questions
    programme.revision += 1
    programme.save(update_fields=["triangle_questions", "revision"])
    return programme
