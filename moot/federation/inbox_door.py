"""The inboxes (``/inbox``, ``/u/{name}/inbox``, ``/c/{name}/inbox``) as a bare ASGI door.

Deliveries are the busiest requests an instance gets, and all they need is their body, their
headers and `receive.receive`. Answered here, ahead of the API's middleware and router, a
delivery skips CORS, rate limits (Lemmy does not rate-limit federation either) and the match
against every v3 route. That was a fifth of the server's time per delivery
(bench/README.md, "Federation: inbound activities"). Other requests pass through untouched.
"""

from __future__ import annotations

import json
import re

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL
from starlette.types import ASGIApp, Receive, Scope, Send

INBOX = re.compile(r"^/(?:(?:u|c)/[^/]+/)?inbox/?$")
MAX_BODY = 1024 * 1024


class InboxDoor:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" \
                or INBOX.match(scope["path"]) is None:
            await self.app(scope, receive, send)
            return
        # Imported on first delivery: the HTTP client stack is not needed to start serving.
        from moot.federation.receive import receive as receive_activity

        body = await _body(receive)
        headers = {name.decode("latin-1").lower(): value.decode("latin-1")
                   for name, value in scope["headers"]}
        status, reason = await run_in_threadpool(
            receive_activity, scope["app"].state.ctx, str(URL(scope=scope)), headers, body)
        payload = json.dumps({"error" if status >= 400 else "status": reason}).encode()
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})


async def _body(receive: Receive) -> bytes:
    """The request body, cut one byte past the limit (receive() refuses what is too long)."""
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        if size <= MAX_BODY:
            chunks.append(chunk[:MAX_BODY + 1 - size])
        size += len(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)
