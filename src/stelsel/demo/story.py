"""The dates of the demo's story, and how what the demo records is given them.

The demo goes through the services, as a user's clicks would, so every row and every history
record it writes is stamped with the moment the demo was loaded. A newcomer would then read that
a March visit's checklist was done last week. These functions move what was just recorded to the
day the story says it happened: the row's own dates and the history records written for it, in
the same transaction. They are called right after each step, in the story's order, so the
history of every object stays in order.
"""

import datetime

from django.utils import timezone

# Stichting Vechtdal Onderwijs started with Stelsel before the summer holidays of 2025;
# Stichting De Eik, the eenpitter, in the winter after.
BOARD_STARTED = datetime.date(2025, 6, 16)
SINGLE_SCHOOL_BOARD_STARTED = datetime.date(2026, 1, 12)
ADVISOR_JOINED_SINGLE_SCHOOL_BOARD = datetime.date(2026, 2, 2)


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """A moment on `day` in the board's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _own_fields(model, names) -> dict:
    fields = {f.name for f in model._meta.concrete_fields}
    return {name for name in names if name in fields}


def created(obj, when: datetime.datetime, *, also=()) -> None:
    """`obj` was made at `when`: its creation (and last change) date, the fields named in
    `also`, and every history record written for it so far."""
    model = type(obj)
    row = dict.fromkeys(_own_fields(model, ("created_at", "updated_at", *also)), when)
    if row:
        model.objects.filter(pk=obj.pk).update(**row)
    for name, value in row.items():  # a later save of this instance keeps the story's dates
        setattr(obj, name, value)
    if hasattr(model, "history"):
        model.history.filter(id=obj.pk).update(history_date=when, **row)


def changed(obj, when: datetime.datetime, **fields) -> None:
    """The change just made to `obj` happened at `when`: its newest history record, and its
    last-change date with the `fields` given on the row and that record alike. Earlier records
    keep their dates."""
    model = type(obj)
    row = dict(fields)
    if _own_fields(model, ("updated_at",)):
        row["updated_at"] = when
    if row:
        model.objects.filter(pk=obj.pk).update(**row)
    for name, value in row.items():
        setattr(obj, name, value)
    if hasattr(model, "history"):
        record = model.history.filter(id=obj.pk).order_by("-history_date", "-history_id").first()
        if record is not None:
            model.history.filter(history_id=record.history_id).update(history_date=when, **row)


def all_created(model, pks, when: datetime.datetime) -> None:
    """Like `created`, for many rows of one model made together (bulk creates)."""
    row = dict.fromkeys(_own_fields(model, ("created_at", "updated_at")), when)
    if row:
        model.objects.filter(pk__in=pks).update(**row)
    if hasattr(model, "history"):
        model.history.filter(id__in=pks).update(history_date=when, **row)
