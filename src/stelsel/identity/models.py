"""How a board's people sign in, and staff lists brought in at once.

A board may register its own identity provider (Microsoft Entra ID, Google Workspace, another
OpenID Connect provider, or SAML 2.0). Stelsel then hands the sign-in to that provider through
django-allauth; which addresses the provider may vouch for is fixed by the board's email
domains, each held by one board only. Nobody gets a role from a sign-in: the provider only
proves who someone is; roles come from invitations and memberships (organisations).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stelsel.organisations.models import Board


class ProviderKind(models.TextChoices):
    ENTRA = "entra", _("Microsoft Entra ID")
    GOOGLE = "google", _("Google Workspace")
    OIDC = "oidc", _("Other OpenID Connect provider")
    SAML = "saml", _("SAML 2.0")


OIDC_KINDS = {ProviderKind.ENTRA, ProviderKind.GOOGLE, ProviderKind.OIDC}


def new_provider_key() -> str:
    """The provider's name in sign-in addresses: random, so it tells nothing about the board."""
    return "b" + secrets.token_hex(6)


class IdentityProvider(models.Model):
    """One board's identity provider. The client secret is stored encrypted and never shown."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="identity_providers")
    kind = models.CharField(_("kind"), max_length=10, choices=ProviderKind.choices)
    key = models.SlugField(max_length=40, unique=True, default=new_provider_key)
    label = models.CharField(
        _("button text"),
        max_length=80,
        blank=True,
        help_text=_("What people see on the sign-in button, for example “Werkaccount Stichting”."),
    )
    tenant = models.CharField(_("directory (tenant) ID"), max_length=64, blank=True)
    server_url = models.URLField(_("issuer address"), max_length=300, blank=True)
    client_id = models.CharField(_("client ID"), max_length=300, blank=True)
    client_secret_encrypted = models.TextField(blank=True)
    secret_set_at = models.DateTimeField(null=True, blank=True)
    saml_entity_id = models.CharField(_("identity provider entity ID"), max_length=300, blank=True)
    saml_sso_url = models.URLField(_("single sign-on address"), max_length=300, blank=True)
    saml_slo_url = models.URLField(_("single logout address"), max_length=300, blank=True)
    saml_certificate = models.TextField(_("signing certificate"), blank=True)
    saml_certificate_expires = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(_("last successful sign-in"), null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    revision = models.PositiveIntegerField(default=1)  # compared on edit: no lost updates

    class Meta:
        ordering = ["board", "created_at"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return self.label or str(self.get_kind_display())

    @property
    def is_oidc(self) -> bool:
        return self.kind in OIDC_KINDS

    @property
    def has_secret(self) -> bool:
        return bool(self.client_secret_encrypted)


class IdentityDomain(models.Model):
    """An email domain whose addresses a board's provider may vouch for. One board per domain,
    so a provider can never sign someone in to an address of another board's domain."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class SignInPolicy(models.Model):
    """The board's choice to turn password sign-in off for addresses in its domains."""

    board = models.OneToOneField(
        Board, on_delete=models.CASCADE, primary_key=True, related_name="sign_in_policy"
    )
    passwords_off = models.BooleanField(_("password sign-in off"), default=False)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.board}: {'passwords off' if self.passwords_off else 'passwords on'}"


class StaffImportState(models.TextChoices):
    PREVIEW = "preview", _("Waiting for confirmation")
    SENDING = "sending", _("Sending invitations")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class StaffImport(models.Model):
    """A staff list brought in at once: checked and previewed first, then written in one
    transaction, after which the invitations go out in the background with their progress
    counted here."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="staff_imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    source_name = models.CharField(max_length=255, blank=True)
    rows = models.JSONField(default=list)  # the checked rows, as previewed
    state = models.CharField(
        max_length=10, choices=StaffImportState.choices, default=StaffImportState.PREVIEW
    )
    total = models.PositiveIntegerField(default=0)  # invitations to send
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.board}: {self.source_name or 'staff list'} ({self.state})"


class StaffImportInvitation(models.Model):
    """An invitation a staff import made, to be emailed by the background task."""

    staff_import = models.ForeignKey(
        StaffImport, on_delete=models.CASCADE, related_name="invitations"
    )
    invitation = models.ForeignKey(
        "organisations.Invitation", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.staff_import_id}: {self.invitation_id}"
