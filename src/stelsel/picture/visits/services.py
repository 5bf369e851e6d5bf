"""Writes for inspection visits: the visit itself, its preparation checklist (copied from the
board's template), the document room and the log written during the visit.

Each function is one transaction and checks everything before it writes, so bad input leaves
the visit as it was. Objects arrive already reached through the access module; these functions
still check that they belong together (a step of this visit, evidence of this unit).
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stelsel.organisations.models import Board, School
from stelsel.picture.models import (
    ChecklistTemplateItem,
    Evidence,
    Visit,
    VisitChecklistItem,
    VisitKind,
    VisitNote,
)

# The ten steps of preparing an inspection visit, as boards learned them in practice. A board
# starts with these and may change them; the texts are stored in the language of whoever first
# uses the template, so a board's edits and the defaults read the same.
DEFAULT_CHECKLIST = (
    gettext_noop("Decide what you want to tell the inspectorate."),
    gettext_noop("Involve and inform each other: supervisory board, board executive and schools."),
    gettext_noop(
        "Collect data and quality documents; with weak results, know the data, have an "
        "analysis, know the causes and have an improvement plan."
    ),
    gettext_noop("Inform each other about the meetings and the outcomes of visits."),
    gettext_noop("Align what the board tells with the schools of the verification visits."),
    gettext_noop("Send additional documents when the inspectorate asks for them."),
    gettext_noop("Make sure data and documents are on the table or easy to find."),
    gettext_noop(
        "During the visit, write down the facts, so you can act or respond to the draft "
        "report at once."
    ),
    gettext_noop(
        "After an insufficient judgement, start at once: improvement plan, plan of approach, "
        "project organisation, monitoring."
    ),
    gettext_noop("Know the qualities of your school and your own ambition; radiate confidence."),
)

TITLE_MAX = 200
STEP_MAX = 300
MAX_NOTE = 5_000
MAX_VISIT_TEXT = 20_000


# --- The board's checklist template --------------------------------------------------------


def _seed_template(board: Board) -> list[ChecklistTemplateItem]:
    """The board's template rows, created from the ten default steps when it has none yet.

    Called inside the caller's transaction; the board row is locked first so two first uses at
    the same moment cannot both seed.
    """
    Board.objects.select_for_update().filter(pk=board.pk).first()
    items = list(ChecklistTemplateItem.objects.filter(board=board))
    if items:
        return items
    ChecklistTemplateItem.objects.bulk_create(
        ChecklistTemplateItem(board=board, position=n, text=_(text)[:STEP_MAX])
        for n, text in enumerate(DEFAULT_CHECKLIST, start=1)
    )
    return list(ChecklistTemplateItem.objects.filter(board=board))


def template_steps(board: Board) -> list:
    """The steps a new visit gets: the board's own rows, or the defaults not yet stored.

    A read never writes, so before its first use the board sees the defaults as unsaved
    rows (without an id); the first change stores them.
    """
    items = list(ChecklistTemplateItem.objects.filter(board=board))
    if items:
        return items
    return [
        ChecklistTemplateItem(board=board, position=n, text=_(text))
        for n, text in enumerate(DEFAULT_CHECKLIST, start=1)
    ]


def _find_step(items: list, *, item_id: int | None, position: int | None):
    """The step a form meant: by id, or by its place in the defaults the form was shown
    before the template was stored."""
    if item_id:
        found = next((i for i in items if i.pk == item_id), None)
    elif position and 0 < position <= len(items):
        found = items[position - 1]
    else:
        found = None
    if found is None:
        raise ValidationError(_("This step is no longer in the checklist; reload the page."))
    return found


def _clean_step_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": _("Describe the step.")})
    if len(text) > STEP_MAX:
        raise ValidationError({"text": _("Keep a step under %(n)s characters.") % {"n": STEP_MAX}})
    return text


def _renumber(items: list) -> None:
    for n, item in enumerate(items, start=1):
        item.position = n
    ChecklistTemplateItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def template_step_add(*, board: Board, text: str) -> ChecklistTemplateItem:
    text = _clean_step_text(text)
    items = _seed_template(board)
    return ChecklistTemplateItem.objects.create(
        board=board, position=max((i.position for i in items), default=0) + 1, text=text
    )


@transaction.atomic
def template_step_update(
    *, board: Board, text: str, item_id: int | None = None, position: int | None = None
) -> ChecklistTemplateItem:
    text = _clean_step_text(text)
    item = _find_step(_seed_template(board), item_id=item_id, position=position)
    item.text = text
    item.save(update_fields=["text"])
    return item


@transaction.atomic
def template_step_move(
    *, board: Board, direction: str, item_id: int | None = None, position: int | None = None
) -> None:
    """Swap a step with its neighbour; at the top or bottom nothing moves."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a step up or down."))
    items = _seed_template(board)
    item = _find_step(items, item_id=item_id, position=position)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    _renumber(items)


@transaction.atomic
def template_step_remove(
    *, board: Board, item_id: int | None = None, position: int | None = None
) -> None:
    """Remove a step from the template; visits that already copied it keep theirs."""
    items = _seed_template(board)
    item = _find_step(items, item_id=item_id, position=position)
    if len(items) == 1:
        raise ValidationError(_("Keep at least one step in the checklist."))
    item.delete()
    items.remove(item)
    _renumber(items)


# --- Visits ---------------------------------------------------------------------------------


def _clean_visit(*, kind: str, title: str, starts_on, ends_on, notes: str) -> dict:
    errors = {}
    title = " ".join((title or "").split())
    notes = (notes or "").strip()
    if kind not in VisitKind.values:
        errors["kind"] = _("Choose the kind of visit.")
    if not title:
        errors["title"] = _("Give the visit a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Keep the title under %(n)s characters.") % {"n": TITLE_MAX}
    if not isinstance(starts_on, date):
        errors["starts_on"] = _("Give the first day of the visit.")
    if not isinstance(ends_on, date):
        errors["ends_on"] = _("Give the last day of the visit.")
    elif isinstance(starts_on, date) and ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot be before the first day.")
    if len(notes) > MAX_VISIT_TEXT:
        errors["notes"] = _("Keep this under %(n)s characters.") % {"n": MAX_VISIT_TEXT}
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "title": title,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "notes": notes,
    }


@transaction.atomic
def visit_create(
    *,
    board: Board,
    school: School | None,
    kind: str,
    title: str,
    starts_on: date,
    ends_on: date,
    notes: str = "",
    user=None,
) -> Visit:
    """A visit to a school or to the board, with its own copy of the board's checklist: later
    changes to the template do not rewrite the preparation of visits already planned."""
    if school is not None and school.board_id != board.pk:
        raise ValidationError(_("That school is not part of this board."))
    cleaned = _clean_visit(
        kind=kind, title=title, starts_on=starts_on, ends_on=ends_on, notes=notes
    )
    visit = Visit.objects.create(board=board, school=school, created_by=user, **cleaned)
    VisitChecklistItem.objects.bulk_create(
        VisitChecklistItem(board=board, visit=visit, position=n, text=item.text)
        for n, item in enumerate(_seed_template(board), start=1)
    )
    return visit


@transaction.atomic
def visit_update(
    *, visit: Visit, kind: str, title: str, starts_on: date, ends_on: date, notes: str = ""
) -> Visit:
    """Change what the visit is and when; its unit stays, because its documents and log
    belong to that unit."""
    cleaned = _clean_visit(
        kind=kind, title=title, starts_on=starts_on, ends_on=ends_on, notes=notes
    )
    for name, value in cleaned.items():
        setattr(visit, name, value)
    visit.save()
    return visit


@transaction.atomic
def visit_step_update(
    *, visit: Visit, item: VisitChecklistItem, done: bool, note: str, user
) -> VisitChecklistItem:
    """Tick or untick a preparation step and keep a note with it. Ticking a step that is
    already done keeps who did it and when."""
    if item.visit_id != visit.pk:
        raise ValidationError(_("This step belongs to another visit."))
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("Keep a note under %(n)s characters.") % {"n": MAX_NOTE}})
    locked = VisitChecklistItem.objects.select_for_update().get(pk=item.pk)
    if done and locked.done_at is None:
        locked.done_at = timezone.now()
        locked.done_by = user
    elif not done:
        locked.done_at = None
        locked.done_by = None
    locked.note = note
    locked.save()
    return locked


def _unit_evidence(visit: Visit, evidence: Iterable[Evidence]) -> list[Evidence]:
    evidence = list(evidence)
    if not evidence:
        raise ValidationError(_("Choose at least one document."))
    for item in evidence:
        if item.board_id != visit.board_id or item.school_id != visit.school_id:
            raise ValidationError(
                _("Only documents of the school or board being visited can be chosen.")
            )
    return evidence


@transaction.atomic
def visit_documents_add(*, visit: Visit, evidence: Iterable[Evidence]) -> None:
    visit.documents.add(*_unit_evidence(visit, evidence))


@transaction.atomic
def visit_documents_remove(*, visit: Visit, evidence: Iterable[Evidence]) -> None:
    visit.documents.remove(*_unit_evidence(visit, evidence))


@transaction.atomic
def visit_note_add(*, visit: Visit, author, text: str) -> VisitNote:
    """A factual note in the visit's log. Notes are never edited or removed: the log is what
    was written down at the time."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    if len(text) > MAX_NOTE:
        raise ValidationError({"text": _("Keep a note under %(n)s characters.") % {"n": MAX_NOTE}})
    return VisitNote.objects.create(board=visit.board, visit=visit, author=author, text=text)
