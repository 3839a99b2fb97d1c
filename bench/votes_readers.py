"""Votes per second with anonymous Hot front-page readers running (issue 6's ≥ 3,000 votes/s).

    MOOT_DATABASE_URL=sqlite:////tmp/votes-s.db python bench/votes_readers.py --scale S \\
        [--seconds 10] [--voters 48] [--readers 4] [--processes 1] [--note ...]

Runs on a database seeded by ``moot bench seed`` (work on a copy: it switches the rate limits
off and adds votes). It logs in ``--voters`` seeded people, starts ``moot serve`` as a child
process and, from this process (uvloop, pre-encoded requests, so that the load generator
spends little), sends ``POST /api/v3/post/like`` (a random recent post, +1 or -1) on one
keep-alive connection per voter while ``--readers`` connections read
``GET /api/v3/post/list?type_=All&sort=Hot&limit=20``.

Reported: votes and reads per second (wall clock), the server's and the load generator's CPU
per second of wall clock, votes per server CPU-second, statuses, and the load average (the
machine is shared). Results go to
bench/results/<date>-<HHMM>-sqlite-<scale>-votes-readers-p<processes>v<voters>.json
(or -votes-alone-…).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import uvloop
from sqlalchemy import select, update

from moot.actions.people import do_login
from moot.bench.seed import BENCH_PASSWORD
from moot.bench.serving import cpu_seconds, serve
from moot.config import Settings
from moot.context import Context
from moot.db import tables as t
from moot.db.engine import Database, make_engine

HOST = "127.0.0.1"
FRONT = b"GET /api/v3/post/list?type_=All&sort=Hot&limit=20 HTTP/1.1\r\nHost: bench\r\n\r\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def prepare(url: str, voters: int) -> tuple[list[int], list[str]]:
    """Rate limits off; (recent post ids, one login token per voter)."""
    db = Database(make_engine(url, pool_size=2))
    try:
        with db.write() as conn:
            conn.execute(update(t.local_site_rate_limit).values(
                message=0, post=0, comment=0, register=0, search=0, image=0))
            posts = list(conn.execute(select(t.post.c.id).order_by(t.post.c.published.desc())
                                      .limit(2000)).scalars())
        ctx = Context(Settings(database_url=url), db)
        tokens = [do_login(ctx, f"user{n + 1}", BENCH_PASSWORD, ip=None, user_agent="bench")
                  for n in range(voters)]
    finally:
        db.dispose()
    return posts, tokens


def vote_requests(posts: list[int], token: str, count: int, rng: random.Random) -> list[bytes]:
    out = []
    for _ in range(count):
        body = json.dumps({"post_id": rng.choice(posts), "score": rng.choice((1, -1))}).encode()
        out.append(b"POST /api/v3/post/like HTTP/1.1\r\nHost: bench\r\n"
                   b"Content-Type: application/json\r\nAuthorization: Bearer "
                   + token.encode() + b"\r\nContent-Length: " + str(len(body)).encode()
                   + b"\r\n\r\n" + body)
    return out


async def _client(port: int, requests: list[bytes], deadline: float,
                  statuses: dict[int, int]) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    done = 0
    while time.perf_counter() < deadline:
        writer.write(requests[done % len(requests)])
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        start = head.lower().find(b"content-length:")
        length = int(head[start + 15:head.find(b"\r\n", start)]) if start >= 0 else 0
        await reader.readexactly(length)
        statuses[status] = statuses.get(status, 0) + 1
        done += 1
    writer.close()
    return done


async def load(port: int, votes: list[list[bytes]], readers: int,
               seconds: float) -> dict[str, object]:
    deadline = time.perf_counter() + seconds
    vote_statuses: dict[int, int] = {}
    read_statuses: dict[int, int] = {}
    counts = await asyncio.gather(
        *(_client(port, mine, deadline, vote_statuses) for mine in votes),
        *(_client(port, [FRONT], deadline, read_statuses) for _ in range(readers)))
    return {"votes": sum(counts[:len(votes)]), "reads": sum(counts[len(votes):]),
            "vote_statuses": vote_statuses, "read_statuses": read_statuses}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="S")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--voters", type=int, default=48)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--note", default="")
    args = parser.parse_args()
    url = os.environ["MOOT_DATABASE_URL"]
    posts, tokens = prepare(url, args.voters)
    rng = random.Random(6)
    votes = [vote_requests(posts, token, 2000, rng) for token in tokens]
    port = _free_port()
    proc = serve(HOST, port, args.processes, {"MOOT_DATABASE_URL": url})
    try:
        uvloop.run(load(port, votes[:4], 1, 1.0))  # warm-up: imports, statements, caches
        load_before = os.getloadavg()[0]
        cpu0, client0, start = cpu_seconds(proc.pid), time.process_time(), time.perf_counter()
        seen = uvloop.run(load(port, votes, args.readers, args.seconds))
        wall = time.perf_counter() - start
        cpu, client_cpu = cpu_seconds(proc.pid) - cpu0, time.process_time() - client0
    finally:
        proc.terminate()
        proc.wait(10)
    result = {
        "benchmark": "votes_with_readers", "database": "sqlite", "scale": args.scale,
        "date": date.today().isoformat(), "note": args.note,
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "seconds": round(wall, 1), "voters": args.voters, "readers": args.readers,
        "server_processes": args.processes,
        "votes_per_second": round(int(seen["votes"]) / wall),  # type: ignore[call-overload]
        "reads_per_second": round(int(seen["reads"]) / wall),  # type: ignore[call-overload]
        "votes_per_server_cpu_second": round(int(seen["votes"]) / cpu) if cpu else None,  # type: ignore[call-overload]
        "server_cpu_share": round(cpu / wall, 2),
        "load_generator_cpu_share": round(client_cpu / wall, 2),
        "vote_statuses": seen["vote_statuses"], "read_statuses": seen["read_statuses"],
        "target_votes_per_second": 3000,
    }
    print(json.dumps(result, indent=2))
    kind = "votes-readers" if args.readers else "votes-alone"
    stamp = time.strftime("%H%M", time.gmtime())  # several runs a day each keep their record
    out = Path(__file__).parent / "results" / \
        f"{result['date']}-{stamp}-sqlite-{args.scale}-{kind}-p{args.processes}v{args.voters}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
