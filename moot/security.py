"""Password hashing and login tokens.

New passwords are hashed with Argon2id; bcrypt hashes (Lemmy's) are accepted so that accounts
imported from Lemmy keep working, and are upgraded to Argon2id at the next successful login.
"""

from __future__ import annotations

import functools
import secrets
import time

import bcrypt
import jwt
import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from moot.errors import MootError

# OWASP's Argon2id minimum (19 MiB, 2 passes, 1 lane), not argon2-cffi's default of 64 MiB:
# every login or sign-up in flight holds that memory, and eight at once took a 2-core server
# over 500 MB (docs/decisions/0037). Hashes made with other parameters still verify, and are
# made again with these at the next login (needs_rehash).
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@functools.cache
def _dummy_hash() -> str:
    # Made on first use: hashing costs ~0.1 s, which start-up should not pay.
    return _hasher.hash("moot-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, stored: str | None) -> bool:
    """Constant-ish time: an unknown user still costs one hash verification."""
    if stored is None:
        try:
            _hasher.verify(_dummy_hash(), password + "x")
        except VerificationError:
            pass
        return False
    if stored.startswith("$2"):
        try:
            return bcrypt.checkpw(password.encode(), stored.encode())
        except ValueError:
            return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return stored.startswith("$2") or _hasher.check_needs_rehash(stored)


def new_secret() -> str:
    return secrets.token_urlsafe(48)


def issue_token(local_user_id: int, issuer: str, secret: str) -> str:
    claims = {"sub": str(local_user_id), "iss": issuer, "iat": int(time.time()),
              "jti": secrets.token_hex(8)}
    return jwt.encode(claims, secret, algorithm="HS256")


@functools.lru_cache(maxsize=4096)
def read_token(token: str, secret: str) -> int | None:
    """The local_user id a token names, or None if it is not one of ours.

    Remembered: checking the signature costs more than the rest of a logged-in request's
    routing, and the answer depends on nothing else (Moot's tokens carry no expiry; whether
    the login is still live is asked of the database, views/people.py load_viewer)."""
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"],
                            options={"require": ["sub", "iat"], "verify_iss": False})
        return int(claims["sub"])
    except (jwt.PyJWTError, ValueError, TypeError):
        return None


# Two-factor codes: RFC 6238 with Lemmy's parameters (SHA-1, six digits, 30 s steps), accepting
# one step of clock skew either way.


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_url(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def check_totp(secret: str | None, code: str | None) -> None:
    if not code:
        raise MootError("missing_totp_token")
    if secret is None or not pyotp.TOTP(secret).verify(code.strip(), valid_window=1):
        raise MootError("incorrect_totp_token")
