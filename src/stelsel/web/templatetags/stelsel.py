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
