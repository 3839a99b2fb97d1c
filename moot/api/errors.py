"""Every error leaves as JSON ``{"error": name[, "message": text]}``, never as a stack trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from moot.api.json import JSONResponse
from moot.errors import MootError

log = logging.getLogger("moot.api")


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        if error.get("type") == "json_invalid":
            parts.append(f"invalid JSON at character {error['loc'][-1]}")
            continue
        loc = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query"))
        parts.append(f"{loc}: {error.get('msg', 'invalid')}" if loc else error.get("msg", "invalid"))
    return "; ".join(parts) or "invalid request"


async def _moot_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MootError)
    return JSONResponse(exc.body(), status_code=exc.status)


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"error": "unknown", "message": _validation_message(exc)},
                        status_code=400)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    # Unknown routes and wrong methods: "unknown", so that a client cannot mistake them for a
    # missing object (couldnt_find_*), with the reason in the message.
    return JSONResponse({"error": "unknown", "message": str(exc.detail)}, status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


_CRASH_BODY = b'{"error":"unknown","message":"internal server error"}'


class CrashGuard:
    """Outermost layer: an unexpected exception becomes a JSON 500 and one log line with the
    trace, instead of Starlette's plain-text page and a second trace from the server."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if started:
                raise
            await send({"type": "http.response.start", "status": 500,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": _CRASH_BODY})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(MootError, _moot_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
