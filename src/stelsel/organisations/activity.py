"""The board's activity log: who changed what and when, across every app's records.

The log reads the history of judgements, evidence, herstelopdrachten, visits, actions, plans,
rounds, meetings and decisions, people and roles, and the board and its schools. Most of those
models live in apps above organisations, which may not import them (tests/test_layers.py). So
the log is a registry: this module holds the mechanism (filtering, paging, merging, showing
what changed) and each app registers its *sources* in its `AppConfig.ready()`, saying how to
read its records of a board, how to name a record in one line, which school a record concerns
and where the object's page is.

A source is either a django-simple-history table (every save, with a diff against the record
before it) or plain rows that carry their own creation date and author (decisions, check-ins,
messages on a judgement). Each source costs one query for its records and, when some of the
shown records are changes, one for the records before them: the page's query count does not
grow with the number of entries.

What is never shown: technical fields (revisions, time stamps kept for conflict checks),
secret ones (token hashes are not even kept in history), and nothing of self-evaluation
answers, which are not history (only the round's own settings and state are).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from heapq import merge
from typing import NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.lib import date_formats
from stelsel.organisations.access import has_unit_permission

PAGE_SIZE = 100

# The kinds of record a reader can filter on, in the order the filter offers them.
GROUPS: dict[str, object] = {
    "judgements": gettext_lazy("Judgements"),
    "evidence": gettext_lazy("Evidence"),
    "assignments": gettext_lazy("Herstelopdrachten"),
    "visits": gettext_lazy("Inspection visits"),
    "actions": gettext_lazy("Actions"),
    "plans": gettext_lazy("Plans and goals"),
    "rounds": gettext_lazy("Self-evaluation rounds"),
    "meetings": gettext_lazy("Meetings and decisions"),
    "people": gettext_lazy("People and roles"),
    "board": gettext_lazy("Board and schools"),
}

# Fields no diff shows, on any source: bookkeeping, not something a person changed.
TECHNICAL_FIELDS = frozenset(
    {
        "id",
        "board",
        "revision",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "position",
        "token_hash",
        "previous_token_hash",
    }
)
# The names of fields whose model gives them no translatable label.
FIELD_LABELS = {
    "school": gettext_lazy("school"),
    "status": gettext_lazy("status"),
    "state": gettext_lazy("state"),
    "user": gettext_lazy("person"),
    "invited_by": gettext_lazy("invited by"),
    "expires_at": gettext_lazy("valid until"),
    "accepted_at": gettext_lazy("accepted on"),
    "revoked_at": gettext_lazy("withdrawn on"),
    "questionnaire_version": gettext_lazy("questionnaire"),
}
LONG_TEXT = 120  # longer values are cut in a diff: the object's page has the whole text


@dataclass(frozen=True)
class Source:
    """One kind of record on the activity page, registered by the app that owns it.

    `records(board)` gives the board's rows (history records when `history`, else plain rows
    with `when` and `who` fields), with `select_related` for what `describe` reads. `school` is
    the lookup from a row to the school it concerns (None: always the board itself; "id" for the
    school's own record). `link(row)` is the path of the object's page, shown when the object
    still exists and the reader holds `view` on its unit.
    """

    key: str
    group: str
    label: object
    records: Callable[[object], QuerySet]
    describe: Callable[[object], str]
    school: str | None = "school"
    link: Callable[[object], str] | None = None
    view: str | None = None
    history: bool = True
    when: str = "history_date"
    who: str = "history_user"
    hidden: frozenset[str] = frozenset()
    diff: bool = True


_sources: dict[str, Source] = {}


def register(*sources: Source) -> None:
    """Called by each app in its `AppConfig.ready()`."""
    for source in sources:
        if source.group not in GROUPS:
            raise ImproperlyConfigured(f"Unknown activity group {source.group!r}")
        _sources[source.key] = source


def registered() -> list[Source]:
    if not _sources:
        raise ImproperlyConfigured(
            "No activity sources are registered; the apps register them in AppConfig.ready()."
        )
    return [_sources[key] for key in sorted(_sources)]


# --- Filters and paging -------------------------------------------------------------------------

BOARD_LEVEL = "board"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Cursor:
    """Where the previous page stopped: the last entry's moment, source and id. Entries are
    ordered by these three, newest first, so no two entries share a place and none is skipped
    between pages."""

    when: datetime
    key: str
    pk: int

    def __str__(self) -> str:
        return f"{(self.when - _EPOCH) // timedelta(microseconds=1)}.{self.key}.{self.pk}"

    @classmethod
    def parse(cls, text: str) -> "Cursor":
        """The cursor written by `str`, or ValueError."""
        micros, key, pk = text.split(".")
        if key not in _sources:
            raise ValueError(text)
        return cls(_EPOCH + timedelta(microseconds=int(micros)), key, int(pk))


@dataclass(frozen=True)
class Filters:
    groups: tuple[str, ...] = ()  # empty: every kind
    school: int | str | None = None  # a school's id, BOARD_LEVEL, or None for every unit
    person: int | None = None
    since: date | None = None
    until: date | None = None
    before: Cursor | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(source: Source, board, filters: Filters) -> QuerySet | None:
    """The source's rows matching the filters, newest first; None when it cannot match."""
    if filters.groups and source.group not in filters.groups:
        return None
    rows = source.records(board)
    if filters.school == BOARD_LEVEL:
        if source.school == "id":
            return None
        if source.school is not None:
            rows = rows.filter(**{f"{source.school}__isnull": True})
    elif filters.school is not None:
        if source.school is None:
            return None
        rows = rows.filter(**{source.school: filters.school})
    if filters.person is not None:
        rows = rows.filter(**{f"{source.who}_id": filters.person})
    if filters.since:
        rows = rows.filter(**{f"{source.when}__gte": _start_of(filters.since)})
    if filters.until:
        rows = rows.filter(**{f"{source.when}__lt": _start_of(filters.until + timedelta(1))})
    if filters.before:
        cursor, when = filters.before, source.when
        if source.key < cursor.key:
            rows = rows.filter(**{f"{when}__lte": cursor.when})
        elif source.key == cursor.key:
            rows = rows.filter(
                Q(**{f"{when}__lt": cursor.when}) | Q(**{when: cursor.when, "pk__lt": cursor.pk})
            )
        else:
            rows = rows.filter(**{f"{when}__lt": cursor.when})
    return rows.order_by(f"-{source.when}", "-pk")


# --- Reading ------------------------------------------------------------------------------------


class Change(NamedTuple):
    """One field of a change. `content` says the values are text people wrote or named (titles,
    names, notes), in the language they wrote it in; the others (choices, dates, numbers) are
    in the reader's language."""

    field: str
    old: str
    new: str
    content: bool


@dataclass(frozen=True)
class ActivityEntry:
    when: datetime
    who: object
    action: str  # "+", "~", "-"
    kind: str
    kind_label: str
    label: str
    school: str  # the school's name, "" for the board itself
    url: str | None
    changes: list["Change"] = field(default_factory=list)


@dataclass(frozen=True)
class ActivityPage:
    entries: list[ActivityEntry]
    older: Cursor | None  # where the next page starts, None on the last page


def _shown_fields(source: Source, model) -> list:
    """The fields of the object a diff may show."""
    hidden = TECHNICAL_FIELDS | source.hidden
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in hidden and not f.name.startswith("history_")
    ]


def _diff_relations(source: Source, history_model) -> list[str]:
    return [
        f.name
        for f in _shown_fields(source, history_model)
        if isinstance(f, models.ForeignKey) and f.name != source.who
    ]


def _rows(source: Source, board, filters: Filters, limit: int) -> list:
    rows = _filtered(source, board, filters)
    if rows is None:
        return []
    if source.school not in (None, "id"):
        rows = rows.select_related(source.school)
    if source.history:
        model = rows.model
        live = model.instance_type
        rows = rows.select_related(source.who).annotate(
            _alive=Exists(live._default_manager.filter(pk=OuterRef("id")))
        )
        if source.diff:
            # (never `select_related()` without names: that would drop the ones above)
            relations = _diff_relations(source, model)
            if relations:
                rows = rows.select_related(*relations)
            rows = rows.annotate(
                _previous=Subquery(
                    model.objects.filter(id=OuterRef("id"))
                    .filter(
                        Q(history_date__lt=OuterRef("history_date"))
                        | Q(history_date=OuterRef("history_date"), pk__lt=OuterRef("pk"))
                    )
                    .order_by("-history_date", "-pk")
                    .values("pk")[:1]
                )
            )
    else:
        rows = rows.select_related(source.who)
    return list(rows[:limit])


def _sort_key(pair):
    source, row = pair
    return (getattr(row, source.when), source.key, row.pk)


def show_value(model_field, record) -> str:
    """A field's value as a reader knows it: a choice's label, the related object's name, a
    date in the page's language, a number with the language's decimal mark."""
    if isinstance(model_field, models.ForeignKey):
        if getattr(record, model_field.attname) is None:
            return ""
        related = getattr(record, model_field.name, None)
        return str(related) if related is not None else _("(removed)")
    value = getattr(record, model_field.attname)
    if value in (None, "", [], {}):
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_formats.date_time(value)
    if isinstance(value, date):
        return date_formats.short_date(value)
    if isinstance(value, Decimal | float):
        return formats.localize(value)
    text = str(value) if not isinstance(value, list) else ", ".join(map(str, value))
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1].rstrip() + "…"


def _field_label(model_field) -> str:
    """The field's label in the reader's language (a label the model does not mark for
    translation is looked up by the field's name)."""
    label = model_field.verbose_name
    if isinstance(label, Promise):
        return str(label)
    return str(FIELD_LABELS.get(model_field.name, label))


def _is_content(model_field) -> bool:
    """Whether the field's values are people's text (see `Change`); a scale level's label is
    shown in the reader's language, other related objects by the name people gave them."""
    if isinstance(model_field, models.ForeignKey):
        return model_field.related_model._meta.label != "frameworks.ScaleLevel"
    return isinstance(model_field, models.CharField | models.TextField) and not model_field.choices


def _changes(source: Source, record, previous) -> list[Change]:
    changes = []
    for model_field in _shown_fields(source, type(record)):
        if getattr(record, model_field.attname) == getattr(previous, model_field.attname):
            continue
        old, new = show_value(model_field, previous), show_value(model_field, record)
        if old != new:
            changes.append(Change(_field_label(model_field), old, new, _is_content(model_field)))
    return changes


def _previous_records(pairs) -> dict[tuple[str, int], object]:
    """The record before each shown change, one query per source."""
    wanted: dict[str, list[int]] = {}
    for source, row in pairs:
        if source.history and source.diff and row.history_type == "~" and row._previous:
            wanted.setdefault(source.key, []).append(row._previous)
    found = {}
    for key, ids in wanted.items():
        source = _sources[key]
        model = type(next(row for s, row in pairs if s.key == key))
        records = model.objects.filter(pk__in=ids)
        relations = _diff_relations(source, model)
        for record in records.select_related(*relations) if relations else records:
            found[(key, record.pk)] = record
    return found


def _school_of(source: Source, row):
    """The school the row concerns (the school's own record for the school source)."""
    if source.school is None:
        return None
    if source.school == "id":
        return row
    value = row
    for part in source.school.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def read(user, board, filters: Filters, *, limit: int | None = None) -> ActivityPage:
    """One page of the board's activity (PAGE_SIZE entries unless `limit`), newest first. The
    caller checks the reader may see the board's activity (Permission.VIEW_ACTIVITY)."""
    limit = limit or PAGE_SIZE
    streams = [
        [(source, row) for row in _rows(source, board, filters, limit + 1)]
        for source in registered()
    ]
    merged = list(merge(*streams, key=_sort_key, reverse=True))
    shown, more = merged[:limit], len(merged) > limit
    previous = _previous_records(shown)
    entries = []
    for source, row in shown:
        school = _school_of(source, row)
        url = None
        alive = getattr(row, "_alive", True)
        if source.link and alive:
            unit = school if source.school != "id" else None
            if source.view is None or has_unit_permission(user, board, source.view, unit):
                url = source.link(row)
        changes = []
        if source.history and row.history_type == "~":
            before = previous.get((source.key, getattr(row, "_previous", None)))
            if before is not None:
                changes = _changes(source, row, before)
        entries.append(
            ActivityEntry(
                when=getattr(row, source.when),
                who=getattr(row, source.who),
                action=row.history_type if source.history else "+",
                kind=source.key,
                kind_label=str(source.label),
                label=source.describe(row),
                school=school.name if school is not None else "",
                url=url,
                changes=changes,
            )
        )
    older = None
    if more and shown:
        source, row = shown[-1]
        older = Cursor(getattr(row, source.when), source.key, row.pk)
    return ActivityPage(entries, older)
