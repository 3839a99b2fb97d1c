"""The outgoing client's guard and limits, with httpx.MockTransport standing in for the network."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from moot.config import Settings
from moot.federation.http import MAX_BODY, FetchError, Gone, Http, Signer
from moot.federation.keys import generate_keypair
from moot.federation.signatures import parse_signature, verify_request

PUBLIC_IP = "93.184.216.34"
AP = {"content-type": "application/activity+json"}


def _http(handler: Any, *, private: bool = False, resolves_to: str = PUBLIC_IP) -> Http:
    return Http(Settings(allow_private_network=private), httpx.MockTransport(handler),
                resolver=lambda host: [resolves_to])


def _doc(url: str, **extra: Any) -> httpx.Response:
    return httpx.Response(200, headers=AP, content=json.dumps({"id": url, **extra}).encode())


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/u/a", "http://10.1.2.3/u/a", "http://192.168.0.1/u/a",
    "http://169.254.169.254/latest/meta-data", "http://[::1]/u/a", "http://0.0.0.0/u/a",
    "ftp://example.com/u/a", "file:///etc/passwd",
])
def test_private_and_odd_targets_are_refused(url: str) -> None:
    http = _http(lambda request: _doc(str(request.url)))
    with pytest.raises(FetchError):
        http.fetch_json(url)


def test_a_name_resolving_to_a_private_address_is_refused() -> None:
    http = _http(lambda request: _doc(str(request.url)), resolves_to="10.0.0.7")
    with pytest.raises(FetchError, match="private"):
        http.fetch_json("https://intranet.example/u/a")


def test_private_targets_are_allowed_when_configured() -> None:
    http = _http(lambda request: _doc(str(request.url)), private=True, resolves_to="127.0.0.1")
    assert http.fetch_json("http://moot-alpha:8541/u/a")["id"] == "http://moot-alpha:8541/u/a"


def test_a_public_document_is_fetched_with_the_ap_accept_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _doc(str(request.url), type="Person")

    assert _http(handler).fetch_json("https://remote.example/u/a")["type"] == "Person"
    assert "application/activity+json" in seen[0].headers["accept"]


def test_bodies_over_one_mib_are_refused() -> None:
    big = json.dumps({"id": "https://remote.example/u/a", "x": "y" * MAX_BODY}).encode()
    http = _http(lambda request: httpx.Response(200, headers=AP, content=big))
    with pytest.raises(FetchError, match="1 MiB"):
        http.fetch_json("https://remote.example/u/a")


def test_one_redirect_is_followed_and_a_second_is_not() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/one":
            return httpx.Response(301, headers={"location": "https://remote.example/two"})
        if path == "/two":
            return _doc(str(request.url))
        return httpx.Response(302, headers={"location": "https://remote.example/one"})

    http = _http(handler)
    assert http.fetch_json("https://remote.example/one")["id"] == "https://remote.example/two"
    with pytest.raises(FetchError):
        http.fetch_json("https://remote.example/zero")  # zero → one → two: two redirects


def test_a_redirect_to_a_private_address_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "http://127.0.0.1/admin"})

    with pytest.raises(FetchError, match="private"):
        _http(handler).fetch_json("https://remote.example/x")


@pytest.mark.parametrize("content_type", ["text/html", "application/json",
                                          "application/ld+json"])
def test_other_content_types_are_refused(content_type: str) -> None:
    http = _http(lambda request: httpx.Response(
        200, headers={"content-type": content_type},
        content=json.dumps({"id": str(request.url)}).encode()))
    with pytest.raises(FetchError, match="not ActivityPub"):
        http.fetch_json("https://remote.example/u/a")


def test_the_ld_json_profile_content_type_is_accepted() -> None:
    profile = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
    http = _http(lambda request: httpx.Response(
        200, headers={"content-type": profile},
        content=json.dumps({"id": str(request.url)}).encode()))
    assert http.fetch_json("https://remote.example/u/a")


def test_a_document_whose_id_is_not_its_url_is_refused() -> None:
    http = _http(lambda request: _doc("https://elsewhere.example/u/a"))
    with pytest.raises(FetchError, match="id"):
        http.fetch_json("https://remote.example/u/a")


def test_gone_is_its_own_error() -> None:
    http = _http(lambda request: httpx.Response(410, headers=AP, content=b"{}"))
    with pytest.raises(Gone):
        http.fetch_json("https://remote.example/post/1")


def test_network_errors_become_fetch_errors() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("slow", request=request)

    with pytest.raises(FetchError, match="ConnectTimeout"):
        _http(handler).fetch_json("https://remote.example/u/a")


def test_gets_and_posts_are_signed_verifiably() -> None:
    private, public = generate_keypair()
    signer = Signer("https://moot.example/#main-key", private)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _doc(str(request.url)) if request.method == "GET" else httpx.Response(202)

    http = _http(handler)
    http.fetch_json("https://remote.example/u/a?x=1", signer)
    assert http.post_activity("https://remote.example/inbox", b'{"a": 1}', signer) == 202
    for request, body in ((seen[0], None), (seen[1], b'{"a": 1}')):
        headers = {k.lower(): v for k, v in request.headers.items()}
        parsed = parse_signature(headers["signature"])
        assert parsed.key_id == signer.key_id
        verify_request(request.method, str(request.url), headers, body, public, parsed)
