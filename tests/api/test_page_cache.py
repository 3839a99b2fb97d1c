"""The anonymous page cache (api/page_cache.py): hits, and never a stale answer after a commit."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from moot.api.page_cache import PageStore
from tests.helpers import ApiClient, Person


def store(api: ApiClient) -> PageStore:
    return api.client.app.state.page_cache  # type: ignore[attr-defined,no-any-return]


def front(api: ApiClient) -> list[dict[str, Any]]:
    api.client.cookies.clear()
    return list(api.get("/post/list", type_="All", sort="New", limit=20)["posts"])


def setup(api: ApiClient) -> tuple[Person, Person, int, dict[str, Any]]:
    alice, bob = api.make_person(), api.make_person()
    community = api.make_community(alice.token)["community"]["id"]
    return alice, bob, community, api.make_post(alice.token, community, "First post")


def test_repeated_anonymous_read_is_a_hit_with_the_same_answer(api: ApiClient) -> None:
    setup(api)
    api.client.cookies.clear()
    url = "/api/v3/post/list?type_=All&sort=Hot&limit=20"
    origin = {"Origin": "https://app.example"}
    first, hits = api.client.get(url, headers=origin), store(api).hits
    second = api.client.get(url, headers=origin)
    assert second.headers["content-type"] == first.headers["content-type"] == "application/json"
    assert "app;dur=" in second.headers["server-timing"]
    assert second.headers["access-control-allow-origin"] == "*"
    db = api.client.app.state.ctx.db  # type: ignore[attr-defined]
    if db.is_sqlite:  # the shared PostgreSQL server's WAL moves with other databases' work
        assert store(api).hits == hits + 1
    if store(api).hits == hits + 1:
        assert second.content == first.content  # a miss builds a new cursor with a new "now"
    assert second.json()["posts"] == first.json()["posts"]
    assert "access-control-allow-origin" not in api.client.get(url).headers


def test_every_kind_of_write_shows_on_the_very_next_read(api: ApiClient) -> None:
    alice, bob, community, post = setup(api)
    post_id = post["post"]["id"]
    front(api)
    api.post("/post/like", {"post_id": post_id, "score": 1}, token=bob.token)
    assert front(api)[0]["counts"]["score"] == 2
    api.make_post(alice.token, community, "Second post")
    assert [p["post"]["name"] for p in front(api)] == ["Second post", "First post"]
    api.put("/post", {"post_id": post_id, "name": "First post, edited"}, token=alice.token)
    assert front(api)[1]["post"]["name"] == "First post, edited"
    api.post("/post/remove", {"post_id": post_id, "removed": True}, token=alice.token)
    assert [p["post"]["name"] for p in front(api)] == ["Second post"]


def test_a_commit_from_another_process_shows_on_the_next_read(api: ApiClient) -> None:
    """As `moot worker` applying a federated edit: its own process, its own connection."""
    _, _, _, post = setup(api)
    front(api)
    front(api)
    url = api.client.app.state.ctx.settings.database_url  # type: ignore[attr-defined]
    script = ("import sys\nfrom sqlalchemy import update\nfrom moot.db import tables as t\n"
              "from moot.db.engine import Database, make_engine\n"
              "db = Database(make_engine(sys.argv[1]))\n"
              "with db.write() as conn:\n"
              "    conn.execute(update(t.post).where(t.post.c.id == int(sys.argv[2]))"
              ".values(name='Edited elsewhere'))\n"
              "db.dispose()\n")
    subprocess.run([sys.executable, "-c", script, url, str(post["post"]["id"])], check=True)
    assert front(api)[0]["post"]["name"] == "Edited elsewhere"


def test_answers_from_before_a_commit_are_dropped_at_the_next_store(api: ApiClient) -> None:
    """They can never be served again, so they do not wait for the byte cap (memory)."""
    _, bob, _, post = setup(api)
    front(api)
    api.client.get("/api/v3/post/list?type_=All&sort=Hot&limit=20")
    assert len(store(api)) >= 1
    api.post("/post/like", {"post_id": post["post"]["id"], "score": 1}, token=bob.token)
    assert front(api)[0]["counts"]["score"] == 2
    assert len(store(api)) == 1  # only the answer just stored, under the new probe value
    body = api.client.get("/api/v3/post/list?type_=All&sort=New&limit=20").content
    if len(store(api)) == 1:  # PostgreSQL: other databases' work may move the WAL in between
        assert store(api).stored_bytes >= len(body)


def test_logged_in_reads_are_not_served_from_the_cache(api: ApiClient) -> None:
    _, bob, _, post = setup(api)
    front(api)
    front(api)
    api.post("/post/like", {"post_id": post["post"]["id"], "score": 1}, token=bob.token)
    hits = store(api).hits
    mine = api.get("/post/list", type_="All", sort="New", limit=20, token=bob.token)["posts"]
    assert mine[0]["my_vote"] == 1
    assert store(api).hits == hits
    assert "my_vote" not in front(api)[0] or front(api)[0]["my_vote"] is None


def test_errors_are_not_stored(api: ApiClient) -> None:
    api.client.cookies.clear()
    assert api.error("GET", "/post", id=999999, expect=404) == "couldnt_find_post"
    api.client.get("/api/v3/post?id=999999")
    assert store(api).hits == 0


def test_the_setting_turns_it_off(settings: Any) -> None:
    from fastapi.testclient import TestClient

    from moot.app import create_app

    app = create_app(settings.replace(page_cache=False))
    try:
        with TestClient(app) as client:
            for _ in range(3):
                assert client.get("/api/v3/site").status_code == 200
        assert app.state.page_cache.enabled is False
        assert app.state.page_cache.hits == 0
    finally:
        app.state.ctx.db.dispose()
