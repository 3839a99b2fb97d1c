"""Logged-in Subscribed first pages in-process, as the read door serves them (the login check
and the listing), with the round trips each costs on PostgreSQL.

    MOOT_DATABASE_URL=postgresql://moot@127.0.0.1:55460/benchm python -m bench.request_reads \\
        [--calls 40] [--warm 10] [--statements]

Run it with ``-m`` from the checkout's root, so that it imports this checkout's ``moot``, on a database seeded by
``moot bench seed``, as bench_reader (100 followed communities). Per sort: the median wall
and thread-CPU milliseconds of ``ReadDoor._read``, and on PostgreSQL the round trips per call
(ReadyForQuery messages in a libpq trace of every pooled connection). ``--statements`` adds
each statement's median time (SQLAlchemy's cursor events, and on PostgreSQL prepared.run's
executions on psycopg's cursor; SQLite's prebuilt statements are not timed). Decision 0047,
bench/README.md "Branch pgreq".
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import tempfile
import time
from typing import Any

from sqlalchemy import event

from moot.actions.people import do_login
from moot.api.ratelimit import Buckets
from moot.api.read_door import ReadDoor
from moot.api.v3 import models as m
from moot.bench.seed import BENCH_PASSWORD
from moot.config import Settings
from moot.context import Context
from moot.db import prepared
from moot.db.engine import Database, make_engine
from moot.security import read_token

SORTS = ("Hot", "Active", "Scaled", "New", "TopDay")
PATH = "/api/v3/post/list"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--warm", type=int, default=10)
    parser.add_argument("--statements", action="store_true")
    args = parser.parse_args()
    url = os.environ["MOOT_DATABASE_URL"]
    with tempfile.NamedTemporaryFile("w+", suffix=".libpq-trace") as trace:
        return _measure(url, args, trace)


def _measure(url: str, args: argparse.Namespace, trace_file: Any) -> int:
    db = Database(make_engine(url))
    trace = None
    if not db.is_sqlite:
        trace = trace_file
        fileno = trace.fileno()
        event.listen(db.engine, "connect", lambda conn, _record: conn.pgconn.trace(fileno))
    ctx = Context(settings=Settings(database_url=url), db=db)
    token = do_login(ctx, "bench_reader", BENCH_PASSWORD, ip=None, user_agent=None)
    user_id = read_token(token, ctx.site().jwt_secret)
    assert user_id is not None
    door = ReadDoor(ctx, Buckets())
    times: dict[str, list[float]] = collections.defaultdict(list)
    if args.statements:
        def before(conn: Any, *_args: Any) -> None:
            conn.info["moot_started"] = time.perf_counter()

        def after(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            _note(times, statement, time.perf_counter() - conn.info["moot_started"])
        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)
        execute = prepared.pg_execute

        def timed(cursor: Any, statement: str, *rest: Any) -> None:
            # What prepared.run executes on psycopg's cursor passes no SQLAlchemy event.
            started = time.perf_counter()
            execute(cursor, statement, *rest)
            _note(times, statement, time.perf_counter() - started)
        prepared.pg_execute = timed  # type: ignore[assignment]
    try:
        for sort in SORTS:
            query = m.GetPosts.model_validate({"type_": "Subscribed", "sort": sort, "limit": "20"})
            for _ in range(args.warm):
                status, body = door._read(PATH, query, user_id, token)
                assert status == 200, body[:300]
            times.clear()
            start = _trips(trace)
            walls, cpus = [], []
            for _ in range(args.calls):
                _ORDER[0] = 0
                wall, cpu = time.perf_counter(), time.thread_time()
                door._read(PATH, query, user_id, token)
                cpus.append(time.thread_time() - cpu)
                walls.append(time.perf_counter() - wall)
            trips = "" if trace is None else \
                f"  round trips {(_trips(trace) - start) / args.calls:.1f}"
            print(f"Subscribed {sort:<7} wall p50 {statistics.median(walls) * 1e3:6.2f} ms  "
                  f"cpu p50 {statistics.median(cpus) * 1e3:5.2f} ms{trips}")
            for statement, spent in times.items():
                print(f"    {statistics.median(spent) * 1e3:6.2f} ms x{len(spent) / args.calls:.0f}"
                      f"  {statement}")
    finally:
        db.dispose()
    return 0


# The place of the statement being run in its call, so that a call's statements of one text
# (a listing's featured and ranked segments) are told apart.
_ORDER = [0]


def _note(times: dict[str, list[float]], statement: str, spent: float) -> None:
    _ORDER[0] += 1
    times[f"{_ORDER[0]}. {' '.join(statement.split())[:76]}"].append(spent)


def _trips(trace: Any) -> int:
    if trace is None:
        return 0
    trace.flush()
    trace.seek(0)
    return sum("ReadyForQuery" in line for line in trace)


if __name__ == "__main__":
    sys.exit(main())
