"""Per-IP rate limits with Lemmy's buckets, limits from the site's rate-limit settings.

Token buckets live in the process; the processes of one ``moot serve --processes N`` keep them
in memory they share (moot/shared.py). Several machines would need a shared store
(docs/decisions/0003-rate-limits-in-process.md, 0032).
"""

from __future__ import annotations

import threading
import time

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from moot import shared
from moot.context import Context

_API = "/api/v3"
# (method or None for any, path) -> bucket; every API request also spends from "message".
_ROUTE_BUCKETS = {
    ("POST", _API + "/post"): "post",
    ("GET", _API + "/user/get_captcha"): "post",
    ("POST", _API + "/comment"): "comment",
    ("POST", _API + "/user/register"): "register",
    ("POST", _API + "/user/login"): "register",
    ("POST", _API + "/user/password_reset"): "register",
    ("POST", _API + "/community"): "register",
    ("POST", "/pictrs/image"): "image",
    ("GET", _API + "/search"): "search",
    ("GET", _API + "/user/export_settings"): "import_user_settings",
    ("POST", _API + "/user/import_settings"): "import_user_settings",
    # The web pages' forms that do the same work spend from the same buckets.
    ("POST", "/login"): "register",
    ("POST", "/signup"): "register",
    ("POST", "/create_community"): "register",
    ("POST", "/create_post"): "post",
    ("GET", "/search"): "search",
}
_BODY = orjson.dumps({"error": "rate_limit_error"})


class Buckets:
    def __init__(self) -> None:
        self._state: dict[tuple[str, str], tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._last_sweep = time.monotonic()
        self._shared = shared.current()

    def take(self, bucket: str, ip: str, capacity: int, per_seconds: int) -> bool:
        if capacity <= 0 or per_seconds <= 0:
            return True  # a zero limit switches the bucket off, as an admin would expect
        now = time.monotonic()
        if self._shared is not None:
            return self._shared.take(bucket, ip, capacity, per_seconds, now)
        rate = capacity / per_seconds
        with self._lock:
            tokens, last = self._state.get((bucket, ip), (float(capacity), now))
            tokens = min(float(capacity), tokens + (now - last) * rate)
            allowed = tokens >= 1.0
            self._state[(bucket, ip)] = (tokens - 1.0 if allowed else tokens, now)
            if now - self._last_sweep > 300:
                self._sweep(now)
        return allowed

    def _sweep(self, now: float) -> None:
        # Forget buckets idle for an hour: they would be full again anyway for most limits.
        self._state = {k: v for k, v in self._state.items() if now - v[1] < 3600}
        self._last_sweep = now


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, buckets: Buckets | None = None) -> None:
        self.app = app
        # Shared with the vote door (api/vote_door.py), which answers ahead of this layer.
        self.buckets = buckets or Buckets()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"].rstrip("/") or "/"
        names = []
        if path.startswith(_API):
            names.append("message")
        route_bucket = _ROUTE_BUCKETS.get((scope["method"], path))
        if scope["method"] == "POST" and path.startswith("/post/") and path.endswith("/comment"):
            route_bucket = "comment"  # the web's comment form, /post/{id}/comment
        if route_bucket:
            names.append(route_bucket)
        if names:
            ctx: Context = scope["app"].state.ctx
            limits = ctx.site().rate_limit
            ip = client_ip(scope)
            for name in names:
                if not self.buckets.take(name, ip, limits[name], limits[name + "_per_second"]):
                    await _refuse(send)
                    return
        await self.app(scope, receive, send)


def client_ip(scope: Scope) -> str:
    for key, value in scope.get("headers", ()):
        if key == b"x-forwarded-for":
            return value.decode("latin-1").split(",")[0].strip()
    client = scope.get("client")
    return client[0] if client else "unknown"


async def _refuse(send: Send) -> None:
    await send({"type": "http.response.start", "status": 400,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(_BODY)).encode())]})
    await send({"type": "http.response.body", "body": _BODY})
