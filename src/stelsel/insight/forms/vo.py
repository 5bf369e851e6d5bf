"""Forms for secondary schools' results: the values a board reads in its Internet Schooldossier,
and the upload of DUO's exam results and pupil counts.

The values form has one value and one norm field per indicator slot (the location's R1 and R2,
each afdeling's R3 and R4), and for onderbouwsnelheid the shares its norm can be corrected for.
It checks only the form of what is typed; what it means is the service's (`vo_entry`), whose
errors come back on the field they name.
"""

from decimal import Decimal

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from stelsel.insight import vo_model
from stelsel.insight.sheets import max_bytes
from stelsel.insight.vo_entry import Entry, field_name, slots
from stelsel.insight.vo_results import (
    AFDELING_LABELS,
    CORRECTION_LABELS,
    INDICATOR_HELP,
    INDICATOR_LABELS,
    PublishedNorm,
)


def _number(label, *, help_text="") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=8,
        decimal_places=4,  # more than stored: the service names "two decimals" itself
        localize=True,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _slot_fields(indicator: str, afdeling: str, published: PublishedNorm | None) -> dict:
    low, high = vo_model.RANGES[indicator]
    fields = {
        field_name(indicator, afdeling, "value"): _number(
            _("Value"),
            help_text=_("Between %(low)s and %(high)s.")
            % {"low": number_format(low), "high": number_format(high)},
        ),
        field_name(indicator, afdeling, "norm"): _number(
            _("Norm for this school"),
            help_text=(
                _("Published norm %(norm)s; the Internet Schooldossier shows the school's own.")
                % {"norm": number_format(published.norm, decimal_pos=2)}
                if published
                else _("Not published: enter the norm the Internet Schooldossier shows.")
            ),
        ),
    }
    for key, correction in (published.corrections if published else {}).items():
        fields[field_name(indicator, afdeling, key)] = _number(
            _("Share of %(who)s (%%)") % {"who": CORRECTION_LABELS.get(key, key)},
            help_text=_("Over the three years; lowers the norm by %(c)s × the share.")
            % {"c": number_format(abs(correction), decimal_pos=1)},
        )
    return fields


class Slot:
    """One indicator (for one afdeling) as the template lays it out: its fields together."""

    def __init__(self, form, indicator: str, afdeling: str, published: PublishedNorm | None):
        self.indicator, self.afdeling, self.published = indicator, afdeling, published
        self.r = vo_model.R_NUMBER[indicator]
        self.label = INDICATOR_LABELS[indicator]
        self.help = INDICATOR_HELP[indicator]
        self.value = form[field_name(indicator, afdeling, "value")]
        self.norm = form[field_name(indicator, afdeling, "norm")]
        self.shares = [
            form[field_name(indicator, afdeling, key)]
            for key in (published.corrections if published else {})
        ]


class VoValuesForm(forms.Form):
    """A school's four indicators for one results period; the norms published for the period
    are filled in where nothing is stored yet."""

    def __init__(self, *args, published: dict, stored=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.published = published
        for indicator, afdeling in slots():
            norm = published.get((indicator, afdeling))
            self.fields.update(_slot_fields(indicator, afdeling, norm))
            if norm is not None:
                self.initial.setdefault(field_name(indicator, afdeling, "norm"), norm.norm)
        for value in stored:
            self.initial[field_name(value.indicator, value.afdeling, "value")] = value.value
            self.initial[field_name(value.indicator, value.afdeling, "norm")] = value.norm
            for key, share in value.shares.items():
                self.initial[field_name(value.indicator, value.afdeling, key)] = vo_model.round2(
                    Decimal(share) * 100
                )

    def location_slots(self) -> list[Slot]:
        return [
            Slot(self, code, "", self.published.get((code, "")))
            for code in vo_model.LOCATION_INDICATORS
        ]

    def afdeling_groups(self) -> list[tuple[str, str, list[Slot]]]:
        return [
            (
                afdeling,
                AFDELING_LABELS[afdeling],
                [
                    Slot(self, code, afdeling, self.published.get((code, afdeling)))
                    for code in vo_model.AFDELING_INDICATORS
                ],
            )
            for afdeling in vo_model.AFDELINGEN
        ]

    def entries(self) -> dict[tuple[str, str], Entry]:
        """What was typed, per slot; empty slots are left out."""
        data = self.cleaned_data
        found = {}
        for indicator, afdeling in slots():
            published = self.published.get((indicator, afdeling))
            entry = Entry(
                value=data.get(field_name(indicator, afdeling, "value")),
                norm=data.get(field_name(indicator, afdeling, "norm")),
                shares={
                    key: data.get(field_name(indicator, afdeling, key))
                    for key in (published.corrections if published else {})
                },
            )
            if entry.value is None and entry.norm is None and not any(entry.shares.values()):
                continue
            found[(indicator, afdeling)] = entry
        return found


class DuoUploadForm(forms.Form):
    file = forms.FileField(
        label=_("DUO's file (CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    year = forms.IntegerField(
        label=_("School year, by the year it ends"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_(
            "Only for a file without a SCHOOLJAAR column: 2019 for the school year 2018-2019."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(limit)s, the most Stelsel reads.")
                % {"limit": filesizeformat(max_bytes())}
            )
        return upload
