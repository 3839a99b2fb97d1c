"""The inboxes (``/inbox``, ``/u/{name}/inbox``, ``/c/{name}/inbox``) as a bare ASGI door.

Deliveries are the busiest requests an instance gets, and all they need is their body, their
headers and `receive.receive_async`. Answered here, ahead of FastAPI's whole stack (its error
middleware, ours, CORS, rate limits — Lemmy does not rate-limit federation either — and the
match against every v3 route), a delivery skips what was most of the server's time per delivery
(bench/README.md, "Federation: inbound activities"). Other requests pass through untouched.
"""

from __future__ import annotations

import json
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.types import Receive, Scope, Send

INBOX = re.compile(r"^/(?:(?:u|c)/[^/]+/)?inbox/?$")
MAX_BODY = 1024 * 1024
# Checking a delivery may fetch the sender's key from its instance: these threads wait on that,
# not the event loop. A plain executor: anyio's thread hop cost a tenth of a delivery's time.
THREADS = 16
log = logging.getLogger(__name__)


def is_delivery(scope: Scope) -> bool:
    return (scope["type"] == "http" and scope["method"] == "POST"
            and INBOX.match(scope["path"]) is not None)


class InboxDoor:
    """Answers deliveries; the app (``moot.app.MootApp``) asks it first, before its own stack."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="moot-inbox")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Imported on first delivery: the HTTP client stack is not needed to start serving.
        from moot.federation.receive import receive_async

        body = await _body(receive)
        headers = {name.decode("latin-1").lower(): value.decode("latin-1")
                   for name, value in scope["headers"]}
        try:
            status, reason = await receive_async(self.ctx, self.pool, _target(scope), headers,
                                                 body)
        except Exception:
            # Outside the API's crash guard: the same JSON 500 and one logged trace.
            log.exception("unhandled error on POST %s", scope["path"])
            status, reason = 500, "internal_error"
        payload = _payload(status, reason)
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})


def _target(scope: Scope) -> str:
    """The path and query the signature's ``(request-target)`` covers, as Starlette's URL
    renders them (a full URL would only be split again)."""
    path = scope["path"].replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")
    if path.startswith("//"):
        path = "/%2F" + path[2:]  # else read as a host
    query = scope.get("query_string", b"").decode("latin-1")
    return f"{path}?{query}" if query else path


_COMMON = {(202, "accepted"), (200, "already received")}
_PAYLOADS = {answer: json.dumps({"status": answer[1]}).encode() for answer in _COMMON}


def _payload(status: int, reason: str) -> bytes:
    known = _PAYLOADS.get((status, reason))
    if known is not None:
        return known
    return json.dumps({"error" if status >= 400 else "status": reason}).encode()


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
