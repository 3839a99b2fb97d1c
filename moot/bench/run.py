"""``moot bench run``: serve a seeded database in a child process and measure it from this one.

For every case the same request is sent for ``--seconds`` on one connection (latency: nothing
queues in front of it) and then on ``--connections`` connections (throughput). Then readers
and writers run together for the votes/s and comments/s figures. Results go to
bench/results/<date>-<db>-<scale>.json and the tables of bench/README.md are rebuilt from
every result file (moot/bench/report.py).

The run changes the database it measures: it switches the per-IP rate limits off (all the load
comes from one address) and adds the votes and comments of the write phases.
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select, update

from moot.bench.load import Request, fetch, measure
from moot.bench.report import write_result
from moot.bench.seed import BENCH_PASSWORD
from moot.config import Settings
from moot.db import tables as t
from moot.db.engine import Database, make_engine

HOST = "127.0.0.1"
LISTING_SORTS = ("Hot", "Active", "Scaled", "New", "TopDay")
PAGE_LIMIT = 20
DEEP_PAGES = 25  # the deep page is the 26th: posts 501-520


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _prepare(settings: Settings) -> tuple[list[int], int]:
    """Rate limits off; (some post ids to write to, the post with the most comments)."""
    db = Database(make_engine(settings.database_url, pool_size=1))
    try:
        with db.write() as conn:
            conn.execute(update(t.local_site_rate_limit).values(
                message=0, post=0, comment=0, register=0, search=0, image=0))
            newest = conn.execute(select(t.post.c.id).order_by(t.post.c.published.desc())
                                  .limit(2000)).scalars().all()
            biggest = conn.execute(select(t.post.c.id).order_by(t.post.c.comments.desc())
                                   .limit(1)).scalar()
            total = conn.execute(select(func.count()).select_from(t.post)).scalar_one()
    finally:
        db.dispose()
    if biggest is None or total == 0:
        raise SystemExit("moot bench run: the database has no posts; run `moot bench seed` first")
    return list(newest), int(biggest)


def _start_server(settings: Settings, port: int) -> tuple[subprocess.Popen[bytes], float]:
    """The server process and its start-up time (spawn to the first 200 of /api/v3/site)."""
    env = {**os.environ, "MOOT_DATABASE_URL": settings.database_url, "MOOT_LOG_LEVEL": "warning"}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "moot.cli", "serve", "--host", HOST,
                             "--port", str(port)], env=env)
    while True:
        try:
            if asyncio.run(fetch(HOST, port, Request("GET", "/api/v3/site"))).status == 200:
                return proc, time.perf_counter() - start
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("moot bench run: the server exited") from None
            time.sleep(0.02)


def _memory_mb(pid: int) -> dict[str, float]:
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return {"rss_mb": values.get("VmRSS", 0.0), "peak_rss_mb": values.get("VmHWM", 0.0)}


class Runner:
    def __init__(self, port: int, seconds: float, connections: int) -> None:
        self.port, self.seconds, self.connections = port, seconds, connections

    async def call(self, request: Request) -> Any:
        response = await fetch(HOST, self.port, request)
        if response.status != 200:
            raise SystemExit(f"moot bench run: {request.method} {request.path} answered "
                             f"{response.status}: {response.body[:300]!r}")
        return response.json()

    async def login(self, name: str) -> str:
        body = {"username_or_email": name, "password": BENCH_PASSWORD}
        return str((await self.call(Request("POST", "/api/v3/user/login", body)))["jwt"])

    async def deep_cursor(self, path: str, token: str | None) -> tuple[str | None, int]:
        cursor, pages = None, 0
        for _ in range(DEEP_PAGES):
            page = await self.call(Request("GET", path + (f"&page_cursor={cursor}" if cursor
                                                          else ""), token=token))
            if not page.get("next_page"):
                break
            cursor, pages = page["next_page"], pages + 1
        return cursor, pages

    async def case(self, name: str, request: Request, **extra: Any) -> dict[str, Any]:
        await measure(HOST, self.port, lambda n, i: request, connections=1, seconds=0.3)
        one = await measure(HOST, self.port, lambda n, i: request, connections=1,
                            seconds=self.seconds)
        many = await measure(HOST, self.port, lambda n, i: request,
                             connections=self.connections, seconds=self.seconds)
        print(f"  {name:<44} p50 {one.summary()['server_p50_ms']} ms  "
              f"p99 {one.summary()['server_p99_ms']} ms  {many.summary()['per_second']} req/s",
              file=sys.stderr)
        return {"name": name, "path": request.path, "authenticated": request.token is not None,
                "one_connection": one.summary(), "concurrent": many.summary(), **extra}

    async def listings(self, reader: str) -> list[dict[str, Any]]:
        cases = []
        for listing in ("All", "Subscribed"):
            token = reader if listing == "Subscribed" else None
            for sort in LISTING_SORTS:
                path = "/api/v3/post/list?" + urlencode(
                    {"type_": listing, "sort": sort, "limit": PAGE_LIMIT})
                cases.append(await self.case(f"post/list {listing} {sort} first page",
                                             Request("GET", path, token=token)))
                cursor, pages = await self.deep_cursor(path, token)
                if cursor:
                    cases.append(await self.case(
                        f"post/list {listing} {sort} page {pages + 1}",
                        Request("GET", f"{path}&page_cursor={cursor}", token=token),
                        page=pages + 1))
        return cases

    async def mixed(self, name: str, make: Any) -> dict[str, Any]:
        """Writers and anonymous Hot front-page readers at the same time."""
        half = max(1, self.connections // 2)
        front = Request("GET", f"/api/v3/post/list?type_=All&sort=Hot&limit={PAGE_LIMIT}")
        readers, writers = await asyncio.gather(
            measure(HOST, self.port, lambda n, i: front, connections=half, seconds=self.seconds),
            measure(HOST, self.port, make, connections=half, seconds=self.seconds))
        print(f"  {name:<44} {writers.summary()['per_second']} writes/s with readers at "
              f"{readers.summary()['per_second']} req/s", file=sys.stderr)
        return {"name": name, "writers": writers.summary(), "readers": readers.summary()}


async def _measure(port: int, seconds: float, connections: int, post_ids: list[int],
                   biggest: int) -> dict[str, Any]:
    runner = Runner(port, seconds, connections)
    reader = await runner.login("bench_reader")
    writers = [await runner.login(f"user{n + 1}") for n in range(max(1, connections // 2))]
    rng = random.Random(1)
    cases = await runner.listings(reader)
    tree = "/api/v3/comment/list?" + urlencode(
        {"post_id": biggest, "max_depth": 8, "limit": 300, "type_": "All", "sort": "Hot"})
    size = len((await runner.call(Request("GET", tree)))["comments"])
    cases.append(await runner.case("comment/list biggest thread, max_depth 8",
                                   Request("GET", tree), comments_returned=size))
    # Logged in, the page cache does not answer: this is the tree actually built.
    cases.append(await runner.case("comment/list biggest thread, max_depth 8 (logged in)",
                                   Request("GET", tree, token=reader), comments_returned=size))
    cases.append(await runner.case("post (the biggest thread)",
                                   Request("GET", f"/api/v3/post?id={biggest}")))
    # The web interface's thread page of the same post (HTML; its comments paged as the API's).
    cases.append(await runner.case("web thread page (the biggest thread)",
                                   Request("GET", f"/post/{biggest}")))
    cases.append(await runner.case("web thread page (the biggest thread, logged in)",
                                   Request("GET", f"/post/{biggest}", cookie=reader)))

    def vote(n: int, i: int) -> Request:
        return Request("POST", "/api/v3/post/like", {"post_id": rng.choice(post_ids),
                                                     "score": rng.choice((1, -1))}, writers[n])

    def comment(n: int, i: int) -> Request:
        return Request("POST", "/api/v3/comment", {"post_id": rng.choice(post_ids),
                                                   "content": f"Bench comment {n}-{i}"}, writers[n])

    writes = [await runner.mixed("votes (post/like) with readers", vote),
              await runner.mixed("comments with readers", comment)]
    return {"cases": cases, "writes": writes}


def run_benchmark(settings: Settings, *, scale: str, seconds: float, connections: int,
                  note: str) -> int:
    post_ids, biggest = _prepare(settings)
    port = _free_port()
    proc, startup = _start_server(settings, port)
    try:
        idle = _memory_mb(proc.pid)["rss_mb"]  # started, one GET /site answered
        measured = asyncio.run(_measure(port, seconds, connections, post_ids, biggest))
        memory: dict[str, Any] = {**_memory_mb(proc.pid), "idle_rss_mb": idle}
        # `moot serve`'s other process: the vote writer (decision 0048), each process <= 150 MB
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        memory["other_processes_rss_mb"] = [_memory_mb(int(pid))["rss_mb"] for pid in children]
    finally:
        proc.terminate()
        proc.wait()
    dialect = "sqlite" if settings.is_sqlite else "postgresql"
    result = {
        "benchmark": "scale", "database": dialect, "scale": scale,
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": f"{os.cpu_count()} cores, {platform.platform()}, Python "
                   f"{platform.python_version()}", "note": note,
        "seconds_per_measurement": seconds, "connections": connections,
        "startup_s": round(startup, 2), "server_memory": memory, **measured}
    path = write_result(result, Path("bench"))
    print(f"wrote {path}", file=sys.stderr)
    return 0
