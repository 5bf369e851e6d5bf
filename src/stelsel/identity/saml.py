"""allauth's SAML provider with what Stelsel needs kept from the response.

The signed assertion's address, name, NameID, session index and authentication contexts are
kept on the social account's data: the address and contexts for the rules (`claims`), the NameID
and session index to sign out at the provider. A board certificate that has expired stops the
sign-in before the person is sent away, with the reason recorded for the board executive.
"""

import datetime as dt

from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.saml.provider import SAMLProvider
from cryptography import x509
from django.utils import timezone


class CertificateProblem(ValueError):
    pass


def certificate_expiry(pem_or_base64: str) -> dt.datetime:
    """When the certificate stops being valid; CertificateProblem when it cannot be read."""
    text = pem_or_base64.strip()
    if "BEGIN CERTIFICATE" not in text:
        body = "".join(text.split())
        text = "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n"
    try:
        certificate = x509.load_pem_x509_certificate(text.encode())
    except ValueError as exc:
        raise CertificateProblem("not a readable X.509 certificate") from exc
    return certificate.not_valid_after_utc


def certificate_expired(pem: str) -> bool:
    try:
        return certificate_expiry(pem) <= timezone.now()
    except CertificateProblem:
        return True


class BoardSAMLProvider(SAMLProvider):
    package = "allauth.socialaccount.providers.saml"  # its addresses are allauth's

    def extract_extra_data(self, data):
        found = self._extract(data)
        return {
            "attributes": data.get_attributes(),
            "email": found.get("email"),
            "name": found.get("name"),
            "name_id": data.get_nameid(),
            "name_id_format": data.get_nameid_format(),
            "session_index": data.get_session_index(),
            "authn_contexts": data.get_last_authn_contexts(),
        }

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        if certificate_expired(self.app.settings["idp"]["x509cert"]):
            return render_authentication_error(
                request,
                self,
                exception=CertificateProblem("certificate expired"),
                extra_context={"started_here": True},
            )
        return super().redirect(request, process, next_url, data, **kwargs)
