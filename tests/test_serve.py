"""``moot serve --processes``: several server processes on one port, started and stopped as one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest

from tests.clients.live import start_server, voting_forum
from tests.conftest import ADMIN_NAME, ADMIN_PASSWORD


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not os.path.exists(f"/proc/{pid}") or \
                Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return True
        time.sleep(0.1)
    return False


def test_two_processes_share_the_port_see_each_others_writes_and_stop_together(
        tmp_path: Path) -> None:
    server = start_server(f"sqlite:///{tmp_path}/moot.db", processes="2")
    try:
        children = _children(server.process.pid)
        assert len(children) == 2  # the second server process and the vote writer process
        jwt = httpx.post(server.url + "/api/v3/user/login", json={
            "username_or_email": ADMIN_NAME, "password": ADMIN_PASSWORD}).json()["jwt"]
        made = httpx.post(server.url + "/api/v3/community", json={
            "name": "shared", "title": "Shared"}, headers={"Authorization": f"Bearer {jwt}"})
        assert made.status_code == 200
        # Each request on a new connection: the kernel hands them to either process, and
        # every one of them must see the community, whichever process wrote it.
        for _ in range(20):
            with httpx.Client() as client:
                found = client.get(server.url + "/api/v3/community", params={"name": "shared"})
            assert found.status_code == 200
            assert found.json()["community_view"]["community"]["title"] == "Shared"
    finally:
        server.stop()
    assert all(_gone(pid) for pid in children)


def test_processes_share_rate_limits_and_see_site_changes_at_once(tmp_path: Path) -> None:
    server = start_server(f"sqlite:///{tmp_path}/moot.db", processes="2")
    try:
        jwt = httpx.post(server.url + "/api/v3/user/login", json={
            "username_or_email": ADMIN_NAME, "password": ADMIN_PASSWORD}).json()["jwt"]
        changed = httpx.put(server.url + "/api/v3/site", json={
            "name": "Renamed", "rate_limit_message": 40,
            "rate_limit_message_per_second": 3600}, headers={"Authorization": f"Bearer {jwt}"})
        assert changed.status_code == 200
        statuses = []
        for _ in range(60):
            with httpx.Client() as client:  # a new connection: either process may answer
                answer = client.get(server.url + "/api/v3/site")
            statuses.append(answer.status_code)
            if answer.status_code == 200:  # no process answers from a stale site cache
                assert answer.json()["site_view"]["site"]["name"] == "Renamed"
            else:
                assert answer.json() == {"error": "rate_limit_error"}
        # One bucket for the address, whichever process counts: 40 in, the rest refused.
        assert statuses.count(200) == 40
        assert statuses.count(400) == 20
    finally:
        server.stop()


@pytest.mark.parametrize("writer_process", ["true", "false"])
def test_votes_through_both_processes_count_once_each(tmp_path: Path,
                                                      writer_process: str) -> None:
    """With the vote writer process both server processes send their votes to it; without,
    each process writes its own and their batches queue on the file lock."""
    from concurrent.futures import ThreadPoolExecutor

    server = start_server(f"sqlite:///{tmp_path}/moot.db", processes="2",
                          vote_writer_process=writer_process)
    try:
        forum = voting_forum(server, 6)

        def vote(token: str) -> int:
            answer = forum.vote(token, "post/like", {"post_id": forum.post_id, "score": 1})
            assert answer.status_code == 200, answer.text
            return int(answer.json()["post_view"]["my_vote"])

        with ThreadPoolExecutor(6) as pool:
            assert list(pool.map(vote, forum.voters * 3)) == [1] * 18
        counts = forum.post_counts()
        assert (counts["upvotes"], counts["score"]) == (7, 7)
    finally:
        server.stop()
