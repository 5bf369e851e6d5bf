"""Pages that work per unit (a school, or the board itself): the first step that asks for the
unit before a form, and the filter on the unit above a list.

Herstelopdrachten, plans, actions and the calendar's tables all ask and filter the same way.
"""

from dataclasses import dataclass

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import Permission
from stelsel.organisations.units import BOARD_UNIT, unit_from_value, units_with


def visible_units(user, board: Board) -> list[tuple[str, str]]:
    """The units whose objects the user sees, as (query value, name) for filters."""
    return units_with(user, board, Permission.VIEW_PICTURE)


def choose_unit(
    request,
    board: Board,
    units,
    title: str,
    keep: tuple[str, ...] = (),
    *,
    crumb: tuple[str, str] | None = None,
    empty: str | None = None,
):
    """A first step that asks for the unit, keeping the other preselections (`keep`: names of
    query parameters). `crumb` is (address, label) of the page it belongs to; `empty` says why
    there is nothing to choose."""
    return render(
        request,
        "organisations/unit_choice.html",
        {
            "board": board,
            "title": title,
            "units": units,
            "keep": [(name, request.GET[name]) for name in keep if request.GET.get(name)],
            "crumb": crumb,
            "empty": empty,
        },
    )


class UnitFilterForm(forms.Form):
    school = forms.ChoiceField(label=gettext_lazy("School"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", _("All"))] + units


def filter_unit(queryset, value: str):
    """Only the objects of the unit a filter names ("" for every unit)."""
    if value == BOARD_UNIT:
        return queryset.filter(school__isnull=True)
    if value:
        return queryset.filter(school_id=int(value))
    return queryset


@dataclass
class UnitStep:
    """Where a create page stands: the unit it works in, or the page asking for it."""

    school: School | None = None
    asks: HttpResponse | None = None  # the first step, when the unit is not known yet
    choices: int = 0  # how many units the user may create in ("another unit" when more than 1)


def unit_step(request, board: Board, permission: str, title: str, *, value: str = "", **choice):
    """The unit a create page works in: the one named by `value` or `?school=`, or the only one
    the user may create in with `permission`, checked (404/403); with several and none named,
    `asks` holds the first step (`choose_unit` with `title` and `choice`)."""
    units = units_with(request.user, board, permission)
    value = value or request.GET.get("school", "")
    if not value:
        if len(units) != 1:
            return UnitStep(asks=choose_unit(request, board, units, title, **choice))
        value = units[0][0]
    school = unit_from_value(request.user, board, value, permission)
    return UnitStep(school=school, choices=len(units))
