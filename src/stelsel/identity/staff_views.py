"""Pages for bringing a whole staff in at once: upload or paste, preview, confirm, progress.

The board executive only (MANAGE_PEOPLE), like inviting one person. Reading the list is
`staff_lists`', checking and writing it `staff_import`'s; these views pass things along.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stelsel.identity import staff_import as importing
from stelsel.identity.models import StaffImport, StaffImportState
from stelsel.identity.staff_lists import MAX_BYTES, MAX_ROWS, StaffListError, read_file, read_paste
from stelsel.lib.fields import BoundedModelChoiceField
from stelsel.organisations.decorators import board_view
from stelsel.organisations.models import School
from stelsel.organisations.roles import Permission, Role
from stelsel.organisations.services import role_scope_check

TEMPLATE_CSV = "\ufeffnaam;e-mail;school;rol\r\n"
SLOW = timezone.timedelta(minutes=2)


class StaffListForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or Excel .xlsx)"),
        required=False,
        help_text=gettext_lazy("Columns: name, email, school, role; the first row names them."),
    )
    text = forms.CharField(
        label=gettext_lazy("Or paste email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "One person per line: an address, “Name <address>” or “Name; address”."
        ),
    )
    school = BoundedModelChoiceField(
        label=gettext_lazy("School"),
        queryset=School.objects.none(),
        required=False,
        help_text=gettext_lazy("For pasted lines, and for rows of the file without a school."),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        required=False,
        help_text=gettext_lazy("For pasted lines, and for rows of the file without a role."),
    )

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(board=board)
        self.fields["school"].empty_label = _("— the whole board —")
        self.fields["role"].choices = [("", "—")] + [
            (role.value, role.label) for role in Role if role not in importing.NOT_IN_BULK
        ]

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if bool(upload) == bool(text):
            raise ValidationError(_("Upload a file or paste addresses (one of the two)."))
        if upload is not None and upload.size > MAX_BYTES:
            self.add_error(
                "file", _("The file is larger than %(max)d MB.") % {"max": MAX_BYTES // 2**20}
            )
        if text and not data.get("role"):
            self.add_error("role", _("Choose the role for the pasted addresses."))
        elif text:
            try:
                role_scope_check(role=data["role"], school=data.get("school"))
            except ValidationError as exc:
                self.add_error("school", exc)
        return data

    def rows(self):
        """The list's rows; raises StaffListError."""
        school = self.cleaned_data.get("school")
        defaults = {
            "school": school.vestigingscode if school else "",
            "role": self.cleaned_data.get("role") or "",
        }
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return read_file(upload.read(), upload.name, **defaults), upload.name
        return read_paste(self.cleaned_data["text"], **defaults), _("Pasted addresses")


@board_view(Permission.MANAGE_PEOPLE)
def staff_import(request, board):
    form = StaffListForm(request.POST or None, request.FILES or None, board=board)
    if request.method == "POST" and form.is_valid():
        try:
            rows, source_name = form.rows()
        except StaffListError as exc:
            form.add_error("file" if form.cleaned_data.get("file") else "text", str(exc))
        else:
            preview = importing.preview_create(
                board=board, user=request.user, rows=rows, source_name=source_name
            )
            return redirect("identity:staff_import_detail", board_id=board.pk, import_id=preview.pk)
    return render(
        request,
        "identity/staff_import.html",
        {
            "board": board,
            "form": form,
            "max_rows": MAX_ROWS,
            "roles": [role.label for role in Role if role not in importing.NOT_IN_BULK],
            "recent": StaffImport.objects.filter(board=board).select_related("created_by")[:10],
        },
    )


def _progress_context(board, staff_import: StaffImport) -> dict:
    sending = staff_import.state == StaffImportState.SENDING
    done = staff_import.state == StaffImportState.DONE
    return {
        "board": board,
        "staff_import": staff_import,
        "counts": importing.counts(staff_import.rows),
        "sending": sending,
        "failed_rows": importing.failed_invitations(staff_import) if done else [],
        "slow": sending
        and staff_import.sent + staff_import.failed == 0
        and staff_import.confirmed_at is not None
        and staff_import.confirmed_at < timezone.now() - SLOW,
    }


@board_view(Permission.MANAGE_PEOPLE)
def staff_import_detail(request, board, import_id):
    """The preview before confirmation; afterwards the progress, following itself while the
    invitations go out, then the summary."""
    staff_import = get_object_or_404(StaffImport, pk=import_id, board=board)
    context = _progress_context(board, staff_import)
    if request.htmx and staff_import.state != StaffImportState.PREVIEW:
        return render(request, "identity/_staff_import_progress.html", context)
    context["can_confirm"] = importing.can_confirm(staff_import)
    return render(request, "identity/staff_import_detail.html", context)


@require_POST
@board_view(Permission.MANAGE_PEOPLE)
def staff_import_confirm(request, board, import_id):
    staff_import = get_object_or_404(StaffImport, pk=import_id, board=board)
    if staff_import.state != StaffImportState.PREVIEW:
        messages.info(request, _("This list has been confirmed already."))
        return redirect("identity:staff_import_detail", board_id=board.pk, import_id=import_id)
    try:
        staff_import = importing.import_confirm(board=board, import_id=import_id, user=request.user)
    except importing.ImportFailed as exc:
        messages.error(request, _("Nothing was imported: %(error)s") % {"error": exc})
    else:
        if staff_import.state == StaffImportState.PREVIEW:
            messages.error(
                request,
                _(
                    "Nothing was imported: something changed on the board since the preview. "
                    "See the rows with problems, fix the file and upload it again."
                ),
            )
        else:
            messages.success(request, _("The list was imported."))
    return redirect("identity:staff_import_detail", board_id=board.pk, import_id=import_id)


@require_POST
@board_view(Permission.MANAGE_PEOPLE)
def staff_import_send_again(request, board, import_id):
    get_object_or_404(StaffImport, pk=import_id, board=board)
    count = importing.import_send_failed_again(board=board, import_id=import_id)
    if count:
        messages.success(
            request, _("%(count)d invitations are being sent again.") % {"count": count}
        )
    return redirect("identity:staff_import_detail", board_id=board.pk, import_id=import_id)


@board_view(Permission.MANAGE_PEOPLE)
def staff_import_template(request, board):
    """An empty list with the column names, in the form Dutch Excel opens directly."""
    response = HttpResponse(TEMPLATE_CSV, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="personeelslijst.csv"'
    return response
