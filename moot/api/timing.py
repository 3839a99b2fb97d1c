"""``Server-Timing: app;dur=<ms>`` on every HTTP response: the time from the request reaching
the application to its response head, so a benchmark (or a browser's network panel) can tell
server time from time spent on the wire or in a client's queue."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ServerTiming:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()

        async def stamp(message: Message) -> None:
            if message["type"] == "http.response.start":
                millis = (time.perf_counter() - start) * 1000
                message["headers"] = [*message.get("headers", []),
                                      (b"server-timing", f"app;dur={millis:.2f}".encode())]
            await send(message)

        await self.app(scope, receive, stamp)
