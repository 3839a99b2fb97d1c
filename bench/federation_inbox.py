"""Inbound federation: signed activities verified and stored per second, then applied per second.

    python bench/federation_inbox.py [--activities 6000] [--connections 8] [--actors 20]
                                     [--processes 1]

Builds a fresh SQLite database with one community, ``--activities / --actors`` posts and
``--actors`` remote people whose RSA-2048 keys Moot already knows. The script is the remote side:
it signs one ``Like`` per (person, post) pair beforehand (draft-cavage rsa-sha256 over
``(request-target) host date digest content-type``, with a Digest of the body). Then it starts
``moot serve`` as a child process with the in-process worker off, and POSTs the activities to
``/inbox`` over ``--connections`` keep-alive connections from this process.

Measured:
- receive: the door's work for every activity (parse, same-host and allow-list checks, key
  lookup, Digest and RSA signature verification, one INSERT), as wall-clock activities per
  second. Also as activities per CPU-second of the server process, which other work on the
  machine moves less.
- apply: the worker applies the stored rows through the vote actions (`inbox_worker.run_once`,
  in this process, after the server stops), as activities per second.

Target (issue 5): ≥ 1,500 verified inbound activities/s on 2 cores. Lemmy's best published replay
is about 1,045/s. Results go to bench/results/<date>-sqlite-federation-inbox.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import uvloop
from sqlalchemy import func, select

from moot.actions.communities import CommunityForm, do_create_community
from moot.actions.people import do_login
from moot.actions.posts import PostForm, do_create_post
from moot.actions.remote import RemoteActor, do_upsert_remote_actor
from moot.actions.site import do_bootstrap
from moot.bench.serving import cpu_seconds, serve
from moot.config import Settings
from moot.context import Context
from moot.db import tables as t
from moot.db.engine import Database, make_engine
from moot.db.migrate import upgrade
from moot.federation import inbox_worker
from moot.federation.keys import generate_keypair
from moot.federation.signatures import sign_headers
from moot.security import read_token
from moot.views.people import load_viewer

ADMIN, PASSWORD = "benchadmin", "bench-password-1"
HOST = "127.0.0.1"
REMOTE = "https://remote.bench"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def build(ctx: Context, actors: int, posts: int) -> tuple[list[str], list[tuple[str, str]]]:
    """Post ap_ids and (actor id, private key) pairs of the remote people."""
    token = do_login(ctx, ADMIN, PASSWORD, ip=None, user_agent="bench")
    with ctx.db.read() as conn:
        viewer = load_viewer(conn, read_token(token, ctx.site().jwt_secret) or 0, token)
    assert viewer is not None
    community_id = do_create_community(ctx, viewer, CommunityForm(name="bench", title="Bench"))
    post_ids = [do_create_post(ctx, viewer, community_id, PostForm(name=f"Post {i}"))
                for i in range(posts)]
    people = []
    with ctx.db.write() as conn:
        for i in range(actors):
            private, public = generate_keypair()
            actor = f"{REMOTE}/u/p{i}"
            do_upsert_remote_actor(conn, RemoteActor(
                actor_id=actor, kind="person", name=f"p{i}", public_key=public,
                inbox_url=actor + "/inbox", shared_inbox_url=f"{REMOTE}/inbox"))
            people.append((actor, private))
        ap_ids = list(conn.execute(select(t.post.c.ap_id).where(t.post.c.id.in_(post_ids))
                                   .order_by(t.post.c.id)).scalars())
    return ap_ids, people


def signed_requests(port: int, posts: list[str], people: list[tuple[str, str]]) -> list[bytes]:
    inbox = f"http://{HOST}:{port}/inbox"
    out = []
    for n, (actor, private) in enumerate(people):
        for m, post in enumerate(posts):
            body = json.dumps({"id": f"{REMOTE}/activities/like/{n}-{m}", "type": "Like",
                               "actor": actor, "object": post}).encode()
            headers = sign_headers("POST", inbox, actor + "#main-key", private, body)
            head = ["POST /inbox HTTP/1.1", f"Content-Length: {len(body)}"]
            head += [f"{name}: {value}" for name, value in headers.items()
                     if name.lower() != "content-length"]
            out.append(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    return out


async def _send_all(port: int, requests: list[bytes], connections: int) -> dict[int, int]:
    statuses: dict[int, int] = {}
    queue = iter(requests)

    async def client() -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        for raw in queue:
            writer.write(raw)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            statuses[status] = statuses.get(status, 0) + 1
        writer.close()

    await asyncio.gather(*(client() for _ in range(connections)))
    return statuses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=6000)
    parser.add_argument("--actors", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--processes", type=int, default=1, help="moot serve --processes")
    parser.add_argument("--note", default="")
    args = parser.parse_args()
    port = _free_port()
    public_url = f"http://{HOST}:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        settings = Settings(database_url=url, public_url=public_url,
                            setup_admin_username=ADMIN, setup_admin_password=PASSWORD,
                            setup_site_name="Bench", allow_private_network=True)
        db = Database(make_engine(url, pool_size=2))
        upgrade(db)
        do_bootstrap(db, settings)
        ctx = Context(settings, db)
        posts, people = build(ctx, args.actors, max(1, args.activities // args.actors))
        requests = signed_requests(port, posts, people)
        proc = serve(HOST, port, args.processes, {"MOOT_DATABASE_URL": url,
                                                  "MOOT_PUBLIC_URL": public_url,
                                                  "MOOT_FEDERATION_WORKER": "0"})
        try:
            # The load generator runs on uvloop, as the server does, so that less of the two
            # cores goes to it; its own CPU time is reported beside the server's.
            uvloop.run(_send_all(port, requests[:50], 2))  # warm-up: imports, key cache
            cpu0, start = cpu_seconds(proc.pid), time.perf_counter()
            client0 = time.process_time()
            statuses = uvloop.run(_send_all(port, requests[50:], args.connections))
            wall, cpu = time.perf_counter() - start, cpu_seconds(proc.pid) - cpu0
            client_cpu = time.process_time() - client0
        finally:
            proc.terminate()
            proc.wait(10)
        received = len(requests) - 50
        start, cpu0 = time.perf_counter(), time.process_time()
        applied = 0
        while (moved := inbox_worker.run_once(ctx)):
            applied += moved
        apply_wall, apply_cpu = time.perf_counter() - start, time.process_time() - cpu0
        with ctx.db.read() as conn:
            states = {state: n for state, n in conn.execute(
                select(t.ap_inbox.c.state, func.count()).group_by(t.ap_inbox.c.state))}
        db.dispose()
    result = {
        "benchmark": "federation_inbox", "database": "sqlite", "date": date.today().isoformat(),
        "load_average": round(os.getloadavg()[0], 1), "note": args.note,
        "activities": received, "connections": args.connections,
        "server_processes": args.processes, "statuses": statuses,
        "receive_per_second": round(received / wall),
        "receive_per_server_cpu_second": round(received / cpu) if cpu else None,
        "load_generator_cpu_share": round(client_cpu / wall, 2),
        "apply_per_second": round(applied / apply_wall) if apply_wall else None,
        "apply_per_cpu_second": round(applied / apply_cpu) if apply_cpu else None,
        "inbox_states": states, "target_per_second": 1500,
    }
    print(json.dumps(result, indent=2))
    out = Path(__file__).parent / "results" / f"{result['date']}-sqlite-federation-inbox.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
