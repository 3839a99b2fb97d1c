"""Logged-in ``GET /api/v3/post/list``, ``/comment/list`` and ``/post`` as a bare ASGI door.

A logged-in front page cannot come from the page cache (it is the viewer's own), and through
FastAPI's stack it cost about twice what building it does: a dozen middleware layers, routing
by trying each route in turn, the query model solved field by field, and two thread hops (the
login, then the route). This door, asked by ``MootApp`` before that stack, reads the query
string as Starlette does, validates it with the route's own query model, checks the login and
calls the route's own function, in one thread hop; the answer has the route's JSON, status and
headers (those CORSMiddleware and ServerTiming add included).

It only takes what it reads exactly as the stack would: a bearer token, one of each header and
query parameter, no empty value, no parameter the model does not know, a query that validates.
Anything else (no login, a cookie login, a bad query and the error that names it) goes to
FastAPI. See docs/decisions/0042-read-door.md.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

import anyio.to_thread
import orjson
from pydantic import BaseModel, ValidationError
from starlette.types import Receive, Scope, Send

from moot.api.door_answer import send_answer
from moot.api.json import check_shape
from moot.api.ratelimit import Buckets, client_ip
from moot.api.v3 import models as m
from moot.api.v3.comments import get_comments
from moot.api.v3.deps import BIG_ROUTES, Api
from moot.api.v3.posts import read_post, read_posts
from moot.context import Context
from moot.errors import MootError
from moot.memory import build_big
from moot.security import read_token
from moot.views.people import Viewer, load_viewer

log = logging.getLogger(__name__)
App = Callable[[Scope, Receive, Send], Awaitable[None]]
Route = Callable[[Context, Viewer | None, Any], dict[str, Any]]

# path -> (the query's model, the route's function, the answer's model)
ROUTES: dict[str, tuple[type[BaseModel], Route, type[BaseModel]]] = {
    "/api/v3/post/list": (m.GetPosts, read_posts, m.GetPostsResponse),
    "/api/v3/comment/list": (m.GetComments, get_comments, m.GetCommentsResponse),
    "/api/v3/post": (m.GetPost, read_post, m.GetPostResponse),
}
_NAMES = {path: frozenset(field.alias or name for name, field in query.model_fields.items())
          for path, (query, _route, _answer) in ROUTES.items()}
_CRASH = (500, b'{"error":"unknown","message":"internal server error"}')


def is_read(scope: Scope) -> bool:
    return scope["type"] == "http" and scope["method"] == "GET" and scope["path"] in ROUTES


class ReadDoor:
    def __init__(self, ctx: Context, buckets: Buckets) -> None:
        self.ctx = ctx
        self.buckets = buckets  # the rate-limit layer's own (api/ratelimit.py)

    async def __call__(self, scope: Scope, receive: Receive, send: Send, fallback: App) -> None:
        start = time.perf_counter()
        parsed = _parse(scope)
        user_id = None if parsed is None else read_token(parsed[1], self.ctx.site().jwt_secret)
        if parsed is None or user_id is None:
            # FastAPI answers: anonymously (the page cache), or with the error it would give.
            await fallback(scope, receive, send)
            return
        limits = self.ctx.site().rate_limit
        if not self.buckets.take("message", client_ip(scope), limits["message"],
                                 limits["message_per_second"]):
            status, body = 400, b'{"error":"rate_limit_error"}'
        else:
            read = functools.partial(self._read, scope["path"], parsed[0], user_id, parsed[1])
            # A big route (a comment list) is built on its limiter, as FastAPI's route is.
            big = BIG_ROUTES.get(ROUTES[scope["path"]][1])
            status, body = await (anyio.to_thread.run_sync(read) if big is None
                                  else build_big(big, read))
        await send_answer(scope, send, start, status, body)

    def _read(self, path: str, query: BaseModel, user_id: int, token: str) -> tuple[int, bytes]:
        """The route's answer, as the dependencies ``reader`` and the crash guard make it."""
        _model, route, answer_model = ROUTES[path]

        def answer() -> dict[str, Any]:
            with self.ctx.db.read() as conn:
                viewer = load_viewer(conn, user_id, token)
            if viewer is None and self.ctx.site().local_site["private_instance"]:
                raise MootError("instance_is_private")  # a login that ended: anonymous
            return route(self.ctx, viewer, query)

        try:
            # The login and the route's reads on one connection, without a transaction
            # (PostgreSQL; engine.py). GET /post writes after its reads (do_open_post).
            data = self.ctx.db.one_read(answer)
            if Api.validate:
                check_shape(answer_model, data)
            return 200, orjson.dumps(data)
        except MootError as exc:
            return exc.status, orjson.dumps(exc.body())
        except Exception:
            log.exception("unhandled error on GET %s", path)
            return _CRASH


def _parse(scope: Scope) -> tuple[BaseModel, str] | None:
    """(the validated query, the bearer token), or None to leave the request to FastAPI."""
    headers: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name in headers:
            return None  # a repeated header: Starlette's reading rules, not ours
        headers[name] = value
    auth = headers.get(b"authorization", b"").decode("latin-1")
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
    if not token:
        return None
    known = _NAMES[scope["path"]]
    params: dict[str, str] = {}
    for name, value in parse_qsl(scope["query_string"].decode("latin-1"),
                                 keep_blank_values=True):
        if name in params or name not in known or not value:
            return None
        params[name] = value
    try:
        return ROUTES[scope["path"]][0].model_validate(params), token
    except ValidationError:
        return None  # FastAPI's error names the field
