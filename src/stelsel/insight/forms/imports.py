"""The upload form for the inspectorate's files: what it is, the file, and optionally the
schoolweging file to import along with results.

The form checks only what it can see without reading the file (a choice, a file that is not empty,
its size); what is in the file is judged by the importer, which names the file, row and column of
a problem.
"""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from stelsel.insight.inspectorate_uploads import KINDS
from stelsel.insight.models import ImportKind
from stelsel.insight.sheets import max_bytes

ACCEPT = ".ods,.xlsx,.csv,application/vnd.oasis.opendocument.spreadsheet,text/csv"


def _file_input() -> forms.ClearableFileInput:
    return forms.ClearableFileInput(attrs={"accept": ACCEPT})


class InspectorateUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you upload?"),
        choices=[(kind, ImportKind(kind).label) for kind in KINDS],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"),
        widget=_file_input(),
        help_text=_(
            "The ODS file as the inspectorate publishes it, or an XLSX or CSV file with the "
            "same columns (separated by ; or , with a decimal comma or point)."
        ),
    )
    schoolweging_file = forms.FileField(
        label=_("The schoolweging file, with the results"),
        required=False,
        widget=_file_input(),
        help_text=_(
            "Only with results: the inspectorate's schoolweging file of the same period, "
            "imported in the same go. For the results 2023-2025 that is the schoolweging "
            "2021/2022-2023/2024."
        ),
    )

    def _size_checked(self, name: str):
        upload = self.cleaned_data.get(name)
        if upload is None:
            return upload
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(limit)s, the most Stelsel reads.")
                % {"limit": filesizeformat(max_bytes())}
            )
        return upload

    def clean_file(self):
        return self._size_checked("file")

    def clean_schoolweging_file(self):
        return self._size_checked("schoolweging_file")

    def clean(self):
        data = super().clean()
        if data.get("kind") == ImportKind.SCHOOLWEGING and data.get("schoolweging_file"):
            self.add_error(
                "schoolweging_file",
                _("A second file goes only with results; upload the schoolweging file alone."),
            )
        return data
