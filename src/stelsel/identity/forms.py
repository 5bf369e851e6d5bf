"""Forms for a board's sign-in settings and for starting a sign-in with a work account.

The provider form shows only the fields of the chosen kind. The client secret is write-only: the
field is never filled in from the stored value, and left empty it keeps what is stored.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from stelsel.identity.models import IdentityProvider, ProviderKind

FIELDS_BY_KIND = {
    ProviderKind.ENTRA: ["label", "domains", "tenant", "client_id", "client_secret"],
    ProviderKind.GOOGLE: ["label", "domains", "client_id", "client_secret"],
    ProviderKind.OIDC: ["label", "domains", "server_url", "client_id", "client_secret"],
    ProviderKind.SAML: [
        "label",
        "domains",
        "saml_entity_id",
        "saml_sso_url",
        "saml_slo_url",
        "saml_certificate",
    ],
}


# What a provider of each kind cannot work without (the client secret too, when none is stored).
REQUIRED_BY_KIND = {
    ProviderKind.ENTRA: ["tenant", "client_id"],
    ProviderKind.GOOGLE: ["client_id"],
    ProviderKind.OIDC: ["server_url", "client_id"],
    ProviderKind.SAML: ["saml_entity_id", "saml_sso_url", "saml_certificate"],
}


class ProviderForm(forms.Form):
    label = forms.CharField(
        label=_("Button text"),
        max_length=80,
        required=False,
        help_text=_("Shown on the sign-in button. Empty: the name of the kind of provider."),
    )
    domains = forms.CharField(
        label=_("Email domains"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The domains of your staff's work addresses, one per line, for example "
            "stichting.nl. The provider can only sign in addresses in these domains."
        ),
    )
    tenant = forms.CharField(
        label=_("Directory (tenant) ID"),
        max_length=64,
        required=False,
        help_text=_("In Entra ID: Overview of your tenant, “Tenant ID”."),
    )
    server_url = forms.CharField(
        label=_("Issuer address"),
        max_length=300,
        required=False,
        help_text=_("The address before /.well-known/openid-configuration."),
    )
    client_id = forms.CharField(
        label=_("Client ID"),
        max_length=300,
        required=False,
        help_text=_("In Entra ID: “Application (client) ID” of the app registration."),
    )
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=500,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    saml_entity_id = forms.CharField(
        label=_("Identity provider entity ID"), max_length=300, required=False
    )
    saml_sso_url = forms.CharField(
        label=_("Single sign-on address"), max_length=300, required=False
    )
    saml_slo_url = forms.CharField(
        label=_("Single logout address"),
        max_length=300,
        required=False,
        help_text=_("Optional: where Stelsel signs people out at the provider too."),
    )
    saml_certificate = forms.CharField(
        label=_("Signing certificate"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        required=False,
        max_length=20000,
        help_text=_("The identity provider's X.509 signing certificate, as PEM text."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kind: str, provider: IdentityProvider | None = None, **kwargs):
        if provider is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "label": provider.label,
                "domains": "\n".join(provider.domains.values_list("domain", flat=True)),
                "tenant": provider.tenant,
                "server_url": provider.server_url,
                "client_id": provider.client_id,
                "saml_entity_id": provider.saml_entity_id,
                "saml_sso_url": provider.saml_sso_url,
                "saml_slo_url": provider.saml_slo_url,
                "saml_certificate": provider.saml_certificate,
                "revision": provider.revision,
            }
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = set(FIELDS_BY_KIND[kind]) | {"revision"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name in REQUIRED_BY_KIND[kind]:
            self.fields[name].required = True
        if "client_secret" in self.fields and provider is None:
            self.fields["client_secret"].required = True
        if "client_secret" in self.fields and provider is not None and provider.has_secret:
            self.fields["client_secret"].help_text = _(
                "A secret is stored. Leave this empty to keep it; enter a new one to replace it."
            )
        if kind == ProviderKind.GOOGLE:
            self.fields["client_id"].help_text = _(
                "In Google Cloud: APIs & Services, Credentials, the OAuth client ID."
            )

    def provider_data(self) -> dict:
        data = {name: self.cleaned_data.get(name, "") for name in FIELDS_BY_KIND[self.kind]}
        data["kind"] = self.kind
        return data


NO_PROVIDER = _(
    "Your board has not set up sign-in with work accounts for this address. Sign in with your "
    "email address and password."
)


class WorkAccountForm(forms.Form):
    email = forms.EmailField(
        label=_("Your work email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordsForm(forms.Form):
    passwords_off = forms.BooleanField(
        label=_("Turn password sign-in off for addresses in the board's domains"), required=False
    )
