"""Pages for the board's own indicators: the overview of their latest values, one indicator's
measurements, entering, correcting and removing a value, and importing a school's own figures
from another system's export (upload, column mapping, preview, confirm).

Views are thin: the board, indicators, measurements and saved mappings come through the access
modules (404 for what the user does not see, 403 for what they may not change); reads go
through `own_indicators`, writes through `measurements` and `own_figures`. The export is kept
between the steps by `uploads`, and what the preview showed is what the confirmation applies.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stelsel.insight import own_figures
from stelsel.insight.access import (
    column_mappings_for_user,
    get_column_mapping_for_user,
    get_measured_indicator_for_user,
    get_measurement_for_user,
)
from stelsel.insight.forms.indicators import MappingForm, MeasurementForm, OwnFiguresUploadForm
from stelsel.insight.measurements import (
    measured_indicators,
    measurement_create,
    measurement_delete,
    measurement_update,
)
from stelsel.insight.models import ImportKind
from stelsel.insight.own_indicators import (
    STANDING_LABELS,
    STANDING_TONES,
    indicator_measurements,
    indicator_overview,
    standing,
)
from stelsel.insight.sheets import DataFileError, max_bytes
from stelsel.insight.uploads import upload_discard, upload_keep, upload_read, upload_take
from stelsel.lib.date_formats import full_date
from stelsel.lib.forms import add_service_errors
from stelsel.organisations.access import has_permission, has_unit_permission
from stelsel.organisations.decorators import board_view
from stelsel.organisations.roles import Permission
from stelsel.organisations.units import BOARD_UNIT, unit_from_value, unit_name, units_with
from stelsel.picture.models import IndicatorLevel
from stelsel.planning.charts import plain

KIND = ImportKind.OWN_FIGURES


# --- The overview and one indicator ---------------------------------------------------------


@board_view(Permission.VIEW_DATA)
def indicators(request, board):
    user = request.user
    return render(
        request,
        "insight/indicators/overview.html",
        {
            "board": board,
            "overview": indicator_overview(user, board),
            "can_enter": has_permission(user, board, Permission.ENTER_DATA),
            "can_define": has_permission(user, board, Permission.MANAGE_PICTURE),
        },
    )


def _units_for(user, board, indicator) -> list[tuple[str, str]]:
    """The units where the user enters values of this indicator: the schools, the board
    itself, or both, as the indicator applies to them."""
    return [
        (value, name)
        for value, name in units_with(user, board, Permission.ENTER_DATA)
        if indicator.level == IndicatorLevel.BOTH
        or (indicator.level == IndicatorLevel.BOARD) == (value == BOARD_UNIT)
    ]


@board_view(Permission.VIEW_DATA)
def indicator(request, board, indicator_id):
    user = request.user
    found = get_measured_indicator_for_user(user, board, indicator_id)
    rows = [
        {
            "measurement": m,
            "unit_name": unit_name(board, m.school),
            "standing": STANDING_LABELS.get(standing(found, m.value), ""),
            "tone": STANDING_TONES.get(standing(found, m.value), ""),
            "can_change": has_unit_permission(user, board, Permission.ENTER_DATA, m.school),
        }
        for m in indicator_measurements(user, board, found)
    ]
    return render(
        request,
        "insight/indicators/indicator.html",
        {
            "board": board,
            "indicator": found,
            "rows": rows,
            "can_add": found.active and bool(_units_for(user, board, found)),
            "can_define": has_permission(user, board, Permission.MANAGE_PICTURE),
        },
    )


# --- Measurements by hand ---------------------------------------------------------------------


@board_view(Permission.ENTER_DATA)
def measurement_add(request, board, indicator_id):
    user = request.user
    found = get_measured_indicator_for_user(user, board, indicator_id)
    units = _units_for(user, board, found)
    if not units:
        raise PermissionDenied
    initial = {"unit": request.GET.get("eenheid", "")}
    form = MeasurementForm(request.POST or None, indicator=found, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        school = unit_from_value(user, board, form.cleaned_data["unit"], Permission.ENTER_DATA)
        try:
            measurement_create(
                board=board,
                indicator=found,
                school=school,
                measured_on=form.cleaned_data["measured_on"],
                value=form.cleaned_data["value"],
                source=form.cleaned_data["source"],
                user=user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"school": "unit"})
        else:
            messages.success(
                request,
                _("Value of %(date)s for “%(indicator)s” saved.")
                % {"date": full_date(form.cleaned_data["measured_on"]), "indicator": found},
            )
            return redirect("insight:indicator", board_id=board.pk, indicator_id=found.pk)
    return render(
        request,
        "insight/indicators/measurement_form.html",
        {"board": board, "indicator": found, "form": form, "measurement": None},
        status=400 if form.errors else 200,
    )


@board_view(Permission.VIEW_DATA)  # the measurement is looked up first: 404 before 403
def measurement_edit(request, board, measurement_id):
    user = request.user
    measurement = get_measurement_for_user(user, board, measurement_id, write=True)
    found = measurement.indicator
    initial = {
        "measured_on": measurement.measured_on,
        "value": formats.number_format(plain(measurement.value)),
        "source": measurement.source,
    }
    form = MeasurementForm(request.POST or None, indicator=found, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            measurement_update(measurement=measurement, user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Value of %(date)s for “%(indicator)s” saved.")
                % {"date": full_date(form.cleaned_data["measured_on"]), "indicator": found},
            )
            return redirect("insight:indicator", board_id=board.pk, indicator_id=found.pk)
    return render(
        request,
        "insight/indicators/measurement_form.html",
        {
            "board": board,
            "indicator": found,
            "form": form,
            "measurement": measurement,
            "unit_name": unit_name(board, measurement.school),
        },
        status=400 if form.errors else 200,
    )


@board_view(Permission.VIEW_DATA)  # the measurement is looked up first: 404 before 403
def measurement_remove(request, board, measurement_id):
    """Ask first; the value is gone once removed (its signal closes with it)."""
    measurement = get_measurement_for_user(request.user, board, measurement_id, write=True)
    found = measurement.indicator
    if request.method == "POST":
        measurement_delete(measurement=measurement)
        messages.success(
            request,
            _("Value of %(date)s for “%(indicator)s” removed.")
            % {"date": full_date(measurement.measured_on), "indicator": found},
        )
        return redirect("insight:indicator", board_id=board.pk, indicator_id=found.pk)
    return render(
        request,
        "insight/indicators/measurement_delete.html",
        {
            "board": board,
            "indicator": found,
            "measurement": measurement,
            "unit_name": unit_name(board, measurement.school),
        },
    )


# --- A school's own figures from an export -----------------------------------------------------


def _state_key(board) -> str:
    return f"own-figures-{board.pk}"


def _restart(request, board, message: str):
    messages.error(request, message)
    return redirect("insight:own_figures", board_id=board.pk)


@board_view(Permission.ENTER_DATA)
def own_figures_upload(request, board):
    """Upload an export; with a saved mapping that fits, straight on to the preview."""
    user = request.user
    mappings = column_mappings_for_user(user, board)
    form = OwnFiguresUploadForm(request.POST or None, request.FILES or None, mappings=mappings)
    if request.method == "POST" and form.is_valid():
        upload, saved = form.cleaned_data["file"], form.cleaned_data.get("mapping")
        sheets = mapping = None
        try:
            if upload.size > max_bytes():
                raise DataFileError(
                    _("the file is larger than %(mb)d MB") % {"mb": max_bytes() // (1024 * 1024)},
                    file=upload.name,
                )
            data = upload.read()
            sheets = own_figures.read_export(data, upload.name)
        except DataFileError as exc:
            form.add_error("file", str(exc))
        try:
            mapping = own_figures.Mapping.from_json(saved.columns) if saved else None
        except DataFileError as exc:
            form.add_error("mapping", str(exc))
        if not form.errors:
            previous = request.session.get(_state_key(board)) or {}
            state = {
                "pending": upload_keep(
                    data=data,
                    file_name=upload.name,
                    kind=KIND,
                    previous=previous.get("pending"),
                ),
                "outline": own_figures.outline(sheets),
                "mapping": None,
                "draft": None,
            }
            if mapping is not None:
                names = [s.name for s in sheets]
                sheet = mapping.sheet if mapping.sheet in names else names[0]
                headers = next(s.rows[0] for s in sheets if s.name == sheet)
                mapping.sheet = sheet
                missing = mapping.missing(headers)
                if missing:
                    messages.warning(
                        request,
                        _(
                            "This file lacks the column(s) the mapping “%(name)s” reads: "
                            "%(columns)s. Map the columns again."
                        )
                        % {"name": saved.name, "columns": ", ".join(f"“{c}”" for c in missing)},
                    )
                    state["draft"] = mapping.to_json()
                else:
                    state["mapping"] = mapping.to_json()
            request.session[_state_key(board)] = state
            if state["mapping"] is not None:
                return redirect("insight:own_figures_preview", board_id=board.pk)
            return redirect("insight:own_figures_mapping", board_id=board.pk)
    return render(
        request,
        "insight/indicators/own_figures_upload.html",
        {
            "board": board,
            "form": form,
            "mappings": mappings,
            "has_indicators": measured_indicators(board).exists(),
        },
        status=400 if form.errors else 200,
    )


@board_view(Permission.ENTER_DATA)
def own_figures_mapping(request, board):
    """Say which column is the school, which the date, and which feed which indicator."""
    user = request.user
    state = request.session.get(_state_key(board))
    if not state or not state.get("pending"):
        return _restart(request, board, _("Upload the export first."))
    sheets = state["outline"]
    names = [s["name"] for s in sheets]
    draft = own_figures.Mapping.from_json(state["draft"]) if state.get("draft") else None
    asked = request.POST.get("sheet") or request.GET.get("blad") or (draft.sheet if draft else "")
    sheet = next((s for s in sheets if s["name"] == asked), sheets[0])
    form = MappingForm(
        request.POST or None,
        headers=sheet["headers"],
        units=units_with(user, board, Permission.ENTER_DATA),
        indicators=measured_indicators(board).order_by("code"),
        mapping=draft if draft and draft.sheet in ("", sheet["name"]) else None,
    )
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping(sheet=sheet["name"])
        if name := form.cleaned_data["save_as"].strip():
            own_figures.column_mapping_save(board=board, name=name, mapping=mapping)
            messages.success(request, _("Column mapping saved as “%(name)s”.") % {"name": name})
        state["mapping"], state["draft"] = mapping.to_json(), mapping.to_json()
        request.session[_state_key(board)] = state
        return redirect("insight:own_figures_preview", board_id=board.pk)
    samples = {
        header: [row[i] for row in sheet["sample"] if i < len(row) and row[i]]
        for i, header in enumerate(sheet["headers"])
    }
    return render(
        request,
        "insight/indicators/own_figures_mapping.html",
        {
            "board": board,
            "form": form,
            "value_rows": [(f, samples.get(f.label, [])) for f in form.value_fields()],
            "sheet": sheet,
            "sheet_names": names if len(names) > 1 else [],
            "file_name": state["pending"].get("file_name", ""),
        },
        status=400 if form.errors else 200,
    )


@board_view(Permission.ENTER_DATA)
def own_figures_preview(request, board):
    """What confirming would write, row by row, or every problem with its row and column."""
    state = request.session.get(_state_key(board))
    if not state or not state.get("pending") or not state.get("mapping"):
        return _restart(request, board, _("Upload the export and map its columns first."))
    plan, error = None, None
    try:
        data, file = upload_read(pending=state["pending"], kind=KIND)
        mapping = own_figures.Mapping.from_json(state["mapping"])
        plan = own_figures.plan_own_figures(data, file, mapping, board=board, user=request.user)
    except DataFileError as exc:
        error = str(exc)
    return render(
        request,
        "insight/indicators/own_figures_preview.html",
        {
            "board": board,
            "plan": plan,
            "error": error,
            "sha256": state["pending"]["sha256"],
            "file_name": state["pending"].get("file_name", ""),
        },
    )


@require_POST
@board_view(Permission.ENTER_DATA)
def own_figures_confirm(request, board):
    """Apply exactly the previewed file through the same mapping, at once or not at all."""
    state = request.session.pop(_state_key(board), None) or {}
    try:
        data, file = upload_take(
            pending=state.get("pending"), sha256=request.POST.get("sha256", ""), kind=KIND
        )
        if not state.get("mapping"):
            raise DataFileError(_("the columns were not mapped; upload the file again"))
        mapping = own_figures.Mapping.from_json(state["mapping"])
        plan = own_figures.plan_own_figures(data, file, mapping, board=board, user=request.user)
        counts = own_figures.apply_own_figures(
            plan, board=board, user=request.user, sha256=state["pending"]["sha256"]
        )
    except DataFileError as exc:
        upload_discard(state.get("pending"))
        return _restart(request, board, _("Nothing was imported: %(error)s") % {"error": exc})
    messages.success(
        request,
        _("Import done. Values added: %(created)d; changed: %(updated)d; unchanged: %(same)d.")
        % {"created": counts["create"], "updated": counts["update"], "same": counts["unchanged"]},
    )
    return redirect("insight:indicators", board_id=board.pk)


@require_POST
@board_view(Permission.ENTER_DATA)
def column_mapping_delete(request, board, mapping_id):
    mapping = get_column_mapping_for_user(request.user, board, mapping_id)
    mapping.delete()
    messages.success(request, _("Column mapping “%(name)s” removed.") % {"name": mapping.name})
    return redirect("insight:own_figures", board_id=board.pk)
