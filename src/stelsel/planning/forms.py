"""Forms for plans, themes, goals and check-ins. Each form is built for one plan or unit, so
every list it offers holds only what that unit may link to; the services check the same rules
again and give the messages about values (numbers, dates, circles of goals)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from stelsel.frameworks.models import Standard
from stelsel.organisations import access
from stelsel.organisations.models import Board, School
from stelsel.picture.forms_actions import OwnerChoiceField, StandardChoiceField
from stelsel.picture.models import Evidence, Indicator, Picture, PictureState
from stelsel.planning.models import Goal, Plan, PlanKind, PlanStatus, Progress
from stelsel.planning.services import owner_candidates
from stelsel.web import forms as bounded


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people(board: Board, school: School | None, current_owner_id: int | None):
    """Who may own something of this unit, plus whoever owns it now."""
    people = get_user_model().objects.filter(
        Exists(owner_candidates(board, school).filter(user=OuterRef("pk")))
    )
    if current_owner_id:
        people = people | get_user_model().objects.filter(pk=current_owner_id)
    return people.order_by("name", "email")


def kinds_for(school: School | None) -> list[tuple[str, str]]:
    """A strategic plan is the board's; a school plan a school's; the others either's."""
    excluded = PlanKind.SCHOOL if school is None else PlanKind.STRATEGIC
    return [(value, label) for value, label in PlanKind.choices if value != excluded]


class PlanFilterForm(forms.Form):
    school = forms.ChoiceField(label=_("School"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", _("All"))] + units
        self.fields["kind"].choices = [("", _("All"))] + list(PlanKind.choices)
        self.fields["status"].choices = [("", _("All"))] + list(PlanStatus.choices)


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of plan"))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_on = forms.DateField(label=_("Start of the period"), widget=_date_widget())
    ends_on = forms.DateField(
        label=_("End of the period"),
        widget=_date_widget(),
        help_text=_(
            "A four-year plan runs at most four years and two months, a year plan 13 months."
        ),
    )
    owner = OwnerChoiceField(
        label=_("Owner"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Who answers for this plan."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=PlanStatus.choices)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, board: Board, school: School | None, plan: Plan | None = None, **kw):
        super().__init__(*args, **kw)
        self.fields["kind"].choices = kinds_for(school)
        self.fields["owner"].queryset = _people(board, school, plan.owner_id if plan else None)
        self.fields["owner"].empty_label = _("— nobody yet —")
        if plan is None:
            del self.fields["revision"]
        else:
            self.fields["revision"].required = True


class DeriveForm(forms.Form):
    title = forms.CharField(label=_("Title of the new plan"), max_length=200)
    starts_on = forms.DateField(label=_("Start of the new period"), widget=_date_widget())
    ends_on = forms.DateField(label=_("End of the new period"), widget=_date_widget())


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("Theme"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ServesChoiceField(bounded.ModelChoiceField):
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
    theme = bounded.ModelChoiceField(label=_("Theme"), queryset=None, required=False)
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
        label=_("Unit"),
        max_length=30,
        required=False,
        help_text=_("For example %, pupils, or a score."),
    )
    target_date = forms.DateField(
        label=_("Target date"),
        required=False,
        widget=_date_widget(),
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
    indicators = bounded.ModelMultipleChoiceField(
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
        self.fields["owner"].queryset = _people(board, school, goal.owner_id if goal else None)
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


class EvidenceChoiceField(bounded.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class CheckInForm(forms.Form):
    """The conversation guide for every PDCA meeting, with its questions as labels."""

    held_on = forms.DateField(label=_("Date of the conversation"), widget=_date_widget())
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
            access.evidence_for_user(user, board).filter(unit).order_by("-effective_on", "title")
        )
