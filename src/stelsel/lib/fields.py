"""Form fields and widgets every app's forms share.

Fields that choose a row by id refuse ids no row can have: ids beyond a database bigint are
refused as invalid choices before the database is asked (SQLite would raise an overflow
instead of finding nothing). Dates are typed in the browser's own date picker.
"""

from django import forms
from django.core.exceptions import ValidationError

from stelsel.lib.ids import MAX_ID


def _within_bigint(values) -> None:
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


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            _within_bigint([value])
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        _within_bigint(value)
        return super()._check_values(value)


def date_input() -> forms.DateInput:
    """The browser's date picker, sending and showing dates as YYYY-MM-DD."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
