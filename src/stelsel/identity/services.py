"""Writes on a board's sign-in: its identity providers, their domains and the password rule.

Each is one transaction. What a board enters is checked before anything is stored: a tenant
that is a directory ID, an issuer address over https, a certificate that reads and has not
expired, domains that are real domain names and belong to no other board. A change to what
identifies the provider (tenant, issuer, entity ID) unlinks the accounts linked through it, so a
subject number of the old provider can never sign someone in through the new one.
"""

import re
import uuid

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stelsel.accounts.selectors import user_has_totp
from stelsel.identity.models import (
    IdentityDomain,
    IdentityProvider,
    ProviderKind,
    SignInPolicy,
)
from stelsel.identity.saml import CertificateProblem, certificate_expiry
from stelsel.lib.encryption import encrypt
from stelsel.organisations.models import Board, Membership
from stelsel.organisations.roles import Role

DOMAIN_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# Mail services anyone can get an address at: no board's provider may vouch for these, or a
# board could sign itself in as anyone's private address.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "outlook.nl",
        "hotmail.com",
        "hotmail.nl",
        "live.com",
        "live.nl",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "yahoo.com",
        "yahoo.nl",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.net",
        "gmx.de",
        "ziggo.nl",
        "kpnmail.nl",
        "kpnplanet.nl",
        "planet.nl",
        "home.nl",
        "hetnet.nl",
        "xs4all.nl",
        "casema.nl",
        "chello.nl",
        "upcmail.nl",
        "quicknet.nl",
        "zeelandnet.nl",
        "telfort.nl",
        "tele2.nl",
        "online.nl",
        "caiway.nl",
        "solcon.nl",
        "mail.com",
        "zonnet.nl",
        "freeler.nl",
        "wxs.nl",
        "tiscali.nl",
        "versatel.nl",
        "onsbrabantnet.nl",
    }
)
IDENTIFYING_FIELDS = ("kind", "tenant", "server_url", "saml_entity_id")
MAX_DOMAINS = 50


def parse_domains(text: str) -> list[str]:
    """The domains in a text of domains separated by commas, spaces or lines, checked."""
    domains = []
    for part in re.split(r"[\s,;]+", text or ""):
        domain = part.strip().lower().lstrip("@").rstrip(".")
        if not domain:
            continue
        try:
            domain = domain.encode("idna").decode("ascii")  # bücher.nl as xn--bcher-kva.nl
        except UnicodeError:
            domain = "!"
        if not DOMAIN_RE.match(domain):
            raise ValidationError(
                _("“%(domain)s” is not a domain name, such as stichting.nl.") % {"domain": part},
                code="bad_domain",
            )
        if domain in PUBLIC_MAIL_DOMAINS:
            raise ValidationError(
                _(
                    "%(domain)s is a public mail service: anyone can get an address there, so no "
                    "board's identity provider can vouch for it."
                )
                % {"domain": domain},
                code="public_domain",
            )
        if domain not in domains:
            domains.append(domain)
    if not domains:
        raise ValidationError(_("Enter at least one email domain."), code="no_domain")
    if len(domains) > MAX_DOMAINS:
        raise ValidationError(
            _("At most %(count)s domains per provider.") % {"count": MAX_DOMAINS}, code="many"
        )
    return domains


def _check_fields(data: dict) -> dict:
    """Normalise and check what the board entered for its kind of provider."""
    kind = data.get("kind")
    if kind not in ProviderKind.values:
        raise ValidationError(_("Choose a kind of identity provider."), code="kind")
    clean = {"kind": kind, "label": (data.get("label") or "").strip()[:80]}
    for field in ("tenant", "server_url", "client_id", "saml_entity_id", "saml_sso_url"):
        clean[field] = (data.get(field) or "").strip()
    clean["saml_slo_url"] = (data.get("saml_slo_url") or "").strip()
    clean["saml_certificate"] = (data.get("saml_certificate") or "").strip()
    errors = {}
    if kind == ProviderKind.ENTRA:
        try:
            clean["tenant"] = str(uuid.UUID(clean["tenant"]))
        except ValueError:
            errors["tenant"] = _(
                "Enter the directory (tenant) ID from Entra ID's overview page: 36 characters "
                "such as 0b2d6f7e-1c4a-4f3e-9a55-2f6c1d0e8b71."
            )
    if kind == ProviderKind.OIDC:
        url = clean["server_url"].rstrip("/")
        if not url.startswith("https://") and not _local_allowed(url):
            errors["server_url"] = _("Enter the issuer address, starting with https://.")
        clean["server_url"] = url
    if kind != ProviderKind.SAML and not clean["client_id"]:
        errors["client_id"] = _("Enter the client ID (application ID).")
    if kind == ProviderKind.SAML:
        if not clean["saml_entity_id"]:
            errors["saml_entity_id"] = _("Enter the identity provider's entity ID.")
        for field in ("saml_sso_url", "saml_slo_url"):
            url = clean[field]
            if url and not url.startswith("https://") and not _local_allowed(url):
                errors[field] = _("Enter an address starting with https://.")
        if not clean["saml_sso_url"]:
            errors["saml_sso_url"] = _("Enter the single sign-on address.")
        try:
            expiry = certificate_expiry(clean["saml_certificate"])
        except CertificateProblem:
            errors["saml_certificate"] = _(
                "Paste the signing certificate (PEM, starting with -----BEGIN CERTIFICATE-----)."
            )
        else:
            if expiry <= timezone.now():
                errors["saml_certificate"] = _(
                    "This certificate expired on %(date)s. Download the current one from the "
                    "identity provider."
                ) % {"date": expiry.date().isoformat()}
            clean["saml_certificate_expires"] = expiry
    if errors:
        raise ValidationError(errors)
    return clean


def _local_allowed(url: str) -> bool:
    """Plain http is accepted only for a provider on this machine while debugging or testing."""
    return bool(getattr(settings, "IDENTITY_ALLOW_HTTP_LOCALHOST", False)) and url.startswith(
        ("http://127.0.0.1", "http://localhost")
    )


@transaction.atomic
def provider_save(
    *,
    board: Board,
    data: dict,
    domains_text: str,
    client_secret: str = "",
    provider: IdentityProvider | None = None,
    revision: int | None = None,
) -> IdentityProvider:
    """Create or change a provider. An empty secret keeps the stored one."""
    clean = _check_fields(data)
    try:
        domains = parse_domains(domains_text)
    except ValidationError as exc:
        raise ValidationError({"domains": exc.messages}) from None
    taken = (
        IdentityDomain.objects.filter(domain__in=domains)
        .exclude(provider__board=board)
        .values_list("domain", flat=True)
    )
    if taken:
        raise ValidationError(
            {
                "domains": _(
                    "%(domains)s is already used by another board. A domain can belong to one "
                    "board only; ask the helpdesk if this is your domain."
                )
                % {"domains": ", ".join(sorted(taken))}
            }
        )
    same_board = IdentityDomain.objects.filter(domain__in=domains, provider__board=board)
    if provider is not None:
        same_board = same_board.exclude(provider=provider)
    if same_board.exists():
        raise ValidationError(
            {"domains": _("One of these domains is already used by another provider of yours.")}
        )
    if provider is None:
        provider = IdentityProvider(board=board)
        needs_secret = clean["kind"] != ProviderKind.SAML
        if needs_secret and not client_secret:
            raise ValidationError({"client_secret": _("Enter the client secret.")})
    else:
        provider = IdentityProvider.objects.select_for_update().get(pk=provider.pk, board=board)
        if revision is not None and provider.revision != revision:
            raise ValidationError(
                _("Someone else changed this provider meanwhile. Reload the page and try again."),
                code="conflict",
            )
        identity_changed = any(
            str(getattr(provider, field)) != str(clean.get(field, getattr(provider, field)))
            for field in IDENTIFYING_FIELDS
        )
        if identity_changed:
            SocialAccount.objects.filter(provider=provider.key).delete()
            provider.verified_at = None
        provider.revision += 1
    for field, value in clean.items():
        setattr(provider, field, value)
    if client_secret:
        provider.client_secret_encrypted = encrypt(client_secret.strip())
        provider.secret_set_at = timezone.now()
    provider.updated_at = timezone.now()
    provider.save()
    provider.domains.exclude(domain__in=domains).delete()
    existing = set(provider.domains.values_list("domain", flat=True))
    try:
        with transaction.atomic():
            IdentityDomain.objects.bulk_create(
                [IdentityDomain(provider=provider, domain=d) for d in domains if d not in existing]
            )
    except IntegrityError:
        raise ValidationError(
            {"domains": _("One of these domains was just taken by another board.")}
        ) from None
    return provider


@transaction.atomic
def provider_delete(*, provider: IdentityProvider) -> None:
    """Remove a provider, its links and, when it was the board's last, the password rule."""
    board = Board.objects.select_for_update().get(pk=provider.board_id)
    SocialAccount.objects.filter(provider=provider.key).delete()
    provider.delete()
    if not board.identity_providers.exists():
        SignInPolicy.objects.filter(board=board).update(passwords_off=False)


def passwords_off_blockers(*, board: Board, user) -> list[str]:
    """What stands in the way of turning password sign-in off; empty when nothing does."""
    reasons = []
    if not board.identity_providers.filter(verified_at__isnull=False).exists():
        reasons.append(
            _(
                "Nobody has signed in through the board's identity provider yet. Try it first "
                "with your own work account."
            )
        )
    if not user_has_totp(user):
        reasons.append(
            _(
                "Set up an authenticator app for your own account first: with password sign-in "
                "off, your password and that app are the board's way back in when the identity "
                "provider fails."
            )
        )
    return reasons


@transaction.atomic
def passwords_set(*, board: Board, user, off: bool) -> SignInPolicy:
    Board.objects.select_for_update().get(pk=board.pk)
    if not Membership.objects.filter(user=user, board=board, role=Role.BOARD_EXECUTIVE).exists():
        raise ValidationError(_("Only a board executive can change this."), code="forbidden")
    if off:
        blockers = passwords_off_blockers(board=board, user=user)
        if blockers:
            raise ValidationError(blockers, code="blocked")
    policy, _created = SignInPolicy.objects.get_or_create(board=board)
    policy.passwords_off = off
    policy.changed_at = timezone.now()
    policy.changed_by = user
    policy.save()
    return policy
