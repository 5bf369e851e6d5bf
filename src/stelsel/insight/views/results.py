"""Pages for results: the board's data overview, a school's results with the coming window and
what is needed next year, and entering, changing and removing a school's own year.

Views are thin: the board, school and OVT come through the access modules (404 for what the
user does not see, 403 for what they may not change), reads through `insight.selectors`,
writes through `insight.results_entry`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.insight import selectors
from stelsel.insight.access import get_ovt_for_user, ovts_for_user
from stelsel.insight.forms.results import ExpectedPupilsForm, ResultEntryForm
from stelsel.insight.models import PoResult, ResultSource
from stelsel.insight.results_entry import (
    entry_years,
    po_result_delete,
    po_result_enter,
    school_year_label,
)
from stelsel.lib.forms import add_service_errors
from stelsel.organisations.access import get_school_for_user, has_permission
from stelsel.organisations.decorators import board_view, kept_page
from stelsel.organisations.roles import Permission

# Years a URL can name; anything else is no entry (and no query with an absurd number).
MIN_YEAR, MAX_YEAR = 2000, 2100


@board_view(Permission.VIEW_DATA)
@kept_page
def data(request, board):
    user = request.user
    return render(
        request,
        "insight/results/data.html",
        {
            "board": board,
            "overview": selectors.data_overview(user, board),
            "can_link": has_permission(user, board, Permission.MANAGE_DATA),
            "tones": selectors.OUTCOME_TONES,
            "labels": selectors.OUTCOME_LABELS,
            "outcome_choices": list(selectors.OUTCOME_LABELS.items()),
        },
    )


def _school_page_url(board, school, ovt_id=None) -> str:
    url = reverse("insight:school_results", args=[board.pk, school.pk])
    return f"{url}#ovt-{ovt_id}" if ovt_id else url


@board_view(Permission.VIEW_DATA)
@kept_page
def school_results(request, board, school_id):
    user = request.user
    school = get_school_for_user(user, board, school_id, permission=Permission.VIEW_DATA)
    expected, expected_form = {}, None
    if "ovt" in request.GET:
        expected_form = ExpectedPupilsForm(request.GET)
        if expected_form.is_valid():
            expected = {expected_form.cleaned_data["ovt"]: expected_form.cleaned_data["verwacht"]}
    results = selectors.school_results(user, board, school, expected)
    forms_by_ovt = {}
    for item in results.ovts:
        if item.needed is None:
            continue
        # Ids per OVT: the page holds one of these forms for each.
        auto_id = f"id_%s_{item.id}"
        if expected_form is not None and str(item.id) == request.GET.get("ovt"):
            forms_by_ovt[item.id] = ExpectedPupilsForm(request.GET, auto_id=auto_id)
        else:
            forms_by_ovt[item.id] = ExpectedPupilsForm(
                initial={"ovt": item.id, "verwacht": item.needed.pupils_expected}, auto_id=auto_id
            )
    return render(
        request,
        "insight/results/school.html",
        {
            "board": board,
            "school": school,
            "results": results,
            "expected_forms": forms_by_ovt,
            "can_enter": has_permission(user, board, Permission.ENTER_DATA, school=school),
            "can_link": has_permission(user, board, Permission.MANAGE_DATA),
            "tones": selectors.OUTCOME_TONES,
            "labels": selectors.OUTCOME_LABELS,
        },
    )


def _entry_fields(data: dict) -> dict:
    return {name: data.get(name) for name in ("pupils", "fundamental", "target")}


@board_view(Permission.VIEW_DATA)
def result_create(request, board, school_id):
    user = request.user
    school = get_school_for_user(user, board, school_id, permission=Permission.ENTER_DATA)
    ovts = ovts_for_user(user, board).filter(school=school, linked_at__isnull=False)
    choices = list(ovts)
    context = {"board": board, "school": school, "form": None}
    if not choices:
        context["can_link"] = has_permission(user, board, Permission.MANAGE_DATA)
        return render(request, "insight/results/entry_form.html", context)
    ranges = [entry_years(ovt) for ovt in choices]
    years = sorted({y for r in ranges for y in r.years})
    if not years:
        # The inspectorate has published the current school year already: nothing to add.
        context["up_to_date"] = school_year_label(max(r.last for r in ranges))
        return render(request, "insight/results/entry_form.html", context)
    chosen = request.GET.get("ovt")
    first = next((i for i, o in enumerate(choices) if str(o.pk) == chosen), 0)
    initial = {"ovt": choices[first].pk, "year": ranges[first].default}
    form = ResultEntryForm(request.POST or None, ovts=ovts, years=years, initial=initial)
    if request.method == "POST" and form.is_valid():
        ovt = form.cleaned_data["ovt"]
        try:
            result = po_result_enter(
                ovt=ovt,
                year=form.cleaned_data["year"],
                user=user,
                **_entry_fields(form.cleaned_data),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The results of %(year)s are saved; the coming window and what is needed are "
                    "below."
                )
                % {"year": school_year_label(result.year)},
            )
            return redirect(_school_page_url(board, school, ovt.pk))
    context |= {"form": form, "years": years}
    return render(request, "insight/results/entry_form.html", context)


def _own_entry(request, board, school_id, ovt_id, year):
    """The school (ENTER_DATA), its OVT and the school's own entry of `year`, else 404/403."""
    user = request.user
    school = get_school_for_user(user, board, school_id, permission=Permission.ENTER_DATA)
    ovt = get_ovt_for_user(user, board, ovt_id, write=True)
    if ovt.school_id != school.pk or not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    result = PoResult.objects.filter(ovt=ovt, year=year, source=ResultSource.SCHOOL).first()
    if result is None:
        raise Http404
    return school, ovt, result


def _number(value) -> str:
    return "" if value is None else formats.number_format(value, 2)


@board_view(Permission.VIEW_DATA)
def result_edit(request, board, school_id, ovt_id, year):
    school, ovt, result = _own_entry(request, board, school_id, ovt_id, year)
    initial = {
        "pupils": result.pupils,
        "fundamental": _number(result.fundamental),
        "target": _number(result.target),
    }
    form = ResultEntryForm(request.POST or None, fixed=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            po_result_enter(
                ovt=ovt, year=result.year, user=request.user, **_entry_fields(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The results of %(year)s are changed.") % {"year": school_year_label(year)},
            )
            return redirect(_school_page_url(board, school, ovt.pk))
    return render(
        request,
        "insight/results/entry_form.html",
        {"board": board, "school": school, "form": form, "ovt": ovt, "result": result},
    )


@require_POST
@board_view(Permission.VIEW_DATA)
def result_delete(request, board, school_id, ovt_id, year):
    school, ovt, result = _own_entry(request, board, school_id, ovt_id, year)
    po_result_delete(result=result)
    messages.success(
        request,
        _("The own results of %(year)s are removed.") % {"year": school_year_label(year)},
    )
    return redirect(_school_page_url(board, school, ovt.pk))
