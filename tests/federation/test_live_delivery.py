"""Delivery survives a receiving instance going down: alpha keeps recording activities while
gamma is stopped, and once gamma is back on the same address every activity arrives once, in
the order it was made (an edit after its post, a reply after its parent)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.clients.live import REPO_ROOT, LiveServer, _wait_ready
from tests.federation.conftest import Instance, eventually
from tests.federation.test_live_federation import _comments, _community, _follow, _posts


def _restart(server: LiveServer) -> LiveServer:
    """The same instance again: same database, port and settings, so the same actor ids."""
    fd, log_name = tempfile.mkstemp(prefix="moot-live-", suffix=".log")
    with os.fdopen(fd, "wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "moot.cli", "serve", "--host", "127.0.0.1", "--port",
             str(server.port)], cwd=REPO_ROOT, env=server.env, stdin=subprocess.DEVNULL,
            stdout=log_file, stderr=subprocess.STDOUT)
    again = LiveServer(url=server.url, port=server.port, database_url=server.database_url,
                       process=process, log_path=Path(log_name), env=server.env)
    _wait_ready(again, 120)
    return again


def test_a_stopped_instance_gets_everything_once_and_in_order(
        instances: dict[str, Instance]) -> None:
    alpha, gamma = instances["alpha"], instances["gamma"]
    community = _community(alpha)
    on_gamma = _follow(gamma, alpha, community["name"])

    gamma.server.stop()
    try:
        made = [alpha.api.post("/post", {"name": f"While away {n}",
                                         "community_id": community["id"]},
                               token=alpha.admin)["post_view"]["post"] for n in range(4)]
        alpha.api.put("/post", {"post_id": made[0]["id"], "name": "Edited while away"},
                      token=alpha.admin)
        parent = alpha.api.post("/comment", {"post_id": made[1]["id"], "content": "parent"},
                                token=alpha.admin)["comment_view"]["comment"]
        alpha.api.post("/comment", {"post_id": made[1]["id"], "parent_id": parent["id"],
                                    "content": "child"}, token=alpha.admin)
    finally:
        gamma.server = _restart(gamma.server)

    def arrived() -> list[dict[str, object]] | None:
        posts = _posts(gamma, on_gamma)
        return posts if len(posts) >= 4 and posts[-1]["post"]["name"] == \
            "Edited while away" else None
    # Backoff after the failed attempts can reach tens of seconds.
    posts = eventually(arrived, timeout=90, what="the backlog on gamma")
    # Once each, created in the order they were made (local ids follow arrival).
    assert [p["post"]["ap_id"] for p in posts] == [p["ap_id"] for p in reversed(made)]
    ids = [p["post"]["id"] for p in reversed(posts)]
    assert ids == sorted(ids)
    second = next(p["post"]["id"] for p in posts if p["post"]["ap_id"] == made[1]["ap_id"])
    comments = eventually(lambda: len(_comments(gamma, second)) == 2 and _comments(gamma, second),
                          what="the comments on gamma")
    assert [c["comment"]["content"] for c in comments] == ["parent", "child"]
    assert comments[1]["comment"]["path"] == \
        f"{comments[0]['comment']['path']}.{comments[1]['comment']['id']}"
