"""Stored answers to anonymous reads, dropped the moment anything is committed.

A bare ASGI layer inside ServerTiming, CORS and the rate limits (hits count, as any API call):
a hit skips the crash guard, content negotiation, routing and the handler. Whether a stored answer is still true is asked of the
database itself through a change probe that also sees commits of other processes (`moot worker`):

- SQLite: ``PRAGMA data_version`` on one connection of our own that never writes; its value
  changes whenever any other connection, in any process, commits.
- PostgreSQL: ``pg_current_wal_insert_lsn()``; every committing write transaction moves it.

An answer is stored under the probe value read *before* it was built, so a commit that lands
while it is being built leaves it stale-marked for the next request. See
docs/decisions/0026-anonymous-page-cache.md.

Single flight (decision 0038): when many readers miss the same key at once (every commit empties
the cache), one request builds the answer and the others that read the *same* probe value wait
for it and are then served from the store, as a hit would serve them. A request that read a
newer value does not wait for a build that started before it: it builds its own.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from moot.db.engine import Database

CACHEABLE = re.compile(
    r"^(?:/api/v3/(?:post/list|post|comment/list|community|community/list|site)"
    r"|/|/c/[^/]+|/post/\d+)$")
# Hot, Active and Scaled ranks decay with the clock (decisions/0002): no answer lives longer
# than this even when nothing is written. Lemmy's own ranks are up to ten minutes old.
MAX_AGE_S = 30.0
MAX_ENTRY_BYTES = 1024 * 1024
# Request headers the answer may depend on: API JSON vs ActivityPub vs HTML, and a web page's
# csrf token, which is bound to the browser's csrf cookie; CORS headers appear only when the
# request names an Origin.
_KEY_HEADERS = (b"accept", b"accept-language", b"cookie", b"host", b"origin")


class ChangeProbe:
    """A value that differs after every commit to the database, from any process."""

    def __init__(self, db: Database) -> None:
        self._lock = threading.Lock()
        self._sqlite = db.is_sqlite
        self._url = db.engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False)
        self._path = db.engine.url.database or ""
        self._conn: Any = None
        db.on_dispose.append(self.close)

    @property
    def blocking(self) -> bool:
        """True when a probe is a network round trip (kept off the event loop)."""
        return not self._sqlite

    def version(self) -> object | None:
        """None when the probe fails: then nothing is served from the cache."""
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._connect()
                row = self._conn.execute(
                    "PRAGMA data_version" if self._sqlite
                    else "SELECT pg_current_wal_insert_lsn()").fetchone()
                return row[0]
            except Exception:  # noqa: BLE001 - a broken probe costs the cache, never the request
                self._close()
                return None

    def _connect(self) -> Any:
        if self._sqlite:
            return sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        import psycopg

        return psycopg.connect(self._url, autocommit=True)

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001, S110 - already broken
                pass


@dataclass(frozen=True)
class Entry:
    version: object
    stored_at: float
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class PageStore:
    """A byte-capped LRU of answers, with hit and miss counts (tests and the bench read them)."""

    def __init__(self, probe: ChangeProbe | None, max_bytes: int) -> None:
        self.probe = probe
        self.max_bytes = max_bytes
        self.hits = self.misses = 0
        self.builds = self.waits = 0  # answers built by a miss; misses that waited for one
        self._entries: OrderedDict[tuple[bytes, ...], Entry] = OrderedDict()
        self._bytes = 0
        self._version: object = None  # the probe value of the answers last stored
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def stored_bytes(self) -> int:
        return self._bytes

    @property
    def enabled(self) -> bool:
        return self.probe is not None and self.max_bytes > 0

    def get(self, key: tuple[bytes, ...], version: object) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.version != version \
                    or time.monotonic() - entry.stored_at > MAX_AGE_S:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: tuple[bytes, ...], entry: Entry) -> None:
        size = len(entry.body) + sum(len(k) for k in key)
        if size > min(MAX_ENTRY_BYTES, self.max_bytes):
            return
        with self._lock:
            if entry.version != self._version:
                self._drop_other_versions(entry.version)
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body) + sum(len(k) for k in key)
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                dropped_key, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body) + sum(len(k) for k in dropped_key)

    def _drop_other_versions(self, version: object) -> None:
        # Answers stored before the last commit are never served again; without this they
        # stayed until the byte cap pushed them out, up to MOOT_PAGE_CACHE_MB of dead memory on
        # a server with steady writes (docs/decisions/0039). An answer that was built across a
        # commit and stored late may drop newer ones: only a miss more.
        self._version = version
        for key in [k for k, e in self._entries.items() if e.version != version]:
            dropped = self._entries.pop(key)
            self._bytes -= len(dropped.body) + sum(len(k) for k in key)


def cache_key(scope: Scope) -> tuple[bytes, ...] | None:
    """The request's key, or None when it is not an anonymous read we store."""
    if scope["type"] != "http" or scope["method"] != "GET" \
            or CACHEABLE.match(scope["path"]) is None:
        return None
    wanted: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name == b"authorization":
            return None
        if name in _KEY_HEADERS:
            wanted[name] = wanted.get(name, b"") + b"," + value
    if b"jwt=" in wanted.get(b"cookie", b""):
        return None  # a logged-in browser (api/v3/deps.py AUTH_COOKIE)
    return (scope["path"].encode(), scope["query_string"],
            *(wanted.get(name, b"") for name in _KEY_HEADERS))


@dataclass
class _Flight:
    """An answer being built: the probe value it is for, and who waits for it."""

    version: object
    loop: asyncio.AbstractEventLoop
    done: asyncio.Future[Entry | None]  # the answer built, if it may be stored


class PageCache:
    def __init__(self, app: ASGIApp, store: PageStore) -> None:
        self.app = app
        self.store = store
        self._flights: dict[tuple[bytes, ...], _Flight] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = cache_key(scope) if self.store.enabled else None
        probe = self.store.probe
        if key is None or probe is None:
            await self.app(scope, receive, send)
            return
        version = await run_in_threadpool(probe.version) if probe.blocking else probe.version()
        if version is None:
            await self.app(scope, receive, send)
            return
        entry = self.store.get(key, version)
        if entry is None:
            entry = await self._wait_for_build(key, version)
        if entry is not None:
            await send({"type": "http.response.start", "status": entry.status,
                        "headers": list(entry.headers)})
            await send({"type": "http.response.body", "body": entry.body})
            return
        flight = _Flight(version, asyncio.get_running_loop(),
                         asyncio.get_running_loop().create_future())
        self._flights[key] = flight
        entry = None
        try:
            self.store.builds += 1
            entry = await self._fill(scope, receive, send, version)
            # A build superseded by one for a newer probe value must not overwrite its answer.
            if entry is not None and self._flights.get(key) is flight:
                self.store.put(key, entry)
        finally:
            if self._flights.get(key) is flight:
                del self._flights[key]
            flight.done.set_result(entry)

    async def _wait_for_build(self, key: tuple[bytes, ...], version: object) -> Entry | None:
        """The answer of a build of this key for this very probe value, once it is done; None
        when there is no such build or its answer is for its own request only (an error, a
        cookie): then the waiter builds its own."""
        flight = self._flights.get(key)
        if flight is None or flight.version != version \
                or flight.loop is not asyncio.get_running_loop():
            return None
        self.store.waits += 1
        # shield: a waiter that goes away must not cancel the build it waits for
        return await asyncio.shield(flight.done)

    async def _fill(self, scope: Scope, receive: Receive, send: Send,
                    version: object) -> Entry | None:
        """Answer the request; the answer to store, if it may be stored."""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(status=message["status"], headers=list(message.get("headers", [])))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        headers = start.get("headers", [])
        if start.get("status") != 200 or any(name == b"set-cookie" for name, _ in headers):
            return None  # errors and answers that hand out a cookie are for this request only
        return Entry(version, time.monotonic(), 200, headers, b"".join(chunks))
