"""The SAML test IdP, checked with python3-saml as a real, strict service provider.

Stelsel's SSO tests lean on this IdP to produce both good and deliberately broken responses; if
a "broken" response were accepted here, or a good one rejected, those tests would prove nothing.
"""

import base64
import datetime as dt
import http.client
import re
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from tests.idp import saml as saml_idp
from tests.idp.saml import (
    ATTR_DISPLAY_NAME,
    ATTR_EMAIL_CLAIM,
    ATTR_MAIL,
    PASSWORD_PROTECTED_TRANSPORT,
    SamlIdP,
    running_saml_idp,
)

SP_ENTITY_ID = "http://testserver/saml/metadata/"
ACS_URL = "http://testserver/acs/"
SLS_URL = "http://testserver/sls/"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"


@pytest.fixture(scope="module")
def _server():
    with running_saml_idp() as idp:
        yield idp


@pytest.fixture
def idp(_server):
    _server.reset()
    yield _server
    _server.reset()


def sp_settings(idp):
    return {
        "strict": True,
        "sp": {
            "entityId": SP_ENTITY_ID,
            "assertionConsumerService": {"url": ACS_URL, "binding": POST},
            "singleLogoutService": {"url": SLS_URL, "binding": REDIRECT},
            "NameIDFormat": EMAIL_FORMAT,
        },
        "idp": {
            "entityId": idp.entity_id,
            "singleSignOnService": {"url": idp.sso_url, "binding": REDIRECT},
            "singleLogoutService": {"url": idp.slo_url, "binding": REDIRECT},
            "x509cert": idp.certificate_pem,
        },
        "security": {
            "wantAssertionsSigned": True,
            "wantMessagesSigned": True,
            "allowSingleLabelDomains": True,
        },
    }


def sp_request(path, *, get=None, post=None):
    return {
        "https": "off",
        "http_host": "testserver",
        "script_name": path,
        "get_data": get or {},
        "post_data": post or {},
    }


def start_login(idp):
    """What Stelsel's SP does on "sign in with your school board": redirect to the IdP."""
    auth = OneLogin_Saml2_Auth(sp_request("/login/"), sp_settings(idp))
    location = auth.login(return_to="/after-login/")
    return location, auth.get_last_request_id()


def finish_login(idp, data, request_id):
    auth = OneLogin_Saml2_Auth(sp_request("/acs/", post=data), sp_settings(idp))
    auth.process_response(request_id=request_id)
    return auth


def response_xml(data):
    return etree.fromstring(base64.b64decode(data["SAMLResponse"]))


def test_clean_response_signs_in_with_the_identity(idp):
    idp.next_identity = {"email": "an.devries@school.example", "name": "An de Vries"}
    location, request_id = start_login(idp)
    assert location.startswith(idp.sso_url + "?SAMLRequest=")

    acs_url, data = idp.respond(location)
    auth = finish_login(idp, data, request_id)

    assert auth.get_errors() == [], auth.get_last_error_reason()
    assert auth.is_authenticated()
    assert acs_url == ACS_URL
    assert data["RelayState"] == "/after-login/"
    assert auth.get_nameid() == "an.devries@school.example"
    assert auth.get_nameid_format() == EMAIL_FORMAT
    assert auth.get_attributes() == {
        ATTR_MAIL: ["an.devries@school.example"],
        ATTR_EMAIL_CLAIM: ["an.devries@school.example"],
        ATTR_DISPLAY_NAME: ["An de Vries"],
    }
    assert auth.get_last_authn_contexts() == [PASSWORD_PROTECTED_TRANSPORT]
    assert auth.get_session_index()
    assert auth.get_last_response_in_response_to() == request_id
    assert idp.responses == [{"acs_url": ACS_URL, **data}]


def test_response_says_what_the_request_asked_for(idp):
    location, request_id = start_login(idp)
    _, data = idp.respond(location)
    root = response_xml(data)
    ns = {"p": "urn:oasis:names:tc:SAML:2.0:protocol", "a": "urn:oasis:names:tc:SAML:2.0:assertion"}

    assert root.get("Destination") == ACS_URL
    assert root.get("InResponseTo") == request_id
    assert root.xpath("//a:Audience/text()", namespaces=ns) == [SP_ENTITY_ID]
    assert root.xpath("//a:SubjectConfirmationData/@Recipient", namespaces=ns) == [ACS_URL]
    conditions = root.xpath("//a:Conditions", namespaces=ns)[0]
    lifetime = dt.datetime.fromisoformat(
        conditions.get("NotOnOrAfter")
    ) - dt.datetime.fromisoformat(conditions.get("NotBefore"))
    assert lifetime == dt.timedelta(minutes=5)
    methods = root.xpath(
        "//*[local-name()='SignatureMethod']/@Algorithm | "
        "//*[local-name()='CanonicalizationMethod']/@Algorithm"
    )
    assert set(methods) == {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2001/10/xml-exc-c14n#",
    }
    assert len(root.xpath("//*[local-name()='Signature']")) == 2


def test_name_id_can_differ_from_the_email(idp):
    idp.next_identity = {"email": "an@school.example", "name": "An", "name_id": "emp-0042"}
    location, request_id = start_login(idp)
    _, data = idp.respond(location)
    auth = finish_login(idp, data, request_id)
    assert auth.is_authenticated(), auth.get_last_error_reason()
    assert auth.get_nameid() == "emp-0042"
    assert auth.get_attributes()[ATTR_MAIL] == ["an@school.example"]


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("tamper", "Signature validation failed. SAML Response rejected"),
        ("other_key", "Signature validation failed. SAML Response rejected"),
        ("expired", "Could not validate timestamp: expired. Check system clock."),
        ("clock_skew", "Could not validate timestamp: not yet valid. Check system clock."),
        ("unsigned", "The Assertion of the Response is not signed and the SP require it"),
        ("wrong_audience", f"{SP_ENTITY_ID} is not a valid audience for this Response"),
        (
            "wrong_destination",
            f"The response was received at {ACS_URL} instead of https://someone-else.example/acs/",
        ),
    ],
)
def test_each_fault_is_rejected_by_a_strict_sp(idp, fault, reason):
    location, request_id = start_login(idp)
    idp.faults = {fault}
    _, data = idp.respond(location)
    auth = finish_login(idp, data, request_id)
    assert not auth.is_authenticated()
    assert auth.get_errors() == ["invalid_response"]
    assert auth.get_last_error_reason() == reason


def test_tamper_breaks_the_signature_only_through_the_changed_value(idp, monkeypatch):
    """Re-serialising a signed response must not break it; the changed e-mail address must."""
    location, request_id = start_login(idp)
    idp.faults = {"tamper"}
    _, tampered = idp.respond(location)
    assert b"intruder@elsewhere.example" in base64.b64decode(tampered["SAMLResponse"])

    monkeypatch.setattr(saml_idp, "TAMPERED_EMAIL", idp.next_identity["email"])
    _, untouched = idp.respond(location)
    assert finish_login(idp, untouched, request_id).is_authenticated()


def test_other_key_embeds_a_certificate_that_is_not_the_published_one(idp):
    location, _ = start_login(idp)
    idp.faults = {"other_key"}
    _, data = idp.respond(location)
    embedded = response_xml(data).xpath("//*[local-name()='X509Certificate']/text()")
    published = "".join(idp.certificate_pem.splitlines()[1:-1])
    assert embedded and all(cert.replace("\n", "") != published for cert in embedded)


def test_unknown_fault_is_refused(idp):
    location, _ = start_login(idp)
    idp.faults = {"tampered"}
    with pytest.raises(ValueError, match="Unknown faults"):
        idp.respond(location)


def test_idp_initiated_response_signs_in_without_a_request(idp):
    idp.next_identity = {"email": "bo@school.example", "name": "Bo"}
    acs_url, data = idp.idp_initiated(ACS_URL, SP_ENTITY_ID)
    auth = finish_login(idp, data, None)
    assert auth.is_authenticated(), auth.get_last_error_reason()
    assert acs_url == ACS_URL
    assert auth.get_last_response_in_response_to() is None
    assert auth.get_nameid() == "bo@school.example"


def test_replayed_response_is_recorded_for_replay_tests(idp):
    location, _ = start_login(idp)
    first = idp.respond(location)
    second = idp.respond(location)
    assert [r["SAMLResponse"] for r in idp.responses] == [
        first[1]["SAMLResponse"],
        second[1]["SAMLResponse"],
    ]
    assert first[1]["SAMLResponse"] != second[1]["SAMLResponse"]


def test_sso_page_posts_the_response_with_a_continue_button(idp):
    location, request_id = start_login(idp)
    with urllib.request.urlopen(location, timeout=5) as page:
        assert page.status == 200
        body = page.read().decode()
    assert '<html lang="en">' in body
    assert f'<form method="post" action="{ACS_URL}">' in body
    assert '<button type="submit">Continue</button>' in body
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', body))
    assert fields["RelayState"] == "/after-login/"
    assert finish_login(idp, fields, request_id).is_authenticated()


def test_metadata_describes_the_idp(idp):
    with urllib.request.urlopen(idp.metadata_url, timeout=5) as reply:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(reply.read().decode())["idp"]
    assert parsed["entityId"] == idp.entity_id
    assert parsed["singleSignOnService"] == {"url": idp.sso_url, "binding": REDIRECT}
    assert parsed["singleLogoutService"]["url"] == idp.slo_url
    published = "".join(idp.certificate_pem.splitlines()[1:-1])
    assert parsed["x509cert"] == published


def test_single_logout_records_the_request_and_answers_the_sp(idp):
    idp.sp_sls_url = SLS_URL
    auth = OneLogin_Saml2_Auth(sp_request("/logout/"), sp_settings(idp))
    location = auth.logout(name_id="an@school.example", session_index="session-1", return_to="/")
    request_id = auth.get_last_request_id()
    parts = urlsplit(location)

    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request("GET", f"{parts.path}?{parts.query}")
    reply = connection.getresponse()
    connection.close()
    assert reply.status == 302
    back = reply.getheader("Location")
    assert back.startswith(SLS_URL + "?SAMLResponse=")
    assert idp.logouts == [
        {"name_id": "an@school.example", "session_index": ["session-1"], "issuer": SP_ENTITY_ID}
    ]

    get_data = {key: values[0] for key, values in parse_qs(urlsplit(back).query).items()}
    assert "Signature" in get_data
    sp = OneLogin_Saml2_Auth(sp_request("/sls/", get=get_data), sp_settings(idp))
    sp.process_slo(keep_local_session=True, request_id=request_id)
    assert sp.get_errors() == [], sp.get_last_error_reason()


def test_single_logout_without_sp_address_is_a_bad_request(idp):
    auth = OneLogin_Saml2_Auth(sp_request("/logout/"), sp_settings(idp))
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(auth.logout(name_id="an@school.example"), timeout=5)
    assert error.value.code == 400


def test_make_certificate_can_make_an_expired_one():
    now = dt.datetime.now(dt.UTC)
    cert_pem, key_pem = SamlIdP.make_certificate(
        not_before=now - dt.timedelta(days=30), not_after=now - dt.timedelta(days=1)
    )
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    assert cert.not_valid_after_utc < now
    assert cert.not_valid_before_utc < cert.not_valid_after_utc
    assert cert.public_key().public_numbers() == key.public_key().public_numbers()


def test_reset_forgets_a_test(idp):
    location, _ = start_login(idp)
    idp.faults = {"unsigned"}
    idp.next_identity = {"email": "x@school.example", "name": "X"}
    idp.sp_sls_url = SLS_URL
    idp.respond(location)
    idp.reset()
    assert (idp.faults, idp.responses, idp.logouts, idp.sp_sls_url) == (set(), [], [], None)
    assert idp.next_identity["email"] == "saml.user@school.example"
