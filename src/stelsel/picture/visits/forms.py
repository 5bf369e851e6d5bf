"""Forms for inspection visits; the services check everything again before they write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stelsel.lib.fields import BoundedModelChoiceField, date_input
from stelsel.organisations.models import School
from stelsel.picture.models import VisitKind
from stelsel.picture.visits.services import MAX_NOTE, MAX_VISIT_TEXT, TITLE_MAX


class VisitForm(forms.Form):
    school = BoundedModelChoiceField(
        label=_("School or board visited"), queryset=School.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=VisitKind.choices)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    starts_on = forms.DateField(label=_("First day"), widget=date_input())
    ends_on = forms.DateField(label=_("Last day"), widget=date_input())
    notes = forms.CharField(
        label=_("What we want to tell"),
        required=False,
        max_length=MAX_VISIT_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The story the school or board wants the inspectorate to hear."),
    )

    def __init__(self, *args, schools=None, allow_board: bool = True, **kwargs):
        """`schools` are the schools a visit may be planned for; without them (editing) the
        unit cannot be changed. `allow_board` offers the board itself as the unit."""
        super().__init__(*args, **kwargs)
        if schools is None:
            del self.fields["school"]
            return
        field = self.fields["school"]
        field.queryset = schools
        field.required = not allow_board
        field.empty_label = _("— the board itself —") if allow_board else _("— choose a school —")
        if not self.is_bound and not self.initial.get("starts_on"):
            today = timezone.localdate()
            self.initial.setdefault("starts_on", today)
            self.initial.setdefault("ends_on", today)


class VisitNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note for the log"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_NOTE}),
        help_text=_("Facts only: what was asked, seen or said. Notes cannot be changed later."),
    )
