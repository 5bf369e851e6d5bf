"""From results to conversation: an agenda generated from a round's results, then edited.

The generator picks the statements where the perspectives differ most, those scored lowest and
those with the most "don't know", each with a question to discuss. It reads only published
figures, so the agenda cannot reveal what the results page hides.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stelsel.selfevaluation.models import AgendaPoint, Round
from stelsel.selfevaluation.selectors import Results

PER_KIND = 3


def _label(results: Results, key) -> str:
    return next((str(p) for p in results.perspectives if p.pk == key), "")


def _overall(item) -> float | None:
    """The total, or else the lowest published group: never a hidden figure."""
    if item.row.total.published and item.row.total.mean is not None:
        return item.row.total.mean
    means = [c.mean for c in item.row.cells.values() if c.published and c.mean is not None]
    return min(means) if means else None


def _dont_know(item) -> float:
    shares = [
        c.dont_know_share
        for c in [*item.row.cells.values(), item.row.total]
        if c.published and c.dont_know_share
    ]
    return max(shares) if shares else 0


def agenda_candidates(results: Results) -> list[dict]:
    """Points as dicts (kind, standard, item, question): each kind ranked on its own, then
    taken in turns so that a short questionnaire still gets every kind of point."""
    items = [(section, item) for section in results.sections for item in section.items]
    self_name = _label(results, results.self_key)
    ranked = {
        AgendaPoint.Kind.GAP: [
            (section, item, item.gaps[0])
            for section, item in sorted(
                (e for e in items if e[1].gaps), key=lambda e: -abs(e[1].gaps[0].difference)
            )
        ],
        AgendaPoint.Kind.DONT_KNOW: [
            (section, item, None)
            for section, item in sorted(
                (e for e in items if _dont_know(e[1]) >= 0.15), key=lambda e: -_dont_know(e[1])
            )
        ],
        AgendaPoint.Kind.LOW: [
            (section, item, None)
            for section, item in sorted(
                (e for e in items if _overall(e[1]) is not None), key=lambda e: _overall(e[1])
            )
        ],
    }

    def question(kind, item, gap) -> str:
        text = item.item.text
        if kind == AgendaPoint.Kind.GAP:
            return _(
                "%(self)s and %(other)s see this differently: “%(text)s”. How does each look "
                "at it, and what do they see that the other does not?"
            ) % {"self": self_name, "other": _label(results, gap.other), "text": text}
        if kind == AgendaPoint.Kind.DONT_KNOW:
            return _(
                "Many answered “don't know” to: “%(text)s”. What should people know or "
                "see, and how do we show it?"
            ) % {"text": text}
        return _(
            "This scored lowest: “%(text)s”. What lies behind it, and what would make "
            "the biggest difference?"
        ) % {"text": text}

    chosen: set[int] = set()
    taken = dict.fromkeys(ranked, 0)
    points = []
    for _turn in range(PER_KIND):
        for kind, candidates in ranked.items():
            while candidates and taken[kind] <= _turn:
                section, item, gap = candidates.pop(0)
                if item.item.pk in chosen:
                    continue
                chosen.add(item.item.pk)
                taken[kind] += 1
                points.append(
                    {
                        "kind": kind,
                        "standard": section.section.standard,
                        "item": item.item,
                        "question": question(kind, item, gap),
                    }
                )
    return points


@transaction.atomic
def agenda_generate(*, round_: Round, results: Results) -> int:
    """Replace the generated points (own points stay) with fresh ones from the results."""
    AgendaPoint.objects.filter(round=round_).exclude(kind=AgendaPoint.Kind.OWN).delete()
    candidates = agenda_candidates(results)
    AgendaPoint.objects.bulk_create(
        AgendaPoint(round=round_, board_id=round_.board_id, position=index, **point)
        for index, point in enumerate(candidates)
    )
    return len(candidates)


@transaction.atomic
def agenda_point_update(*, point: AgendaPoint, question: str, note: str) -> AgendaPoint:
    question, note = question.replace("\x00", ""), note.replace("\x00", "")
    if not question.strip():
        raise ValidationError({"question": _("A point needs a question.")})
    point.question = question.strip()
    point.note = note.strip()
    point.save(update_fields=["question", "note"])
    return point


@transaction.atomic
def agenda_point_add(*, round_: Round, standard, question: str) -> AgendaPoint:
    question = question.replace("\x00", "")
    if not question.strip():
        raise ValidationError({"question": _("A point needs a question.")})
    if not round_.questionnaire_version.sections.filter(standard=standard).exists():
        raise ValidationError({"standard": _("Choose a standard of this questionnaire.")})
    last = round_.agenda.order_by("-position").values_list("position", flat=True).first()
    return AgendaPoint.objects.create(
        round=round_,
        board_id=round_.board_id,
        kind=AgendaPoint.Kind.OWN,
        standard=standard,
        question=question.strip(),
        position=(last or 0) + 1,
    )


@transaction.atomic
def agenda_point_delete(*, point: AgendaPoint) -> None:
    point.delete()
