"""Forms for goals and check-ins. Each form is built for one plan, so every list it offers
holds only what that plan's unit may link to; the services check the same rules again and give
the messages about values (numbers, dates, circles of goals)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stelsel.frameworks.models import Standard
from stelsel.lib.fields import BoundedModelChoiceField, BoundedModelMultipleChoiceField, date_input
from stelsel.organisations.models import Board
from stelsel.picture.access import evidence_for_user
from stelsel.picture.models import Evidence, Indicator, Picture, PictureState
from stelsel.planning.actions.forms import OwnerChoiceField, StandardChoiceField
from stelsel.planning.models import Goal, Plan, PlanStatus, Progress
from stelsel.planning.units import owner_choices


class ServesChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} · {obj.plan.title}"


def goal_standards(plan: Plan, goal: Goal | None = None):
    """Standards to offer: those of the unit's current pictures, plus what the goal links."""
    current = Picture.objects.filter(
        board=plan.board, school=plan.school, state=PictureState.CURRENT
    ).values("framework_version_id")
    offered = Q(framework_version_id__in=current)
    if goal is not None and goal.pk:
        offered |= Q(pk__in=goal.standards.values("pk"))
    return (
        Standard.objects.filter(offered)
        .select_related("framework_version")
        .order_by("framework_version__name", "position")
    )


class GoalForm(forms.Form):
    title = forms.CharField(
        label=_("What it yields for pupils"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "A result for pupils, with how much and by when: “In June 2027 reads 80 percent of "
            "group 4 at level.”"
        ),
    )
    theme = BoundedModelChoiceField(label=_("Theme"), queryset=None, required=False)
    indicator = forms.CharField(
        label=_("Indicator"),
        max_length=200,
        required=False,
        help_text=_("What you measure, for example “share of pupils reading at level”."),
    )
    # Text, not a number field: the service reads "1,5" and explains "85%" or "veel".
    baseline = forms.CharField(
        label=_("Baseline"),
        required=False,
        max_length=40,
        help_text=_("Where we stand now, as a number."),
    )
    target = forms.CharField(
        label=_("Target value"),
        required=False,
        max_length=40,
        help_text=_("When we are satisfied, as a number: 80 or 7,5."),
    )
    unit = forms.CharField(
        label=pgettext_lazy("measure", "Unit"),
        max_length=30,
        required=False,
        help_text=_("For example %, pupils, or a score."),
    )
    target_date = forms.DateField(
        label=_("Target date"),
        required=False,
        widget=date_input(),
        help_text=_("By when; within the plan's period."),
    )
    owner = OwnerChoiceField(
        label=_("Owner"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Who answers for this goal."),
    )
    serves = ServesChoiceField(
        label=_("Board goal it serves"),
        queryset=Goal.objects.none(),
        required=False,
        help_text=_("The goal of the board's strategic plan or year plan this goal works towards."),
    )
    standards = StandardChoiceField(
        label=_("Standards it works on"),
        queryset=Standard.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = BoundedModelMultipleChoiceField(
        label=_("Own ambitions and indicators"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan: Plan, serve_choices, goal: Goal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        board, school = plan.board, plan.school
        self.fields["theme"].queryset = plan.themes.all()
        self.fields["theme"].empty_label = _("— no theme —")
        self.fields["owner"].queryset = owner_choices(
            board, school, goal.owner_id if goal else None
        )
        self.fields["owner"].empty_label = _("— nobody yet —")
        serves = (
            serve_choices.filter(
                plan__starts_on__lte=plan.ends_on, plan__ends_on__gte=plan.starts_on
            )
            .exclude(plan=plan)
            .exclude(plan__status=PlanStatus.CLOSED)
        )
        if goal is not None and goal.serves_id:
            serves = serves | serve_choices.filter(pk=goal.serves_id)
        self.fields["serves"].queryset = serves.select_related("plan").order_by(
            "plan__starts_on", "plan_id", "position"
        )
        self.fields["serves"].empty_label = _("— none —")
        self.fields["standards"].queryset = goal_standards(plan, goal)
        indicators = Q(board=board, active=True)
        if goal is not None and goal.pk:
            indicators |= Q(pk__in=goal.indicators.values("pk"))
        self.fields["indicators"].queryset = Indicator.objects.filter(indicators).order_by(
            "position", "code"
        )
        if goal is None:
            del self.fields["revision"]
        else:
            self.fields["revision"].required = True


class EvidenceChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class CheckInForm(forms.Form):
    """The conversation guide for every PDCA meeting, with its questions as labels."""

    held_on = forms.DateField(label=_("Date of the conversation"), widget=date_input())
    plan_text = forms.CharField(
        label=_("Plan: what do we want to achieve? Who is responsible?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    do_text = forms.CharField(
        label=_("Do: how is it going? What goes well?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    check_text = forms.CharField(
        label=_("Check: is it working? How can you see that?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    act_text = forms.CharField(
        label=_("Act: what is the next step? What must be kept?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    securing_text = forms.CharField(
        label=_(
            "Securing: how are successes recorded lastingly? How do we make quality independent "
            "of persons? Does it fit the board's and the school's goals?"
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    measured = forms.CharField(
        label=_("Value measured"),
        required=False,
        max_length=40,
        help_text=_("On the goal's indicator, as a number."),
    )
    progress = forms.ChoiceField(
        label=_("How is it going?"), choices=Progress.choices, widget=forms.RadioSelect
    )
    evidence = EvidenceChoiceField(
        label=_("Evidence that shows it"),
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, board: Board, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        # The evidence of the plan's own unit: its school's, or the board's own (no school).
        unit = Q(school__isnull=True) if plan.school_id is None else Q(school=plan.school_id)
        self.fields["evidence"].queryset = (
            evidence_for_user(user, board).filter(unit).order_by("-effective_on", "title")
        )
