"""The one way Moot makes outgoing HTTP requests: fetching ActivityPub documents and delivering
activities to inboxes.

Every request goes through ``Http`` (one per process, built by ``http_for(ctx)``), which refuses
private, loopback and link-local targets unless ``allow_private_network`` is set, caps bodies at
1 MiB, follows at most one redirect by hand, applies timeouts, checks the AP content type and that
a document's ``id`` is the URL it came from. Unit tests hand it an ``httpx.MockTransport``.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from moot.config import Settings
from moot.federation.pinning import AddressRefused, checked_addresses, pinned_transport
from moot.federation.sender import Sender, SendFailed
from moot.federation.signatures import sign_headers

MAX_BODY = 1024 * 1024
FETCH_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
SEND_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
USER_AGENT = "Moot/0.1 (+https://github.com/moot-forum/moot)"
Resolver = Callable[[str], list[str]]


class FetchError(Exception):
    """An outgoing request was refused or failed; the text says why (never shown as a 5xx).

    ``transient`` failures (network errors, 5xx, 408, 429) may succeed later; others will not."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class Gone(FetchError):
    """The remote object answered 410: it was deleted."""


@dataclass(frozen=True)
class Signer:
    key_id: str
    private_pem: str


def _resolve(host: str) -> list[str]:
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})
    except OSError as exc:
        raise FetchError(f"cannot resolve {host}", transient=True) from exc


def is_ap_content_type(value: str) -> bool:
    """application/activity+json, or application/ld+json with the ActivityStreams profile."""
    media, _, params = value.partition(";")
    media = media.strip().lower()
    if media == "application/activity+json":
        return True
    return media == "application/ld+json" and "https://www.w3.org/ns/activitystreams" in params


class Http:
    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None,
                 resolver: Resolver = _resolve,
                 policy: Callable[[str], str | None] | None = None) -> None:
        self.allow_private = settings.allow_private_network
        # The admin's allow/block lists: the name of the refusal for a URL, or None.
        self.policy = policy
        self.resolver = resolver
        # Deliveries go through the leaner sender; a transport handed in (tests) takes both.
        self.sender: Sender | None = None
        if transport is None:
            transport = pinned_transport(resolver, self.allow_private)
            self.sender = Sender(resolver, self.allow_private, USER_AGENT)
        self.client = httpx.Client(transport=transport, follow_redirects=False,
                                   headers={"User-Agent": USER_AGENT}, timeout=FETCH_TIMEOUT)

    def close(self) -> None:
        self.client.close()

    def _check_target(self, url: str) -> str:
        """Refuse what is not http(s) and hosts the admins' lists refuse; the host name."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) URL: {url[:200]}")
        refused = self.policy(url) if self.policy is not None else None
        if refused is not None:
            raise FetchError(f"{refused}: {parts.netloc[:200]}")
        return parts.hostname

    def check_url(self, url: str) -> None:
        """Refuse what is not http(s), and hosts that resolve to a non-public address."""
        hostname = self._check_target(url)
        if self.allow_private:
            return
        try:
            checked_addresses(hostname, self.resolver, allow_private=False)
        except AddressRefused as exc:
            raise FetchError(str(exc)) from exc

    def _read(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_BODY:
            raise FetchError("response body is over 1 MiB")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_BODY:
                raise FetchError("response body is over 1 MiB")
            chunks.append(chunk)
        return b"".join(chunks)

    def _get(self, url: str, signer: Signer | None) -> tuple[httpx.Response, bytes]:
        self.check_url(url)
        headers = {"Accept": ACCEPT}
        if signer is not None:
            headers.update(sign_headers("GET", url, signer.key_id, signer.private_pem))
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                return response, self._read(response)
        except AddressRefused as exc:
            raise FetchError(str(exc)) from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"GET {url[:200]} failed: {type(exc).__name__}",
                             transient=True) from exc

    def fetch_json(self, url: str, signer: Signer | None = None) -> dict[str, Any]:
        """An ActivityPub document from ``url``, whose id is the URL it was finally read from."""
        response, body = self._get(url, signer)
        if response.is_redirect and "location" in response.headers:
            url = urljoin(url, response.headers["location"])
            response, body = self._get(url, signer)  # one redirect at most
        if response.status_code == 410:
            raise Gone(f"{url[:200]} is gone")
        if response.status_code != 200:
            status = response.status_code
            raise FetchError(f"GET {url[:200]} answered {status}",
                             transient=status >= 500 or status in (408, 429))
        if not is_ap_content_type(response.headers.get("content-type", "")):
            raise FetchError(f"GET {url[:200]} is not ActivityPub JSON")
        try:
            document = json.loads(body)
        except ValueError as exc:
            raise FetchError(f"GET {url[:200]} is not JSON") from exc
        if not isinstance(document, dict) or document.get("id") != url:
            raise FetchError(f"the id of {url[:200]} is not the URL it was fetched from")
        return document

    def fetch_raw(self, url: str) -> tuple[int, bytes]:
        """Status and body of a plain GET (WebFinger), with the same guard and limits."""
        response, body = self._get(url, None)
        return response.status_code, body

    def post_activity(self, inbox: str, body: bytes, signer: Signer) -> int:
        """POST a signed activity; the status code, or FetchError on a network failure."""
        self.check_url(inbox)
        headers = sign_headers("POST", inbox, signer.key_id, signer.private_pem, body)
        try:
            response = self.client.post(inbox, content=body, headers=headers,
                                        timeout=SEND_TIMEOUT)
        except AddressRefused as exc:
            raise FetchError(str(exc)) from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"POST {inbox[:200]} failed: {type(exc).__name__}",
                             transient=True) from exc
        return response.status_code

    async def post_activity_async(self, inbox: str, body: bytes, signer: Signer) -> int:
        """``post_activity`` for delivery's event loop. The sender checks the addresses when it
        connects; with a transport handed in (tests), the POST runs on a thread."""
        if self.sender is None:
            return await asyncio.to_thread(self.post_activity, inbox, body, signer)
        self._check_target(inbox)
        headers = sign_headers("POST", inbox, signer.key_id, signer.private_pem, body)
        try:
            return await self.sender.post(inbox, body, headers)
        except SendFailed as exc:
            raise FetchError(str(exc), transient=exc.transient) from exc
