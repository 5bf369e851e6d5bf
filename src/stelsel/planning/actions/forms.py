"""Forms for actions, and the choice fields for owners and standards that the forms of plans
and goals use too. Each form is built for one unit (a school, or the board for
`school=None`), so every list it offers holds only what that unit may link to; the services
check the same rules again."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stelsel.frameworks.models import Requirement, Standard
from stelsel.lib.date_formats import short_date
from stelsel.lib.fields import BoundedModelChoiceField, BoundedModelMultipleChoiceField, date_input
from stelsel.organisations.models import Board, School
from stelsel.picture.models import (
    Assignment,
    Indicator,
    Picture,
    PictureState,
    Visit,
    indicator_levels,
)
from stelsel.planning.models import Action, ActionStatus, Goal, PlanStatus
from stelsel.planning.units import owner_choices


class StandardChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name} · {obj.framework_version.name}"


class RequirementChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        text = obj.text if len(obj.text) <= 90 else obj.text[:88] + "…"
        return f"{obj.code} {text}"


class AssignmentChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} · {short_date(obj.deadline)} · {obj.text[:60]}"


class GoalChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} · {obj.plan.title}"


class OwnerChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


def action_standards(board: Board, school: School | None, action: Action | None = None):
    """Standards to offer: those of the unit's current pictures and of its opdrachten, plus
    whatever the action links already (a standard of an older version stays visible)."""
    current = Picture.objects.filter(board=board, school=school, state=PictureState.CURRENT).values(
        "framework_version_id"
    )
    of_assignments = Assignment.objects.filter(board=board, school=school).values(
        "standard__framework_version_id"
    )
    offered = Q(framework_version_id__in=current) | Q(framework_version_id__in=of_assignments)
    if action is not None and action.pk:
        offered |= Q(pk__in=action.standards.values("pk"))
    return (
        Standard.objects.filter(offered)
        .select_related("framework_version")
        .order_by("framework_version__name", "position")
    )


class ActionForm(forms.Form):
    title = forms.CharField(label=_("What will be done"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner = OwnerChoiceField(
        label=_("Owner"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Who answers for this action."),
    )
    starts_on = forms.DateField(label=_("Start"), required=False, widget=date_input())
    due_on = forms.DateField(label=_("Due date"), required=False, widget=date_input())
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    # No validators here: the service gives the one clear message for a value out of range.
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        initial=0,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        help_text=_("From 0 to 100. A done action counts as 100."),
    )
    standards = StandardChoiceField(
        label=_("Standards it works on"),
        queryset=Standard.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    requirements = RequirementChoiceField(
        label=_("Requirements it works on"),
        queryset=Requirement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Requirements of the standards ticked above."),
    )
    indicators = BoundedModelMultipleChoiceField(
        label=_("Own indicators it works on"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    assignments = AssignmentChoiceField(
        label=_("Herstelopdrachten it covers"),
        queryset=Assignment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visit = BoundedModelChoiceField(
        label=_("Follow-up of visit"), queryset=Visit.objects.none(), required=False
    )
    goal = GoalChoiceField(
        label=_("Goal it works towards"),
        queryset=Goal.objects.none(),
        required=False,
        help_text=_("A goal of one of this unit's plans."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, board: Board, school: School | None, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        current_owner = action.owner_id if action is not None else None
        self.fields["owner"].queryset = owner_choices(board, school, current_owner)
        self.fields["owner"].empty_label = _("— nobody yet —")
        standards = action_standards(board, school, action)
        self.fields["standards"].queryset = standards
        self.fields["requirements"].queryset = Requirement.objects.filter(
            standard__in=standards.values("pk")
        ).order_by("standard__framework_version__name", "standard__position", "position")
        indicators = Q(board=board, active=True, level__in=indicator_levels(school))
        if action is not None and action.pk:
            indicators |= Q(pk__in=action.indicators.values("pk"))
        self.fields["indicators"].queryset = Indicator.objects.filter(indicators)
        self.fields["assignments"].queryset = Assignment.objects.filter(
            board=board, school=school
        ).select_related("standard", "requirement")
        self.fields["visit"].queryset = Visit.objects.filter(board=board, school=school)
        self.fields["visit"].empty_label = _("— none —")
        goals = Q(board=board, plan__board=board, plan__school=school) & ~Q(
            plan__status=PlanStatus.CLOSED
        )
        if action is not None and action.goal_id:
            goals |= Q(pk=action.goal_id)
        self.fields["goal"].queryset = (
            Goal.objects.filter(goals)
            .select_related("plan")
            .order_by("-plan__starts_on", "plan_id", "position")
        )
        self.fields["goal"].empty_label = _("— none —")
        if action is None:
            del self.fields["revision"]
        else:
            self.fields["revision"].required = True
