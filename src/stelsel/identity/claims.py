"""What an identity provider vouches for: pure rules over the claims it sent.

An address counts only when the provider vouches for it in the way that provider can:
- Microsoft Entra ID: the token comes from the board's own tenant (`tid`), and the address is
  the `email` claim when Entra marks it verified (`email_verified` or `xms_edov`), otherwise the
  sign-in name (`preferred_username`/`upn`), which Entra only allows on the tenant's verified
  domains. An unverified `email` claim is never used: anyone may type one into a guest account.
- Google Workspace: `email_verified` is true and the hosted domain (`hd`) is one of the board's.
- Another OpenID Connect provider: `email_verified` is true.
- SAML: the address in the signed assertion (the signature was checked against the board's
  certificate before these rules run).
Then, for every kind, the address must lie in one of the board's domains.

The multi-factor claim: `amr` containing "mfa" (RFC 8176), an `acr` or SAML authentication
context that names multi-factor authentication.
"""

from dataclasses import dataclass

from stelsel.identity.models import ProviderKind

MFA_AMR = {"mfa"}
MFA_CONTEXTS = {
    "https://refeds.org/profile/mfa",
    "http://schemas.microsoft.com/claims/multipleauthn",
    "http://schemas.openid.net/pape/policies/2007/06/multi-factor",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken",
}


@dataclass(frozen=True)
class Vouched:
    email: str | None  # lower case, or None when refused
    refusal: str = ""  # a code: not_verified, other_tenant, other_domain, no_email


def _true(value) -> bool:
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() in {"true", "1", "yes"}


def _address(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip().lower()
    if value.count("@") != 1 or len(value) > 254 or any(c.isspace() for c in value):
        return None
    local, domain = value.split("@")
    if not local or "." not in domain or domain.startswith(".") or domain.endswith("."):
        return None
    try:
        domain = domain.encode("idna").decode("ascii")  # as the board's domains are kept
    except UnicodeError:
        return None
    return f"{local}@{domain}"


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[1].lower()


def vouched_email(*, kind: str, claims: dict, domains: set[str], tenant: str = "") -> Vouched:
    """The address the provider vouches for, or the reason it vouches for none."""
    if kind == ProviderKind.ENTRA:
        if str(claims.get("tid", "")).lower() != tenant.lower():
            return Vouched(None, "other_tenant")
        email = None
        if _true(claims.get("email_verified")) or _true(claims.get("xms_edov")):
            email = _address(claims.get("email"))
        if email is None:
            email = _address(claims.get("preferred_username")) or _address(claims.get("upn"))
    elif kind == ProviderKind.GOOGLE:
        if not _true(claims.get("email_verified")):
            return Vouched(None, "not_verified")
        email = _address(claims.get("email"))
        hosted = str(claims.get("hd", "")).lower()
        if email and hosted not in domains:
            return Vouched(None, "other_domain")
    elif kind == ProviderKind.OIDC:
        if not _true(claims.get("email_verified")):
            return Vouched(None, "not_verified")
        email = _address(claims.get("email"))
    else:
        email = _address(claims.get("email"))
    if email is None:
        return Vouched(None, "no_email")
    if domain_of(email) not in domains:
        return Vouched(None, "other_domain")
    return Vouched(email)


def multi_factor(claims: dict, contexts: list[str] | None = None) -> bool:
    """True when the provider says the person used more than one factor."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if MFA_AMR & {str(value).lower() for value in amr}:
        return True
    named = {str(claims.get("acr", ""))} | set(contexts or [])
    return bool(named & MFA_CONTEXTS)
