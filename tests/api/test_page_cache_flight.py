"""Single flight in the anonymous page cache (api/page_cache.py, decision 0038): readers that miss
the same key together get one build, and never a build older than their own probe value."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from moot.api.page_cache import PageCache, PageStore
from tests.helpers import ApiClient

URL = "/api/v3/post/list?type_=All&sort=New&limit=20"


def test_readers_missing_together_share_one_build(api: ApiClient) -> None:
    alice = api.make_person()
    community = api.make_community(alice.token)["community"]["id"]
    api.make_post(alice.token, community, "First post")
    app = api.client.app
    store: PageStore = app.state.page_cache  # type: ignore[attr-defined]

    async def read_together(count: int) -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return list(await asyncio.gather(*(client.get(URL) for _ in range(count))))

    builds, waits = store.builds, store.waits
    answers = asyncio.run(read_together(8))
    assert {a.status_code for a in answers} == {200}
    assert [p["post"]["name"] for p in answers[0].json()["posts"]] == ["First post"]
    assert all(a.json()["posts"] == answers[0].json()["posts"] for a in answers)
    if app.state.ctx.db.is_sqlite:  # type: ignore[attr-defined]
        # (PostgreSQL's probe, the cluster's WAL position, moves with other databases' work.)
        assert store.builds == builds + 1
        assert store.waits == waits + 7
    # A commit: the next readers wait for a new build, and it shows the commit.
    api.make_post(alice.token, community, "Second post")
    answers = asyncio.run(read_together(4))
    assert all([p["post"]["name"] for p in a.json()["posts"]] == ["Second post", "First post"]
               for a in answers)


class _Probe:
    """The database's change probe, set by the test."""

    blocking = False

    def __init__(self) -> None:
        self.value = 1

    def version(self) -> object:
        return self.value


def test_a_reader_after_a_commit_does_not_wait_for_an_older_build() -> None:
    """A build that started before a commit is for the readers who came before it; a reader
    that saw the commit builds its own answer and is never handed the older one."""
    probe = _Probe()
    store = PageStore(probe, 1024 * 1024)  # type: ignore[arg-type]
    release = asyncio.Event()
    built: list[object] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        seen = probe.value  # what the database shows when this build reads it
        built.append(seen)
        if len(built) == 1:
            await release.wait()  # the first build is slow
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": f"state {seen}".encode()})

    cache = PageCache(inner, store)

    async def get() -> bytes:
        transport = httpx.ASGITransport(app=cache)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return (await client.get("/api/v3/site")).content

    async def scenario() -> tuple[list[bytes], bytes, bytes]:
        before = [asyncio.create_task(get()) for _ in range(3)]
        await asyncio.sleep(0.05)  # all three are in: one builds, two wait
        probe.value = 2  # a commit
        after = await get()  # does not wait for the first build (which is still held)
        release.set()
        return list(await asyncio.gather(*before)), after, await get()

    before, after, later = asyncio.run(scenario())
    assert before == [b"state 1"] * 3
    assert after == b"state 2"
    assert later == b"state 2"  # a hit on the newer build (version 2), not the older one
    assert built == [1, 2]
    assert store.builds == 2 and store.waits == 2
