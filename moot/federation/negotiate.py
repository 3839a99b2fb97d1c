"""Content negotiation for paths that are both web pages and ActivityPub documents.

``/``, ``/u/{name}``, ``/c/{name}``, ``/post/{id}`` and ``/comment/{id}`` belong to the web pages;
a GET or HEAD that asks for ActivityPub JSON (any ``application/activity+json`` or
``application/ld+json`` Accept, as lemmy-ansible's proxy matches) is answered here, before
routing, with ``application/activity+json``. Everything else passes through untouched.
"""

from __future__ import annotations

import json
import re

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from moot.federation.documents import PATHS, document_for

_AP_ACCEPT = re.compile(rb"application/(?:activity|ld)\+json")
CONTENT_TYPE = b"application/activity+json"


class ActivityPubNegotiation:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def _wants_ap(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return False
        if PATHS.match(scope["path"]) is None:
            return False
        for name, value in scope["headers"]:
            if name == b"accept":
                return _AP_ACCEPT.search(value) is not None
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._wants_ap(scope):
            await self.app(scope, receive, send)
            return
        ctx = scope["app"].state.ctx
        headers = {name.decode("latin-1").lower(): value.decode("latin-1")
                   for name, value in scope["headers"]}
        found = await run_in_threadpool(document_for, ctx, scope["path"], headers)
        if found is None:
            await self.app(scope, receive, send)
            return
        status, document = found
        body = json.dumps(document).encode()
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", CONTENT_TYPE), (b"content-length", str(len(body)).encode()),
            (b"vary", b"Accept")]})
        await send({"type": "http.response.body",
                    "body": b"" if scope["method"] == "HEAD" else body})
