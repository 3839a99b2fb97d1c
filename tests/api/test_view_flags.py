"""The flags of post and comment views (creator banned, moderator, admin; the viewer's vote,
save, read, hide, follow, ban, block), which the views read for a page's ids in a second query
(docs/decisions/0034): the tree, the listings and the single views must all agree."""

from __future__ import annotations

from typing import Any

from tests.conftest import ADMIN_NAME, ADMIN_PASSWORD
from tests.helpers import ApiClient


def _world(api: ApiClient) -> dict[str, Any]:
    """Alice's community; comments by Alice (its moderator), the admin, Bob, and Dave, whom
    Alice then bans; Carol follows, votes and saves; Erin is banned from the community too."""
    alice, bob, carol, dave, erin = (api.make_person() for _ in range(5))
    admin = api.login(ADMIN_NAME, ADMIN_PASSWORD)
    cid = api.make_community(alice.token)["community"]["id"]
    post = api.make_post(alice.token, cid)["post"]["id"]
    daves_post = api.make_post(dave.token, cid)["post"]["id"]
    other_post = api.make_post(bob.token, cid)["post"]["id"]
    comments = {name: api.make_comment(token, post)["comment"]["id"]
                for name, token in (("alice", alice.token), ("admin", admin),
                                    ("bob", bob.token), ("dave", dave.token))}
    api.post("/community/follow", {"community_id": cid, "follow": True}, token=carol.token)
    api.post("/comment/like", {"comment_id": comments["bob"], "score": 1}, token=carol.token)
    api.post("/comment/like", {"comment_id": comments["alice"], "score": -1}, token=carol.token)
    api.put("/comment/save", {"comment_id": comments["admin"], "save": True}, token=carol.token)
    api.post("/post/like", {"post_id": daves_post, "score": -1}, token=carol.token)
    api.put("/post/save", {"post_id": post, "save": True}, token=carol.token)
    api.post("/post/mark_as_read", {"post_ids": [daves_post], "read": True}, token=carol.token)
    api.post("/post/hide", {"post_ids": [other_post], "hide": True}, token=carol.token)
    # Carol opens the post with its four comments; a fifth comes after.
    api.get("/post", id=post, token=carol.token)
    api.make_comment(bob.token, post)
    for person in (dave, erin):
        api.post("/community/ban_user", {"community_id": cid, "person_id": person.person_id,
                                         "ban": True}, token=alice.token)
    return {"carol": carol, "dave": dave, "erin": erin, "post": post, "daves_post": daves_post,
            "other_post": other_post, "comments": comments}


def _creator_flags(view: dict[str, Any]) -> tuple[bool, bool, bool]:
    return (view["creator_banned_from_community"], view["creator_is_moderator"],
            view["creator_is_admin"])


def test_comment_flags_agree_in_tree_listing_and_single_view(api: ApiClient) -> None:
    w = _world(api)
    carol, comments = w["carol"], w["comments"]
    query = {"post_id": w["post"], "type_": "All", "sort": "New"}
    for token in (carol.token, None):
        tree = {v["comment"]["id"]: v for v in api.get(
            "/comment/list", token=token, max_depth=8, **query)["comments"]}
        page = {v["comment"]["id"]: v for v in api.get(
            "/comment/list", token=token, **query)["comments"]}
        assert tree == page and len(tree) == 5
        for cid, view in tree.items():
            # A single comment shows a logged-in reader's missing vote as 0, as Lemmy does.
            expected = {**view, "my_vote": view.get("my_vote", 0)} if token else view
            assert api.get("/comment", id=cid, token=token)["comment_view"] == expected
        expected = {"alice": (False, True, False), "admin": (False, False, True),
                    "bob": (False, False, False), "dave": (True, False, False)}
        assert {name: _creator_flags(tree[cid]) for name, cid in comments.items()} == expected
    # Carol's own relations, in the tree she fetched.
    tree = {v["comment"]["id"]: v for v in api.get(
        "/comment/list", token=carol.token, max_depth=8, **query)["comments"]}
    votes = {name: tree[cid].get("my_vote") for name, cid in comments.items()}
    assert votes == {"alice": -1, "admin": None, "bob": 1, "dave": None}
    assert [name for name, cid in comments.items() if tree[cid]["saved"]] == ["admin"]
    assert {v["subscribed"] for v in tree.values()} == {"Subscribed"}
    assert {v["banned_from_community"] for v in tree.values()} == {False}
    assert {v["creator_blocked"] for v in tree.values()} == {False}
    erins = api.get("/comment/list", token=w["erin"].token, max_depth=8, **query)["comments"]
    assert {(v["banned_from_community"], v["subscribed"]) for v in erins} == {
        (True, "NotSubscribed")}
    anonymous = api.get("/comment/list", max_depth=8, **query)["comments"]
    assert {(v["subscribed"], v["saved"], v["banned_from_community"], "my_vote" in v)
            for v in anonymous} == {("NotSubscribed", False, False, False)}


def test_post_flags_agree_in_listing_and_single_view(api: ApiClient) -> None:
    w = _world(api)
    carol = w["carol"]
    api.post("/user/block", {"person_id": w["dave"].person_id, "block": True}, token=carol.token)
    listed = {v["post"]["id"]: v for v in api.get(
        "/post/list", token=carol.token, type_="All", sort="New", show_hidden=True,
        show_read=True)["posts"]}
    # Dave's post is left out of Carol's listings now that she blocks him.
    assert set(listed) == {w["post"], w["other_post"]}
    single = {pid: api.get("/post", id=pid, token=carol.token)["post_view"]
              for pid in (w["post"], w["daves_post"], w["other_post"])}
    for pid, view in listed.items():
        assert view == single[pid]
    mine, daves, other = single[w["post"]], single[w["daves_post"]], single[w["other_post"]]
    # Opening it marked it read.
    assert (mine["saved"], mine["read"], mine["hidden"]) == (True, True, False)
    assert mine["unread_comments"] == 1 and mine["counts"]["comments"] == 5
    assert (daves["read"], daves["my_vote"], daves["creator_blocked"]) == (True, -1, True)
    assert _creator_flags(daves) == (True, False, False)
    assert _creator_flags(mine) == (False, True, False)
    assert (other["hidden"], other["saved"], other["creator_blocked"]) == (True, False, False)
    assert {v["subscribed"] for v in single.values()} == {"Subscribed"}
    assert {v["banned_from_community"] for v in single.values()} == {False}
    erins = api.get("/post", id=w["post"], token=w["erin"].token)["post_view"]
    assert (erins["banned_from_community"], erins["subscribed"]) == (True, "NotSubscribed")
    anonymous = api.get("/post", id=w["daves_post"])["post_view"]
    assert _creator_flags(anonymous) == (True, False, False)
    assert (anonymous["saved"], anonymous["read"], anonymous["hidden"],
            anonymous["creator_blocked"], anonymous["subscribed"], "my_vote" in anonymous,
            anonymous["unread_comments"]) == (False, False, False, False, "NotSubscribed",
                                              False, 0)
