"""The two triangle conversations (programme lead, board, advisor) of a trajectory.

Each is reported along the programme's question list; the report keeps the questions as they
were asked, so a later change of the list does not rewrite an earlier report. Editing a report
is allowed (the history keeps what it said before)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.trajectories.models import Phase, Trajectory, TriangleConversation

NUMBERS = (1, 2)


def triangle_questions(trajectory: Trajectory, number: int) -> list[str]:
    """The questions of conversation `number`: as asked when it was recorded, else the
    programme's list now."""
    existing = TriangleConversation.objects.filter(trajectory=trajectory, number=number).first()
    if existing is not None and existing.report:
        return [item.get("question", "") for item in existing.report]
    return list(trajectory.programme.triangle_questions or [])


@transaction.atomic
def triangle_record(
    *,
    trajectory: Trajectory,
    number: int,
    held_on: datetime.date,
    answers: list[str],
    lead,
) -> TriangleConversation:
    """Record or correct triangle conversation 1 or 2. The second follows the first; both need
    an advisor to have been matched (the advisor is one of the three)."""
    if number not in NUMBERS:
        raise ValidationError(_("A trajectory has triangle conversations 1 and 2 only."))
    trajectory = (
        Trajectory.objects.select_for_update().select_related("programme").get(pk=trajectory.pk)
    )
    if trajectory.advisor_id is None:
        raise ValidationError(
            _("Match an advisor first: the advisor takes part in the triangle conversation."),
            code="no_advisor",
        )
    if trajectory.phase == Phase.CLOSED:
        raise ValidationError(_("This trajectory is closed."), code="closed")
    if (
        number == 2
        and not TriangleConversation.objects.filter(trajectory=trajectory, number=1).exists()
    ):
        raise ValidationError(_("Record the first triangle conversation before the second."))
    if held_on is None:
        raise ValidationError({"held_on": _("Give the date of the conversation.")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The conversation cannot lie in the future.")})
    questions = triangle_questions(trajectory, number)
    answers = [(answer or "").strip() for answer in answers]
    if len(answers) != len(questions):
        raise ValidationError(
            _("The question list has changed meanwhile; open the form again."), code="questions"
        )
    if questions and not any(answers):
        raise ValidationError(_("Answer at least one of the questions."))
    report = [
        {"question": question, "answer": answer}
        for question, answer in zip(questions, answers, strict=True)
    ]
    conversation, _created = TriangleConversation.objects.update_or_create(
        trajectory=trajectory,
        number=number,
        defaults={"held_on": held_on, "lead": lead, "report": report},
    )
    return conversation
