"""The answer of a bare ASGI door (api/vote_door.py, api/read_door.py): the JSON with the
headers the stack it skips would have added."""

from __future__ import annotations

import time

from starlette.types import Scope, Send


async def send_answer(scope: Scope, send: Send, start: float, status: int,
                      payload: bytes) -> None:
    """``payload`` (JSON) with ``status``, and what CORSMiddleware and ServerTiming add;
    ``start``: the door's ``perf_counter`` when the request came in."""
    headers = [(b"content-length", str(len(payload)).encode()),
               (b"content-type", b"application/json")]
    # What CORSMiddleware (allow any origin, expose every header) adds to a simple request.
    if any(name == b"origin" for name, _ in scope["headers"]):
        headers += [(b"access-control-allow-origin", b"*"),
                    (b"access-control-expose-headers", b"*")]
    millis = (time.perf_counter() - start) * 1000
    headers += [(b"vary", b"Origin"), (b"server-timing", f"app;dur={millis:.2f}".encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
