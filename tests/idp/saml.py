"""A real SAML 2.0 identity provider for tests, built on pysaml2 and served on 127.0.0.1.

Single sign-on per school board goes through SAML; testing it against a hand-written fake would
only prove that Stelsel agrees with the fake. This IdP parses the service provider's real
AuthnRequests and LogoutRequests with pysaml2, signs with a key made at start (through the
``xmlsec1`` binary, as pysaml2 does in production), and can break its own responses on request
(``faults``) so that tests can show Stelsel rejects what it must reject.

Typical use::

    with running_saml_idp() as idp:
        idp.next_identity = {"email": "an@school.example", "name": "An de Vries"}
        acs_url, data = idp.respond(redirect_location)
        client.post(acs_url, data)
"""

import base64
import contextlib
import datetime as dt
import html
import shutil
import socketserver
import tempfile
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from saml2 import BINDING_HTTP_REDIRECT, saml, samlp
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.s_utils import sid, success_status_factory
from saml2.server import Server
from saml2.sigver import pre_signature_part, signed_instance_factory
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

PASSWORD_PROTECTED_TRANSPORT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
ATTR_MAIL = "urn:oid:0.9.2342.19200300.100.1.3"
ATTR_EMAIL_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
ATTR_DISPLAY_NAME = "urn:oid:2.16.840.1.113730.3.1.241"
EMAIL_ATTRIBUTES = (ATTR_MAIL, ATTR_EMAIL_CLAIM)

FAULTS = frozenset(
    {
        "tamper",
        "other_key",
        "expired",
        "clock_skew",
        "unsigned",
        "wrong_audience",
        "wrong_destination",
    }
)
TAMPERED_EMAIL = "intruder@elsewhere.example"
WRONG_AUDIENCE = "https://someone-else.example/sp"
WRONG_DESTINATION = "https://someone-else.example/acs/"
RESPONSE_LIFETIME = dt.timedelta(minutes=5)

_SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion"


def _default_identity():
    return {
        "email": "saml.user@school.example",
        "name": "Saml User",
        "authn_context": PASSWORD_PROTECTED_TRANSPORT,
    }


def _instant(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class _QuietHandler(WSGIRequestHandler):
    """Test output should show failures, not an access log line per request."""

    def log_message(self, format, *args):
        pass


class _ThreadedServer(socketserver.ThreadingMixIn, WSGIServer):
    """A browser may open a second connection while the first is still being answered."""

    daemon_threads = True


class SamlIdP:
    """A SAML 2.0 IdP on a free local port; see the module docstring."""

    def __init__(self):
        self.base_url = ""
        self.entity_id = ""
        self.sso_url = ""
        self.slo_url = ""
        self.metadata_url = ""
        self.certificate_pem = ""
        self.sp_sls_url = None
        self.next_identity = _default_identity()
        self.faults: set[str] = set()
        self.logouts: list[dict] = []
        self.responses: list[dict] = []
        self._httpd = None
        self._thread = None
        self._tmp = None
        self._server = None
        self._other_server = None
        self._lock = threading.Lock()

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> "SamlIdP":
        xmlsec_binary = shutil.which("xmlsec1")
        if not xmlsec_binary:
            raise RuntimeError(
                "The SAML test IdP signs through the xmlsec1 program; install the xmlsec1 package."
            )
        self._httpd = make_server(
            "127.0.0.1", 0, self._wsgi, server_class=_ThreadedServer, handler_class=_QuietHandler
        )
        port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.entity_id = f"{self.base_url}/metadata"
        self.metadata_url = self.entity_id
        self.sso_url = f"{self.base_url}/sso"
        self.slo_url = f"{self.base_url}/slo"

        self._tmp = tempfile.TemporaryDirectory(prefix="saml-idp-")
        folder = Path(self._tmp.name)
        now = dt.datetime.now(dt.UTC)
        self.certificate_pem, key_pem = self.make_certificate(
            not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=365)
        )
        other_cert, other_key = self.make_certificate(
            not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=365)
        )
        (folder / "idp.crt").write_text(self.certificate_pem)
        (folder / "idp.key").write_text(key_pem)
        (folder / "other.crt").write_text(other_cert)
        (folder / "other.key").write_text(other_key)
        self._server = Server(config=self._config(folder / "idp", xmlsec_binary))
        self._other_server = Server(config=self._config(folder / "other", xmlsec_binary))

        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="saml-idp", daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        for server in (self._server, self._other_server):
            if server is not None:
                server.close()
        self._server = self._other_server = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def reset(self):
        """Forget what one test did, so that a server shared by several tests starts clean."""
        self.next_identity = _default_identity()
        self.faults = set()
        self.logouts = []
        self.responses = []
        self.sp_sls_url = None

    def _config(self, key_base, xmlsec_binary):
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": xmlsec_binary,
                "key_file": f"{key_base}.key",
                "cert_file": f"{key_base}.crt",
                "metadata": {},
                "accepted_time_diff": 60,
                "service": {
                    "idp": {
                        "name": "Stelsel test IdP",
                        "endpoints": {
                            "single_sign_on_service": [(self.sso_url, BINDING_HTTP_REDIRECT)],
                            "single_logout_service": [(self.slo_url, BINDING_HTTP_REDIRECT)],
                        },
                        "name_id_format": [saml.NAMEID_FORMAT_EMAILADDRESS],
                        "want_authn_requests_signed": False,
                        "sign_response": True,
                        "sign_assertion": True,
                    }
                },
            }
        )
        return config

    # -- keys -------------------------------------------------------------------------------

    @staticmethod
    def make_certificate(*, not_before, not_after) -> tuple[str, str]:
        """A self-signed RSA certificate and its key, both PEM; dates make expired ones too."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Stelsel test IdP")])
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .sign(key, hashes.SHA256())
        )
        cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ).decode()
        return cert_pem, key_pem

    # -- single sign-on ---------------------------------------------------------------------

    def respond(self, authn_redirect_url: str) -> tuple[str, dict]:
        """Given the Location URL Stelsel's SP redirected to (self.sso_url?SAMLRequest=...&
        RelayState=...), parse the AuthnRequest and return (acs_url, {"SAMLResponse": b64,
        "RelayState": ...}) that the test then POSTs to the ACS with Django's test client."""
        query = parse_qs(urlsplit(authn_redirect_url).query)
        if "SAMLRequest" not in query:
            raise ValueError("No SAMLRequest in the redirect URL.")
        relay_state = query.get("RelayState", [""])[0]
        request = self._server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        if request is None:
            raise ValueError("The AuthnRequest could not be parsed.")
        message = request.message
        acs_url = message.assertion_consumer_service_url
        if not acs_url:
            raise ValueError("The AuthnRequest names no AssertionConsumerServiceURL.")
        return self._respond(
            acs_url=acs_url,
            sp_entity_id=message.issuer.text.strip(),
            in_response_to=message.id,
            relay_state=relay_state,
        )

    def idp_initiated(self, acs_url: str, sp_entity_id: str) -> tuple[str, dict]:
        """An unsolicited response: no AuthnRequest, so no InResponseTo."""
        return self._respond(
            acs_url=acs_url, sp_entity_id=sp_entity_id, in_response_to=None, relay_state=""
        )

    def _respond(self, *, acs_url, sp_entity_id, in_response_to, relay_state):
        unknown = set(self.faults) - FAULTS
        if unknown:
            raise ValueError(f"Unknown faults: {sorted(unknown)}; known: {sorted(FAULTS)}")
        with self._lock:
            xml = self._response_xml(acs_url, sp_entity_id, in_response_to, set(self.faults))
        data = {
            "SAMLResponse": base64.b64encode(xml.encode()).decode(),
            "RelayState": relay_state,
        }
        self.responses.append({"acs_url": acs_url, **data})
        return acs_url, data

    def _response_xml(self, acs_url, sp_entity_id, in_response_to, faults):
        identity = {**_default_identity(), **self.next_identity}
        email = identity["email"]
        name_id_value = identity.get("name_id") or email

        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        issued = not_before = now
        not_on_or_after = now + RESPONSE_LIFETIME
        if "expired" in faults:
            issued = not_before = now - dt.timedelta(hours=2)
            not_on_or_after = now - dt.timedelta(hours=1)
        if "clock_skew" in faults:
            issued = not_before = now + dt.timedelta(minutes=10)
            not_on_or_after = issued + RESPONSE_LIFETIME
        destination = WRONG_DESTINATION if "wrong_destination" in faults else acs_url
        audience = WRONG_AUDIENCE if "wrong_audience" in faults else sp_entity_id

        def issuer():
            return saml.Issuer(text=self.entity_id, format=saml.NAMEID_FORMAT_ENTITY)

        def attribute(name, friendly_name, value):
            return saml.Attribute(
                name=name,
                name_format=saml.NAME_FORMAT_URI,
                friendly_name=friendly_name,
                attribute_value=[saml.AttributeValue(text=value)],
            )

        confirmation_data = saml.SubjectConfirmationData(
            recipient=destination,
            not_on_or_after=_instant(not_on_or_after),
            in_response_to=in_response_to,
        )
        assertion = saml.Assertion(
            id=sid(),
            version="2.0",
            issue_instant=_instant(issued),
            issuer=issuer(),
            subject=saml.Subject(
                name_id=saml.NameID(format=saml.NAMEID_FORMAT_EMAILADDRESS, text=name_id_value),
                subject_confirmation=[
                    saml.SubjectConfirmation(
                        method=saml.SCM_BEARER, subject_confirmation_data=confirmation_data
                    )
                ],
            ),
            conditions=saml.Conditions(
                not_before=_instant(not_before),
                not_on_or_after=_instant(not_on_or_after),
                audience_restriction=[
                    saml.AudienceRestriction(audience=[saml.Audience(text=audience)])
                ],
            ),
            authn_statement=[
                saml.AuthnStatement(
                    authn_instant=_instant(issued),
                    session_index=sid(),
                    authn_context=saml.AuthnContext(
                        authn_context_class_ref=saml.AuthnContextClassRef(
                            text=identity["authn_context"]
                        )
                    ),
                )
            ],
            attribute_statement=[
                saml.AttributeStatement(
                    attribute=[
                        attribute(ATTR_MAIL, "mail", email),
                        attribute(ATTR_EMAIL_CLAIM, None, email),
                        attribute(ATTR_DISPLAY_NAME, "displayName", identity["name"]),
                    ]
                )
            ],
        )
        response = samlp.Response(
            id=sid(),
            version="2.0",
            issue_instant=_instant(issued),
            destination=destination,
            in_response_to=in_response_to,
            issuer=issuer(),
            status=success_status_factory(),
            assertion=assertion,
        )
        if "unsigned" in faults:
            return response.to_string().decode()

        sec = (self._other_server if "other_key" in faults else self._server).sec
        for part in (assertion, response):
            part.signature = pre_signature_part(
                part.id, sec.my_cert, sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256
            )
        signed = signed_instance_factory(
            response,
            sec,
            [
                ("urn:oasis:names:tc:SAML:2.0:assertion:Assertion", assertion.id),
                ("urn:oasis:names:tc:SAML:2.0:protocol:Response", response.id),
            ],
        )
        if "tamper" in faults:
            signed = self._tamper(signed)
        return signed

    @staticmethod
    def _tamper(signed_xml):
        """Change the e-mail attribute values after signing, as an attacker in between would."""
        root = etree.fromstring(signed_xml.encode())
        for name in EMAIL_ATTRIBUTES:
            for value in root.iterfind(
                f".//{{{_SAML_NS}}}Attribute[@Name='{name}']/{{{_SAML_NS}}}AttributeValue"
            ):
                value.text = TAMPERED_EMAIL
        return etree.tostring(root, encoding="unicode")

    # -- single logout ----------------------------------------------------------------------

    def respond_logout(self, slo_redirect_url: str) -> str:
        """Handle an SP's LogoutRequest (HTTP-Redirect): record it and return the Location of the
        signed LogoutResponse, sent back to ``sp_sls_url``."""
        query = parse_qs(urlsplit(slo_redirect_url).query)
        if "SAMLRequest" not in query:
            raise ValueError("No SAMLRequest in the logout URL.")
        relay_state = query.get("RelayState", [""])[0]
        request = self._server.parse_logout_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        if request is None:
            raise ValueError("The LogoutRequest could not be parsed.")
        message = request.message
        self.logouts.append(
            {
                "name_id": message.name_id.text.strip() if message.name_id is not None else None,
                "session_index": [index.text.strip() for index in message.session_index],
                "issuer": message.issuer.text.strip() if message.issuer is not None else None,
            }
        )
        if not self.sp_sls_url:
            raise ValueError("Set sp_sls_url: where the SP wants its LogoutResponse.")
        logout_response = samlp.LogoutResponse(
            id=sid(),
            version="2.0",
            issue_instant=_instant(dt.datetime.now(dt.UTC)),
            destination=self.sp_sls_url,
            in_response_to=message.id,
            issuer=saml.Issuer(text=self.entity_id, format=saml.NAMEID_FORMAT_ENTITY),
            status=success_status_factory(),
        )
        with self._lock:
            info = self._server.apply_binding(
                BINDING_HTTP_REDIRECT,
                logout_response.to_string().decode(),
                destination=self.sp_sls_url,
                relay_state=relay_state,
                response=True,
                sign=True,
                sigalg=SIG_RSA_SHA256,
            )
        return dict(info["headers"])["Location"]

    # -- metadata ---------------------------------------------------------------------------

    def metadata_xml(self) -> str:
        metadata = create_metadata_string(None, config=self._server.config, sign=False)
        return metadata.decode() if isinstance(metadata, bytes) else metadata

    # -- HTTP -------------------------------------------------------------------------------

    def _wsgi(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        url = f"{self.base_url}{path}?{environ.get('QUERY_STRING', '')}"
        if environ["REQUEST_METHOD"] != "GET":
            return self._reply(start_response, "405 Method Not Allowed", "text/plain", "GET only")
        try:
            if path == "/metadata":
                return self._reply(
                    start_response, "200 OK", "application/samlmetadata+xml", self.metadata_xml()
                )
            if path == "/sso":
                acs_url, data = self.respond(url)
                return self._reply(start_response, "200 OK", "text/html", _post_form(acs_url, data))
            if path == "/slo":
                location = self.respond_logout(url)
                start_response("302 Found", [("Location", location), ("Content-Length", "0")])
                return [b""]
        except ValueError as error:
            return self._reply(start_response, "400 Bad Request", "text/plain", str(error))
        return self._reply(start_response, "404 Not Found", "text/plain", "Not found")

    @staticmethod
    def _reply(start_response, status, content_type, body):
        payload = body.encode()
        start_response(
            status,
            [
                ("Content-Type", f"{content_type}; charset=utf-8"),
                ("Content-Length", str(len(payload))),
            ],
        )
        return [payload]


def _post_form(acs_url, data):
    """The HTTP-POST binding as a page a browser test can click through, without JavaScript."""
    fields = "\n".join(
        f'<input type="hidden" name="{html.escape(key)}" value="{html.escape(value)}">'
        for key, value in data.items()
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>Signing in</title></head>\n<body>\n"
        f'<form method="post" action="{html.escape(acs_url)}">\n{fields}\n'
        '<button type="submit">Continue</button>\n</form>\n</body>\n</html>\n'
    )


@contextlib.contextmanager
def running_saml_idp():
    """A started IdP for one ``with`` block; stopped afterwards even when the block fails."""
    idp = SamlIdP().start()
    try:
        yield idp
    finally:
        idp.stop()


__all__ = ["FAULTS", "SamlIdP", "running_saml_idp"]
