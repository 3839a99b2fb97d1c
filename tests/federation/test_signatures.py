"""HTTP Signatures (draft-cavage) and Digest, with real RSA keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from moot.federation.keys import generate_keypair
from moot.federation.signatures import (
    SignatureError,
    digest_header,
    parse_signature,
    sign_headers,
    verify_request,
)

URL = "https://moot.example/c/main/inbox"
BODY = b'{"type": "Follow"}'
KEY_ID = "https://remote.example/u/alice#main-key"


@pytest.fixture(scope="module")
def keys() -> tuple[str, str]:
    return generate_keypair()


def _verify(headers: dict[str, str], public: str, body: bytes | None = BODY,
            url: str = URL, **kwargs: object) -> None:
    verify_request("POST" if body is not None else "GET", url, headers, body, public,
                   parse_signature(headers["signature"]), **kwargs)  # type: ignore[arg-type]


def test_a_signed_post_verifies(keys: tuple[str, str]) -> None:
    headers = sign_headers("POST", URL, KEY_ID, keys[0], BODY)
    assert 'headers="(request-target) host date digest content-type"' in headers["signature"]
    assert headers["digest"] == digest_header(BODY)
    _verify(headers, keys[1])


def test_hs2019_as_lemmy_names_it_verifies(keys: tuple[str, str]) -> None:
    headers = sign_headers("POST", URL, KEY_ID, keys[0], BODY)
    headers["signature"] = headers["signature"].replace("rsa-sha256", "hs2019")
    _verify(headers, keys[1])


def test_another_key_does_not_verify(keys: tuple[str, str]) -> None:
    other_private, _ = generate_keypair()
    headers = sign_headers("POST", URL, KEY_ID, other_private, BODY)
    with pytest.raises(SignatureError, match="does not verify"):
        _verify(headers, keys[1])


def test_a_changed_body_fails_the_digest(keys: tuple[str, str]) -> None:
    headers = sign_headers("POST", URL, KEY_ID, keys[0], BODY)
    with pytest.raises(SignatureError, match="Digest"):
        _verify(headers, keys[1], body=b'{"type": "Undo"}')


def test_a_changed_target_fails(keys: tuple[str, str]) -> None:
    headers = sign_headers("POST", URL, KEY_ID, keys[0], BODY)
    with pytest.raises(SignatureError):
        _verify(headers, keys[1], url="https://moot.example/inbox")


def test_a_post_must_sign_its_digest(keys: tuple[str, str]) -> None:
    headers = sign_headers("GET", URL, KEY_ID, keys[0])
    headers["digest"] = digest_header(BODY)
    with pytest.raises(SignatureError, match="Digest header is not signed"):
        _verify(headers, keys[1])


@pytest.mark.parametrize("hours", [-2, 2])
def test_dates_outside_an_hour_are_refused(keys: tuple[str, str], hours: int) -> None:
    when = datetime.now(UTC) + timedelta(hours=hours)
    headers = sign_headers("POST", URL, KEY_ID, keys[0], BODY, now=when)
    with pytest.raises(SignatureError, match="window"):
        _verify(headers, keys[1])


def test_a_signed_get_verifies(keys: tuple[str, str]) -> None:
    headers = sign_headers("GET", URL + "?page=2", KEY_ID, keys[0])
    _verify(headers, keys[1], body=None, url=URL + "?page=2")


@pytest.mark.parametrize("header", [
    'keyId="k",algorithm="ed25519",headers="date",signature="AAAA"',
    'algorithm="rsa-sha256",signature="AAAA"',
    'keyId="k",signature="not base64!"',
])
def test_malformed_signature_headers_are_refused(header: str) -> None:
    with pytest.raises(SignatureError):
        parse_signature(header)
