"""``POST /api/v3/post/like`` and ``POST /api/v3/comment/like`` as a bare ASGI door.

Votes are the most frequent writes an instance gets. Like the inbox door
(federation/inbox_door.py), this one is asked before FastAPI's stack: it reads the JSON body
itself, applies the per-IP rate limit from the same buckets as RateLimitMiddleware, and hands
the vote to the group-commit writer (actions/vote_batch.py), which checks the login in the
database and answers what the FastAPI routes answer: the same JSON, error names and statuses,
and the headers CORSMiddleware and ServerTiming add. A request it does not fully understand (a
cookie login, another content type, a body the API's models would read differently) goes to
FastAPI unchanged, body included. See docs/decisions/0033-vote-door-and-group-commit.md.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.types import Message, Receive, Scope, Send

from moot.actions.vote_batch import CRASH, Vote, VoteWriter
from moot.actions.vote_process import RemoteVoteWriter
from moot.api.door_answer import send_answer
from moot.api.json import check_shape
from moot.api.ratelimit import Buckets, client_ip
from moot.api.v3 import models as m
from moot.api.v3.deps import Api
from moot.context import Context
from moot.errors import IncorrectLogin
from moot.security import read_token

# path -> (kind, the body's id field, the answer's model)
ROUTES: dict[str, tuple[str, str, Any]] = {
    "/api/v3/post/like": ("post", "post_id", m.PostResponse),
    "/api/v3/comment/like": ("comment", "comment_id", m.CommentResponse),
}
MAX_BODY = 64 * 1024  # a vote is ~30 bytes; anything longer is FastAPI's to refuse
_INT32 = (-(2**31), 2**31 - 1)
_TOKENS = 4096  # login tokens whose signature was checked (see _user_id)
log = logging.getLogger(__name__)
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def is_vote(scope: Scope) -> bool:
    return scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in ROUTES


class VoteDoor:
    def __init__(self, ctx: Context, buckets: Buckets,
                 writer_socket: socket.socket | None = None) -> None:
        self.ctx = ctx
        self.buckets = buckets
        # This process's socket to the vote writer process (`moot serve`,
        # actions/vote_process.py); None writes votes on a thread of this process, as from
        # the moment that process has gone.
        self.writer_socket = writer_socket
        self.writer: VoteWriter | RemoteVoteWriter | None = None  # started by the first vote
        # token -> (secret, user id): decoding a JWT costs more than the rest of the door.
        # Only the signature check is remembered; whether the login is still live is asked
        # of the database with every vote.
        self._checked: dict[str, tuple[str, int | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send, fallback: App) -> None:
        start = time.perf_counter()
        messages, body = await _read_body(receive)
        parsed = None if body is None else _parse(scope, body)
        if parsed is None:
            await fallback(scope, _replay(messages, receive), send)
            return
        try:
            status, answer = await self._vote(scope, *parsed)
        except Exception:
            # Outside the API's crash guard: its JSON 500 and one logged trace.
            log.exception("unhandled error on POST %s", scope["path"])
            status, answer = CRASH
        await send_answer(scope, send, start, status, orjson.dumps(answer))

    async def _vote(self, scope: Scope, kind: str, target: int, score: int,
                    token: str | None) -> tuple[int, dict[str, Any]]:
        """The middlewares' and the route's refusals in their order, then the vote."""
        limits = self.ctx.site().rate_limit
        if not self.buckets.take("message", client_ip(scope), limits["message"],
                                 limits["message_per_second"]):
            return 400, {"error": "rate_limit_error"}
        user_id = None if token is None else self._user_id(token)
        if token is None or user_id is None:
            return 401, IncorrectLogin().body()
        return await self._submit(kind, target, score, user_id, token)

    async def _submit(self, kind: str, target: int, score: int, user_id: int,
                      token: str) -> tuple[int, dict[str, Any]]:
        if self.writer is None or (isinstance(self.writer, RemoteVoteWriter)
                                   and self.writer.broken):
            self.writer = self._start_writer()
        vote = Vote(kind, target, score, user_id, token,
                    asyncio.get_running_loop().create_future())
        status, answer = await self.writer.submit(vote)
        if Api.validate and status == 200:
            check_shape(ROUTES[f"/api/v3/{kind}/like"][2], answer)
        return status, answer

    def _start_writer(self) -> VoteWriter | RemoteVoteWriter:
        if self.writer_socket is not None and self.writer is None:
            writer = RemoteVoteWriter(self.ctx, self.writer_socket)
            self.ctx.db.on_dispose.append(writer.stop)
            return writer
        self.writer_socket = None  # that process has gone: write here from now on
        return VoteWriter(self.ctx)

    def _user_id(self, token: str) -> int | None:
        secret = self.ctx.site().jwt_secret
        known = self._checked.get(token)
        if known is not None and known[0] == secret:
            return known[1]
        user_id = read_token(token, secret)
        if len(self._checked) >= _TOKENS:
            self._checked.clear()
        self._checked[token] = (secret, user_id)
        return user_id


def _parse(scope: Scope, body: bytes) -> tuple[str, int, int, str | None] | None:
    """(kind, target id, score, bearer token) of a vote read exactly as the route would read
    it, or None to leave the request to FastAPI."""
    kind, id_field, _model = ROUTES[scope["path"]]
    headers: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name in headers:
            return None  # a repeated header: Starlette's reading rules, not ours
        headers[name] = value
    content_type = headers.get(b"content-type")
    if content_type is not None and \
            content_type.split(b";")[0].strip().lower() != b"application/json":
        return None
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    target, score = data.get(id_field), data.get("score")
    if not (isinstance(target, int) and isinstance(score, int)
            and _is_int32(target) and _is_int32(score)):
        return None  # pydantic's lax reading ("5", 5.0) or its refusal: FastAPI's
    auth = headers.get(b"authorization", b"").decode("latin-1")
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
    if not token and b"cookie" in headers:
        return None  # a browser's login cookie, with its cross-site rule (api/v3/deps.py)
    return kind, target, score, token or None


def _is_int32(value: Any) -> bool:
    return type(value) is int and _INT32[0] <= value <= _INT32[1]


async def _read_body(receive: Receive) -> tuple[list[Message], bytes | None]:
    """The messages read, and the body (None when it is too long or the client left)."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        size += len(message.get("body", b""))
        if size > MAX_BODY:
            return messages, None
        if not message.get("more_body", False):
            return messages, b"".join(m.get("body", b"") for m in messages)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive that gives back what the door already read, then the rest."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
