"""The form for a personal API token."""

from django import forms
from django.utils.translation import gettext_lazy


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the token"),
        max_length=100,
        help_text=gettext_lazy("For example the tool that will use it."),
    )
