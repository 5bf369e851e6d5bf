"""Secrets kept in the database, encrypted (Fernet: AES-128-CBC with HMAC-SHA256).

A board's client secret for its identity provider must be stored, since Stelsel sends it on each
sign-in, but a copy of the database alone must not reveal it. The key comes from
`STELSEL_ENCRYPTION_KEY` (a Fernet key) or, when that is not set, is derived from SECRET_KEY, so
an installation works without one more setting; rotating SECRET_KEY then means entering the
secrets again, which the settings page says when a secret no longer decrypts.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SecretUnreadable(Exception):
    """The stored value was encrypted with another key, or was altered."""


def _fernet() -> Fernet:
    key = getattr(settings, "STELSEL_ENCRYPTION_KEY", "")
    if key:
        return Fernet(key.encode() if isinstance(key, str) else key)
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"stelsel stored secrets"
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError) as exc:
        raise SecretUnreadable from exc
