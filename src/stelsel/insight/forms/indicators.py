"""Forms for own indicators: a measurement by hand, the upload of a school's own figures, and
the mapping of the export's columns onto schools, dates and indicators.

The value is typed as text and read by the measurement service, so "7,5" and "7.5" are both
numbers and "veel" gets an answer that helps; the mapping form only says which column is
which, and the plan of the import checks the rows.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from stelsel.insight.measurements import date_error
from stelsel.insight.own_figures import BY_CODE, BY_NAME, Mapping
from stelsel.lib.fields import date_input

MAX_MAPPING_NAME = 100
FIXED_UNIT = "unit"
DATE_COLUMN, DATE_FIXED = "column", "fixed"


class MeasurementForm(forms.Form):
    unit = forms.ChoiceField(label=_("For"))
    measured_on = forms.DateField(
        label=_("Reference date"),
        widget=date_input(),
        help_text=_("The day the figure describes, such as 1 October for pupil numbers."),
    )
    value = forms.CharField(label=_("Value"), max_length=40)
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Where the figure comes from, such as the absence register or a survey."),
    )

    def __init__(self, *args, indicator, units=None, **kwargs):
        """`units` are the (value, name) pairs to choose from; None when the unit is fixed."""
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].choices = units
        self.fields["value"].help_text = _("In %(unit)s; a number such as 85 or 7,5.") % {
            "unit": indicator.unit
        }


class OwnFiguresUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Export file"),
        help_text=_(
            "A CSV file (separated by ; or ,) or a spreadsheet (.xlsx, .ods) with one row per "
            "school and date, and figures per school only."
        ),
    )
    mapping = forms.ModelChoiceField(
        label=_("Saved column mapping"),
        queryset=None,
        required=False,
        empty_label=_("None: map the columns after the upload"),
    )

    def __init__(self, *args, mappings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = mappings
        if not mappings.exists():
            del self.fields["mapping"]


def _suggest(header: str, indicators) -> str:
    """An indicator whose code or title is the column's name, as a first guess."""
    name = header.strip().casefold()
    for indicator in indicators:
        if name in (indicator.code.casefold(), indicator.title.casefold()):
            return str(indicator.pk)
    return ""


class MappingForm(forms.Form):
    """Which column is the school, which the date, and which feed which own indicator."""

    school_mode = forms.ChoiceField(
        label=_("How the file names the school"),
        widget=forms.RadioSelect,
        choices=[
            (BY_CODE, _("A column with the school's code (BRIN and vestiging, such as 16AH00)")),
            (BY_NAME, _("A column with the school's name")),
            (FIXED_UNIT, _("The whole file is about one school (or the board itself)")),
        ],
    )
    school_column = forms.ChoiceField(
        label=_("Column with the school"),
        required=False,
        help_text=_("When a column names the school, by code or by name."),
    )
    vestiging_column = forms.ChoiceField(
        label=_("Column with the vestiging number"),
        required=False,
        help_text=_("Only when the school's column holds the BRIN alone (16AH) and this one 00."),
    )
    unit = forms.ChoiceField(
        label=_("The school the file is about"),
        required=False,
        help_text=_("When the whole file is about one school, or about the board itself."),
    )
    date_mode = forms.ChoiceField(
        label=_("Where the date comes from"),
        widget=forms.RadioSelect,
        choices=[
            (DATE_COLUMN, _("A column with the date of each row")),
            (DATE_FIXED, _("One date for the whole file")),
        ],
    )
    date_column = forms.ChoiceField(
        label=_("Column with the date"),
        required=False,
        help_text=_("When a column holds the dates, as 2025-10-01 or day first: 1-10-2025."),
    )
    date = forms.DateField(
        label=_("Date for the whole file"),
        required=False,
        widget=date_input(),
        help_text=_("When one reference date holds for every row."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Stored with each value, such as the system the export comes from."),
    )
    save_as = forms.CharField(
        label=_("Save this mapping as"),
        max_length=MAX_MAPPING_NAME,
        required=False,
        help_text=_("Give it a name to use it again next time; the same name replaces it."),
    )

    def __init__(self, *args, headers: list[str], units, indicators, mapping=None, **kwargs):
        self.headers = [h for h in headers if h]
        indicators = list(indicators)
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "school_mode": BY_CODE,
            "date_mode": DATE_COLUMN,
            **self._initial(mapping, indicators),
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)
        columns = [("", _("— choose a column —"))] + [(h, h) for h in self.headers]
        for name in ("school_column", "vestiging_column", "date_column"):
            self.fields[name].choices = columns
        self.fields["vestiging_column"].choices = [("", _("None"))] + columns[1:]
        self.fields["unit"].choices = [("", _("— choose —"))] + list(units)
        choices = [("", _("Not imported"))] + [
            (str(i.pk), f"{i.code} {i.title} ({i.unit})") for i in indicators
        ]
        self.value_names = []
        for position, header in enumerate(self.headers):
            name = f"value_{position}"
            self.fields[name] = forms.ChoiceField(label=header, choices=choices, required=False)
            self.value_names.append(name)

    def _initial(self, mapping: Mapping | None, indicators) -> dict:
        if mapping is None:
            return {f"value_{p}": _suggest(h, indicators) for p, h in enumerate(self.headers)}
        present = set(self.headers)
        fed = {column: str(i) for column, i in mapping.values}
        initial = {
            "school_mode": FIXED_UNIT if mapping.unit else mapping.school_by,
            "school_column": mapping.school_column if mapping.school_column in present else "",
            "vestiging_column": mapping.vestiging_column
            if mapping.vestiging_column in present
            else "",
            "unit": mapping.unit,
            "date_mode": DATE_FIXED if mapping.date else DATE_COLUMN,
            "date_column": mapping.date_column if mapping.date_column in present else "",
            "date": mapping.date,
            "source": mapping.source,
        }
        for position, header in enumerate(self.headers):
            initial[f"value_{position}"] = fed.get(header, "")
        return initial

    def value_fields(self):
        return [self[name] for name in self.value_names]

    def clean(self):
        data = super().clean()
        mode = data.get("school_mode")
        if mode in (BY_CODE, BY_NAME) and not data.get("school_column"):
            self.add_error("school_column", _("Choose the column that names the school."))
        if mode == FIXED_UNIT and not data.get("unit"):
            self.add_error("unit", _("Choose the school the file is about."))
        if data.get("date_mode") == DATE_COLUMN and not data.get("date_column"):
            self.add_error("date_column", _("Choose the column with the date."))
        if data.get("date_mode") == DATE_FIXED:
            if not data.get("date"):
                self.add_error("date", _("Give the date for the whole file."))
            elif error := date_error(data["date"]):
                self.add_error("date", error)
        used = set()
        if mode in (BY_CODE, BY_NAME):
            used |= {data.get("school_column"), data.get("vestiging_column")}
        if data.get("date_mode") == DATE_COLUMN:
            used.add(data.get("date_column"))
        used.discard("")
        used.discard(None)
        fed: dict[str, str] = {}
        for name in self.value_names:
            indicator = data.get(name)
            if not indicator:
                continue
            header = self.fields[name].label
            if header in used:
                self.add_error(
                    name, _("This column already names the school or the date; it holds no values.")
                )
            elif indicator in fed:
                self.add_error(
                    name,
                    _("Column “%(other)s” already feeds this indicator; one column per indicator.")
                    % {"other": fed[indicator]},
                )
            else:
                fed[indicator] = header
        if not fed and not self.errors:
            self.add_error(None, _("Choose at least one column with figures and its indicator."))
        return data

    def mapping(self, *, sheet: str) -> Mapping:
        data = self.cleaned_data
        fixed = data["school_mode"] == FIXED_UNIT
        by_column = data["date_mode"] == DATE_COLUMN
        return Mapping(
            values=[
                (self.fields[name].label, int(data[name]))
                for name in self.value_names
                if data.get(name)
            ],
            school_column="" if fixed else data["school_column"],
            school_by=BY_CODE if fixed else data["school_mode"],
            vestiging_column=""
            if fixed or data["school_mode"] != BY_CODE
            else data.get("vestiging_column", ""),
            unit=data["unit"] if fixed else "",
            date_column=data["date_column"] if by_column else "",
            date=None if by_column else data["date"],
            sheet=sheet,
            source=data.get("source", "").strip(),
        )
