"""Pages of evidence: the board's list, adding and changing evidence, its versions, and the
download of one version.

Everyone who sees a unit reads and downloads its evidence; those who may contribute to the
unit add and change it. Objects come through access.py: another board's evidence is a 404,
evidence seen but not to be changed a 403.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.lib.forms import add_service_errors
from stelsel.lib.ids import parse_id
from stelsel.organisations.access import (
    get_school_for_user,
    has_permission,
    has_unit_permission,
    require_unit,
    schools_for_user,
)
from stelsel.organisations.decorators import board_view, kept_page
from stelsel.organisations.roles import Permission
from stelsel.picture.access import get_evidence_for_user, indicators_for_user
from stelsel.picture.evidence import selectors, services
from stelsel.picture.evidence.forms import (
    BOARD_UNIT,
    EvidenceEditForm,
    EvidenceFilterForm,
    EvidenceForm,
    EvidenceVersionForm,
    unit_value,
)
from stelsel.picture.models import EvidenceKind
from stelsel.selfevaluation.access import may_see_results, rounds_for_user
from stelsel.selfevaluation.models import RoundState


@board_view(Permission.VIEW_PICTURE)
@kept_page
def evidence_list(request, board):
    user = request.user
    form = EvidenceFilterForm(
        request.GET or None,
        schools=schools_for_user(user, board).order_by("name"),
        board_unit=has_unit_permission(user, board, Permission.VIEW_PICTURE, None),
        standards=selectors.current_standards(user, board),
    )
    filters = form.filters() if form.is_valid() else {}
    return render(
        request,
        "picture/evidence_list.html",
        {
            "board": board,
            "form": form,
            "rows": selectors.evidence_list(user, board, **filters),
            "filtered": any(v not in (None, selectors.ALL_UNITS) for v in filters.values()),
            "can_add": has_permission(user, board, Permission.CONTRIBUTE_PICTURE),
        },
    )


def _preselected_unit(request, units):
    """The unit named by `?school=` ('board' or empty for the board itself), if offered."""
    if "school" not in request.GET:
        return selectors.ALL_UNITS
    wanted = request.GET["school"] or BOARD_UNIT
    return next((u for u in units if unit_value(u) == wanted), selectors.ALL_UNITS)


def _chosen_unit(user, board, value: str):
    """The unit picked in the form, fetched through access.py and checked for writing."""
    school = None if value == BOARD_UNIT else get_school_for_user(user, board, value)
    require_unit(user, board, Permission.CONTRIBUTE_PICTURE, school)
    return school


@board_view(Permission.CONTRIBUTE_PICTURE)
@kept_page
def evidence_create(request, board):
    user = request.user
    units = selectors.contributable_units(user, board)
    unit = _preselected_unit(request, units)
    rounds = rounds_for_user(user, board).filter(state__in=[RoundState.CLOSED, RoundState.SHARED])
    if unit is not selectors.ALL_UNITS:
        rounds = rounds.filter(school=unit)
    standards = list(selectors.current_standards(user, board, unit))
    indicators = indicators_for_user(user, board).filter(active=True)
    initial = {}
    if unit is not selectors.ALL_UNITS:
        initial["school"] = unit_value(unit)
    if (pk := parse_id(request.GET.get("standard"))) in {s.pk for s in standards}:
        initial["standards"] = [pk]
    if (pk := parse_id(request.GET.get("indicator"))) is not None:
        initial["indicators"] = list(indicators.filter(pk=pk).values_list("pk", flat=True))
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        units=units,
        rounds=rounds.select_related("school").order_by("-closes_on"),
        standards=standards,
        indicators=indicators,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evidence = services.evidence_create(
                board=board,
                school=_chosen_unit(user, board, data["school"]),
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                url=data["url"],
                round=data["round"],
                effective_on=data["effective_on"],
                expires_on=data["expires_on"],
                standards=data["standards"],
                indicators=data["indicators"],
                upload=data["upload"],
                user=user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Evidence “%(title)s” added.") % {"title": evidence.title})
            return redirect("picture:evidence_detail", board_id=board.pk, evidence_id=evidence.pk)
    return render(
        request,
        "picture/evidence_form.html",
        {"board": board, "form": form, "kinds": EvidenceKind},
    )


@board_view(Permission.VIEW_PICTURE)
def evidence_detail(request, board, evidence_id):
    user = request.user
    evidence = get_evidence_for_user(user, board, evidence_id)
    can_change = has_unit_permission(user, board, Permission.CONTRIBUTE_PICTURE, evidence.school)
    return render(
        request,
        "picture/evidence_detail.html",
        {
            "board": board,
            "detail": selectors.evidence_detail(evidence),
            "evidence": evidence,
            "can_change": can_change,
            "may_see_results": bool(evidence.round_id) and may_see_results(user, evidence.round),
            "version_form": EvidenceVersionForm()
            if can_change and evidence.kind == EvidenceKind.DOCUMENT
            else None,
        },
    )


@board_view(Permission.VIEW_PICTURE)  # the evidence is looked up first: 404 before 403
def evidence_edit(request, board, evidence_id):
    user = request.user
    evidence = get_evidence_for_user(user, board, evidence_id, write=True)
    linked = list(evidence.standards.select_related("framework_version"))
    standards = list(selectors.current_standards(user, board, evidence.school))
    standards += [s for s in linked if s.pk not in {c.pk for c in standards}]
    indicators = indicators_for_user(user, board).filter(
        Q(active=True) | Q(pk__in=evidence.indicators.values("pk"))
    )
    form = EvidenceEditForm(
        request.POST or None,
        initial={
            "title": evidence.title,
            "description": evidence.description,
            "url": evidence.url,
            "effective_on": evidence.effective_on,
            "expires_on": evidence.expires_on,
            "standards": [s.pk for s in linked],
            "indicators": list(evidence.indicators.values_list("pk", flat=True)),
        },
        with_url=evidence.kind == EvidenceKind.LINK,
        standards=standards,
        indicators=indicators,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evidence_update(
                evidence=evidence,
                title=data["title"],
                description=data["description"],
                url=data.get("url"),
                effective_on=data["effective_on"],
                expires_on=data["expires_on"],
                standards=data["standards"],
                indicators=data["indicators"],
                user=user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Evidence “%(title)s” saved.") % {"title": data["title"]})
            return redirect("picture:evidence_detail", board_id=board.pk, evidence_id=evidence.pk)
    return render(
        request,
        "picture/evidence_edit.html",
        {"board": board, "evidence": evidence, "form": form},
    )


@require_POST
@board_view(Permission.VIEW_PICTURE)  # the evidence is looked up first: 404 before 403
def evidence_version(request, board, evidence_id):
    evidence = get_evidence_for_user(request.user, board, evidence_id, write=True)
    form = EvidenceVersionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the file to upload.") + " " + _("Nothing was stored."))
    else:
        try:
            record = services.evidence_add_version(
                evidence=evidence, upload=form.cleaned_data["upload"], user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages) + " " + _("Nothing was stored."))
        else:
            messages.success(request, _("Version %(n)d added.") % {"n": record.version})
    return redirect("picture:evidence_detail", board_id=board.pk, evidence_id=evidence.pk)


@board_view(Permission.VIEW_PICTURE)
def evidence_download(request, board, evidence_id, file_id):
    """One version as an attachment, under its cleaned name and its checked content type; the
    browser is told not to guess another type."""
    evidence = get_evidence_for_user(request.user, board, evidence_id)
    record = selectors.file_of(evidence, file_id)
    if record is None:
        raise Http404
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=record.name, content_type=record.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
