"""The choice of school when the board confirms which of its schools an OVT is."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stelsel.lib.fields import BoundedModelChoiceField
from stelsel.organisations.models import School


class OvtLinkForm(forms.Form):
    """Any school of the board can be posted; the service refuses one of another BRIN with a
    message that says so, rather than an anonymous invalid choice."""

    school = BoundedModelChoiceField(label=_("School"), queryset=School.objects.none())

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(board=board)
