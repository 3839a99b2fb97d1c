"""``moot serve`` writes votes in a process of its own (actions/vote_process.py, decision 0048)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.clients.live import VotingForum, start_server, voting_forum
from tests.test_serve import _children, _gone

VOTERS = 6


@pytest.fixture
def forum(tmp_path: Path) -> Iterator[VotingForum]:
    server = start_server(f"sqlite:///{tmp_path}/moot.db")
    try:
        yield voting_forum(server, VOTERS)
    finally:
        server.stop()


def test_votes_are_written_by_the_writer_process_and_answered_as_the_api_answers(
        forum: VotingForum) -> None:
    assert len(_children(forum.server.process.pid)) == 1  # the writer process

    def up_and_down(token: str) -> tuple[int, int]:
        on_post = forum.vote(token, "post/like", {"post_id": forum.post_id, "score": 1})
        on_comment = forum.vote(token, "comment/like",
                                {"comment_id": forum.comment_id, "score": -1})
        assert on_post.status_code == on_comment.status_code == 200, on_post.text
        assert on_comment.json()["comment_view"]["comment"]["id"] == forum.comment_id
        return (on_post.json()["post_view"]["my_vote"],
                on_comment.json()["comment_view"]["my_vote"])

    with ThreadPoolExecutor(VOTERS) as pool:
        assert list(pool.map(up_and_down, forum.voters * 2)) == [(1, -1)] * (2 * VOTERS)
    counts = forum.post_counts()
    assert (counts["upvotes"], counts["downvotes"], counts["score"]) == (7, 0, 7)
    comment = httpx.get(forum.server.url + "/api/v3/comment",
                        params={"id": forum.comment_id}).json()["comment_view"]["counts"]
    assert (comment["upvotes"], comment["downvotes"]) == (1, VOTERS)

    # The refusals of the routes, named as they name them.
    token = forum.voters[0]
    bad = forum.vote(token, "post/like", {"post_id": forum.post_id, "score": 5})
    assert (bad.status_code, bad.json()) == (400, {"error": "invalid_vote_value"})
    missing = forum.vote(token, "post/like", {"post_id": forum.post_id + 1000, "score": 1})
    assert (missing.status_code, missing.json()) == (404, {"error": "couldnt_find_post"})
    undone = forum.vote(token, "post/like", {"post_id": forum.post_id, "score": 0})
    assert undone.json()["post_view"]["counts"]["upvotes"] == 6
    assert "my_vote" not in undone.json()["post_view"]  # left out when there is none, as in Lemmy


def test_the_server_goes_on_voting_when_the_writer_process_is_gone(forum: VotingForum) -> None:
    (writer,) = _children(forum.server.process.pid)
    token = forum.voters[0]
    assert forum.vote(token, "post/like", {"post_id": forum.post_id, "score": 1}
                      ).status_code == 200
    os.kill(writer, signal.SIGKILL)
    assert _gone(writer)
    # A vote sent before the server noticed may get the API's 500; none is lost silently, and
    # from then on the server process writes them itself.
    deadline = time.monotonic() + 10
    while (answer := forum.vote(token, "post/like",
                                {"post_id": forum.post_id, "score": -1})).status_code != 200:
        assert answer.status_code == 500, answer.text
        assert answer.json()["error"] == "unknown"
        assert time.monotonic() < deadline
    assert answer.json()["post_view"]["my_vote"] == -1
    with ThreadPoolExecutor(VOTERS) as pool:
        statuses = list(pool.map(lambda t: forum.vote(t, "post/like", {
            "post_id": forum.post_id, "score": 1}).status_code, forum.voters[1:]))
    assert statuses == [200] * (VOTERS - 1)
    counts = forum.post_counts()
    assert (counts["upvotes"], counts["downvotes"]) == (VOTERS, 1)  # the admin's and five; one down
    assert forum.server.process.poll() is None
    assert "the vote writer process has gone" in forum.server.log()


def test_stopping_the_server_stops_the_writer(forum: VotingForum) -> None:
    (writer,) = _children(forum.server.process.pid)
    forum.server.stop()
    assert _gone(writer)
