"""The activity page's filter: a GET form, so a filtered log is a link that can be shared and
works without scripts. Its field names are the Dutch words in the address."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stelsel.organisations import activity

FIRST_YEAR, LAST_YEAR = 2000, 2100  # history lies in between; far dates overflow the clock


class ActivityFilterForm(forms.Form):
    soort = forms.ChoiceField(label=_("Kind of record"), required=False)
    school = forms.ChoiceField(label=_("School"), required=False)
    persoon = forms.ChoiceField(label=_("Changed by"), required=False)
    van = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tot = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ouder = forms.CharField(required=False, widget=forms.HiddenInput, max_length=80)

    def __init__(self, data, *, schools, people):
        super().__init__(data)
        self.fields["soort"].choices = [("", _("all kinds")), *activity.GROUPS.items()]
        self.fields["school"].choices = [
            ("", _("the board and every school")),
            (activity.BOARD_LEVEL, _("board level only")),
            *((str(s.pk), s.name) for s in schools),
        ]
        self.fields["persoon"].choices = [
            ("", _("anyone")),
            *((str(p.pk), str(p)) for p in people),
        ]
        for name in ("van", "tot"):
            self.fields[name].error_messages["invalid"] = _("Enter a date, for example 31-12-2026.")
        for name in ("soort", "school", "persoon"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Choose one of the options in the list."
            )

    def clean_ouder(self):
        text = self.cleaned_data["ouder"]
        if not text:
            return None
        try:
            return activity.Cursor.parse(text)
        except (ValueError, OverflowError):
            raise ValidationError(
                _("This link to older entries is not valid. Start again from the newest.")
            ) from None

    def _clean_day(self, name):
        day = self.cleaned_data[name]
        if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValidationError(
                _("Enter a date between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return day

    def clean_van(self):
        return self._clean_day("van")

    def clean_tot(self):
        return self._clean_day("tot")

    def clean(self):
        data = super().clean()
        since, until = data.get("van"), data.get("tot")
        if since and until and since > until:
            self.add_error("tot", _("The end of the period lies before its start."))
        return data

    def filters(self) -> activity.Filters:
        """The filters of a valid form."""
        data = self.cleaned_data
        school = data["school"] or None
        if school and school != activity.BOARD_LEVEL:
            school = int(school)
        return activity.Filters(
            groups=(data["soort"],) if data["soort"] else (),
            school=school,
            person=int(data["persoon"]) if data["persoon"] else None,
            since=data["van"],
            until=data["tot"],
            before=data["ouder"],
        )
