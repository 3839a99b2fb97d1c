"""POST /site/block: a person blocks another instance."""

from __future__ import annotations

from typing import Any

from tests.api.test_communities import insert_remote_community
from tests.helpers import ApiClient


def post_ids(api: ApiClient, token: str | None) -> set[int]:
    return {p["post"]["id"] for p in api.get("/post/list", token=token, type_="All",
                                             limit=50)["posts"]}


def comment_ids(api: ApiClient, token: str | None) -> set[int]:
    return {c["comment"]["id"] for c in api.get("/comment/list", token=token, type_="All",
                                                limit=50)["comments"]}


def test_block_hides_that_instance(api: ApiClient, app: Any) -> None:
    alice, bob = api.make_person(), api.make_person()
    local = api.make_community(alice.token)["community"]["id"]
    remote = insert_remote_community(app, "yonder", "yonder.example")
    here = api.make_post(alice.token, local)["post"]["id"]
    there = api.make_post(alice.token, remote)["post"]["id"]
    c_here = api.make_comment(alice.token, here)["comment"]["id"]
    c_there = api.make_comment(alice.token, there)["comment"]["id"]
    instance_id = api.get("/community", id=remote)["community_view"]["community"]["instance_id"]

    assert api.post("/site/block", {"instance_id": instance_id, "block": True},
                    token=bob.token) == {"blocked": True}
    assert post_ids(api, bob.token) == {here}
    assert comment_ids(api, bob.token) == {c_here}
    communities = api.get("/community/list", token=bob.token, type_="All")["communities"]
    assert remote not in {c["community"]["id"] for c in communities}
    blocks = api.get("/site", token=bob.token)["my_user"]["instance_blocks"]
    assert [b["instance"]["id"] for b in blocks] == [instance_id]
    # Only Bob's view changes.
    assert post_ids(api, alice.token) == {here, there}
    assert post_ids(api, None) == {here, there}

    assert api.post("/site/block", {"instance_id": instance_id, "block": False},
                    token=bob.token) == {"blocked": False}
    assert post_ids(api, bob.token) == {here, there}
    assert comment_ids(api, bob.token) == {c_here, c_there}
    assert api.get("/site", token=bob.token)["my_user"]["instance_blocks"] == []


def test_refusals(api: ApiClient, app: Any) -> None:
    carol = api.make_person()
    local_instance = api.get("/site")["site_view"]["site"]["instance_id"]
    assert api.error("POST", "/site/block", {"instance_id": local_instance, "block": True},
                     token=carol.token) == "cant_block_local_instance"
    assert api.error("POST", "/site/block", {"instance_id": 99999, "block": True},
                     token=carol.token, expect=404) == "couldnt_find_object"
    remote = insert_remote_community(app, "elsewhere", "elsewhere.example")
    instance_id = api.get("/community", id=remote)["community_view"]["community"]["instance_id"]
    assert api.error("POST", "/site/block", {"instance_id": instance_id, "block": True},
                     expect=401) == "incorrect_login"
    # Blocking twice is harmless, and so is unblocking what was never blocked.
    for _ in range(2):
        api.post("/site/block", {"instance_id": instance_id, "block": True}, token=carol.token)
    assert len(api.get("/site", token=carol.token)["my_user"]["instance_blocks"]) == 1
    api.post("/site/block", {"instance_id": instance_id, "block": False}, token=carol.token)
    api.post("/site/block", {"instance_id": instance_id, "block": False}, token=carol.token)
