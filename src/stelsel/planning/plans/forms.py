"""Forms for plans and their themes. Each form is built for one unit, so every list it offers
holds only what that unit may link to; the services check the same rules again and give the
messages about values (periods, kinds, owners)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from stelsel.lib.fields import date_input
from stelsel.organisations.models import Board, School
from stelsel.planning.actions.forms import OwnerChoiceField
from stelsel.planning.models import Plan, PlanKind, PlanStatus
from stelsel.planning.units import owner_choices


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
    starts_on = forms.DateField(label=_("Start of the period"), widget=date_input())
    ends_on = forms.DateField(
        label=_("End of the period"),
        widget=date_input(),
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
        self.fields["owner"].queryset = owner_choices(
            board, school, plan.owner_id if plan else None
        )
        self.fields["owner"].empty_label = _("— nobody yet —")
        if plan is None:
            del self.fields["revision"]
        else:
            self.fields["revision"].required = True


class DeriveForm(forms.Form):
    title = forms.CharField(label=_("Title of the new plan"), max_length=200)
    starts_on = forms.DateField(label=_("Start of the new period"), widget=date_input())
    ends_on = forms.DateField(label=_("End of the new period"), widget=date_input())


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("Theme"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
