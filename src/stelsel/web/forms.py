"""Helpers shared by the forms of every app."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form, exc: ValidationError, *, rename: dict | None = None) -> None:
    """Show a service's validation errors on the form: on the field they name when the form has
    it (`rename` maps a service's field name to the form's), otherwise above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        field = (rename or {}).get(name, name)
        form.add_error(field if field in form.fields else None, errors)


FIRST_YEAR, LAST_YEAR = 1900, 2200  # dates Stelsel plans with; beyond are typing errors


def plausible_date(day) -> bool:
    """Whether a date lies in the years anyone plans or meets in. Dates far outside would make
    date arithmetic (a period plus four years, a rhythm's next occurrence) overflow."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _within_bigint(values) -> None:
    """Ids beyond a database bigint are not ids: refuse them as invalid choices before the
    database is asked (SQLite would raise an overflow instead of finding nothing)."""
    from stelsel.organisations.access import MAX_ID

    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue  # the field's own validation names it
        if not 0 < number <= MAX_ID:
            raise ValidationError(
                forms.ModelChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
            )


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            _within_bigint([value])
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        _within_bigint(value)
        return super()._check_values(value)
