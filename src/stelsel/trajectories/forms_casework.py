"""The forms of the advisor's casework in a trajectory. They check the shape of what is typed;
`casework` checks what it means (dates within the trajectory, four points in all)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stelsel.lib.fields import BoundedModelChoiceField, BoundedModelMultipleChoiceField, date_input
from stelsel.trajectories.models import Phase, PlayingField, QuadrantKey

TEXT_MAX = 20000


class LogForm(forms.Form):
    intervention = BoundedModelChoiceField(queryset=None, label=_("Intervention"))
    on = forms.DateField(label=_("Date"), widget=date_input())
    with_whom = forms.CharField(label=_("With whom"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, programme, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = programme.interventions.all()
        self.fields["intervention"].label_from_instance = lambda i: f"{i.name} ({i.aim}; {i.kind})"


class AttentionForm(forms.Form):
    """The four quadrants, each with a whole number of points; `casework` checks the sum."""

    def __init__(self, *args, quadrants, trajectory=None, **kwargs):
        super().__init__(*args, **kwargs)
        names = {q.key: q.name for q in quadrants}
        for key, label in QuadrantKey.choices:
            self.fields[key] = forms.IntegerField(
                label=names.get(key, label),
                min_value=0,
                max_value=4,
                initial=getattr(trajectory, key, None) if trajectory else None,
            )

    def points(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in QuadrantKey.values}


class RecontractForm(forms.Form):
    question = forms.CharField(
        label=_("New support question"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Why the question changed"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)


class NeedsForm(forms.Form):
    """One group of checkboxes per playing field, from the programme's catalogue."""

    def __init__(self, *args, programme, trajectory=None, **kwargs):
        super().__init__(*args, **kwargs)
        needs = list(programme.needs.all())
        chosen = {n.pk for n in trajectory.needs.all()} if trajectory else set()
        for field, label in PlayingField.choices:
            group = [n for n in needs if n.field == field]
            if not group:
                continue
            name = f"needs_{field}"
            self.fields[name] = BoundedModelMultipleChoiceField(
                queryset=programme.needs.filter(field=field),
                label=label,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[n.pk for n in group if n.pk in chosen],
            )

    def needs(self) -> list:
        return [
            need
            for name, value in self.cleaned_data.items()
            if name.startswith("needs_")
            for need in value
        ]


class InsightsForm(forms.Form):
    insights = forms.CharField(
        label=_("Insights the board gained"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: clarity about its own role, conducting the dialogue, seeing "
            "its own organisation from outside."
        ),
    )
