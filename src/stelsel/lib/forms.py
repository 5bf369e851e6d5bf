"""Helpers shared by the forms of every app."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.html import format_html


def add_service_errors(form, exc: ValidationError, *, rename: dict | None = None) -> None:
    """Show a service's validation errors on the form: on the field they name when the form has
    it (`rename` maps a service's field name to the form's), otherwise above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        field = (rename or {}).get(name, name)
        form.add_error(field if field in form.fields else None, errors)


def in_its_language(text: str):
    """Text a board or programme wrote (Dutch) used as a label, marked with its language on a
    page in another one, so a screen reader reads it in Dutch (WCAG 3.1.2); as it is on a
    Dutch page."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return text
    return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, text)
