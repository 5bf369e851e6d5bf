"""Forms for who does what: one row of the RACI matrix, and the quality officer's profile.

The forms check the shape of what is posted; the rules (one accountable role, names unique on
the board, the officer really being a quality officer) live in the services.
"""

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from stelsel.lib.fields import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from stelsel.organisations.models import RaciLetter
from stelsel.organisations.responsibilities.services import ROLES
from stelsel.organisations.roles import Role

LETTER_CHOICES = [
    ("", "—"),
    *((value, f"{value} – {label}") for value, label in RaciLetter.choices),
]


class ProcessForm(forms.Form):
    """A process with one select per role. The role fields carry the role's value as their
    name, so a service error about a role lands on that role's select."""

    name = forms.CharField(label=_("Process"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the process is about, so everyone reads the letters the same way."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for role in ROLES:
            self.fields[role] = forms.ChoiceField(
                label=Role(role).label, choices=LETTER_CHOICES, required=False
            )

    def role_fields(self):
        return [self[role] for role in ROLES]

    def letters(self) -> dict[str, str]:
        return {role: self.cleaned_data.get(role) or "" for role in ROLES}


# Questions that describe a quality culture (DOMAIN.md §7), as prompts for each part of the
# profile.
PROFILE_PROMPTS = {
    "tasks": _(
        "Who does what and when? What is my role in the whole? "
        "What information do I need to evaluate?"
    ),
    "ambitions": _(
        "When are we doing well (enough)? What is “good”? Is the vision shared and lived?"
    ),
    "tables": _(
        "Who is my team, and when do we meet? With whom do I align, and to whom do I account?"
    ),
    "influence": _("Who is responsible? Who steers me on the goals?"),
    "boundaries": _("What is my assignment, and within which frames?"),
}


class SeriesChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.school.name})" if obj.school_id else obj.name


class OfficerProfileForm(forms.Form):
    officer = BoundedModelChoiceField(
        label=_("Quality officer"),
        queryset=None,
        required=False,
        empty_label=_("— the role in general —"),
        help_text=_("The person this profile describes; leave empty to describe the role."),
    )
    tasks = forms.CharField(
        label=_("Tasks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=PROFILE_PROMPTS["tasks"],
    )
    ambitions = forms.CharField(
        label=_("Ambitions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=PROFILE_PROMPTS["ambitions"],
    )
    meeting_series = SeriesChoiceField(
        label=_("Tables of the quality calendar"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=PROFILE_PROMPTS["tables"],
    )
    tables = forms.CharField(
        label=_("Tables, in words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Other tables, or the role at each: chair, secretary, adviser."),
    )
    influence = forms.CharField(
        label=_("Influence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=PROFILE_PROMPTS["influence"],
    )
    boundaries = forms.CharField(
        label=_("Boundaries"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=PROFILE_PROMPTS["boundaries"],
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, officers, series, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["meeting_series"].queryset = series.select_related("school").order_by(
            F("school__name").asc(nulls_first=True),
            "name",  # the board's own tables first
        )
