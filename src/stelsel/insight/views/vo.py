"""Pages for secondary schools' results: the board's VO schools with their computed judgement,
a school's four indicators per results period with the decision rule, entering and deleting
the values read in the Internet Schooldossier, and the upload of DUO's exam results and pupil
counts with a preview before anything is saved.

Views are thin: schools come through the access rules, figures through `vo_results`, writes
through `vo_entry` and `duo_imports`.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.insight import vo_model
from stelsel.insight.duo_imports import (
    PUPILS_CODE,
    apply_exams,
    apply_pupils,
    plan_exams,
    plan_pupils,
)
from stelsel.insight.forms.vo import DuoUploadForm, VoValuesForm
from stelsel.insight.library import norms_ensure_loaded
from stelsel.insight.models import ImportKind, Measurement, VoValue
from stelsel.insight.sheets import DataFileError
from stelsel.insight.uploads import upload_keep, upload_take
from stelsel.insight.vo_entry import (
    FIRST_YEAR,
    ISD,
    latest_school_year,
    vo_values_delete,
    vo_values_save,
)
from stelsel.insight.vo_results import (
    AFDELING_LABELS,
    CORRECTION_LABELS,
    INDICATOR_LABELS,
    JUDGEMENT_LABELS,
    JUDGEMENT_TONES,
    exam_overview,
    latest_periods,
    period_label,
    published_norms,
    school_periods,
)
from stelsel.lib.forms import add_service_errors
from stelsel.organisations.access import get_school_for_user, has_permission, schools_for_user
from stelsel.organisations.decorators import board_view
from stelsel.organisations.models import SchoolKind
from stelsel.organisations.roles import Permission

DUO_KINDS = {
    ImportKind.DUO_EXAMS: (plan_exams, apply_exams, "insight:duo_exams_confirm"),
    ImportKind.DUO_PUPILS: (plan_pupils, apply_pupils, "insight:duo_pupils_confirm"),
}


def _vo_school(user, board, school_id, permission: str = Permission.VIEW_DATA):
    """A secondary school of the board the user sees (else 404) with `permission` (else 403)."""
    school = get_school_for_user(user, board, school_id, permission=permission)
    if school.kind != SchoolKind.VO:
        raise Http404
    return school


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


def _school_url(board, school, year: int | None = None) -> str:
    url = reverse("insight:vo_school", args=[board.pk, school.pk])
    return f"{url}?jaar={year}" if year else url


@board_view(Permission.VIEW_DATA)
def vo_overview(request, board):
    """The board's secondary schools with the computed judgement of their newest period."""
    schools = list(schools_for_user(request.user, board).filter(kind=SchoolKind.VO))
    periods = latest_periods(schools)
    return render(
        request,
        "insight/vo/overview.html",
        {
            "board": board,
            "rows": [
                {
                    "school": school,
                    "period": periods.get(school.pk),
                    "judgements": _judgement_rows(periods[school.pk])
                    if school.pk in periods
                    else [],
                }
                for school in schools
            ],
            "can_import": has_permission(request.user, board, Permission.MANAGE_DATA),
        },
    )


@board_view(Permission.VIEW_DATA)
def vo_school(request, board, school_id):
    """One school's indicators per results period, the judgement per afdeling, and DUO's
    exam results and pupil counts beside them."""
    school = _vo_school(request.user, board, school_id)
    periods = school_periods(school)
    try:
        chosen = int(request.GET.get("jaar", ""))
    except ValueError:
        chosen = None
    if chosen not in periods:
        chosen = max(periods) if periods else None
    period = periods.get(chosen)
    exams = exam_overview(school)
    can_enter = has_permission(request.user, board, Permission.ENTER_DATA, school=school)
    latest = latest_school_year()
    pupils = (
        Measurement.objects.filter(school=school, indicator__code__iexact=PUPILS_CODE)
        .order_by("-measured_on")
        .first()
    )
    return render(
        request,
        "insight/vo/school.html",
        {
            "board": board,
            "school": school,
            "periods": [(year, period_label(year)) for year in sorted(periods, reverse=True)],
            "period": period,
            "rows": _judgement_rows(period) if period else [],
            "details": _detail_rows(period) if period else [],
            "exams": exams,
            "cross_check": _cross_check(period, exams) if period else [],
            "pupils": pupils,
            "can_enter": can_enter,
            "new_periods": [
                (year, period_label(year)) for year in (latest, latest - 1) if year not in periods
            ],
            "indicator_labels": [
                (vo_model.R_NUMBER[c], INDICATOR_LABELS[c]) for c in vo_model.INDICATORS
            ],
        },
    )


def _cell(value: vo_model.Value | None) -> dict | None:
    if value is None:
        return None
    return {"value": value.value, "norm": value.norm, "below": value.qualification == "below"}


def _judgement_rows(period) -> list[dict]:
    return [
        {
            "afdeling_code": row.afdeling,
            "afdeling": AFDELING_LABELS.get(row.afdeling, row.afdeling),
            "cells": [_cell(row.values[code]) for code in vo_model.INDICATORS],
            "judgement": JUDGEMENT_LABELS[row.judgement],
            "tone": JUDGEMENT_TONES[row.judgement],
            "below": [vo_model.R_NUMBER[c] for c in row.below],
        }
        for row in period.judgements
    ]


def _detail_rows(period) -> list[dict]:
    order = {code: n for n, code in enumerate(vo_model.INDICATORS)}
    values = sorted(
        period.values,
        key=lambda v: (order[v.indicator], vo_model.afdeling_order(v.afdeling)),
    )
    return [
        {
            "r": vo_model.R_NUMBER[v.indicator],
            "indicator": INDICATOR_LABELS[v.indicator],
            "afdeling": AFDELING_LABELS.get(v.afdeling, v.afdeling),
            "value": v.value,
            "norm": v.norm,
            "shares": [
                (CORRECTION_LABELS.get(k, k), vo_model.round2(Decimal(s) * 100))
                for k, s in v.shares.items()
            ],
            "below": vo_model.qualify(v.value, v.norm) == vo_model.BELOW,
        }
        for v in values
    ]


def _cross_check(period, exams) -> list[dict]:
    duo = exams.cross_check(period.last_year)
    rows = []
    for afdeling in vo_model.AFDELINGEN:
        entered = period.value(vo_model.EXAMENCIJFERS, afdeling)
        if entered is None and afdeling not in duo:
            continue
        rows.append(
            {
                "afdeling": AFDELING_LABELS[afdeling],
                "entered": entered.value if entered else None,
                "duo": duo.get(afdeling),
            }
        )
    return rows


@board_view(Permission.VIEW_DATA)  # the school is looked up first: 404 before 403
def vo_entry(request, board, school_id, year):
    """Enter or correct the school's values for the period ending in `year`."""
    school = _vo_school(request.user, board, school_id, Permission.ENTER_DATA)
    _year_or_404(year)
    norms_ensure_loaded()
    published = published_norms(year)
    stored = list(VoValue.objects.filter(school=school, last_year=year, source=ISD))
    form = VoValuesForm(request.POST or None, published=published, stored=stored)
    if request.method == "POST" and form.is_valid():
        try:
            vo_values_save(
                board=board,
                school=school,
                last_year=year,
                entries=form.entries(),
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The values for %(period)s are saved; the judgement and signals follow them.")
                % {"period": period_label(year)},
            )
            return redirect(_school_url(board, school, year))
    return render(
        request,
        "insight/vo/entry.html",
        {
            "board": board,
            "school": school,
            "year": year,
            "period": period_label(year),
            "form": form,
            "editing": bool(stored),
        },
    )


@board_view(Permission.VIEW_DATA)  # the school is looked up first: 404 before 403
def vo_delete(request, board, school_id, year):
    """Confirm, then remove what the board entered for the period."""
    school = _vo_school(request.user, board, school_id, Permission.ENTER_DATA)
    _year_or_404(year)
    if not VoValue.objects.filter(school=school, last_year=year, source=ISD).exists():
        raise Http404
    if request.method == "POST":
        vo_values_delete(board=board, school=school, last_year=year)
        messages.success(
            request, _("The values for %(period)s are deleted.") % {"period": period_label(year)}
        )
        return redirect(_school_url(board, school))
    return render(
        request,
        "insight/vo/delete.html",
        {"board": board, "school": school, "year": year, "period": period_label(year)},
    )


# --- DUO's files -------------------------------------------------------------------------------


def _session_key(board, kind: str) -> str:
    return f"insight-duo-{board.pk}-{kind}"


@board_view(Permission.MANAGE_DATA)
def duo_upload(request, board, kind):
    """Upload DUO's exam results or pupil counts and see what importing them for this board
    does, before anything is saved."""
    plan_for, _apply, confirm = DUO_KINDS[kind]
    form = DuoUploadForm(request.POST or None, request.FILES or None)
    report = pending = None
    if request.method == "POST" and form.is_valid():
        upload, year = form.cleaned_data["file"], form.cleaned_data["year"]
        data = upload.read()
        try:
            plan = plan_for(data, upload.name, board_number=board.number, year=year)
        except DataFileError as exc:
            form.add_error("file", str(exc))
        else:
            key = _session_key(board, kind)
            pending = upload_keep(
                data=data, file_name=upload.name, kind=kind, previous=request.session.get(key)
            )
            pending["year"] = year
            request.session[key] = pending
            report = plan.report
    return render(
        request,
        "insight/vo/duo_upload.html",
        {
            "board": board,
            "kind": kind,
            "exams": kind == ImportKind.DUO_EXAMS,
            "title": ImportKind(kind).label,
            "form": form,
            "report": report,
            "pending": pending,
            "confirm_url": reverse(confirm, args=[board.pk]),
        },
    )


@require_POST
@board_view(Permission.MANAGE_DATA)
def duo_confirm(request, board, kind):
    """Import exactly the previewed file, in one transaction."""
    plan_for, apply, _confirm = DUO_KINDS[kind]
    pending = request.session.pop(_session_key(board, kind), None)
    back = "insight:duo_exams" if kind == ImportKind.DUO_EXAMS else "insight:duo_pupils"
    try:
        data, name = upload_take(pending=pending, sha256=request.POST.get("sha256", ""), kind=kind)
        report = apply(
            plan_for(data, name, board_number=board.number, year=pending.get("year")),
            user=request.user,
        )
    except DataFileError as exc:
        messages.error(request, _("Nothing was imported: %(error)s") % {"error": exc})
        return redirect(back, board_id=board.pk)
    messages.success(
        request,
        _("Imported: %(n)d school locations from %(file)s.")
        % {"n": report.counts["locations_imported"], "file": name},
    )
    if kind == ImportKind.DUO_EXAMS:
        return redirect("insight:vo_overview", board_id=board.pk)
    return redirect(back, board_id=board.pk)
