"""The forms of the board's side of a support programme. They check the shape of what is typed;
the services (`applications`, `consent`, `casework`) check what it means."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stelsel.lib.fields import BoundedModelChoiceField
from stelsel.lib.forms import in_its_language

QUESTION_MAX = 5000


class ApplicationForm(forms.Form):
    question = forms.CharField(
        label=_("Your support question"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What do you want to work on with an advisor, as a board?"),
    )
    motivation = forms.CharField(
        label=_("Why now"),
        max_length=QUESTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    criteria_any = forms.MultipleChoiceField(
        label=_("Which of these apply to your board? (at least one)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    criteria_all = forms.MultipleChoiceField(
        label=_("These must all apply to your board"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, criteria: dict[str, list[dict]], **kwargs):
        """`criteria`: the programme's criteria for this kind of board, {"any": […], "all": […]}."""
        super().__init__(*args, **kwargs)
        for group in ("any", "all"):
            name = f"criteria_{group}"
            if criteria[group]:
                self.fields[name].choices = [
                    (c["key"], in_its_language(c["text"])) for c in criteria[group]
                ]
            else:
                del self.fields[name]

    def claimed(self) -> list[str]:
        return [
            *self.cleaned_data.get("criteria_any", []),
            *self.cleaned_data.get("criteria_all", []),
        ]


class EndEvaluationForm(forms.Form):
    text = forms.CharField(
        label=_("The board's end evaluation"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What did the trajectory bring the board, and what does it take on from here?"),
    )


class PlanLinkForm(forms.Form):
    plan = BoundedModelChoiceField(
        queryset=None,
        label=_("Plan of approach"),
        required=False,
        empty_label=_("— start a new improvement plan —"),
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
