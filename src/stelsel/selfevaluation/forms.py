"""Forms of self-evaluation rounds (the answering form is built from the questionnaire)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stelsel.lib.fields import BoundedModelChoiceField, date_input
from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import Role
from stelsel.selfevaluation.models import (
    DEFAULT_K,
    MIN_K,
    MIN_K_TEXT,
    Perspective,
    QuestionnaireVersion,
)


class RoundForm(forms.Form):
    questionnaire_version = BoundedModelChoiceField(
        label=_("Questionnaire"), queryset=QuestionnaireVersion.objects.none()
    )
    school = BoundedModelChoiceField(
        label=_("For"),
        queryset=School.objects.none(),
        required=False,
        help_text=_("Leave empty for a round of the board itself."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_on = forms.DateField(label=_("Opens on"), widget=date_input())
    closes_on = forms.DateField(label=_("Closes on"), widget=date_input())
    perspectives = forms.MultipleChoiceField(
        label=_("Perspectives to invite"),
        choices=[c for c in Perspective.choices if c[0] != Perspective.CUSTOM],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    custom_group = forms.CharField(
        label=_("Custom group"),
        max_length=100,
        required=False,
        help_text=_("For example “Ouders van de leerlingenraad”."),
    )
    k = forms.IntegerField(
        label=_("Anonymity threshold (k)"),
        min_value=MIN_K,
        max_value=50,
        initial=DEFAULT_K,
        help_text=_("Figures of a group with fewer answers are not shown. At least 3."),
    )
    k_text = forms.IntegerField(
        label=_("Threshold for comments"),
        min_value=MIN_K_TEXT,
        max_value=100,
        initial=MIN_K_TEXT,
        help_text=_("Comments of a smaller group are not shown. At least 10."),
    )

    def __init__(self, *args, board: Board, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire_version"].queryset = QuestionnaireVersion.objects.filter(
            questionnaire__board__isnull=True
        ) | QuestionnaireVersion.objects.filter(questionnaire__board=board)
        self.fields["questionnaire_version"].empty_label = _("— choose a questionnaire —")
        self.fields["school"].queryset = schools
        self.fields["school"].empty_label = _("— the board —")
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + timezone.timedelta(days=21)

    def perspective_pairs(self) -> list[tuple[str, str]]:
        pairs = [(code, "") for code in self.cleaned_data.get("perspectives", [])]
        if self.cleaned_data.get("custom_group", "").strip():
            pairs.append((Perspective.CUSTOM, self.cleaned_data["custom_group"]))
        return pairs


class InvitationsForm(forms.Form):
    perspective = forms.TypedChoiceField(label=_("Perspective"), coerce=int)
    emails = forms.CharField(
        label=_("Email addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, or separated by commas."),
    )

    def __init__(self, *args, perspectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perspective"].choices = [(p.pk, str(p)) for p in perspectives]

    def addresses(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n")
        return [line.strip() for line in raw.splitlines() if line.strip()]


class ShareForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Share the results with"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
