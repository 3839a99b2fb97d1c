"""Server time of the web thread page of a 500-comment thread, on SQLite, in-process.

    python bench/thread_page.py [--comments 500] [--requests 50]

Builds a fresh SQLite database with one post and N comments (through the same actions the API
uses; replies nest up to 8 deep, each comment a short markdown paragraph), then times
``GET /post/{id}`` through the ASGI app in this process (no network): the first request, then
the median and p99 of the next ones, anonymous and logged in. Writes
bench/results/<date>-sqlite-thread-page.json.

Target (issue: web interface): under 100 ms server time for the 500-comment thread.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from moot.actions.comments import CommentForm, do_create_comment
from moot.actions.communities import CommunityForm, do_create_community
from moot.actions.people import do_login
from moot.actions.posts import PostForm, do_create_post
from moot.actions.site import do_bootstrap
from moot.app import create_app
from moot.config import Settings
from moot.db.engine import Database, make_engine
from moot.db.migrate import upgrade
from moot.views.people import Viewer, load_viewer

ADMIN, PASSWORD = "benchadmin", "bench-password-1"
WORDS = ["tomato", "leaf", "soil", "water", "sun", "rain", "seed", "root", "green", "ripe", "harvest", "garden", "compost", "pot", "frost", "shade"]


def _viewer(ctx: object, token: str) -> Viewer:
    from moot.security import read_token

    user_id = read_token(token, ctx.site().jwt_secret)  # type: ignore[attr-defined]
    with ctx.db.read() as conn:  # type: ignore[attr-defined]
        viewer = load_viewer(conn, user_id or 0, token)
    assert viewer is not None
    return viewer


def _text(rng: random.Random, i: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))
    extra = rng.choice(["", "\n\n> quoted line", "\n\n- one\n- two", " with `code` and **bold**",
                        " and a [link](https://example.com/x)"])
    return f"Comment {i}: {words}.{extra}"


def build_thread(app: object, comments: int, seed: int = 1) -> tuple[int, str]:
    ctx = app.state.ctx  # type: ignore[attr-defined]
    token = do_login(ctx, ADMIN, PASSWORD, ip=None, user_agent="bench")
    viewer = _viewer(ctx, token)
    community_id = do_create_community(ctx, viewer, CommunityForm(name="bench", title="Bench"))
    post_id = do_create_post(ctx, viewer, community_id, PostForm(
        name="A long thread", body="The post body, with **markdown**."))
    rng = random.Random(seed)
    ids: list[tuple[int, int]] = []  # (comment id, depth)
    for i in range(comments):
        parent = rng.choice(ids) if ids and rng.random() < 0.7 else None
        if parent is not None and parent[1] >= 8:
            parent = None
        comment_id, _ = do_create_comment(ctx, viewer, CommentForm(
            content=_text(rng, i), post_id=post_id,
            parent_id=parent[0] if parent else None))
        ids.append((comment_id, parent[1] + 1 if parent else 1))
    return post_id, token


def _time(client: TestClient, path: str, runs: int, cookies: dict[str, str]) -> dict[str, float]:
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies.set(name, value)
    samples, cpu = [], []
    for _ in range(runs + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        # CPU time of this process (all threads): what the request cost, even on a busy machine.
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, response.text[:300]
    first, rest = samples[0], sorted(samples[1:])
    return {"first_ms": round(first, 1), "median_ms": round(statistics.median(rest), 1),
            "p99_ms": round(rest[min(len(rest) - 1, int(len(rest) * 0.99))], 1),
            "cpu_median_ms": round(statistics.median(cpu[1:]), 1),
            "bytes": len(response.content)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=500)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        settings = Settings(database_url=url, public_url="http://bench.test",
                            setup_admin_username=ADMIN, setup_admin_password=PASSWORD,
                            setup_site_name="Bench")
        db = Database(make_engine(url, pool_size=1))
        upgrade(db)
        do_bootstrap(db, settings)
        db.dispose()
        app = create_app(settings)
        started = time.perf_counter()
        post_id, token = build_thread(app, args.comments)
        built = time.perf_counter() - started
        with TestClient(app) as client:
            anonymous = _time(client, f"/post/{post_id}", args.requests, {})
            logged_in = _time(client, f"/post/{post_id}", args.requests, {"jwt": token})
        app.state.ctx.db.dispose()
    result = {"benchmark": "thread_page", "load_average": round(os.getloadavg()[0], 1), "database": "sqlite", "date": date.today().isoformat(),
              "comments": args.comments, "requests": args.requests,
              "build_seconds": round(built, 1), "anonymous": anonymous, "logged_in": logged_in,
              "target_ms": 100}
    print(json.dumps(result, indent=2))
    out = Path(__file__).parent / "results" / f"{result['date']}-sqlite-thread-page.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
