"""HTTP Signatures (draft-cavage-12, as Lemmy, Mastodon and PieFed use them) and the Digest header.

Signing covers ``(request-target) host date`` plus ``digest content-type`` when there is a body,
with RSASSA-PKCS1-v1_5 over SHA-256 (``rsa-sha256``; ``hs2019`` names the same thing here).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

# Lemmy refuses signatures older than an hour; Mastodon allows 12 h plus 1 h skew. An hour each
# way is what Lemmy admins are told to keep their clocks within.
MAX_AGE_SECONDS = 3600
ALGORITHMS = ("rsa-sha256", "hs2019")
_PARAM = re.compile(r'(\w+)="([^"]*)"')


class SignatureError(ValueError):
    """A request's signature is missing, malformed, stale or wrong; the text says which."""


@dataclass(frozen=True)
class ParsedSignature:
    key_id: str
    algorithm: str
    headers: list[str]
    signature: bytes


def digest_header(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(when: datetime | None = None) -> str:
    return format_datetime(when or datetime.now(UTC), usegmt=True)


def _target(method: str, url: str) -> str:
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return f"{method.lower()} {path}"


def _signing_string(names: list[str], method: str, url: str,
                    headers: Mapping[str, str]) -> bytes:
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {_target(method, url)}")
        else:
            value = headers.get(name)
            if value is None:
                raise SignatureError(f"signed header {name} is missing")
            lines.append(f"{name}: {value}")
    return "\n".join(lines).encode()


@lru_cache(maxsize=1024)
def _private_key(private_pem: str) -> rsa.RSAPrivateKey:
    # Loading checks the key's primes, which takes tens of milliseconds: once per key, then.
    # Private keys are Moot's own (made by keys.py), so that check is skipped for them.
    key = serialization.load_pem_private_key(private_pem.encode(), password=None,
                                             unsafe_skip_rsa_key_validation=True)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


@lru_cache(maxsize=4096)
def _public_key(public_pem: str) -> PublicKeyTypes:
    return serialization.load_pem_public_key(public_pem.encode())


def sign_headers(method: str, url: str, key_id: str, private_pem: str,
                 body: bytes | None = None, *, now: datetime | None = None) -> dict[str, str]:
    """The headers (Host, Date, Digest, Content-Type, Signature) of a signed request."""
    headers = {"host": urlsplit(url).netloc, "date": http_date(now)}
    names = ["(request-target)", "host", "date"]
    if body is not None:
        headers["digest"] = digest_header(body)
        headers["content-type"] = "application/activity+json"
        names += ["digest", "content-type"]
    signature = _private_key(private_pem).sign(_signing_string(names, method, url, headers), padding.PKCS1v15(),
                         hashes.SHA256())
    headers["signature"] = (f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
                            f'signature="{base64.b64encode(signature).decode()}"')
    return headers


def parse_signature(value: str) -> ParsedSignature:
    params = dict(_PARAM.findall(value))
    if "keyId" not in params or "signature" not in params:
        raise SignatureError("Signature header lacks keyId or signature")
    algorithm = params.get("algorithm", "hs2019").lower()
    if algorithm not in ALGORITHMS:
        raise SignatureError(f"unsupported signature algorithm {algorithm}")
    try:
        raw = base64.b64decode(params["signature"], validate=True)
    except ValueError as exc:
        raise SignatureError("signature is not base64") from exc
    names = params.get("headers", "date").lower().split()
    return ParsedSignature(params["keyId"], algorithm, names, raw)


def check_date(value: str | None, *, now: datetime | None = None) -> None:
    if not value:
        raise SignatureError("Date header is missing")
    when = _http_date(value)
    skew = abs(((now or datetime.now(UTC)) - when).total_seconds())
    if skew > MAX_AGE_SECONDS:
        raise SignatureError("Date is outside the accepted window of one hour")


@lru_cache(maxsize=256)
def _http_date(value: str) -> datetime:
    # Deliveries arriving in the same second carry the same Date: parse it once.
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError) as exc:
        raise SignatureError("Date header is not an HTTP date") from exc
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def verify_request(method: str, url: str, headers: Mapping[str, str], body: bytes | None,
                   public_pem: str, parsed: ParsedSignature, *,
                   now: datetime | None = None) -> None:
    """Raise SignatureError unless ``parsed`` is a valid signature of this request by the key.

    ``headers`` must be keyed by lower-case names. A POST must sign its digest, and the digest
    must match the body; the Date must be signed and within the window.
    """
    if "date" not in parsed.headers:
        raise SignatureError("the Date header is not signed")
    check_date(headers.get("date"), now=now)
    if body is not None:
        if "digest" not in parsed.headers:
            raise SignatureError("the Digest header is not signed")
        digests = dict(part.strip().split("=", 1) for part in headers.get("digest", "").split(",")
                       if "=" in part)
        expected = digest_header(body).split("=", 1)[1]
        if digests.get("SHA-256", digests.get("sha-256")) != expected:
            raise SignatureError("Digest does not match the body")
    try:
        key = _public_key(public_pem)
    except ValueError as exc:
        raise SignatureError("the actor's public key cannot be read") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("the actor's key is not an RSA key")
    try:
        key.verify(parsed.signature, _signing_string(parsed.headers, method, url, headers),
                   padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as exc:
        raise SignatureError("signature does not verify") from exc


def key_owner(key_id: str) -> str:
    """The actor URL a keyId names: the keyId without its fragment (``…#main-key``)."""
    return key_id.split("#", 1)[0]
