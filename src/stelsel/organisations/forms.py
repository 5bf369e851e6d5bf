"""Forms for people, invitations, board settings and the DUO import upload."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stelsel.accounts.models import User
from stelsel.lib.fields import BoundedModelChoiceField
from stelsel.organisations.models import Board, School
from stelsel.organisations.roles import Role
from stelsel.organisations.services import role_scope_check


class RoleForm(forms.Form):
    """A role on the board or on one of its schools; the scope rule is the service's."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    school = BoundedModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        help_text=_("For school leaders and staff: the school they work at."),
    )

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(board=board)
        self.fields["school"].empty_label = _("— the whole board —")

    def clean(self):
        data = super().clean()
        if data.get("role"):
            try:
                role_scope_check(role=data["role"], school=data.get("school"))
            except ValidationError as exc:
                self.add_error("school", exc)
        return data


class InvitationForm(RoleForm):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    field_order = ["email", "name", "role", "school"]


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            try:
                password_validation.validate_password(
                    one, User(email=self.email, name=data.get("name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class BoardSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name of the board"), max_length=200)
    benchmark_opt_in = forms.BooleanField(
        label=_("Take part in the self-evaluation benchmark"),
        required=False,
        help_text=_("Only averages are shared, and only when at least five boards take part."),
    )
    school_leaders_run_rounds = forms.BooleanField(
        label=_("School leaders may run their school's self-evaluation rounds"),
        required=False,
        help_text=_(
            "They create, edit, open, close and share the rounds of their own school. The "
            "board's own rounds stay with the board office, and the anonymity rules stay the same."
        ),
    )
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor sign-in for everyone on this board"),
        required=False,
        help_text=_(
            "When this is on, everyone with a role on the board must set up an authenticator "
            "app (TOTP) before continuing."
        ),
    )


class DuoUploadForm(forms.Form):
    file = forms.FileField(
        label=_("DUO file of school locations (CSV)"),
        help_text=_("The file 'Alle vestigingen' of PO or VO from DUO open data."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.DUO_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)d MB.")
                % {"max": settings.DUO_UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
