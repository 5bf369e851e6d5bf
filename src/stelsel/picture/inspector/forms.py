"""The form for giving an inspector a link; the service checks everything again."""

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stelsel.lib.fields import BoundedModelChoiceField, BoundedModelMultipleChoiceField, date_input
from stelsel.picture.inspector.services import LABEL_MAX, MAX_DAYS
from stelsel.picture.models import INSPECTOR_LINK_DAYS, Evidence, Visit


class EvidenceChoices(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        codes = [s.code for s in obj.standards.all()] + [i.code for i in obj.indicators.all()]
        return f"{obj.title} ({', '.join(codes)})" if codes else obj.title


class InspectorLinkForm(forms.Form):
    label = forms.CharField(
        label=_("For whom"),
        max_length=LABEL_MAX,
        help_text=_("For example “Inspecteur J. de Vries”. Shown in the access log."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=date_input(),
    )
    visit = BoundedModelChoiceField(
        label=_("For the visit"), queryset=Visit.objects.none(), required=False
    )
    documents = EvidenceChoices(
        label=_("Documents the inspector may open"),
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, visits, evidence, shares=(), **kwargs):
        """`shares` are (share, its choices for the unit) of what else the link can open."""
        super().__init__(*args, **kwargs)
        self.shares = []
        for share, choices in shares:
            self.fields[share.name] = forms.TypedMultipleChoiceField(
                label=share.label,
                help_text=share.help_text,
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.shares.append(share)
        self.fields["visit"].queryset = visits
        self.fields["visit"].empty_label = _("— no visit —")
        self.fields["documents"].queryset = evidence.prefetch_related("standards", "indicators")
        today = timezone.localdate()
        self.fields["valid_until"].help_text = gettext(
            "At most %(n)s days from today. The link stops working after this day."
        ) % {"n": MAX_DAYS}
        self.fields["valid_until"].initial = today + timedelta(days=INSPECTOR_LINK_DAYS)
        self.fields["valid_until"].widget.attrs.update(
            {"min": today.isoformat(), "max": (today + timedelta(days=MAX_DAYS)).isoformat()}
        )

    def shared_fields(self):
        """The bound fields of the shares, each with the text to show when it has no choices."""
        return [(self[share.name], share.empty) for share in self.shares]

    def shared(self) -> dict[str, list[int]]:
        return {share.name: self.cleaned_data.get(share.name) or [] for share in self.shares}

    def expires_at(self):
        """The end of the chosen day, so the link works the whole of its last day."""
        day = self.cleaned_data["valid_until"]
        return timezone.make_aware(datetime.combine(day, datetime.max.time()))
