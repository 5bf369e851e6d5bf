"""A real OpenID Connect identity provider for tests, built on Authlib and served on 127.0.0.1.

Single sign-on per school board goes through OpenID Connect (Microsoft Entra ID, Google
Workspace, any standard provider). Testing it against a mock of the relying party's library
would only prove that Stelsel agrees with the mock. This provider runs Authlib's authorization
server (code flow with the OpenID Connect extension and PKCE) over HTTP, signs ID tokens with an
RSA key made at start, and can break its own answers on request (``faults``) so that tests can
show the relying party rejects what it must reject.

Typical use::

    with running_oidc_idp(path_prefix="/tenant-id/v2.0") as idp:
        idp.next_identity = {"sub": "u-1", "email": "an@school.example", "name": "An de Vries"}
        ...  # point the relying party at idp.server_url, client idp.client_id/idp.client_secret
"""

import base64
import contextlib
import copy
import html
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from authlib.common.urls import add_params_to_uri
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError, TokenMixin
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin, UserInfoEndpoint
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.rpinitiated import EndSessionEndpoint
from flask import Flask, Response, jsonify, request
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import WSGIRequestHandler, make_server

FAULTS = frozenset(
    {
        "wrong_issuer",
        "bad_signature",
        "altered",
        "expired",
        "clock_skew",
        "wrong_audience",
        "replay_jti",
        "userinfo_mismatch",
        "token_error",
        "discovery_down",
    }
)

DEFAULT_IDENTITY = {
    "sub": "oidc-user-0001",
    "email": "sam.devries@school.example",
    "email_verified": True,
    "name": "Sam de Vries",
}

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "testserver"})
EVIL_ISSUER = "http://evil.example"
ID_TOKEN_LIFETIME = 300
ACCESS_TOKEN_LIFETIME = 3600
SCOPES = ["openid", "profile", "email"]
CLAIMS = [
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "nbf",
    "jti",
    "nonce",
    "auth_time",
    "at_hash",
    "amr",
    "acr",
    "email",
    "email_verified",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "tid",
    "hd",
    "xms_edov",
]


class _FaultSet(set):
    """A set of fault names that refuses unknown names, so a misspelt fault fails the test that
    sets it instead of silently testing the happy path."""

    def __init__(self, names=()):
        super().__init__()
        self.update(names)

    def add(self, name):
        _check_faults({name})
        super().add(name)

    def update(self, *groups):
        for names in groups:
            names = set(names)
            _check_faults(names)
            super().update(names)

    def __ior__(self, other):
        self.update(other)
        return self


def _check_faults(names):
    unknown = set(names) - FAULTS
    if unknown:
        raise ValueError(f"Unknown OIDC IdP fault(s): {sorted(unknown)}")


class _RedirectRule:
    """Which redirect URIs the client may use: the listed ones, or when none were given any
    http(s) address on this machine or Django's test client host. Supports ``in`` so that
    Authlib's end-session endpoint can use it as the registered post-logout URIs."""

    def __init__(self, uris):
        self.uris = list(uris) if uris is not None else None

    def __contains__(self, uri):
        if self.uris is not None:
            return uri in self.uris
        try:
            parts = urlsplit(uri)
        except ValueError:
            return False
        return parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS


class _Client(ClientMixin):
    """The one confidential client the provider knows (Stelsel's registration at the board)."""

    def __init__(self, client_id, client_secret, redirect_uris):
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirects = _RedirectRule(redirect_uris)
        self.client_metadata = {"post_logout_redirect_uris": self.redirects}

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirects.uris[0] if self.redirects.uris else None

    def get_allowed_scope(self, scope):
        return scope or ""

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirects

    def check_client_secret(self, client_secret):
        return client_secret == self.client_secret

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class _SignIn:
    """The identity of one sign-in, copied from ``next_identity`` when the user signed in, so
    later changes to ``next_identity`` do not rewrite an earlier sign-in."""

    claims: dict
    auth_time: int = field(default_factory=lambda: int(time.time()))


@dataclass
class _Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str | None
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    sign_in: _SignIn

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.sign_in.auth_time

    def get_acr(self):
        return self.sign_in.claims.get("acr")

    def get_amr(self):
        return self.sign_in.claims.get("amr")


@dataclass
class _Token(TokenMixin):
    access_token: str
    client: _Client
    scope: str
    sign_in: _SignIn
    issued_at: int
    expires_in: int

    def check_client(self, client):
        return client.get_client_id() == self.client.get_client_id()

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        return time.time() >= self.issued_at + self.expires_in

    def is_revoked(self):
        return False

    def get_user(self):
        return self.sign_in

    def get_client(self):
        return self.client


class _CodeGrant(AuthorizationCodeGrant):
    """Authorization codes live in the provider's memory and are used once."""

    def save_authorization_code(self, code, request):
        data = request.payload.data
        self.server.idp._codes[code] = _Code(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
            sign_in=request.user,
        )

    def query_authorization_code(self, code, client):
        found = self.server.idp._codes.get(code)
        if found and found.client_id == client.get_client_id():
            return found
        return None

    def delete_authorization_code(self, authorization_code):
        self.server.idp._codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return authorization_code.sign_in


class _S256Challenge(CodeChallenge):
    """PKCE as the discovery document promises it: S256 only, checked when a challenge came."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        super().validate_code_challenge(grant, redirect_uri)
        data = grant.request.payload.data
        if data.get("code_challenge") and data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Only 'code_challenge_method=S256' is supported.")


class _OpenIDCode(OpenIDCode):
    """The ID token: Authlib builds and signs it; the provider decides the key, the time and
    audience claims and the identity, which is where most faults are made."""

    def __init__(self, idp):
        super().__init__(require_nonce=False)
        self.idp = idp

    def exists_nonce(self, nonce, request):
        client_id = request.payload.client_id
        return any(c.nonce == nonce and c.client_id == client_id for c in self.idp._codes.values())

    def get_client_algorithm(self, client):
        return "RS256"

    def get_encode_header(self, client):
        return {"alg": "RS256", "typ": "JWT", "kid": self.idp.kid}

    def resolve_client_private_key(self, client):
        if "bad_signature" in self.idp.faults:
            return self.idp._rogue_key()
        return self.idp._key

    def get_client_claims(self, client):
        return self.idp._id_token_frame(client)

    def generate_user_info(self, user, scope):
        return dict(user.claims)

    def process_token(self, grant, response):
        token = super().process_token(grant, response)
        if "altered" in self.idp.faults and token.get("id_token"):
            token["id_token"] = _alter_email(token["id_token"])
        return token


def _alter_email(id_token):
    """Change the email in a signed token and keep the old signature, as a forger would."""
    header, payload, signature = id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["email"] = "intruder@evil.example"
    raw = json.dumps(claims, separators=(",", ":")).encode()
    forged = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


class _UserInfo(UserInfoEndpoint):
    def __init__(self, idp, resource_protector):
        super().__init__(resource_protector=resource_protector)
        self.idp = idp

    def generate_user_info(self, user, scope):
        claims = dict(user.claims)
        if "userinfo_mismatch" in self.idp.faults:
            claims["sub"] = f"{claims['sub']}-someone-else"
        return claims

    def get_issuer(self):
        return self.idp.issuer

    def resolve_private_key(self):
        return self.idp._key


class _Bearer(BearerTokenValidator):
    def __init__(self, idp):
        super().__init__()
        self.idp = idp

    def authenticate_token(self, token_string):
        return self.idp._tokens.get(token_string)


class _EndSession(EndSessionEndpoint):
    """RP-initiated logout. Authlib only redirects for a known client; a logout that names
    neither ``client_id`` nor ``id_token_hint`` is still for the provider's one client."""

    def __init__(self, idp):
        super().__init__()
        self.idp = idp

    def get_server_jwks(self):
        return self.idp._public_jwks()

    def get_algorithms(self):
        return ["RS256"]

    def is_post_logout_redirect_uri_legitimate(self, request, uri, client, logout_hint):
        return True

    def validate_request(self, request):
        validated = super().validate_request(request)
        data = request.payload.data
        uri = data.get("post_logout_redirect_uri")
        client = self.idp._client
        if validated.client is None and uri and uri in client.redirects:
            validated.client = client
            state = data.get("state")
            validated.redirect_uri = add_params_to_uri(uri, {"state": state}) if state else uri
        return validated

    def end_session(self, end_session_request):
        """The provider keeps no session of its own; the call is already in ``logouts``."""


class _QuietHandler(WSGIRequestHandler):
    """One request per connection (so every handler thread ends with its response), a bounded
    wait for idle connections, and no request log on stderr."""

    protocol_version = "HTTP/1.0"
    timeout = 5

    def log_request(self, *args, **kwargs):
        pass


class OidcIdP:
    """An OpenID Connect provider on a free port of 127.0.0.1, with one confidential client.

    ``next_identity`` holds the claims of the next sign-in; ``faults`` breaks answers on
    purpose; ``logouts`` and ``token_requests`` record what the relying party sent. With
    ``interactive`` set, /authorize shows a sign-in form (for browser tests) instead of
    answering at once.
    """

    def __init__(
        self,
        *,
        path_prefix: str = "",
        client_id="stelsel-test",
        client_secret="s3cret-value",
        redirect_uris: list[str] | None = None,
    ):
        if path_prefix and (not path_prefix.startswith("/") or path_prefix.endswith("/")):
            raise ValueError("path_prefix starts with '/' and does not end with one")
        self.path_prefix = path_prefix
        self._client = _Client(client_id, client_secret, redirect_uris)
        self.interactive = False
        self.base_url = ""
        self._lock = threading.RLock()
        self._codes: dict[str, _Code] = {}
        self._tokens: dict[str, _Token] = {}
        self._last_jti: str | None = None
        self._key: RSAKey | None = None
        self._rogue: RSAKey | None = None
        self._httpd = None
        self._thread: threading.Thread | None = None
        self.reset()

    # -- state the tests read and set -------------------------------------------------------

    @property
    def faults(self) -> set[str]:
        return self._faults

    @faults.setter
    def faults(self, names):
        self._faults = _FaultSet(names)

    @property
    def client_id(self) -> str:
        return self._client.client_id

    @property
    def client_secret(self) -> str:
        return self._client.client_secret

    @client_secret.setter
    def client_secret(self, value):
        self._client.client_secret = value

    @property
    def issuer(self) -> str:
        return self.base_url + self.path_prefix

    @property
    def server_url(self) -> str:
        return self.issuer

    @property
    def kid(self) -> str:
        return self._key.kid

    def reset(self):
        self.faults = set()
        self.logouts: list[dict] = []
        self.token_requests: list[dict] = []
        self.next_identity: dict = copy.deepcopy(DEFAULT_IDENTITY)

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> "OidcIdP":
        if self._httpd is not None:
            raise RuntimeError("The OIDC IdP is already running")
        self._key = RSAKey.generate_key(
            2048, parameters={"kid": uuid.uuid4().hex, "use": "sig", "alg": "RS256"}
        )
        self._rogue = None
        httpd = make_server(
            "127.0.0.1", 0, self._make_app(), threaded=True, request_handler=_QuietHandler
        )
        httpd.daemon_threads = False
        httpd.block_on_close = True
        self._httpd = httpd
        self.base_url = f"http://127.0.0.1:{httpd.server_port}"
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"oidc-idp-{httpd.server_port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self):
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        self._thread.join(timeout=10)
        self._thread = None

    def __enter__(self) -> "OidcIdP":
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    # -- keys and tokens --------------------------------------------------------------------

    def _rogue_key(self) -> RSAKey:
        """Another key, made once it is needed, that signs under the advertised kid."""
        if self._rogue is None:
            self._rogue = RSAKey.generate_key(2048, parameters={"kid": self.kid})
        return self._rogue

    def _public_jwks(self) -> dict:
        return KeySet([self._key]).as_dict(private=False)

    def _id_token_frame(self, client) -> dict:
        """Issuer, audience, times and jti of the next ID token, with their faults."""
        now = int(time.time())
        if "expired" in self.faults:
            now -= 3600 + ID_TOKEN_LIFETIME
        elif "clock_skew" in self.faults:
            now += 600
        replay = "replay_jti" in self.faults and self._last_jti
        jti = self._last_jti if replay else uuid.uuid4().hex
        self._last_jti = jti
        return {
            "iss": EVIL_ISSUER if "wrong_issuer" in self.faults else self.issuer,
            "aud": "someone-else" if "wrong_audience" in self.faults else client.get_client_id(),
            "iat": now,
            "nbf": now,
            "exp": now + ID_TOKEN_LIFETIME,
            "jti": jti,
        }

    def _save_token(self, token, oauth_request):
        self._tokens[token["access_token"]] = _Token(
            access_token=token["access_token"],
            client=oauth_request.client,
            scope=token.get("scope", ""),
            sign_in=oauth_request.user,
            issued_at=int(time.time()),
            expires_in=int(token.get("expires_in", ACCESS_TOKEN_LIFETIME)),
        )

    def _sign_in(self, email=None) -> _SignIn:
        claims = copy.deepcopy(self.next_identity)
        claims.setdefault("sub", DEFAULT_IDENTITY["sub"])
        if email:
            claims["email"] = email
        return _SignIn(claims=claims)

    # -- the web application ----------------------------------------------------------------

    def discovery(self) -> dict:
        issuer = self.issuer
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "jwks_uri": f"{issuer}/jwks",
            "end_session_endpoint": f"{issuer}/logout",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_post",
                "client_secret_basic",
            ],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": SCOPES,
            "claims_supported": CLAIMS,
        }

    def _make_app(self) -> Flask:
        app = Flask(f"oidc_idp_{id(self)}")
        app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"authorization_code": ACCESS_TOKEN_LIFETIME}
        server = AuthorizationServer(
            app, query_client=self._query_client, save_token=self._save_token
        )
        server.idp = self
        server.register_grant(_CodeGrant, [_OpenIDCode(self), _S256Challenge(required=False)])
        protector = ResourceProtector()
        protector.register_token_validator(_Bearer(self))
        server.register_endpoint(_UserInfo(self, protector))
        server.register_endpoint(_EndSession(self))
        prefix = self.path_prefix

        @app.get(f"{prefix}/.well-known/openid-configuration")
        def discovery():
            if "discovery_down" in self.faults:
                return Response("Service Unavailable", status=503, mimetype="text/plain")
            return jsonify(self.discovery())

        @app.get(f"{prefix}/jwks")
        def jwks():
            return jsonify(self._public_jwks())

        @app.route(f"{prefix}/authorize", methods=["GET", "POST"])
        def authorize():
            with self._lock:
                return self._authorize(server)

        @app.post(f"{prefix}/token")
        def token():
            with self._lock:
                return self._token(server)

        @app.route(f"{prefix}/userinfo", methods=["GET", "POST"])
        def userinfo():
            with self._lock:
                return server.create_endpoint_response("userinfo")

        @app.route(f"{prefix}/logout", methods=["GET", "POST"])
        def logout():
            with self._lock:
                self.logouts.append(request.values.to_dict())
                try:
                    validated = server.validate_endpoint_request("end_session")
                except OAuth2Error as error:
                    return server.handle_error_response(None, error)
                response = server.create_endpoint_response("end_session", validated)
                return response or _page("Signed out", "<p>You are signed out.</p>")

        return app

    def _query_client(self, client_id):
        return self._client if client_id == self._client.client_id else None

    def _authorize(self, server):
        if self.interactive and request.method == "GET":
            try:
                server.get_consent_grant(end_user=None)
            except OAuth2Error as error:
                return server.handle_error_response(None, error)
            return self._sign_in_page()
        sign_in = self._sign_in(request.form.get("email") if request.method == "POST" else None)
        try:
            grant = server.get_consent_grant(end_user=sign_in)
        except OAuth2Error as error:
            return server.handle_error_response(None, error)
        return server.create_authorization_response(grant_user=sign_in, grant=grant)

    def _sign_in_page(self):
        email = html.escape(str(self.next_identity.get("email", "")), quote=True)
        action = html.escape(request.full_path, quote=True)
        body = (
            f'<form method="post" action="{action}">'
            '<label for="email">Email address</label> '
            f'<input id="email" name="email" type="email" value="{email}" required> '
            '<button type="submit">Sign in</button>'
            "</form>"
        )
        return _page("Sign in", body)

    def _token(self, server):
        auth = request.authorization
        client_id = request.form.get("client_id") or (auth.username if auth else None)
        if "token_error" in self.faults:
            response = jsonify(error="invalid_grant", error_description="Refused on purpose.")
            response.status_code = 400
        else:
            response = server.create_token_response()
        body = response.get_json(silent=True) or {}
        self.token_requests.append(
            {
                "grant_type": request.form.get("grant_type"),
                "client_id": client_id,
                "status": response.status_code,
                "ok": response.status_code == 200,
                "error": body.get("error"),
            }
        )
        return response


def _page(title, body):
    document = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )
    return Response(document, mimetype="text/html")


@contextlib.contextmanager
def running_oidc_idp(**kwargs):
    """Start an :class:`OidcIdP` for the length of a ``with`` block or a yield fixture."""
    idp = OidcIdP(**kwargs).start()
    try:
        yield idp
    finally:
        idp.stop()
