"""Outbound federation: one activity delivered to 1,000 follower instances of a local sink.

    python bench/federation_delivery.py [--instances 1000]

Builds a fresh SQLite database with one community followed by one remote person on each of
``--instances`` instances. Each instance is its own loopback address (127.0.x.y), so each gets
its own delivery cursor, signature and request, as on the real network. A sink in a child
process answers every address on one port with 202 and counts the POSTs. Then a post is
created and the in-process delivery worker (``delivery.run_once``, the code `moot worker` runs)
sends its Announce. Measured: the time from the post to the last delivery the sink saw.

Target (issue 5): ≤ 5 s for 1,000 inboxes. Results: bench/results/<date>-sqlite-federation-delivery.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from moot.actions.communities import CommunityForm, do_create_community
from moot.actions.people import do_login
from moot.actions.posts import PostForm, do_create_post
from moot.actions.remote import RemoteActor, do_upsert_remote_actor
from moot.actions.site import do_bootstrap
from moot.config import Settings
from moot.context import Context
from moot.db import tables as t
from moot.db.engine import Database, make_engine
from moot.db.migrate import upgrade
from moot.db.types import utcnow
from moot.federation import delivery
from moot.federation.keys import generate_keypair
from moot.security import read_token
from moot.views.people import load_viewer

ADMIN, PASSWORD = "benchadmin", "bench-password-1"


def _sink(port: int, counter: multiprocessing.Value, last: multiprocessing.Value,
          latency: float = 0.0) -> None:
    """Every follower instance: answers each POST with 202 after ``latency`` seconds.

    An asyncio server with keep-alive, as the real instances' servers are: a thread per
    connection (http.server) cost more CPU than the delivery it was measuring."""

    async def inbox(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                await reader.readexactly(length)
                if latency:
                    await asyncio.sleep(latency)  # a far instance: every answer takes this long
                writer.write(b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n")
                with counter.get_lock():
                    counter.value += 1
                    last.value = time.time()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def serve() -> None:
        server = await asyncio.start_server(inbox, "0.0.0.0", port, backlog=1024)
        await server.serve_forever()

    asyncio.run(serve())


def _address(i: int) -> str:
    return f"127.0.{1 + i // 250}.{1 + i % 250}"


def build(ctx: Context, instances: int, port: int) -> int:
    token = do_login(ctx, ADMIN, PASSWORD, ip=None, user_agent="bench")
    with ctx.db.read() as conn:
        viewer = load_viewer(conn, read_token(token, ctx.site().jwt_secret) or 0, token)
    assert viewer is not None
    community_id = do_create_community(ctx, viewer, CommunityForm(name="bench", title="Bench"))
    _, public = generate_keypair()
    with ctx.db.write() as conn:
        for i in range(instances):
            base = f"http://{_address(i)}:{port}"
            person_id = do_upsert_remote_actor(conn, RemoteActor(
                actor_id=f"{base}/u/reader", kind="person", name="reader", public_key=public,
                inbox_url=f"{base}/u/reader/inbox", shared_inbox_url=f"{base}/inbox"))
            conn.execute(insert(t.community_follower).values(
                community_id=community_id, person_id=person_id, published=utcnow(),
                pending=False))
    return community_id, viewer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", type=int, default=1000)
    parser.add_argument("--activities", type=int, default=1,
                        help="posts made at once (with --instances 1: the far-instance case)")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="added to every answer of the sink")
    parser.add_argument("--note", default="")
    args = parser.parse_args()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    counter, last = multiprocessing.Value("i", 0), multiprocessing.Value("d", 0.0)
    sink = multiprocessing.Process(target=_sink, daemon=True,
                                   args=(port, counter, last, args.latency_ms / 1000))
    sink.start()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        settings = Settings(database_url=url, public_url="http://moot.bench",
                            setup_admin_username=ADMIN, setup_admin_password=PASSWORD,
                            setup_site_name="Bench", allow_private_network=True)
        db = Database(make_engine(url, pool_size=8))
        upgrade(db)
        do_bootstrap(db, settings)
        ctx = Context(settings, db)
        community_id, viewer = build(ctx, args.instances, port)
        # The posts are written first; the clock runs from the first send to the last delivery.
        for i in range(args.activities):
            do_create_post(ctx, viewer, community_id, PostForm(name=f"To every follower {i}"))
        start, cpu0 = time.time(), time.process_time()
        expected = args.instances * args.activities
        while counter.value < expected and time.time() - start < 300:
            if not delivery.run_once(ctx):
                time.sleep(0.01)
        seconds, cpu = last.value - start, time.process_time() - cpu0
        db.dispose()
    sink.terminate()
    result = {
        "benchmark": "federation_delivery", "database": "sqlite", "date": date.today().isoformat(),
        "load_average": round(os.getloadavg()[0], 1), "note": args.note,
        "instances": args.instances, "activities": args.activities,
        "latency_ms": args.latency_ms, "delivered": counter.value,
        "per_second": round(counter.value / seconds) if seconds > 0 else None,
        "seconds": round(seconds, 2), "worker_cpu_seconds": round(cpu, 2),
        "max_sends": delivery.MAX_SENDS, "in_flight_per_instance": delivery.IN_FLIGHT, "target_seconds": 5,
    }
    print(json.dumps(result, indent=2))
    kind = "latency" if args.latency_ms else "fanout"
    out = (Path(__file__).parent / "results"
           / f"{result['date']}-sqlite-federation-delivery-{kind}.json")
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
