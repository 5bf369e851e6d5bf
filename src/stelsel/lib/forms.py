"""Helpers shared by the forms of every app."""

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
