"""Why a sign-in through a board's provider failed, in words a board executive can act on.

The person who tried to sign in gets a short message; the board executive sees the reason on
the sign-in settings page (recorded per provider, so one board's broken provider never shows
on another's page). Exceptions are read through their chain: allauth wraps PyJWT's and
requests' errors.
"""

import jwt
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.utils.translation import gettext_lazy as _
from requests import HTTPError, RequestException

REFUSALS = {
    "not_verified": _(
        "The identity provider did not confirm that the email address belongs to this person."
    ),
    "other_tenant": _("The sign-in came from another Microsoft tenant than the board's."),
    "other_domain": _(
        "The email address is not in one of the board's domains, so this provider cannot "
        "vouch for it."
    ),
    "no_email": _("The identity provider sent no email address."),
    "unknown_person": _(
        "Nobody with this email address has been invited to this board. Ask the board to "
        "invite you first."
    ),
    "inactive": _("This account has been switched off."),
    "other_boards": _(
        "This Stelsel account is also used outside this board. Sign in with your password "
        "first; then sign in with your work account once while signed in, to link the two."
    ),
    "certificate_expired": _(
        "The identity provider's signing certificate has expired. The board executive can "
        "enter the new one in the board's sign-in settings."
    ),
}


CREDENTIALS_REFUSED = _(
    "The identity provider refused Stelsel's credentials. Check the client "
    "ID and the client secret (secrets expire in Entra ID)."
)

FAULTS = {
    "no_id_token": _(
        "The identity provider sent no identity token. Check that the application at the "
        "provider may sign people in with OpenID Connect (scope openid)."
    ),
    "subject_mismatch": _(
        "The identity provider's userinfo answer was about another person (subject) than its "
        "identity token, so neither was trusted."
    ),
    "unchecked_route": _(
        "A sign-in came back to an address Stelsel does not accept. Register the redirect "
        "address shown on this page at the identity provider."
    ),
    "unreachable": _(
        "The identity provider could not be reached at the configured address (%(detail)s). "
        "Check the tenant or issuer address, or try again later."
    ),
    "unreadable": _(
        "The identity provider's configuration at the configured address could not be read. "
        "Check the tenant or issuer address."
    ),
    "token_refused": _(
        "The identity provider refused to exchange the sign-in for a token (%(detail)s). Check "
        "the client ID, the client secret and the redirect address registered at the provider."
    ),
}


class ProviderFault(OAuth2Error):
    """An answer of the provider that Stelsel refuses, named by a code in FAULTS."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail

    def explanation(self) -> str:
        if self.code == "token_refused" and self.detail == "invalid_client":
            return str(CREDENTIALS_REFUSED)
        return str(FAULTS[self.code]) % {"detail": self.detail}


def _chain(exception):
    seen = set()
    while exception is not None and id(exception) not in seen:
        seen.add(id(exception))
        yield exception
        exception = exception.__cause__ or exception.__context__


def explain(exception=None, error=None, saml_reason: str = "") -> str:
    """One sentence for the board executive about what went wrong."""
    for exc in _chain(exception):
        if isinstance(exc, ProviderFault):
            return exc.explanation()
        if isinstance(exc, jwt.ExpiredSignatureError):
            return str(
                _(
                    "The identity token had expired when it arrived. Check the clocks of the "
                    "identity provider and of this server."
                )
            )
        if isinstance(exc, jwt.ImmatureSignatureError):
            return str(
                _(
                    "The identity token is dated in the future: the identity provider's clock "
                    "and this server's differ (clock skew)."
                )
            )
        if isinstance(exc, jwt.InvalidIssuerError):
            return str(
                _(
                    "The identity token comes from another issuer than the configured one. "
                    "Check the tenant or issuer address."
                )
            )
        if isinstance(exc, jwt.InvalidAudienceError):
            return str(
                _("The identity token was made for another application. Check the client ID.")
            )
        if isinstance(exc, jwt.InvalidSignatureError | jwt.DecodeError):
            return str(
                _(
                    "The identity token's signature does not match the provider's keys: the "
                    "token was altered or does not come from this provider."
                )
            )
        if isinstance(exc, HTTPError) and exc.response is not None:
            if exc.response.status_code in (400, 401):
                return str(CREDENTIALS_REFUSED)
            return str(
                _("The identity provider answered with an error (%(status)s).")
                % {"status": exc.response.status_code}
            )
        if isinstance(exc, RequestException):
            return str(
                _("The identity provider could not be reached. Check the tenant or issuer address.")
            )
        if "certificate expired" in str(exc):
            return str(REFUSALS["certificate_expired"])
        if "token already used" in str(exc):
            return str(_("An identity token was used a second time (replay) and refused."))
    if saml_reason:
        lowered = saml_reason.lower()
        if "signature" in lowered:
            return str(
                _(
                    "The SAML response's signature does not match the configured certificate: "
                    "it was altered or signed with another key."
                )
            )
        if any(
            word in lowered
            for word in ("expired", "notonorafter", "too early", "not yet valid", "timestamp")
        ):
            return str(
                _(
                    "The SAML response is outside its validity period. Check the clocks of "
                    "the identity provider and of this server."
                )
            )
        if "not signed" in lowered or "no signature" in lowered:
            return str(
                _(
                    "The SAML response was not signed, and Stelsel accepts signed responses "
                    "only. Make the identity provider sign its assertions."
                )
            )
        if "audience" in lowered:
            return str(
                _(
                    "The SAML response was made for another service (audience). Register the "
                    "entity ID shown on this page at the identity provider."
                )
            )
        if "received at" in lowered or "destination" in lowered or "recipient" in lowered:
            return str(
                _(
                    "The SAML response was addressed to another address (destination) than "
                    "Stelsel's reply URL. Register the reply URL shown on this page at the "
                    "identity provider."
                )
            )
        if "inresponseto" in lowered or "unsolicited" in lowered:
            return str(
                _(
                    "A SAML response arrived that answered no sign-in Stelsel started "
                    "(unsolicited or sent again), and was refused."
                )
            )
        # The raw reason may repeat what the sender wrote (its issuer, its destination): it goes
        # to the log, never onto the board executive's page.
        return str(_("The SAML response was refused. The server log has the details."))
    if error == "cancelled":
        return str(_("The sign-in was cancelled at the identity provider."))
    return str(_("The sign-in could not be completed."))
