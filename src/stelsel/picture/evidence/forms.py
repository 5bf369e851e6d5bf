"""Forms of evidence. They only offer choices; the services check everything again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stelsel.lib.fields import BoundedModelChoiceField, BoundedModelMultipleChoiceField, date_input
from stelsel.picture.evidence.selectors import ALL_UNITS
from stelsel.picture.models import EvidenceKind

BOARD_UNIT = "board"


def unit_value(school) -> str:
    return BOARD_UNIT if school is None else str(school.pk)


def _standard_choices(standards) -> list:
    """Standards grouped by framework version, for a list of checkboxes per framework."""
    groups: dict = {}
    for standard in standards:
        version = standard.framework_version
        _label, options = groups.setdefault(version.pk, (version.name, []))
        options.append((standard.pk, f"{standard.code} {standard.name}"))
    return list(groups.values())


class _LinkedFields(forms.Form):
    """What every evidence form has: what it is, when it holds, what it supports."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What it shows, and for whom."),
    )
    effective_on = forms.DateField(label=_("Effective from"), widget=date_input())
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        help_text=_("For example when a policy document must be renewed."),
        widget=date_input(),
    )
    standards = forms.TypedMultipleChoiceField(
        label=_("Standards it supports"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = BoundedModelMultipleChoiceField(
        label=_("Own indicators it supports"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, standards, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self._standards = {s.pk: s for s in standards}
        self.fields["standards"].choices = _standard_choices(self._standards.values())
        self.fields["indicators"].queryset = indicators
        self.fields["effective_on"].initial = timezone.localdate()

    def standard_groups(self):
        """(framework name, checkboxes) pairs, so each framework gets its own fieldset."""
        widgets = iter(self["standards"])
        return [
            (label, [next(widgets) for _option in options])
            for label, options in self.fields["standards"].choices
        ]

    def clean_standards(self):
        return [self._standards[pk] for pk in self.cleaned_data["standards"]]


class EvidenceForm(_LinkedFields):
    field_order = ["school", "kind", "title", "description", "upload", "url", "round"]

    school = forms.ChoiceField(label=_("For"))
    kind = forms.ChoiceField(
        label=_("Kind of evidence"),
        choices=EvidenceKind.choices,
        initial=EvidenceKind.DOCUMENT,
        widget=forms.RadioSelect,
    )
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "PDF, an image, Word, Excel, PowerPoint, OpenDocument, or text or CSV in UTF-8."
        ),
    )
    url = forms.CharField(
        label=_("Web address"),
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    round = BoundedModelChoiceField(
        label=_("Self-evaluation round"),
        queryset=None,
        required=False,
        help_text=_("A closed round of the same school or of the board."),
    )

    def __init__(self, *args, units, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(unit_value(u), _("The board itself") if u is None else u.name) for u in units]
        if len(choices) > 1:
            prompt = _("— choose a school or the board —") if None in units else _("— choose —")
            choices.insert(0, ("", prompt))
        self.fields["school"].choices = choices
        self.fields["round"].queryset = rounds
        self.fields["round"].empty_label = _("— choose a round —")
        self.fields["round"].label_from_instance = lambda r: (
            f"{r.title} ({r.school.name if r.school_id else _('the board')})"
        )


class EvidenceEditForm(_LinkedFields):
    url = forms.CharField(
        label=_("Web address"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    field_order = ["title", "description", "url"]

    def __init__(self, *args, with_url: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_url:
            del self.fields["url"]


class EvidenceVersionForm(forms.Form):
    upload = forms.FileField(label=_("New version of the file"))


class EvidenceFilterForm(forms.Form):
    school = forms.ChoiceField(label=_("School or board"), required=False)
    standard = forms.TypedChoiceField(
        label=_("Standard"), coerce=int, required=False, empty_value=None
    )
    validity = forms.ChoiceField(
        label=_("Validity"),
        required=False,
        choices=[
            ("", _("All")),
            ("valid", _("Still valid")),
            ("expired", _("Expired")),
        ],
    )

    def __init__(self, *args, schools, board_unit: bool, standards, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("All units"))]
        if board_unit:
            choices.append((BOARD_UNIT, _("The board itself")))
        self._schools = {str(s.pk): s for s in schools}
        choices += [(pk, s.name) for pk, s in self._schools.items()]
        self.fields["school"].choices = choices
        self._standards = {s.pk: s for s in standards}
        self.fields["standard"].choices = [
            ("", _("All standards")),
            *_standard_choices(self._standards.values()),
        ]

    def filters(self) -> dict:
        """Keyword arguments for selectors.evidence_list."""
        data = self.cleaned_data
        school = data.get("school")
        return {
            "unit": None
            if school == BOARD_UNIT
            else self._schools.get(school, ALL_UNITS)
            if school
            else ALL_UNITS,
            "standard": self._standards.get(data.get("standard")),
            "expired": {"valid": False, "expired": True}.get(data.get("validity")),
        }
