"""The forms of the report pages. They check the shape of what is typed; the services check
what it means."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stelsel.lib.fields import (
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    date_input,
)
from stelsel.reports.blocks import BLOCKS
from stelsel.reports.text import TEXT_LIMIT


def school_year_start(today: datetime.date) -> datetime.date:
    return datetime.date(today.year if today.month >= 8 else today.year - 1, 8, 1)


class ComposeForm(forms.Form):
    template = BoundedModelChoiceField(queryset=None, label=_("Template"), empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    school = BoundedModelChoiceField(
        queryset=None,
        label=_("School"),
        required=False,
        empty_label=_("— the board —"),
        help_text=_("For a school's Q-report. Leave empty for a report about the board."),
    )
    selection = BoundedModelMultipleChoiceField(
        queryset=None,
        label=_("Only these schools"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a board report about some of the schools. None chosen: all schools."),
    )
    period_start = forms.DateField(label=_("Period from"), widget=date_input())
    period_end = forms.DateField(label=_("Period to"), widget=date_input())

    def __init__(self, *args, templates, schools, board_level: bool, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault(
            "initial", {"period_start": school_year_start(today), "period_end": today}
        )
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["template"].label_from_instance = lambda t: (
            f"{t.name} ({_('own copy')})" if t.board_id else t.name
        )
        self.fields["school"].queryset = schools
        if board_level:
            self.fields["selection"].queryset = schools
        else:
            # A school leader composes about their own school only.
            del self.fields["selection"]
            self.fields["school"].required = True
            self.fields["school"].empty_label = None


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=TEXT_LIMIT,
        strip=False,  # stored as typed: an indented line means something in Markdown
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Simple formatting: # heading, - list item, *emphasis*, **bold**, "
            "[link text](https://…). Other markup is shown as typed."
        ),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NewVersionForm(forms.Form):
    reason = forms.CharField(
        label=_("What does the new version correct or update?"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CompareForm(forms.Form):
    old = forms.IntegerField(min_value=1, max_value=100_000, label=_("Compare version"))
    new = forms.IntegerField(min_value=1, max_value=100_000, label=_("with version"))


def block_choices():
    return [("", _("Text written by people"))] + [
        (key, kind.label) for key, kind in sorted(BLOCKS.items(), key=lambda kv: str(kv[1].label))
    ]


class TemplateSectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    block = forms.ChoiceField(label=_("Content"), choices=block_choices, required=False)
    prompt = forms.CharField(label=_("Question for the author"), max_length=500, required=False)


TemplateSectionFormSet = forms.formset_factory(
    TemplateSectionForm,
    extra=1,
    can_delete=True,
    can_order=True,
    max_num=60,
    validate_max=True,
)


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)
