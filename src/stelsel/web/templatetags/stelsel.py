"""Template filters shared by all pages (registered as builtins in settings)."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy as _

from stelsel.frameworks.level_labels import shown as _shown_level
from stelsel.lib import date_formats
from stelsel.organisations.roles import role_label as _role_label

register = template.Library()

IMPORT_ACTIONS = {
    "create_board": _("new board"),
    "update_board": _("board changed"),
    "create_school": _("new school"),
    "update_school": _("school changed"),
}


@register.filter
def role_label(role: str) -> str:
    return _role_label(role)


@register.filter
def import_action(action: str) -> str:
    return IMPORT_ACTIONS.get(action, action)


ROUND_TONES = {"draft": "", "open": "info", "closed": "warn", "shared": "positive"}


@register.filter
def round_tone(state: str) -> str:
    return ROUND_TONES.get(state, "")


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key` for dicts keyed by ids, which templates cannot index."""
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def percent(share) -> str:
    return "" if share is None else f"{round(share * 100)}%"


@register.filter
def perspective_name(key, perspectives) -> str:
    return next((str(p) for p in perspectives if p.pk == key), "")


# The kinds of date (see stelsel.lib.date_formats): `{{ day|short_date }}`, never a pattern.
for _kind in date_formats.KINDS:
    register.filter(_kind, getattr(date_formats, _kind), expects_localtime=True)


@register.filter
def content(value) -> str:
    """Text people wrote or a framework holds (names, standards, minutes), marked with the
    language it is written in when the page is in another one: a screen reader then reads Dutch
    content in an English page with Dutch pronunciation (WCAG 3.1.2, language of parts).
    Stelsel's content is written in the site's language, Dutch."""
    if value in (None, ""):
        return value
    if translation.get_language() == settings.LANGUAGE_CODE:
        return conditional_escape(value)
    tag = "div" if "<p>" in str(value) else "span"  # paragraphs from |linebreaks need a block
    return format_html('<{} lang="{}">{}</{}>', tag, settings.LANGUAGE_CODE, value, tag)


@register.filter
def level_label(label: str) -> str:
    """A scale level's label as stored (the library's Dutch) in the reader's language."""
    return _shown_level(label or "")
