"""Forms of the picture pages. They only shape input; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stelsel.picture.models import Indicator, MessageKind

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class PictureStartForm(forms.Form):
    unit = forms.ChoiceField(label=_("For"))
    framework_version = forms.ChoiceField(label=_("Framework"))
    period = forms.CharField(
        label=_("Period"), max_length=40, help_text=_("For example the school year 2026-2027.")
    )

    def __init__(self, *args, units, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units
        self.fields["framework_version"].choices = [(v.pk, str(v)) for v in versions]


class EntryForm(forms.Form):
    """Judgement and substantiation of one entry. `revision` guards against overwriting."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Status"), widget=forms.RadioSelect, required=False)
    requirements_met = forms.MultipleChoiceField(
        label=_("Requirements met"), widget=forms.CheckboxSelectMultiple, required=False
    )
    ambitions = forms.CharField(
        label=_("What the board's and the school's plans aim for"),
        widget=TEXTAREA,
        required=False,
    )
    visible = forms.CharField(
        label=_("How it is visible in the school"), widget=TEXTAREA, required=False
    )
    secured = forms.CharField(
        label=_("How it is secured (borging)"), widget=TEXTAREA, required=False
    )
    accounted = forms.CharField(
        label=_("How and when it is accounted for"), widget=TEXTAREA, required=False
    )

    def __init__(self, *args, levels, requirements, may_judge: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(lv.code, lv.shown_label) for lv in levels]
        self.fields["requirements_met"].choices = [
            (str(r.pk), f"{r.code} {r.text}") for r in requirements
        ]
        if not requirements:
            del self.fields["requirements_met"]
        if not may_judge:
            del self.fields["status"]
            self.fields.pop("requirements_met", None)


class MessageForm(forms.Form):
    kind = forms.ChoiceField(choices=MessageKind.choices, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))


class NewPeriodForm(forms.Form):
    period = forms.CharField(
        label=_("Name of the new period"),
        max_length=40,
        help_text=_("For example the school year 2027-2028."),
    )


class MigrateForm(forms.Form):
    """One choice per old standard: where it goes in the new version (or nowhere)."""

    period = forms.CharField(label=_("Period"), max_length=40)

    def __init__(self, *args, old_standards, new_standards, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— no counterpart —"))] + [
            (str(s.pk), f"{s.code} {s.name}") for s in new_standards
        ]
        self.old_standards = old_standards
        for s in old_standards:
            self.fields[f"map_{s.pk}"] = forms.ChoiceField(
                label=f"{s.code} {s.name}",
                choices=choices,
                required=False,
                initial=str(proposal.get(s.pk) or ""),
            )

    def mapping(self) -> dict[int, int | None]:
        return {
            s.pk: int(self.cleaned_data[f"map_{s.pk}"])
            if self.cleaned_data[f"map_{s.pk}"]
            else None
            for s in self.old_standards
        }

    def mapping_fields(self):
        return [self[f"map_{s.pk}"] for s in self.old_standards]


MEASURE_HELP = {
    "unit": _("Such as %, pupils or days. With a unit, the indicator is measured per school."),
    "norm": _("The value below which (or above which, when lower is better) a signal is given."),
    "target": _("The value the board aims for."),
}


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "perspective",
            "level",
            "code",
            "title",
            "description",
            "unit",
            "direction",
            "norm",
            "target",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        localized_fields = ["norm", "target"]
        help_texts = MEASURE_HELP


class IndicatorEditForm(forms.ModelForm):
    """What may change once an indicator is in use: its words and how it is measured."""

    class Meta:
        model = Indicator
        fields = ["title", "description", "unit", "direction", "norm", "target"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        localized_fields = ["norm", "target"]
        help_texts = MEASURE_HELP
