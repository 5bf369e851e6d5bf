"""Forms for a school's own results and for the expected number of pupils next year.

The entry form takes the numbers as text: `85,5` and `85.5` are both read, and the service
(`results_entry`) gives the messages about values, so the page and any other caller agree on
what is accepted. The form only offers the school's confirmed OVTs and the plausible years.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from stelsel.insight.results_entry import MAX_PUPILS, school_year_label
from stelsel.lib.fields import BoundedModelChoiceField


class OvtChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}".strip()


def _number_input(mode: str) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off", "size": 8})


class PercentageField(forms.CharField):
    """Required in the ordinary case, and shown so; empty is still passed on, because with
    0 pupils the percentages stay empty and the service says which case applies."""

    def __init__(self, **kwargs):
        super().__init__(max_length=12, widget=_number_input("decimal"), **kwargs)

    def validate(self, value):
        pass


class ResultEntryForm(forms.Form):
    ovt = OvtChoiceField(
        label=_("Inspectorate school (OVT)"),
        queryset=None,
        help_text=_("The inspectorate's school whose results these are."),
    )
    year = forms.IntegerField(
        label=_("School year"),
        help_text=_("The school year of the doorstroomtoets."),
        widget=forms.Select,
    )
    pupils = forms.CharField(
        label=_("Pupils"),
        max_length=12,
        widget=_number_input("numeric"),
    )
    fundamental = PercentageField(
        label=_("%1F (fundamental level)"),
        help_text=_(
            "Reference levels reached at 1F in reading, spelling and maths together, as a "
            "percentage of 3 × pupils; for example 94,44."
        ),
    )
    target = PercentageField(
        label=_("%1S/2F (target level)"),
        help_text=_("The same at 1S/2F; never more than the %1F. Both stay empty with 0 pupils."),
    )

    def __init__(self, *args, ovts=None, years: list[int] | None = None, fixed=False, **kwargs):
        """`ovts` and `years` are the choices; `fixed` leaves them out (an entry being changed
        keeps its OVT and year)."""
        super().__init__(*args, **kwargs)
        self.fields["pupils"].help_text = _(
            "Pupils in group 8 who took the doorstroomtoets (0 to %(max)s)."
        ) % {"max": MAX_PUPILS}
        if fixed:
            del self.fields["ovt"]
            del self.fields["year"]
            return
        self.fields["ovt"].queryset = ovts
        self.fields["ovt"].empty_label = None
        self.fields["year"].widget.choices = [(y, school_year_label(y)) for y in years or []]


class ExpectedPupilsForm(forms.Form):
    """The number of pupils a school expects next year, for what is needed (a GET form)."""

    ovt = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    verwacht = forms.IntegerField(
        label=_("Pupils expected next year"),
        min_value=1,
        max_value=MAX_PUPILS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
