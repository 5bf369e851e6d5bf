"""Forms for herstelopdrachten: recording and correcting one, its follow-up investigation,
and the filter of the coverage view. Each form is built for one unit (a school, or the board
for `school=None`), so every list it offers holds only what that unit may link to; the
services check the same rules again."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stelsel.frameworks.models import Requirement, Standard
from stelsel.lib.fields import BoundedModelChoiceField, date_input
from stelsel.organisations.models import Board, School
from stelsel.organisations.unit_choice import UnitFilterForm
from stelsel.picture.assignments.services import assignment_versions
from stelsel.picture.coverage import STATE_DISPLAY, STATES
from stelsel.picture.models import AssignmentKind, FollowUpOutcome, Visit


class AssignmentFilterForm(UnitFilterForm):
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All"))] + [
            (s, STATE_DISPLAY[s]["label"]) for s in STATES
        ]


class RequirementSelect(forms.Select):
    """Each requirement option names its standard, so the page can show only the requirements
    of the chosen standard (the list still works without scripts)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-standard"] = str(instance.standard_id)
        return option


class SingleStandardField(BoundedModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name} · {obj.framework_version.name}"


class SingleRequirementField(BoundedModelChoiceField):
    def label_from_instance(self, obj):
        text = obj.text if len(obj.text) <= 80 else obj.text[:78] + "…"
        return f"{obj.code} {text}"


class AssignmentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=AssignmentKind.choices)
    standard = SingleStandardField(
        label=gettext_lazy("Standard"),
        queryset=Standard.objects.none(),
        widget=forms.Select(attrs={"data-requirement-filter": "id_requirement"}),
    )
    requirement = SingleRequirementField(
        label=gettext_lazy("Requirement"),
        queryset=Requirement.objects.none(),
        required=False,
        widget=RequirementSelect,
        help_text=gettext_lazy("Where the report names one. It must belong to the standard."),
    )
    text = forms.CharField(
        label=gettext_lazy("Text of the assignment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("As it stands in the inspection report."),
    )
    deadline = forms.DateField(label=gettext_lazy("Deadline"), widget=date_input())
    visit = BoundedModelChoiceField(
        label=gettext_lazy("Source visit"), queryset=Visit.objects.none(), required=False
    )

    def __init__(
        self, *args, board: Board, school: School | None, assignment=None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        versions = assignment_versions(board, school)
        offered = Q(framework_version__in=versions)
        if assignment is not None:
            offered |= Q(pk=assignment.standard_id)
        standards = (
            Standard.objects.filter(offered)
            .select_related("framework_version")
            .order_by("framework_version__name", "position")
        )
        self.fields["standard"].queryset = standards
        self.fields["standard"].empty_label = gettext_lazy("— choose a standard —")
        self.fields["requirement"].queryset = Requirement.objects.filter(
            standard__in=standards.values("pk")
        ).order_by("standard__framework_version__name", "standard__position", "position")
        self.fields["requirement"].empty_label = gettext_lazy("— the standard as a whole —")
        self.fields["visit"].queryset = Visit.objects.filter(board=board, school=school)
        self.fields["visit"].empty_label = gettext_lazy("— none —")


class FollowUpForm(forms.Form):
    follow_up_on = forms.DateField(
        label=gettext_lazy("Date of the follow-up investigation"),
        required=False,
        widget=date_input(),
        help_text=gettext_lazy("Planned or held. An outcome needs the date it was held."),
    )
    follow_up_outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=FollowUpOutcome.choices, required=False
    )
    follow_up_note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
