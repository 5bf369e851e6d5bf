"""Pages for the board's import of the inspectorate's files: upload and preview, confirm, and
the history of the board's imports.

The preview keeps the uploaded bytes (`insight.uploads`) under a session key per board and
kind; confirming imports exactly those bytes, identified by their SHA-256 in the form. The views
only move files and messages: checking, planning and writing are `insight.inspectorate_uploads`.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from stelsel.insight.access import data_imports_for_user
from stelsel.insight.forms.imports import InspectorateUploadForm
from stelsel.insight.inspectorate_uploads import (
    KINDS,
    SCHOOLWEGING,
    UploadedFile,
    UploadProblem,
    count_rows,
    inspectorate_apply,
    inspectorate_plan,
    report_preview,
)
from stelsel.insight.sheets import DataFileError
from stelsel.insight.uploads import upload_discard, upload_keep, upload_take
from stelsel.organisations.decorators import board_view
from stelsel.organisations.roles import Permission

HISTORY_PAGE = 50


def _session_key(board, kind: str) -> str:
    return f"insight-import-{board.pk}-{kind}"


def _read(upload) -> UploadedFile | None:
    return None if upload is None else UploadedFile(upload.read(), upload.name)


def _keep(request, board, kind: str, upload: UploadedFile, along: UploadedFile | None) -> dict:
    """Keep the previewed files for the confirm step, replacing an earlier preview's."""
    key = _session_key(board, kind)
    previous = request.session.get(key) or {}
    pending = {
        "file": upload_keep(
            data=upload.data, file_name=upload.name, kind=kind, previous=previous.get("file")
        ),
        "schoolweging_file": None,
    }
    if along is not None:
        pending["schoolweging_file"] = upload_keep(
            data=along.data,
            file_name=along.name,
            kind=SCHOOLWEGING,
            previous=previous.get("schoolweging_file"),
        )
    else:
        upload_discard(previous.get("schoolweging_file"))
    request.session[key] = pending
    return pending


@board_view(Permission.MANAGE_DATA)
def inspectorate_import(request, board):
    """Upload the inspectorate's results or schoolweging file (or both) and see what importing
    them for this board does, before anything is saved."""
    form = InspectorateUploadForm(request.POST or None, request.FILES or None)
    previews, pending, kind = [], None, None
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        upload = _read(form.cleaned_data["file"])
        along = _read(form.cleaned_data.get("schoolweging_file"))
        try:
            plan = inspectorate_plan(board=board, kind=kind, upload=upload, along=along)
        except UploadProblem as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.error))
        else:
            pending = _keep(request, board, kind, upload, along)
            previews = [report_preview(report) for report in plan.reports]
    return render(
        request,
        "insight/imports/upload.html",
        {"board": board, "form": form, "previews": previews, "pending": pending, "kind": kind},
    )


def _take(pending: dict, post, kind: str) -> tuple[UploadedFile, UploadedFile | None]:
    data, name = upload_take(pending=pending.get("file"), sha256=post.get("sha256", ""), kind=kind)
    along = None
    if pending.get("schoolweging_file"):
        along_data, along_name = upload_take(
            pending=pending["schoolweging_file"],
            sha256=post.get("sha256_schoolweging", ""),
            kind=SCHOOLWEGING,
        )
        along = UploadedFile(along_data, along_name)
    return UploadedFile(data, name), along


@require_POST
@board_view(Permission.MANAGE_DATA)
def inspectorate_import_confirm(request, board):
    """Import the previewed bytes: planned again (the data may have changed since), applied in
    one transaction, then the board's signals refreshed."""
    kind = request.POST.get("kind", "")
    pending = (
        request.session.pop(_session_key(board, kind), None) if kind in KINDS else None
    ) or {}
    try:
        upload, along = _take(pending, request.POST, kind)
        plan = inspectorate_plan(board=board, kind=kind, upload=upload, along=along)
    except (DataFileError, UploadProblem) as exc:
        error = exc.error if isinstance(exc, UploadProblem) else exc
        messages.error(request, _("Nothing was imported: %(error)s") % {"error": error})
        return redirect("insight:import", board_id=board.pk)
    finally:
        upload_discard(pending.get("file"))
        upload_discard(pending.get("schoolweging_file"))
    # One board's import refreshes at once (only a national one is queued).
    new_signals = inspectorate_apply(plan, board=board, user=request.user) or 0
    done = " ".join(
        _("%(file)s: %(count)d schools (OVTs) imported, period %(period)s.")
        % {"file": report.file, "count": len(report.kept), "period": report.period}
        for report in plan.reports
    )
    signals = ngettext("%(count)d new signal.", "%(count)d new signals.", new_signals) % {
        "count": new_signals
    }
    messages.success(request, " ".join((_("Import done."), done, signals)))
    return redirect("insight:import_history", board_id=board.pk)


@board_view(Permission.MANAGE_DATA)
def import_history(request, board):
    """The board's imports, newest first: what, which file, when, by whom, and what it found."""
    imports = data_imports_for_user(request.user, board).select_related("imported_by")
    page = Paginator(imports, HISTORY_PAGE).get_page(request.GET.get("pagina"))
    rows = [(item, count_rows(item.summary.get("counts", {}))) for item in page]
    return render(
        request,
        "insight/imports/history.html",
        {"board": board, "page": page, "rows": rows},
    )
