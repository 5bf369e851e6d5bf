"""Template filters shared by all pages (registered as builtins in settings)."""

from django import template
from django.utils.translation import gettext_lazy as _

from stelsel.organisations.roles import role_label as _role_label

register = template.Library()

ACTIVITY_KINDS = {
    "board": _("board"),
    "school": _("school"),
    "membership": _("role"),
    "invitation": _("invitation"),
}

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
def activity_kind(kind: str) -> str:
    return ACTIVITY_KINDS.get(kind, kind)


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
