"""The small rules of page rendering: names of remote actors, relative times, redirects."""

from __future__ import annotations

from datetime import UTC, datetime

from moot.web.render import actor_name, community_url, person_url, relative_time
from moot.web.routing import safe_next
from moot.web.thread import build_tree, parent_id

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_remote_actors_are_named_with_their_host() -> None:
    local = {"name": "alice", "local": True, "actor_id": "http://moot.test/u/alice"}
    remote = {"name": "bob", "local": False, "actor_id": "https://lemmy.example/u/bob"}
    group = {"name": "cats", "local": False, "actor_id": "https://other.example:8443/c/cats"}
    assert actor_name(local) == "alice" and person_url(local) == "/u/alice"
    assert actor_name(remote) == "bob@lemmy.example" and person_url(remote) == "/u/bob@lemmy.example"
    assert community_url(group) == "/c/cats@other.example"


def test_relative_times() -> None:
    assert relative_time("2026-11-26T11:59:30Z", NOW) == "just now"
    assert relative_time("2026-11-26T11:59:00Z", NOW) == "1 minute ago"
    assert relative_time("2026-11-26T09:00:00Z", NOW) == "3 hours ago"
    assert relative_time("2026-11-19T12:00:00Z", NOW) == "1 week ago"
    assert relative_time("2023-11-20T12:00:00.123456Z", NOW) == "3 years ago"
    assert relative_time("2026-11-28T12:00:00Z", NOW) == "in 2 days"


def test_redirect_targets_stay_on_the_site() -> None:
    assert safe_next("/post/3") == "/post/3"
    for hostile in ("//evil.example", "https://evil.example/", "/\\evil.example", "", None):
        assert safe_next(hostile) == "/"


def test_tree_from_paths() -> None:
    assert parent_id("0.5") is None and parent_id("0.5.9") == 5

    def view(id_: int, path: str) -> dict[str, object]:
        return {"comment": {"id": id_, "path": path}}

    roots = build_tree([view(1, "0.1"), view(4, "0.4"), view(2, "0.1.2"), view(3, "0.1.2.3"),
                        view(7, "0.6.7")])  # 7's parent is not on the page: it becomes a root
    assert [r.view["comment"]["id"] for r in roots] == [1, 4, 7]
    assert roots[0].children[0].children[0].view["comment"]["id"] == 3
