"""What a picture is made of — its entries, the board's own indicators, and the evidence,
actions and herstelopdrachten behind them — read as it stands now or as it stood at a moment.

`read` returns the same plain values either way, so `entries.selectors.picture_view` builds
the rows with one piece of arithmetic whether it shows today or an earlier day: the picture as
of today is the live picture, and a difference between the two would be a bug in one of the
reads.

The past comes from the history (django-simple-history). At a moment, the record of an object
that counts is its newest one by then: the latest `history_date`, and of records with the same
date the latest `history_id`. Without that tie-break every record written at the same instant
would count, and an entry would show up once per record. An object whose newest record is its
deletion, or that has no record yet, did not exist at that moment. The links of evidence and
actions to standards and indicators are kept with each of their records (`m2m_fields`), so they
too are read as they were, not as they are.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.picture import work
from stelsel.picture.models import Assignment, Entry, Evidence, FollowUpOutcome, Indicator


def end_of(day: date) -> datetime:
    """The last instant of a day in local time (settings.TIME_ZONE): the picture "on" a day
    holds everything recorded during that day and nothing after it."""
    return timezone.make_aware(datetime.combine(day, time.max), timezone.get_default_timezone())


def parse_day(value: str | None) -> date | None:
    """A day from a query string (YYYY-MM-DD); None for none given. A malformed date or one
    in the future is a ValidationError with a message for the user."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("Give a date as YYYY-MM-DD.")) from None
    if day > timezone.localdate():
        raise ValidationError(_("The picture cannot be shown for a date in the future."))
    return day


def newest(history: QuerySet, moment: datetime) -> QuerySet:
    """Of the records in `history`, the one that counts at `moment` for each object (see the
    module's docstring), leaving out objects that did not exist then.

    Filters already on `history` (a unit, a picture) are applied to that record only, never
    to the search for it: a herstelopdracht moved to another standard since still counts
    under the standard it had at `moment`.
    """
    model = history.model
    key = model.instance_type._meta.pk.attname
    later = model._default_manager.filter(
        Q(history_date__gt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id")),
        history_date__lte=moment,
        **{key: OuterRef(key)},
    )
    return history.filter(history_date__lte=moment).filter(~Exists(later)).exclude(history_type="-")


@dataclass
class Sources:
    """A picture's material at one moment, as plain values."""

    entries: list  # Entry objects (built from their records when read at a moment)
    indicators: dict  # id -> the indicator (or its record then): code, title, perspective
    evidence: list  # (evidence id, standard id | None, indicator id | None, expires on)
    open_actions: list  # (action id, standard id | None, indicator id | None)
    open_assignments: list  # (herstelopdracht id, standard id)


def read(picture, moment: datetime | None = None) -> Sources:
    """The picture's material now (`moment` None) or at `moment`, in a fixed number of
    queries, whatever the number of entries, items or records."""
    if moment is None:
        return _now(picture)
    return _then(picture, moment)


def _unit(picture) -> dict:
    return {"board_id": picture.board_id, "school_id": picture.school_id}


def _now(picture) -> Sources:
    Action = work.action_model()
    unit = _unit(picture)
    evidence = Evidence.objects.filter(**unit)
    actions = Action.objects.filter(**unit).exclude(status__in=work.finished_states())
    return Sources(
        entries=list(Entry.objects.filter(picture_id=picture.pk)),
        indicators={i.pk: i for i in Indicator.objects.filter(board_id=picture.board_id)},
        evidence=[
            (e, s, None, expires)
            for e, s, expires in Evidence.standards.through.objects.filter(
                evidence__in=evidence
            ).values_list("evidence_id", "standard_id", "evidence__expires_on")
        ]
        + [
            (e, None, i, expires)
            for e, i, expires in Evidence.indicators.through.objects.filter(
                evidence__in=evidence
            ).values_list("evidence_id", "indicator_id", "evidence__expires_on")
        ],
        open_actions=[
            (a, s, None)
            for a, s in Action.standards.through.objects.filter(action__in=actions).values_list(
                "action_id", "standard_id"
            )
        ]
        + [
            (a, None, i)
            for a, i in Action.indicators.through.objects.filter(action__in=actions).values_list(
                "action_id", "indicator_id"
            )
        ],
        open_assignments=list(
            Assignment.objects.filter(**unit)
            .exclude(follow_up_outcome=FollowUpOutcome.SUFFICIENT)
            .values_list("pk", "standard_id")
        ),
    )


def _then(picture, moment: datetime) -> Sources:
    Action = work.action_model()
    unit = _unit(picture)
    entries = [
        record.instance
        for record in newest(Entry.history.filter(picture_id=picture.pk), moment).order_by()
    ]
    # An indicator's code and title as they were; the present one only if its history is
    # missing (the entry shows that the indicator existed).
    indicators = {i.pk: i for i in Indicator.objects.filter(board_id=picture.board_id)}
    for record in newest(Indicator.history.filter(board_id=picture.board_id), moment):
        indicators[record.id] = record
    evidence = newest(Evidence.history.filter(**unit), moment).values("history_id")
    actions = (
        newest(Action.history.filter(**unit), moment)
        .exclude(status__in=work.finished_states())
        .values("history_id")
    )
    links = Evidence.history.model
    action_links = Action.history.model
    return Sources(
        entries=entries,
        indicators=indicators,
        evidence=[
            (e, s, None, expires)
            for e, s, expires in links.standards.filter(history__in=evidence).values_list(
                "evidence_id", "standard_id", "history__expires_on"
            )
        ]
        + [
            (e, None, i, expires)
            for e, i, expires in links.indicators.filter(history__in=evidence).values_list(
                "evidence_id", "indicator_id", "history__expires_on"
            )
        ],
        open_actions=[
            (a, s, None)
            for a, s in action_links.standards.filter(history__in=actions).values_list(
                "action_id", "standard_id"
            )
        ]
        + [
            (a, None, i)
            for a, i in action_links.indicators.filter(history__in=actions).values_list(
                "action_id", "indicator_id"
            )
        ],
        open_assignments=list(
            newest(Assignment.history.filter(**unit), moment)
            .exclude(follow_up_outcome=FollowUpOutcome.SUFFICIENT)
            .values_list("id", "standard_id")
        ),
    )
