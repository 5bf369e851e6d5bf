"""Forms of the quality calendar. Ranges are not checked here: the services give the one clear
message for a value out of range, for the forms and any other caller alike."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from stelsel.lib.fields import BoundedModelChoiceField, BoundedModelMultipleChoiceField, date_input
from stelsel.meetings.holidays import Region
from stelsel.meetings.models import HolidayRule, MeetingState, Rhythm
from stelsel.meetings.selectors import month_name, weekday_name
from stelsel.meetings.services import member_candidates
from stelsel.organisations.models import Board, School
from stelsel.organisations.unit_choice import UnitFilterForm
from stelsel.planning.units import owner_candidates


class PersonChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


class PeopleChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


WEEKS_OF_MONTH = [
    (1, _("first")),
    (2, _("second")),
    (3, _("third")),
    (4, _("fourth")),
    (5, _("last")),
]


class SeriesForm(forms.Form):
    name = forms.CharField(label=_("Name of the table"), max_length=200)
    participants_text = forms.CharField(
        label=_("Participants"),
        max_length=300,
        required=False,
        help_text=_("Who sits at this table, e.g. “board, all school leaders, quality officer”."),
    )
    members = PeopleChoiceField(
        label=_("People in Stelsel who sit at this table"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their calendar feed shows this table's meetings."),
    )
    rhythm = forms.ChoiceField(label=_("Rhythm"), choices=Rhythm.choices, widget=forms.RadioSelect)
    interval = forms.IntegerField(
        label=_("Every how many weeks"),
        required=False,
        help_text=_("For “every N weeks”: 1 to 52. The weekday is that of the first meeting."),
    )
    months = forms.TypedMultipleChoiceField(
        label=_("In which months"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "For “in chosen months”: twice a year, yearly in June, or all twelve for monthly."
        ),
    )
    week_of_month = forms.TypedChoiceField(
        label=_("Which week of the month"), coerce=int, choices=WEEKS_OF_MONTH, initial=2
    )
    weekday = forms.TypedChoiceField(label=_("On which day"), coerce=int, initial=1)
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), initial=90, help_text=_("From 15 to 600 minutes.")
    )
    first_date = forms.DateField(label=_("First meeting"), widget=date_input())
    last_date = forms.DateField(
        label=_("Last meeting"),
        required=False,
        widget=date_input(),
        help_text=_("Leave empty for a table without an end."),
    )
    holiday_rule = forms.ChoiceField(
        label=_("A meeting that falls in a school holiday"),
        choices=HolidayRule.choices,
        initial=HolidayRule.MOVE,
        required=False,  # left out: the meeting moves
        widget=forms.RadioSelect,
        help_text=_("The holidays of the school's region (for a board table, the board's)."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    assignment = forms.CharField(
        label=_("Assignment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What this table is for, and what it is about."),
    )
    mandate = forms.CharField(
        label=_("Mandate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What this table may decide, and what it advises on."),
    )
    standard_agenda = forms.CharField(
        label=_("Standard agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One item per line; a meeting's agenda can start from it."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, board: Board, school: School | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = member_candidates(board, school).order_by("name", "email")
        self.fields["months"].choices = [(m, month_name(m)) for m in range(1, 13)]
        self.fields["weekday"].choices = [(d, weekday_name(d)) for d in range(1, 8)]


class MeetingRecordForm(forms.Form):
    state = forms.ChoiceField(
        label=_("The meeting was"), choices=MeetingState.choices, widget=forms.RadioSelect
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 14})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=300)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "item")
        super().__init__(*args, **kwargs)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    create_action = forms.BooleanField(
        label=_("Create an action that carries out this decision"), required=False
    )
    action_title = forms.CharField(
        label=_("What will be done"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the decision's first line."),
    )
    action_owner = PersonChoiceField(
        label=_("Owner of the action"), queryset=get_user_model().objects.none(), required=False
    )
    action_due_on = forms.DateField(
        label=_("Due date of the action"), required=False, widget=date_input()
    )

    def __init__(self, *args, board: Board, school: School | None, **kwargs):
        kwargs.setdefault("prefix", "decision")
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(
            pk__in=owner_candidates(board, school).values("user_id"), is_active=True
        )
        self.fields["action_owner"].queryset = people.order_by("name", "email")


class RoundPointsForm(forms.Form):
    points = forms.TypedMultipleChoiceField(
        label=_("Points of the conversation agenda"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one point.")},
    )

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].choices = [
            (point.pk, f"{point.standard.code}: {point.question}") for point in points
        ]


class TableFilterForm(UnitFilterForm):
    """The unit filter of every list, and the tables one sits at."""

    mine = forms.BooleanField(
        label=_("Only tables I sit at"),
        required=False,
        widget=forms.CheckboxInput(attrs={"value": "1"}),
    )


class MonthFilterForm(TableFilterForm):
    """The month shown (year-month, e.g. 2026-12) with the filters of the calendar."""

    maand = forms.RegexField(
        label=_("Month"),
        regex=r"^[0-9]{4}-[0-9]{2}$",
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"invalid": _("Give a month as year-month, for example 2026-12.")},
    )

    def clean_maand(self):
        value = self.cleaned_data["maand"]
        if not value:
            return None
        year, month = (int(part) for part in value.split("-"))
        if not 1 <= month <= 12 or not 1900 <= year <= 2200:
            raise forms.ValidationError(_("Give a month as year-month, for example 2026-12."))
        return (year, month)


class ArchiveFilterForm(forms.Form):
    """Which past meetings the archive shows: of one table, of one school year."""

    table = forms.TypedChoiceField(label=_("Table"), coerce=int, required=False, empty_value=None)
    school_year = forms.ChoiceField(label=_("School year"), required=False)

    def __init__(self, *args, tables, school_years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = [("", _("All"))] + [
            (series.pk, f"{series.name} ({series.school.name if series.school else _('board')})")
            for series in tables
        ]
        self.fields["school_year"].choices = [("", _("All"))] + [
            (year, year) for year in school_years
        ]


class HolidayRegionsForm(forms.Form):
    """The board's school holiday region and, per school, a region of its own."""

    board_region = forms.ChoiceField(
        label=_("Holiday region of the board"),
        required=False,
        help_text=_(
            "The region of the municipality where most of the board's schools are, in the "
            "ministry's division into north, middle and south."
        ),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board_region"].choices = [("", _("Not set"))] + list(Region.choices)
        self.schools = list(schools)
        for school in self.schools:
            self.fields[f"school_{school.pk}"] = forms.ChoiceField(
                label=school.name,
                required=False,
                choices=[("", _("Same as the board"))] + list(Region.choices),
                help_text=school.municipality,
            )

    def school_fields(self):
        return [self[f"school_{school.pk}"] for school in self.schools]

    def school_regions(self) -> dict[int, str | None]:
        return {
            school.pk: self.cleaned_data[f"school_{school.pk}"] or None for school in self.schools
        }
