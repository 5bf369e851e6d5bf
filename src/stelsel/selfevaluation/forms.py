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
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, board: Board, schools, board_rounds: bool = True, editing: bool = False, **kw
    ):
        """`board_rounds`: whether a round of the board itself may be chosen (else a school
        must be); `editing`: the form changes an existing draft and carries its revision."""
        super().__init__(*args, **kw)
        self.fields["questionnaire_version"].queryset = QuestionnaireVersion.objects.filter(
            questionnaire__board__isnull=True
        ) | QuestionnaireVersion.objects.filter(questionnaire__board=board)
        self.fields["questionnaire_version"].empty_label = _("— choose a questionnaire —")
        self.fields["school"].queryset = schools
        if board_rounds:
            self.fields["school"].empty_label = _("— the board —")
        else:
            self.fields["school"].required = True
            self.fields["school"].empty_label = None
            self.fields["school"].help_text = ""
        if editing:
            self.fields["revision"].required = True
        else:
            del self.fields["revision"]
            today = timezone.localdate()
            self.fields["opens_on"].initial = today
            self.fields["closes_on"].initial = today + timezone.timedelta(days=21)

    @staticmethod
    def initial_for(round_) -> dict:
        """The form's values for an existing round: perspectives as chosen, the custom group
        by its name."""
        perspectives = list(round_.perspectives.all())
        custom = next((p.name for p in perspectives if p.code == Perspective.CUSTOM), "")
        return {
            "questionnaire_version": round_.questionnaire_version_id,
            "school": round_.school_id,
            "title": round_.title,
            "opens_on": round_.opens_on,
            "closes_on": round_.closes_on,
            "perspectives": [p.code for p in perspectives if p.code != Perspective.CUSTOM],
            "custom_group": custom,
            "k": round_.k,
            "k_text": round_.k_text,
            "revision": round_.revision,
        }

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
