"""The page side of an edit conflict: the editor's form on the current revision, and the two
versions field by field (rendered by web/_conflict.html).

The form keeps what this editor typed, now carrying the current revision: saving again after
comparing is a deliberate choice to replace the other version.
"""

from dataclasses import dataclass

from django import forms

from stelsel.lib.date_formats import full_date
from stelsel.lib.revisions import EditConflict


def shown(value) -> str:
    """A field's value as the comparison shows it."""
    if value is None or value == "" or value == [] or value == ():
        return "—"
    if hasattr(value, "year") and hasattr(value, "day"):
        return full_date(value)
    if hasattr(value, "hour") and hasattr(value, "minute"):
        return value.strftime("%H:%M")
    if hasattr(value, "all") and callable(value.all):  # a related manager
        value = list(value.all())
    if isinstance(value, list | tuple | set):
        return ", ".join(getattr(v, "code", None) or str(v) for v in value) or "—"
    return str(value)


def choice_label(field, value):
    """A choice as the form names it ("every N weeks", "Monday"), not its stored code; values
    of other fields (rows chosen by id among them) are left as they are."""
    if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.ModelChoiceField):
        return value
    names = {str(key): label for key, label in field.choices}
    if isinstance(value, list | tuple):
        return [names.get(str(v), v) for v in value]
    return names.get(str(value), value)


def form_pairs(fields, names, current, mine: dict, *, saved: dict | None = None) -> list:
    """(label, saved value, editor's value) for the form fields `names`, in that order, under
    the form's labels and with choices by name; `saved` gives stored values that are not plain
    attributes of `current` (a relation's rows, say)."""
    saved = saved or {}
    return [
        (
            fields[name].label,
            saved[name] if name in saved else choice_label(fields[name], getattr(current, name)),
            choice_label(fields[name], mine.get(name)),
        )
        for name in names
    ]


def comparison(pairs) -> list[dict]:
    """Rows of (label, saved value, editor's value), each marked whether they differ."""
    rows = []
    for label, theirs, mine in pairs:
        a, b = shown(theirs), shown(mine)
        rows.append({"label": label, "theirs": a, "mine": b, "differs": a != b})
    return rows


@dataclass
class ConflictView:
    """What a page needs to show a refused save."""

    form: object
    current: object
    by: object
    at: object
    comparison: list[dict]

    def context(self) -> dict:
        return {
            "form": self.form,
            "conflict": self.current or True,
            "conflict_by": self.by,
            "conflict_at": self.at,
            "comparison": self.comparison,
        }


def conflict_view(exc: EditConflict, *, data, form_factory, pairs_of) -> ConflictView:
    """The form rebuilt from the editor's `data` (a QueryDict) on the current revision, and the
    comparison `pairs_of(current, cleaned_data)` makes (a list of (label, theirs, mine)).

    The one who saved is the last author in the row's history when it keeps one, otherwise its
    `updated_by`."""
    current = exc.current
    data = data.copy()
    data["revision"] = str(exc.revision)
    form = form_factory(data)
    form.is_valid()
    by = at = None
    if current is not None:
        history = getattr(current, "history", None)
        last = history.select_related("history_user").first() if history is not None else None
        by = last.history_user if last else getattr(current, "updated_by", None)
        at = last.history_date if last else getattr(current, "updated_at", None)
    cleaned = getattr(form, "cleaned_data", {})
    return ConflictView(form, current, by, at, comparison(pairs_of(current, cleaned)))
