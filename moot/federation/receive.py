"""The inbox door: verify a delivered activity and store it for the worker (DESIGN.md decision 3).

Checks, as Lemmy makes them (federation.md §3.1, §3.6): a JSON object with id, type and actor;
id and actor on the same host, neither on ours; a draft-cavage signature by the actor's key over
the Digest of the body, signed within the hour. A key that does not verify is refetched once
(the actor may have rotated it). Then the raw body is stored, unique on its id.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.federation.actors import BadActor, is_local_url, key_is_cached
from moot.federation.actors import public_key as _public_key
from moot.federation.http import FetchError
from moot.federation.inbox_store import InboxWriter
from moot.federation.policy import refusal
from moot.federation.signatures import (
    SignatureError,
    key_owner,
    parse_signature,
    verify_request,
)

MAX_ACTIVITY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Refused(Exception):
    status: int
    reason: str


def _id_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def parse_activity(body: bytes) -> dict[str, Any]:
    if len(body) > MAX_ACTIVITY_BYTES:
        raise Refused(413, "activity is over 1 MiB")
    try:
        activity = json.loads(body)
    except ValueError as exc:
        raise Refused(400, "body is not JSON") from exc
    if not isinstance(activity, dict):
        raise Refused(400, "activity is not a JSON object")
    for key in ("id", "type"):
        if not isinstance(activity.get(key), str):
            raise Refused(400, f"activity lacks {key}")
    if _id_of(activity.get("actor")) is None:
        raise Refused(400, "activity lacks actor")
    return activity


class NeedsLookup(Exception):
    """Verifying needs the database or the network: not a job for the event loop."""


def verify(ctx: Context, method: str, url: str, headers: Mapping[str, str], body: bytes,
           activity: dict[str, Any], *, cached_only: bool = False) -> str:
    """The verified actor id of ``activity``, or Refused (401 for signature problems).

    ``cached_only``: raise NeedsLookup rather than read the actor's key from the database or
    its server (the event loop verifies with keys it holds; a thread does the rest).
    """
    actor_id = str(_id_of(activity["actor"]))
    parts_id, parts_actor = urlsplit(activity["id"]), urlsplit(actor_id)
    if parts_id.netloc.lower() != parts_actor.netloc.lower():
        raise Refused(400, "activity id and actor are on different hosts")
    if is_local_url(ctx, actor_id):
        raise Refused(400, "activity claims a local actor")
    refused = refusal(ctx, actor_id)
    if refused is not None:
        raise Refused(403, refused)
    if "signature" not in headers:
        raise Refused(401, "request is not signed")
    try:
        parsed = parse_signature(headers["signature"])
    except SignatureError as exc:
        raise Refused(401, str(exc)) from exc
    if key_owner(parsed.key_id) != actor_id:
        raise Refused(401, "request is not signed by the activity's actor")
    for refresh in (False, True):
        if cached_only and (refresh or not key_is_cached(ctx, actor_id)):
            raise NeedsLookup
        try:
            verify_request(method, url, headers, body, _public_key(ctx, actor_id, refresh),
                           parsed)
            return actor_id
        except SignatureError as exc:
            if refresh or exc.args[0] != "signature does not verify":
                raise Refused(401, str(exc)) from exc
        except (FetchError, BadActor) as exc:
            raise Refused(401 if not refresh else 400, f"cannot get the actor's key: {exc}") \
                from exc
    raise AssertionError("unreachable")


_writer_lock = threading.Lock()


def _writer(ctx: Context) -> InboxWriter:
    if ctx.inbox_writer is None:
        with _writer_lock:
            if ctx.inbox_writer is None:
                ctx.inbox_writer = InboxWriter(ctx.db)
    return ctx.inbox_writer  # type: ignore[no-any-return]


def _row(activity: dict[str, Any], body: bytes, actor_id: str) -> tuple[dict[str, Any], str]:
    """The inbox row of a verified activity, and its sender's domain."""
    now = utcnow()
    row = {"activity_id": activity["id"], "actor": actor_id, "body": _text(body, activity),
           "state": "queued", "attempts": 0, "next_attempt": now, "published": now}
    return row, urlsplit(actor_id).netloc.lower()


def _text(body: bytes, activity: dict[str, Any]) -> str:
    # The body as sent (it parsed as JSON); re-encoded only if it is not UTF-8.
    try:
        return body.decode()
    except UnicodeDecodeError:
        return json.dumps(activity)


def verified(ctx: Context, url: str, headers: Mapping[str, str],
             body: bytes, *, cached_only: bool = False) -> tuple[dict[str, Any], str]:
    """The activity and the actor whose signature it carries; raises Refused."""
    activity = parse_activity(body)
    return activity, verify(ctx, "POST", url, headers, body, activity, cached_only=cached_only)


async def receive_async(ctx: Context, pool: Executor, url: str, headers: Mapping[str, str],
                        body: bytes) -> tuple[int, str]:
    """Everything the inbox door does: (status, reason). A sender whose key is in memory is
    checked right here (a hop to a thread cost more than the check); one whose key must be
    read or fetched, on ``pool``. The wait for the commit holds no thread."""
    try:
        try:
            activity, actor_id = verified(ctx, url, headers, body, cached_only=True)
        except NeedsLookup:
            activity, actor_id = await asyncio.get_running_loop().run_in_executor(
                pool, verified, ctx, url, headers, body)
    except Refused as refused:
        return refused.status, refused.reason
    if not await _writer(ctx).store_async(*_row(activity, body, actor_id)):
        return 200, "already received"
    return 202, "accepted"


def was_received(ctx: Context, activity_id: str) -> bool:
    with ctx.db.read() as conn:
        return conn.execute(select(t.ap_inbox.c.id).where(
            t.ap_inbox.c.activity_id == activity_id)).first() is not None
