"""The test OpenID Connect provider speaks the protocol and breaks it only when asked.

Single sign-on tests trust this provider to behave like Entra ID or Google: if it accepted a
reused code or signed a forged token, those tests would pass for the wrong reason. Here a
plain HTTP client and PyJWT, independent of the relying party, check it from outside.
"""

import base64
import hashlib
import secrets
import socket
import threading
import time
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from authlib.oidc import discovery as oidc_discovery
from authlib.oidc import rpinitiated

from tests.idp.oidc import OidcIdP, running_oidc_idp

REDIRECT = "http://testserver/accounts/oidc/board/login/callback/"
TIMEOUT = 5


@pytest.fixture(scope="module")
def shared_idp():
    with running_oidc_idp() as idp:
        yield idp


@pytest.fixture
def idp(shared_idp):
    shared_idp.reset()
    shared_idp.interactive = False
    yield shared_idp
    shared_idp.reset()
    shared_idp.interactive = False


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize(idp, *, redirect_uri=REDIRECT, challenge=None, method="S256", **extra):
    """Send the browser's authorization request and return the redirect it gets back."""
    params = {
        "response_type": "code",
        "client_id": idp.client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid profile email",
        "state": "state-123",
        "nonce": secrets.token_urlsafe(16),
        **extra,
    }
    if challenge:
        params |= {"code_challenge": challenge, "code_challenge_method": method}
    return requests.get(
        f"{idp.issuer}/authorize", params=params, allow_redirects=False, timeout=TIMEOUT
    )


def code_from(response):
    assert response.status_code == 302, response.text
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["state"] == ["state-123"]
    return query["code"][0]


def exchange(idp, code, *, redirect_uri=REDIRECT, verifier=None, secret=None, basic=True):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if verifier:
        data["code_verifier"] = verifier
    secret = idp.client_secret if secret is None else secret
    if basic:
        auth = (idp.client_id, secret)
    else:
        auth = None
        data |= {"client_id": idp.client_id, "client_secret": secret}
    return requests.post(f"{idp.issuer}/token", data=data, auth=auth, timeout=TIMEOUT)


def sign_in(idp, **extra):
    """A whole code flow with PKCE; returns the token endpoint's JSON answer."""
    verifier, challenge = pkce_pair()
    response = exchange(
        idp, code_from(authorize(idp, challenge=challenge, **extra)), verifier=verifier
    )
    assert response.status_code == 200, response.text
    return response.json()


def verify(idp, id_token, *, issuer=None, leeway=0):
    """Verify an ID token as a careful relying party does: key from the JWKS by kid, RS256 only,
    issuer and audience checked, the usual claims required."""
    jwks = jwt.PyJWKSet.from_dict(requests.get(f"{idp.issuer}/jwks", timeout=TIMEOUT).json())
    kid = jwt.get_unverified_header(id_token)["kid"]
    key = next(k for k in jwks.keys if k.key_id == kid)
    return jwt.decode(
        id_token,
        key,
        algorithms=["RS256"],
        audience=idp.client_id,
        issuer=issuer or idp.issuer,
        leeway=leeway,
        options={"require": ["iss", "sub", "aud", "exp", "iat", "jti"]},
    )


def userinfo(idp, access_token):
    return requests.get(
        f"{idp.issuer}/userinfo",
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=TIMEOUT,
    )


def test_discovery_describes_the_provider(idp):
    response = requests.get(f"{idp.server_url}/.well-known/openid-configuration", timeout=TIMEOUT)
    assert response.status_code == 200
    document = response.json()
    oidc_discovery.OpenIDProviderMetadata(document).validate(
        metadata_classes=[rpinitiated.OpenIDProviderMetadata]
    )
    assert document["issuer"] == idp.issuer == idp.base_url
    assert document["token_endpoint"] == f"{idp.issuer}/token"
    assert document["end_session_endpoint"] == f"{idp.issuer}/logout"
    assert document["response_types_supported"] == ["code"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert set(document["token_endpoint_auth_methods_supported"]) == {
        "client_secret_post",
        "client_secret_basic",
    }
    keys = requests.get(document["jwks_uri"], timeout=TIMEOUT).json()["keys"]
    assert [(k["kty"], k["kid"], k["alg"]) for k in keys] == [("RSA", idp.kid, "RS256")]
    assert "d" not in keys[0]
    assert int.from_bytes(base64.urlsafe_b64decode(keys[0]["n"] + "==")).bit_length() == 2048


def test_a_path_prefix_makes_an_entra_like_issuer():
    with running_oidc_idp(path_prefix="/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0") as idp:
        assert idp.issuer == f"{idp.base_url}/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"
        url = f"{idp.server_url}/.well-known/openid-configuration"
        assert requests.get(url, timeout=TIMEOUT).json()["issuer"] == idp.issuer
        assert requests.get(f"{idp.base_url}/.well-known/openid-configuration").status_code == 404
        idp.next_identity |= {"tid": "9188040d-6c67-4c5b-b112-36a304b66dad"}
        claims = verify(idp, sign_in(idp)["id_token"])
        assert claims["iss"] == idp.issuer
        assert claims["tid"] == "9188040d-6c67-4c5b-b112-36a304b66dad"


def test_code_flow_with_pkce_gives_a_signed_id_token_and_userinfo(idp):
    idp.next_identity = {
        "sub": "entra-oid-1",
        "email": "an@school.example",
        "email_verified": True,
        "name": "An de Vries",
        "amr": ["pwd", "mfa"],
        "acr": "possessionorinherence",
        "preferred_username": "an@school.example",
    }
    token = sign_in(idp, nonce="nonce-456")
    assert token["token_type"].lower() == "bearer"
    claims = verify(idp, token["id_token"])
    assert claims["sub"] == "entra-oid-1"
    assert claims["email"] == "an@school.example"
    assert claims["amr"] == ["pwd", "mfa"]
    assert claims["acr"] == "possessionorinherence"
    assert claims["nonce"] == "nonce-456"
    assert claims["aud"] == idp.client_id
    assert claims["exp"] - claims["iat"] == 300
    assert claims["nbf"] <= claims["iat"]
    assert claims["auth_time"] <= claims["iat"]
    info = userinfo(idp, token["access_token"])
    assert info.status_code == 200
    assert info.json()["sub"] == "entra-oid-1"
    assert info.json()["email"] == "an@school.example"
    assert idp.token_requests == [
        {
            "grant_type": "authorization_code",
            "client_id": idp.client_id,
            "status": 200,
            "ok": True,
            "error": None,
        }
    ]


def test_each_id_token_has_its_own_jti_and_no_nonce_when_none_was_sent(idp):
    first = verify(idp, sign_in(idp)["id_token"])
    second = verify(idp, sign_in(idp, nonce="")["id_token"])
    assert first["jti"] != second["jti"]
    assert "nonce" not in second


def test_client_secret_post_works_too(idp):
    response = exchange(idp, code_from(authorize(idp)), basic=False)
    assert response.status_code == 200, response.text
    assert idp.token_requests[-1]["client_id"] == idp.client_id


def test_a_sign_in_keeps_the_identity_it_was_given(idp):
    verifier, challenge = pkce_pair()
    code = code_from(authorize(idp, challenge=challenge))
    idp.next_identity = {"sub": "someone-later", "email": "later@school.example"}
    token = exchange(idp, code, verifier=verifier).json()
    assert verify(idp, token["id_token"])["sub"] == "oidc-user-0001"
    assert userinfo(idp, token["access_token"]).json()["email"] == "sam.devries@school.example"


def test_a_nonce_of_a_pending_sign_in_cannot_be_sent_again(idp):
    code_from(authorize(idp, nonce="once-only"))
    again = authorize(idp, nonce="once-only")
    assert parse_qs(urlsplit(again.headers["Location"]).query)["error"] == ["invalid_request"]


def test_a_code_is_used_once(idp):
    code = code_from(authorize(idp))
    assert exchange(idp, code).status_code == 200
    again = exchange(idp, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert [r["ok"] for r in idp.token_requests] == [True, False]
    assert idp.token_requests[-1]["error"] == "invalid_grant"


@pytest.mark.parametrize("basic", [True, False])
def test_a_wrong_client_secret_is_refused(idp, basic):
    response = exchange(idp, code_from(authorize(idp)), secret="wrong", basic=basic)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_pkce_verifier_must_match_the_challenge(idp):
    _, challenge = pkce_pair()
    other_verifier, _ = pkce_pair()
    code = code_from(authorize(idp, challenge=challenge))
    assert exchange(idp, code).json()["error"] == "invalid_request"
    code = code_from(authorize(idp, challenge=challenge))
    response = exchange(idp, code, verifier=other_verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_only_s256_is_accepted_as_challenge_method(idp):
    verifier, _ = pkce_pair()
    response = authorize(idp, challenge=verifier, method="plain")
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["Location"]).query)["error"] == ["invalid_request"]


def test_redirect_uri_must_match_the_authorization_request(idp):
    code = code_from(authorize(idp))
    response = exchange(idp, code, redirect_uri="http://testserver/elsewhere/")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_redirect_uris_are_local_by_default_and_exact_when_listed(idp):
    assert authorize(idp, redirect_uri="http://localhost:8000/cb").status_code == 302
    refused = authorize(idp, redirect_uri="https://evil.example/cb")
    assert refused.status_code == 400
    assert "Location" not in refused.headers
    with running_oidc_idp(redirect_uris=["http://testserver/cb"]) as listed:
        assert authorize(listed, redirect_uri="http://testserver/cb").status_code == 302
        assert authorize(listed, redirect_uri="http://testserver/cb2").status_code == 400


def test_userinfo_needs_a_valid_bearer_token(idp):
    assert requests.get(f"{idp.issuer}/userinfo", timeout=TIMEOUT).status_code == 401
    assert userinfo(idp, "not-a-token").status_code == 401


def test_unknown_faults_are_refused(idp):
    with pytest.raises(ValueError, match="wrong_isuer"):
        idp.faults.add("wrong_isuer")
    with pytest.raises(ValueError):
        idp.faults = {"expird"}


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("bad_signature", jwt.InvalidSignatureError),
        ("altered", jwt.InvalidSignatureError),
        ("expired", jwt.ExpiredSignatureError),
        ("clock_skew", jwt.ImmatureSignatureError),
        ("wrong_issuer", jwt.InvalidIssuerError),
        ("wrong_audience", jwt.InvalidAudienceError),
    ],
)
def test_id_token_faults_are_caught_by_a_verifier(idp, fault, error):
    idp.faults.add(fault)
    id_token = sign_in(idp)["id_token"]
    assert jwt.get_unverified_header(id_token)["kid"] == idp.kid
    with pytest.raises(error):
        verify(idp, id_token)
    idp.faults.clear()
    verify(idp, sign_in(idp)["id_token"])


def test_expired_and_skewed_times(idp):
    idp.faults.add("expired")
    expired = verify(idp, sign_in(idp)["id_token"], leeway=4000)
    assert expired["exp"] <= time.time() - 3600
    assert expired["iat"] <= time.time() - 3600
    idp.faults = {"clock_skew"}
    skewed = verify(idp, sign_in(idp)["id_token"], leeway=660)
    assert skewed["iat"] == skewed["nbf"] >= time.time() + 590


def test_a_changed_client_secret_is_the_one_checked(idp):
    idp.client_secret = "rotated"
    try:
        assert exchange(idp, code_from(authorize(idp)), secret="s3cret-value").status_code == 401
        assert exchange(idp, code_from(authorize(idp))).status_code == 200
    finally:
        idp.client_secret = "s3cret-value"


def test_altered_token_carries_another_email(idp):
    idp.faults.add("altered")
    id_token = sign_in(idp)["id_token"]
    unverified = jwt.decode(id_token, options={"verify_signature": False})
    assert unverified["email"] == "intruder@evil.example"


def test_wrong_issuer_keeps_discovery_right(idp):
    idp.faults.add("wrong_issuer")
    url = f"{idp.server_url}/.well-known/openid-configuration"
    assert requests.get(url, timeout=TIMEOUT).json()["issuer"] == idp.issuer
    claims = verify(idp, sign_in(idp)["id_token"], issuer="http://evil.example")
    assert claims["sub"] == "oidc-user-0001"


def test_replay_jti_repeats_the_previous_token_id(idp):
    first = verify(idp, sign_in(idp)["id_token"])
    idp.faults.add("replay_jti")
    second = verify(idp, sign_in(idp)["id_token"])
    assert second["jti"] == first["jti"]


def test_userinfo_mismatch_gives_another_subject(idp):
    idp.faults.add("userinfo_mismatch")
    token = sign_in(idp)
    subject = verify(idp, token["id_token"])["sub"]
    info = userinfo(idp, token["access_token"]).json()
    assert info["sub"] != subject
    assert info["email"] == idp.next_identity["email"]


def test_token_error_refuses_the_exchange(idp):
    idp.faults.add("token_error")
    response = exchange(idp, code_from(authorize(idp)))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert idp.token_requests[-1]["ok"] is False


def test_discovery_down_answers_503(idp):
    idp.faults.add("discovery_down")
    url = f"{idp.server_url}/.well-known/openid-configuration"
    assert requests.get(url, timeout=TIMEOUT).status_code == 503
    idp.reset()
    assert requests.get(url, timeout=TIMEOUT).status_code == 200


class FormReader(HTMLParser):
    """Collects what a person (or a browser test) sees on the sign-in page."""

    def __init__(self):
        super().__init__()
        self.tags = []
        self.labels = {}
        self._label_for = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "label":
            self._label_for = dict(attrs).get("for")

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None

    def handle_data(self, data):
        if self._label_for and data.strip():
            self.labels[self._label_for] = data.strip()

    def find(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]


def test_interactive_mode_shows_a_sign_in_form(idp):
    idp.interactive = True
    idp.next_identity["email"] = "form@school.example"
    page = authorize(idp)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    reader = FormReader()
    reader.feed(page.text)
    assert reader.find("html") == [{"lang": "en"}]
    assert not reader.find("script")
    (form,) = reader.find("form")
    (field,) = reader.find("input")
    assert field["value"] == "form@school.example"
    assert reader.labels[field["id"]] == "Email address"
    (button,) = reader.find("button")
    assert button["type"] == "submit"
    assert "Sign in</button>" in page.text

    submitted = requests.post(
        idp.base_url + form["action"],
        data={"email": "typed@school.example"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    token = exchange(idp, code_from(submitted)).json()
    assert verify(idp, token["id_token"])["email"] == "typed@school.example"


def test_logout_records_the_call_and_redirects_back_with_state(idp):
    token = sign_in(idp)
    response = requests.get(
        f"{idp.issuer}/logout",
        params={
            "id_token_hint": token["id_token"],
            "post_logout_redirect_uri": "http://testserver/signed-out/",
            "state": "bye",
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "http://testserver/signed-out/?state=bye"
    assert idp.logouts[-1]["state"] == "bye"
    assert idp.logouts[-1]["id_token_hint"] == token["id_token"]


def test_logout_without_hint_or_redirect(idp):
    bare = requests.get(
        f"{idp.issuer}/logout",
        params={"post_logout_redirect_uri": "http://localhost/bye/"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert bare.headers["Location"] == "http://localhost/bye/"
    page = requests.get(f"{idp.issuer}/logout", allow_redirects=False, timeout=TIMEOUT)
    assert page.status_code == 200
    assert "You are signed out." in page.text
    foreign = requests.get(
        f"{idp.issuer}/logout",
        params={"post_logout_redirect_uri": "https://evil.example/"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert foreign.status_code == 200
    assert idp.logouts == [
        {"post_logout_redirect_uri": "http://localhost/bye/"},
        {},
        {"post_logout_redirect_uri": "https://evil.example/"},
    ]


def test_stop_releases_the_port_and_the_thread():
    idp = OidcIdP()
    with idp:
        port = int(idp.base_url.rsplit(":", 1)[1])
        assert requests.get(f"{idp.issuer}/jwks", timeout=TIMEOUT).status_code == 200
        assert any(t.name == f"oidc-idp-{port}" for t in threading.enumerate())
    assert not any(t.name == f"oidc-idp-{port}" for t in threading.enumerate())
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))
    idp.start()
    try:
        assert requests.get(f"{idp.issuer}/jwks", timeout=TIMEOUT).status_code == 200
    finally:
        idp.stop()
