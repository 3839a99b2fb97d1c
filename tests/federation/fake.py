"""A fake remote instance behind httpx.MockTransport: it serves actor documents with real keys
and records what is delivered to it."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from moot.federation.keys import generate_keypair
from moot.federation.signatures import parse_signature, sign_headers, verify_request

PUBLIC_IP = "93.184.216.34"
AP = "application/activity+json"


@dataclass
class Delivery:
    url: str
    headers: dict[str, str]
    body: bytes

    @property
    def activity(self) -> dict[str, Any]:
        return json.loads(self.body)  # type: ignore[no-any-return]

    def verify_with(self, public_pem: str) -> None:
        verify_request("POST", self.url, self.headers, self.body, public_pem,
                       parse_signature(self.headers["signature"]))


@dataclass
class FakeRemote:
    host: str = "remote.example"
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    delivered: list[Delivery] = field(default_factory=list)
    # What the inbox answers; anything but 2xx is recorded in ``refused`` instead.
    inbox_status: int = 202
    refused: list[Delivery] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"https://{self.host}{path}"

    def person(self, name: str) -> str:
        actor = self.url(f"/u/{name}")
        private, public = generate_keypair()
        self.keys[actor] = private
        self.documents[actor] = {
            "id": actor, "type": "Person", "preferredUsername": name,
            "inbox": actor + "/inbox", "outbox": actor + "/outbox",
            "endpoints": {"sharedInbox": self.url("/inbox")},
            "publicKey": {"id": actor + "#main-key", "owner": actor, "publicKeyPem": public},
        }
        return actor

    def activity_id(self, kind: str) -> str:
        return self.url(f"/activities/{kind.lower()}/{uuid.uuid4()}")

    def signed(self, inbox: str, activity: dict[str, Any],
               actor: str | None = None) -> tuple[bytes, dict[str, str]]:
        body = json.dumps(activity).encode()
        signer = actor or activity["actor"]
        return body, sign_headers("POST", inbox, signer + "#main-key", self.keys[signer], body)

    def handler(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if request.method == "POST":
            delivery = Delivery(url, {k.lower(): v for k, v in request.headers.items()},
                                request.content)
            ok = 200 <= self.inbox_status < 300
            (self.delivered if ok else self.refused).append(delivery)
            return httpx.Response(self.inbox_status)
        document = self.documents.get(url)
        if document is None:
            return httpx.Response(404)
        return httpx.Response(200, headers={"content-type": AP}, content=json.dumps(document))

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)
