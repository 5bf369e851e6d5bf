"""The programme office's forms. `IntakeForm`, `MatchForm` and `TriangleForm` are also shown on
the trajectory's page; they take the programme (and the trajectory, for initial values) as
keywords and post to the office's routes."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stelsel.accounts.models import User
from stelsel.lib.fields import (
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    date_input,
)
from stelsel.lib.forms import in_its_language
from stelsel.trajectories.matching import advisor_memberships
from stelsel.trajectories.models import (
    Aim,
    Cohort,
    Kind,
    PlayingField,
    ProgrammeRole,
    SizeBand,
    Trajectory,
)
from stelsel.trajectories.triangle import triangle_questions

TEXT = 5000


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example 2026-2027."))
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=date_input())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=date_input())
    open_for_applications = forms.BooleanField(label=_("Open for applications now"), required=False)


class DecisionForm(forms.Form):
    ADMIT, REFUSE = "admit", "refuse"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ADMIT, _("Admit")), (REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    confirmed = forms.MultipleChoiceField(
        label=_("Criteria that hold"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Confirm the criteria you found to hold; needed to admit."),
    )
    note = forms.CharField(
        label=_("Note to the board"),
        required=False,
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to refuse: say why."),
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed"].choices = [(row["key"], row["text"]) for row in criteria]
        self.initial.setdefault(
            "confirmed", [row["key"] for row in criteria if row["claimed"] and row["found"]]
        )


class PersonForm(forms.Form):
    email = forms.EmailField(label=_("Email address of their Stelsel account"))
    role = forms.ChoiceField(label=_("Role"), choices=ProgrammeRole.choices)
    expertise = forms.CharField(
        label=_("Expertise"),
        required=False,
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For advisors: what they bring, shown when matching."),
    )
    capacity = forms.IntegerField(
        label=_("Trajectories at once"),
        required=False,
        min_value=1,
        max_value=50,
        help_text=_("For advisors; 4 when left empty."),
    )


def _description() -> forms.CharField:
    return forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NeedForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    field = forms.ChoiceField(label=_("Playing field"), choices=PlayingField.choices)
    description = _description()


class InterventionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    aim = forms.ChoiceField(label=_("Aimed at"), choices=Aim.choices)
    kind = forms.ChoiceField(label=_("Content or process"), choices=Kind.choices)
    description = _description()


class QuadrantForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = _description()


class QuestionsForm(forms.Form):
    questions = forms.CharField(
        label=_("Questions of the triangle conversations"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One question per line. Reports already written keep their questions."),
    )

    def question_list(self) -> list[str]:
        lines = self.cleaned_data["questions"].splitlines()
        return [line.strip() for line in lines if line.strip()]


def _programme_of(programme, trajectory):
    return programme if programme is not None else getattr(trajectory, "programme", None)


class IntakeForm(forms.Form):
    """The start conversation: when, what was said, and the sharpened question."""

    on = forms.DateField(label=_("Start conversation on"), widget=date_input())
    notes = forms.CharField(
        label=_("Notes of the start conversation"),
        required=False,
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    question = forms.CharField(
        label=_("The sharpened support question"),
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The question behind the question, as agreed in the conversation."),
    )

    def __init__(self, *args, programme=None, trajectory: Trajectory | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if trajectory is not None:
            self.initial.setdefault("on", trajectory.intake_on or timezone.localdate())
            self.initial.setdefault("notes", trajectory.intake_notes)
            self.initial.setdefault("question", trajectory.question)


class AdvisorChoiceField(BoundedModelChoiceField):
    def __init__(self, *args, loads=None, **kwargs):
        self.loads = loads or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        load, capacity = self.loads.get(obj.pk, (0, 0))
        return _("%(name)s (%(load)s of %(capacity)s)") % {
            "name": obj.name or obj.email,
            "load": load,
            "capacity": capacity,
        }


class MatchForm(forms.Form):
    """The advisor and the agreement: its period and the board's commitment."""

    advisor = AdvisorChoiceField(label=_("Advisor"), queryset=User.objects.none())
    starts_on = forms.DateField(label=_("Starts on"), widget=date_input())
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=date_input(),
        help_text=_("Empty: the programme's usual duration."),
    )
    commitment = forms.CharField(
        label=_("The board's commitment"),
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the board commits to: time, people, openness."),
    )
    over_capacity = forms.BooleanField(
        label=_("Match even if the advisor is at capacity"), required=False
    )

    def __init__(self, *args, programme=None, trajectory: Trajectory | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        programme = _programme_of(programme, trajectory)
        if programme is not None:
            memberships = list(advisor_memberships(programme))
            field = self.fields["advisor"]
            field.loads = {m.user_id: (m.load, m.capacity) for m in memberships}
            field.queryset = User.objects.filter(
                pk__in=[m.user_id for m in memberships], is_active=True
            ).order_by("name", "email")
        if trajectory is not None:
            self.initial.setdefault("advisor", trajectory.advisor_id)
            self.initial.setdefault("starts_on", trajectory.starts_on or timezone.localdate())
            self.initial.setdefault("ends_on", trajectory.ends_on)
            self.initial.setdefault("commitment", trajectory.commitment)


class TriangleForm(forms.Form):
    """A triangle conversation's report: the date and an answer per question of the programme
    (or, when correcting a report, the questions it was written along)."""

    held_on = forms.DateField(label=_("Held on"), widget=date_input())

    def __init__(
        self,
        *args,
        programme=None,
        trajectory: Trajectory | None = None,
        number: int = 1,
        conversation=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        programme = _programme_of(programme, trajectory)
        if conversation is not None and conversation.report:
            self.questions = [item.get("question", "") for item in conversation.report]
            answers = [item.get("answer", "") for item in conversation.report]
        elif trajectory is not None:
            self.questions = triangle_questions(trajectory, number)
            answers = []
        else:
            self.questions = list(getattr(programme, "triangle_questions", None) or [])
            answers = []
        if conversation is not None:
            self.initial.setdefault("held_on", conversation.held_on)
        for index, question in enumerate(self.questions):
            name = f"answer_{index}"
            self.fields[name] = forms.CharField(
                label=in_its_language(question),
                required=False,
                max_length=TEXT,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            if index < len(answers):
                self.initial.setdefault(name, answers[index])

    def answers(self) -> list[str]:
        return [self.cleaned_data.get(f"answer_{i}", "") for i in range(len(self.questions))]


class PeerGroupForm(forms.Form):
    cohort = BoundedModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    size_band = forms.ChoiceField(label=_("Size of the boards"), choices=SizeBand.choices)

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programme is not None:
            self.fields["cohort"].queryset = Cohort.objects.filter(programme=programme)


class GroupMembersForm(forms.Form):
    trajectories = BoundedModelMultipleChoiceField(
        label=_("Trajectories to add"),
        queryset=Trajectory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["trajectories"].queryset = candidates


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=date_input())
    topic = forms.CharField(label=_("Topic"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
