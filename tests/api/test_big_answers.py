"""Thread pages are built one at a time per process, comment lists two at a time
(moot/memory.py, docs/decisions/0057): never more at once, and the requests waiting for a turn
hold no thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from moot import memory
from moot.api.v3 import comments as api_comments
from moot.web import thread as web_thread
from tests.helpers import ApiClient

BIG = 12  # more than the request threads (MOOT_THREADS, 8)


class Builds:
    """Counts the comment reads in flight; each one waits until ``release`` is set."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = self.most = self.started = 0
        self.release = threading.Event()

    def wrap(self, read: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            with self.lock:
                self.running += 1
                self.started += 1
                self.most = max(self.most, self.running)
            try:
                self.release.wait(timeout=10)
                return read(*args, **kwargs)
            finally:
                with self.lock:
                    self.running -= 1
        return counted


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Builds]]:
    """The web's thread pages' comment reads, and the API's comment lists'."""
    counters = {"pages": Builds(), "lists": Builds()}
    monkeypatch.setattr(web_thread, "list_comments",
                        counters["pages"].wrap(web_thread.list_comments))
    monkeypatch.setattr(api_comments, "list_comments",
                        counters["lists"].wrap(api_comments.list_comments))
    yield counters
    for counter in counters.values():
        counter.release.set()


def test_big_answers_are_built_a_few_at_a_time_and_small_requests_pass_them(
        api: ApiClient, admin: str, builds: dict[str, Builds]) -> None:
    community = api.make_community(admin)
    post = api.make_post(admin, community["community"]["id"])
    comment = api.make_comment(admin, post["post"]["id"], "the only comment")
    post_id = post["post"]["id"]
    http = api.client
    # Every kind of big answer: the web's thread and comment pages, anonymous and logged in
    # (the cookie), and the API's comment list through FastAPI (anonymous) and the read door
    # (a bearer token). Each asks a different sort, so no answer is shared or cached.
    sorts = ("Hot", "Top", "New", "Old", "Controversial")
    requests: list[Callable[[], Any]] = []
    for n in range(BIG):
        sort = sorts[n % len(sorts)]
        kind = n % 4
        if kind == 0:
            requests.append(lambda s=sort: http.get(f"/post/{post_id}", params={"sort": s}))
        elif kind == 1:
            requests.append(lambda s=sort: http.get(f"/comment/{comment['comment']['id']}",
                                                    params={"sort": s}, cookies={"jwt": admin}))
        elif kind == 2:
            requests.append(lambda s=sort, n=n: http.get(
                "/api/v3/comment/list", params={"post_id": post_id, "sort": s, "limit": 10 + n}))
        else:
            requests.append(lambda s=sort: http.get(
                "/api/v3/comment/list", params={"post_id": post_id, "sort": s, "max_depth": 8},
                headers={"Authorization": f"Bearer {admin}"}))
    allowed = {"pages": memory.THREAD_PAGES.total_tokens,
               "lists": memory.COMMENT_LISTS.total_tokens}
    assert allowed == {"pages": 1, "lists": 2}
    with ThreadPoolExecutor(BIG) as pool:
        pending = [pool.submit(request) for request in requests]
        _wait_for(lambda: all(builds[kind].started >= allowed[kind] for kind in allowed))
        # The other big requests wait for a turn; small ones (a post list, the site) are
        # answered meanwhile, although the big ones outnumber the request threads.
        assert api.get("/post/list", token=admin, sort="New")["posts"][0]["post"]["id"] == post_id
        assert api.get("/site")["site_view"]["site"]["id"] > 0
        assert {kind: builds[kind].started for kind in allowed} == allowed
        assert not any(future.done() for future in pending)
        for counter in builds.values():
            counter.release.set()
        answers = [future.result(timeout=60) for future in pending]
    assert [answer.status_code for answer in answers] == [200] * BIG
    assert {kind: builds[kind].started for kind in allowed} == {"pages": BIG // 2,
                                                                 "lists": BIG // 2}
    assert {kind: builds[kind].most for kind in allowed} == allowed
    for answer in answers:
        assert "the only comment" in answer.text


def _wait_for(condition: Callable[[], bool]) -> None:
    done = threading.Event()
    for _ in range(3000):
        if condition():
            return
        done.wait(0.01)
    raise AssertionError("the big answers never started")
