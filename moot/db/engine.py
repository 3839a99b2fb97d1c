"""Engines and transactions for SQLite (default) and PostgreSQL.

Actions write inside ``db.write()``; views read inside ``db.read()``. On SQLite a write
transaction starts with ``BEGIN IMMEDIATE`` so that two writers queue on the lock instead of
failing half-way through with "database is locked".
"""

from __future__ import annotations

import fcntl
import math
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, InvalidatePoolError

from moot.ranking import hot_rank_micros

T = TypeVar("T")


def normalise_url(url: str) -> str:
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


# Page cache per SQLite connection (negative: KiB). Every pooled connection keeps its own, so
# 64 MB each made a busy server reach 258 MB at scale S; the OS caches the file for all of them,
# and a page SQLite must read again comes from there. 8 MB each: 166 MB after the bench's load;
# 2 MB: 147 MB (bench/README.md, "Memory"). 1 MB since branch tree8: at scale L SQLite held
# 25 MB with 2 MB each and 18.5 MB with 1 MB after the bench's load, with no speed cost that
# could be told from the machine's noise (bench/README.md, "Branch tree8", decision 0041).
SQLITE_CACHE_KIB = -1024
# Pages of write-ahead log after which a commit copies them back into the database file
# (SQLite's default is 1,000). A checkpoint copies each page once however many commits wrote
# it, and syncs the file: at 8,000 (about 32 MB of log) the committing writer pays for it an
# eighth as often, and the pages votes keep rewriting (the newest posts', their indexes') are
# copied once where they were copied eight times. Scale L, bench/vote_cpu.py: 0.38 -> 0.27 ms
# of writer CPU a vote, 2,000-2,500 -> 3,150-3,900 votes/s (decision 0044).
WAL_AUTOCHECKPOINT_PAGES = 8000


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                   "busy_timeout=10000", f"cache_size={SQLITE_CACHE_KIB}", "temp_store=MEMORY",
                   f"wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()
    dbapi_connection.create_function("moot_hot_rank", 3, hot_rank_micros, deterministic=True)
    if not _has_math_functions(dbapi_connection):
        # SQLite builds without SQLITE_ENABLE_MATH_FUNCTIONS lack log10 and pow (the hot
        # ranks, moot/ranking.py): the same functions in Python, slower but the same.
        dbapi_connection.create_function("log10", 1, _log10, deterministic=True)
        dbapi_connection.create_function("pow", 2, _pow, deterministic=True)


def _has_math_functions(dbapi_connection: sqlite3.Connection) -> bool:
    try:
        dbapi_connection.execute("SELECT log10(10)").fetchone()
        return True
    except sqlite3.OperationalError:
        return False


def _log10(value: float | None) -> float | None:
    return math.log10(value) if value is not None and value > 0 else None


def _pow(base: float | None, exponent: float | None) -> float | None:
    if base is None or exponent is None:
        return None
    try:
        return math.pow(base, exponent)
    except (ValueError, OverflowError):
        return None


def _sqlite_on_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get("moot_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str, *, pool_size: int = 10, parallel: bool = False) -> Engine:
    """``parallel``: let PostgreSQL plan parallel workers (bulk work: the seed, its counts)."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        if url in ("sqlite://", "sqlite:///:memory:"):
            raise ValueError("Moot needs a SQLite file, not an in-memory database")
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10},
                               pool_size=pool_size, max_overflow=pool_size * 2,
                               pool_use_lifo=True)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    # Last in, first out: a server that is not busy keeps using the same few connections, whose
    # statements psycopg has prepared (after five runs on a connection) and PostgreSQL planned;
    # handed out in turn, eight connections each saw every eighth request, mostly unprepared.
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size * 2,
                           pool_use_lifo=True,
                           connect_args={} if parallel else _without_parallel_workers(url))
    event.listen(engine, "do_execute", _pg_do_execute)
    event.listen(engine.pool, "checkout", _pg_ping(engine))
    return engine


def _without_parallel_workers(url: str) -> dict[str, Any]:
    """No parallel workers for a request's statements: each reads a page of rows through an
    index, and a parallel plan only adds its workers' start. At scale L PostgreSQL's generic
    plan of the Subscribed New page turned parallel when the community table's statistics
    moved (an autoanalyze), 0.2 ms became 9 ms, two thirds of it starting the workers.
    Decision 0056. The URL's own ``options`` are kept, before this one."""
    given = make_url(url).query.get("options")
    given = " ".join(given) if isinstance(given, tuple) else given
    setting = "-c max_parallel_workers_per_gather=0"
    return {"options": f"{given} {setting}" if given else setting}


# Set while a thread checks out the connection of Database.one_read, which recovers from a
# dropped connection by running its reads again and so needs no ping first.
_checkout = threading.local()


def _pg_ping(engine: Engine) -> Callable[[Any, Any, Any], None]:
    """SQLAlchemy's pre-ping (an empty statement, one round trip), asked on each checkout
    except one_read's: a connection the server dropped is replaced, and the pool's other
    connections with it, before a transaction starts on it."""
    dialect = engine.dialect

    def ping(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if getattr(_checkout, "unpinged", False):
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, dbapi_connection, None):
                raise InvalidatePoolError() from exc
            raise
    return ping


def _pg_do_execute(cursor: Any, statement: str, parameters: Any, context: Any) -> bool | None:
    """SQLAlchemy's execution of a statement on PostgreSQL, through ``pg_execute`` when its
    execution options ask for something of their own."""
    if context is None:
        return None
    options = context.execution_options
    if not options.get("moot_plan"):
        return None
    pg_execute(cursor, statement, parameters, options)
    return True


def pg_execute(cursor: Any, statement: str, parameters: Any, options: Mapping[str, Any]) -> None:
    """Run a statement on a psycopg cursor as its execution options say.

    ``GENERIC_PLAN`` / ``CUSTOM_PLAN``: prepared, with ``plan_cache_mode`` set for it alone,
    in one round trip (decision 0050). Otherwise as psycopg does by default: it prepares a
    statement on the server after its fifth run on a connection, and PostgreSQL then keeps a
    generic plan, made without the parameters' values, if it costs no more. (The views' flag
    lookups were once run unprepared, decision 0047; 0052 made their plan safe to keep.)"""
    mode = options.get("moot_plan")
    if mode is None:
        cursor.execute(statement, parameters)
        return
    conn = cursor.connection
    with conn.pipeline():
        conn.execute(_PLAN_MODES[mode])
        cursor.execute(statement, parameters, prepare=True)
        conn.execute(_PLAN_MODES["auto"])


GENERIC_PLAN = {"moot_plan": "generic"}
CUSTOM_PLAN = {"moot_plan": "custom"}
_PLAN_MODES = {name: f"SET plan_cache_mode = {mode}".encode() for name, mode in (
    ("generic", "force_generic_plan"), ("custom", "force_custom_plan"), ("auto", "auto"))}


class Database:
    """The engine plus the two ways in: a read transaction and a write transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._writer = engine.execution_options(moot_write=True)
        # SQLite's own wait for the write lock polls with sleeps of up to 100 ms, so writers
        # queued on it wait far longer than the transaction ahead of them takes. Threads of one
        # process queue on this lock instead, in order, and processes on a file lock beside the
        # database (`moot serve --processes`, `moot worker`), which hands over at once.
        self._write_turn = threading.RLock() if self.is_sqlite else None
        self._file_lock = _FileLock(engine.url.database) if self.is_sqlite else None
        # Connections kept outside the pool (api/page_cache.py's change probe) close with it.
        self.on_dispose: list[Callable[[], None]] = []
        self._held = threading.local()  # one_read's connection, per thread

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Connection]:
        held = getattr(self._held, "conn", None)
        if held is not None:
            yield held  # inside one_read: its connection, no transaction of its own
            return
        with self.engine.begin() as conn:
            yield conn

    def one_read(self, work: Callable[[], T]) -> T:
        """``work()``, its ``read()`` blocks on one connection without a transaction (on
        PostgreSQL; SQLite's reads are left as they are).

        A logged-in listing reads the login, then the listing: two transactions, each a pool
        ping, ``BEGIN`` and ``COMMIT`` besides its statements: six of its 13 round trips.
        At PostgreSQL's READ COMMITTED every statement of a transaction takes its own snapshot
        anyway, so autocommit reads see what the transactions saw. No ping either: if the
        server dropped the connection, the pool is invalidated (SQLAlchemy does that on any
        disconnect) and ``work`` runs once more on a fresh connection, which is why ``work``
        may only read before it writes (``db.write()`` blocks use connections of their own).
        See docs/decisions/0047."""
        if self.is_sqlite or getattr(self._held, "conn", None) is not None:
            return work()
        try:
            return self._on_one_connection(work)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
        return self._on_one_connection(work)

    def _on_one_connection(self, work: Callable[[], T]) -> T:
        _checkout.unpinged = True
        try:
            conn = self.engine.connect()
        finally:
            _checkout.unpinged = False
        with conn:
            self._held.conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            try:
                return work()
            finally:
                self._held.conn = None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        if self._write_turn is None:
            with self._writer.begin() as conn:
                yield conn
            return
        assert self._file_lock is not None
        with self._write_turn, self._file_lock, self._writer.begin() as conn:
            yield conn

    def dispose(self) -> None:
        for close in self.on_dispose:
            close()
        if self._file_lock is not None:
            self._file_lock.close()
        self.engine.dispose()


class _FileLock:
    """An exclusive ``flock`` on ``<database>.write-lock``, held by one thread at a time.

    The caller already holds the process's thread lock, so only nesting needs counting. flock
    belongs to an open file, which a forked child shares with its parent: each process opens
    its own. Where the file cannot be made (a read-only folder), SQLite's lock still rules.
    """

    def __init__(self, database: str | None) -> None:
        self._path = f"{database}.write-lock" if database else None
        self._fd: int | None = None
        self._pid = 0
        self._depth = 0

    def __enter__(self) -> None:
        self._depth += 1
        if self._depth == 1 and (fd := self._open()) is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)

    def __exit__(self, *_exc: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _open(self) -> int | None:
        if self._pid != os.getpid():
            self._fd, self._pid = None, os.getpid()  # the parent's file stays the parent's
            if self._path is not None:
                try:
                    self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                except OSError:
                    self._path = None
        return self._fd

    def close(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
        self._fd, self._pid = None, 0
