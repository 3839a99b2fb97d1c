"""Comments through the v3 API: the tree, counts, edits, deletes, votes, saves and listings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update

from moot.db import tables as t
from moot.db.engine import Database
from moot.db.types import utcnow
from tests.helpers import ApiClient, Person


def db(api: ApiClient) -> Database:
    return api.client.app.state.ctx.db  # type: ignore[attr-defined,no-any-return]


def setup_thread(api: ApiClient) -> tuple[Person, Person, dict[str, Any], dict[str, Any]]:
    """Alice's community with Alice's post; Bob is another user."""
    alice, bob = api.make_person(), api.make_person()
    community = api.make_community(alice.token)
    post = api.make_post(alice.token, community["community"]["id"])
    return alice, bob, community, post


def row(api: ApiClient, table: Any, key: int) -> Any:
    with db(api).read() as conn:
        return conn.execute(select(table).where(table.c.id == key)).mappings().one()


def set_row(api: ApiClient, table: Any, key: int, **values: Any) -> None:
    with db(api).write() as conn:
        conn.execute(update(table).where(table.c.id == key).values(**values))


def local_user_id(api: ApiClient, person: Person) -> int:
    site = api.get("/site", token=person.token)
    return int(site["my_user"]["local_user_view"]["local_user"]["id"])


def listing(api: ApiClient, token: str | None = None, **query: Any) -> list[dict[str, Any]]:
    return api.get("/comment/list", token=token, **query)["comments"]  # type: ignore[no-any-return]


def ids(views: list[dict[str, Any]]) -> list[int]:
    return [v["comment"]["id"] for v in views]


def test_create_comment_and_reply(api: ApiClient) -> None:
    alice, bob, community, post = setup_thread(api)
    post_id = post["post"]["id"]
    created = api.post("/comment", {"post_id": post_id, "content": "First!"}, token=bob.token)
    top = created["comment_view"]
    cid = top["comment"]["id"]
    assert top["comment"]["path"] == f"0.{cid}"
    assert top["comment"]["ap_id"] == f"http://moot.test/comment/{cid}"
    assert top["comment"]["content"] == "First!"
    assert top["comment"]["language_id"] == 0
    assert top["counts"] == {"comment_id": cid, "score": 1, "upvotes": 1, "downvotes": 0,
                             "published": top["comment"]["published"], "child_count": 0}
    assert top["my_vote"] == 1
    assert top["creator"]["id"] == bob.person_id
    assert top["post"]["id"] == post_id
    assert top["community"]["id"] == community["community"]["id"]
    assert top["creator_is_moderator"] is False and top["creator_is_admin"] is False
    assert top["subscribed"] == "NotSubscribed"
    assert "updated" not in top["comment"]
    # A top-level comment on Alice's post notifies Alice (by local_user id).
    assert created["recipient_ids"] == [local_user_id(api, alice)]

    reply = api.post("/comment", {"post_id": post_id, "content": "Reply", "parent_id": cid},
                     token=alice.token)
    rid = reply["comment_view"]["comment"]["id"]
    assert reply["comment_view"]["comment"]["path"] == f"0.{cid}.{rid}"
    assert reply["comment_view"]["creator_is_moderator"] is True
    assert reply["comment_view"]["subscribed"] == "Subscribed"
    assert reply["recipient_ids"] == [local_user_id(api, bob)]
    assert row(api, t.comment, rid)["depth"] == 2
    # A reply to your own comment notifies nobody.
    own = api.post("/comment", {"post_id": post_id, "content": "Me", "parent_id": rid},
                   token=alice.token)
    assert own["recipient_ids"] == []

    assert row(api, t.post, post_id)["comments"] == 3
    got = api.get("/community", id=community["community"]["id"])["community_view"]["counts"]
    assert got["comments"] == 3
    assert row(api, t.person, bob.person_id)["comment_count"] == 1
    assert row(api, t.person, bob.person_id)["comment_score"] == 1
    assert row(api, t.person, alice.person_id)["comment_count"] == 2
    assert api.get("/comment", id=cid)["comment_view"]["counts"]["child_count"] == 2


def test_child_count_counts_every_ancestor(api: ApiClient) -> None:
    alice, bob, _, post = setup_thread(api)
    chain = [api.make_comment(bob.token, post["post"]["id"])]
    for _ in range(3):
        chain.append(api.make_comment(alice.token, post["post"]["id"],
                                      parent_id=chain[-1]["comment"]["id"]))
    api.make_comment(bob.token, post["post"]["id"], parent_id=chain[1]["comment"]["id"])
    counts = {v["comment"]["id"]: v["counts"]["child_count"]
              for v in listing(api, post_id=post["post"]["id"], max_depth=10)}
    assert [counts[c["comment"]["id"]] for c in chain] == [4, 3, 1, 0]
    paths = [row(api, t.comment, c["comment"]["id"])["path"] for c in chain]
    assert paths[3] == "0." + ".".join(str(c["comment"]["id"]) for c in chain)
    assert [row(api, t.comment, c["comment"]["id"])["depth"] for c in chain] == [1, 2, 3, 4]


def test_depth_limit_is_fifty(api: ApiClient) -> None:
    alice, _, _, post = setup_thread(api)
    parent_id = None
    for _ in range(50):
        parent_id = api.make_comment(alice.token, post["post"]["id"], "deep",
                                     parent_id=parent_id)["comment"]["id"]
    assert row(api, t.comment, parent_id)["depth"] == 50
    assert api.error("POST", "/comment", {"post_id": post["post"]["id"], "content": "too deep",
                                          "parent_id": parent_id},
                     token=alice.token) == "max_comment_depth_reached"


def test_create_refusals(api: ApiClient, admin: str) -> None:
    alice, bob, community, post = setup_thread(api)
    post_id = post["post"]["id"]

    def refuse(body: dict[str, Any], token: str = bob.token, expect: int = 400) -> str:
        return api.error("POST", "/comment", {"post_id": post_id, "content": "x", **body},
                         token=token, expect=expect)

    assert api.error("POST", "/comment", {"post_id": post_id, "content": "x"},
                     expect=401) == "incorrect_login"
    assert refuse({"post_id": 999999}, expect=404) == "couldnt_find_post"
    assert refuse({"content": ""}) == "invalid_body_field"
    assert refuse({"content": "  \n "}) == "invalid_body_field"
    assert refuse({"content": "a" * 10_001}) == "invalid_body_field"
    # Lemmy counts UTF-16 units: an emoji is two.
    assert refuse({"content": "\U0001F600" * 5_001}) == "invalid_body_field"
    api.make_comment(bob.token, post_id, "a" * 10_000)
    assert refuse({"language_id": 99999}) == "language_not_allowed"
    assert refuse({"parent_id": 999999}, expect=404) == "couldnt_find_comment"
    other_post = api.make_post(alice.token, community["community"]["id"])
    elsewhere = api.make_comment(alice.token, other_post["post"]["id"])
    assert refuse({"parent_id": elsewhere["comment"]["id"]}) == "couldnt_create_comment"

    set_row(api, t.post, post_id, locked=True)
    assert refuse({}) == "locked"
    api.make_comment(alice.token, post_id, "Moderators may still comment")
    api.make_comment(admin, post_id, "So may admins")
    set_row(api, t.post, post_id, locked=False, deleted=True)
    assert refuse({}) == "deleted"
    set_row(api, t.post, post_id, deleted=False, removed=True)
    assert refuse({}) == "deleted"
    set_row(api, t.post, post_id, removed=False)

    with db(api).write() as conn:
        conn.execute(insert(t.community_person_ban).values(
            community_id=community["community"]["id"], person_id=bob.person_id,
            published=utcnow()))
    assert refuse({}) == "banned_from_community"
    carol = api.make_person()
    set_row(api, t.person, carol.person_id, banned=True)
    assert refuse({}, token=carol.token) == "site_ban"
    set_row(api, t.person, carol.person_id, ban_expires=utcnow() - timedelta(days=1))
    api.make_comment(carol.token, post_id, "An expired ban is no ban")


def test_edit_comment(api: ApiClient) -> None:
    alice, bob, _, post = setup_thread(api)
    comment = api.make_comment(bob.token, post["post"]["id"], "Frist")
    cid = comment["comment"]["id"]
    edited = api.put("/comment", {"comment_id": cid, "content": "First", "language_id": 37},
                     token=bob.token)["comment_view"]
    assert edited["comment"]["content"] == "First"
    assert edited["comment"]["language_id"] == 37
    assert "updated" in edited["comment"]
    assert edited["comment"]["path"] == comment["comment"]["path"]
    assert api.error("PUT", "/comment", {"comment_id": cid, "content": "Mine now"},
                     token=alice.token) == "no_comment_edit_allowed"
    assert api.error("PUT", "/comment", {"comment_id": cid, "content": ""},
                     token=bob.token) == "invalid_body_field"
    assert api.error("PUT", "/comment", {"comment_id": 999999, "content": "x"},
                     token=bob.token, expect=404) == "couldnt_find_comment"
    assert api.get("/comment", id=cid)["comment_view"]["comment"]["content"] == "First"


def test_delete_keeps_children_and_hides_content(api: ApiClient, admin: str) -> None:
    alice, bob, community, post = setup_thread(api)
    post_id = post["post"]["id"]
    parent = api.make_comment(bob.token, post_id, "Parent words")
    pid = parent["comment"]["id"]
    child = api.make_comment(alice.token, post_id, "Child words", parent_id=pid)
    assert api.error("POST", "/comment/delete", {"comment_id": pid, "deleted": True},
                     token=alice.token) == "no_comment_edit_allowed"
    deleted = api.post("/comment/delete", {"comment_id": pid, "deleted": True}, token=bob.token)
    assert deleted["comment_view"]["comment"]["deleted"] is True
    assert deleted["comment_view"]["comment"]["content"] == ""
    assert api.error("POST", "/comment/delete", {"comment_id": pid, "deleted": True},
                     token=bob.token) == "couldnt_update_comment"

    tree = {v["comment"]["id"]: v for v in listing(api, post_id=post_id, max_depth=8)}
    assert set(tree) == {pid, child["comment"]["id"]}
    assert tree[pid]["comment"]["content"] == ""
    assert tree[pid]["counts"]["child_count"] == 1
    assert tree[child["comment"]["id"]]["comment"]["content"] == "Child words"
    admin_view = api.get("/comment", id=pid, token=admin)["comment_view"]
    assert admin_view["comment"]["content"] == "Parent words"
    # A deleted comment stops counting, as in Lemmy's triggers.
    assert row(api, t.post, post_id)["comments"] == 1
    assert row(api, t.person, bob.person_id)["comment_count"] == 0
    assert api.get("/community", id=community["community"]["id"]
                   )["community_view"]["counts"]["comments"] == 1

    restored = api.post("/comment/delete", {"comment_id": pid, "deleted": False},
                        token=bob.token)["comment_view"]
    assert restored["comment"]["content"] == "Parent words"
    assert restored["comment"]["deleted"] is False
    assert row(api, t.post, post_id)["comments"] == 2
    assert row(api, t.person, bob.person_id)["comment_count"] == 1


def test_vote_on_comment(api: ApiClient, admin: str) -> None:
    alice, bob, _, post = setup_thread(api)
    comment = api.make_comment(bob.token, post["post"]["id"])
    cid = comment["comment"]["id"]
    assert api.get("/comment", id=cid, token=alice.token)["comment_view"]["my_vote"] == 0
    assert "my_vote" not in api.get("/comment", id=cid)["comment_view"]

    def like(person: Person, score: int) -> dict[str, Any]:
        return api.post("/comment/like", {"comment_id": cid, "score": score},
                        token=person.token)["comment_view"]  # type: ignore[no-any-return]

    view = like(alice, -1)
    assert view["my_vote"] == -1
    assert (view["counts"]["score"], view["counts"]["upvotes"], view["counts"]["downvotes"]) \
        == (0, 1, 1)
    assert row(api, t.comment, cid)["controversy_rank"] == 2.0  # (1+1) ** (1/1)
    assert row(api, t.person, bob.person_id)["comment_score"] == 0
    view = like(alice, 1)
    assert (view["counts"]["score"], view["counts"]["upvotes"], view["counts"]["downvotes"]) \
        == (2, 2, 0)
    assert row(api, t.comment, cid)["controversy_rank"] == 0.0
    assert row(api, t.person, bob.person_id)["comment_score"] == 2
    view = like(alice, 0)
    assert view["my_vote"] == 0
    assert view["counts"]["score"] == 1
    assert row(api, t.person, bob.person_id)["comment_score"] == 1
    view = like(bob, 0)  # the creator takes back their own upvote
    assert view["counts"]["score"] == 0 and view["counts"]["upvotes"] == 0

    assert api.error("POST", "/comment/like", {"comment_id": cid, "score": 2},
                     token=alice.token) == "invalid_vote_value"
    assert api.error("POST", "/comment/like", {"comment_id": 999999, "score": 1},
                     token=alice.token, expect=404) == "couldnt_find_comment"
    api.put("/site", {"enable_downvotes": False}, token=admin)
    api.client.app.state.ctx.site_changed()  # type: ignore[attr-defined]
    assert api.error("POST", "/comment/like", {"comment_id": cid, "score": -1},
                     token=alice.token) == "downvotes_are_disabled"
    api.post("/comment/delete", {"comment_id": cid, "deleted": True}, token=bob.token)
    assert api.error("POST", "/comment/like", {"comment_id": cid, "score": 1},
                     token=alice.token) == "deleted"


def test_save_comment_and_saved_only(api: ApiClient) -> None:
    alice, bob, _, post = setup_thread(api)
    first = api.make_comment(bob.token, post["post"]["id"])
    second = api.make_comment(bob.token, post["post"]["id"])
    for comment in (second, first):
        view = api.put("/comment/save", {"comment_id": comment["comment"]["id"], "save": True},
                       token=alice.token)["comment_view"]
        assert view["saved"] is True
    api.put("/comment/save", {"comment_id": first["comment"]["id"], "save": True},
            token=alice.token)  # saving twice is fine
    # Most recently saved first.
    assert ids(listing(api, alice.token, saved_only=True)) == [first["comment"]["id"],
                                                               second["comment"]["id"]]
    assert listing(api, bob.token, saved_only=True) == []
    view = api.put("/comment/save", {"comment_id": first["comment"]["id"], "save": False},
                   token=alice.token)["comment_view"]
    assert view["saved"] is False
    assert ids(listing(api, alice.token, saved_only=True)) == [second["comment"]["id"]]
    assert api.error("PUT", "/comment/save", {"comment_id": 999999, "save": True},
                     token=alice.token, expect=404) == "couldnt_find_comment"


def test_liked_and_disliked_only(api: ApiClient) -> None:
    alice, bob, _, post = setup_thread(api)
    liked = api.make_comment(bob.token, post["post"]["id"])
    disliked = api.make_comment(bob.token, post["post"]["id"])
    api.make_comment(alice.token, post["post"]["id"])  # her own upvote does not count
    api.post("/comment/like", {"comment_id": liked["comment"]["id"], "score": 1},
             token=alice.token)
    api.post("/comment/like", {"comment_id": disliked["comment"]["id"], "score": -1},
             token=alice.token)
    assert ids(listing(api, alice.token, liked_only=True)) == [liked["comment"]["id"]]
    assert ids(listing(api, alice.token, disliked_only=True)) == [disliked["comment"]["id"]]
    assert api.error("GET", "/comment/list", token=alice.token, liked_only=True,
                     disliked_only=True) == "contradicting_filters"


def test_sorts(api: ApiClient) -> None:
    alice, bob, _, post = setup_thread(api)
    post_id = post["post"]["id"]
    a, b, c, d = (api.make_comment(bob.token, post_id)["comment"]["id"] for _ in range(4))
    now = utcnow()
    # a: old and popular; b: fresh, small; c: fresh, controversial; d: a week old, top score.
    set_row(api, t.comment, a, published=now - timedelta(hours=30), score=40, upvotes=40)
    set_row(api, t.comment, b, published=now - timedelta(minutes=5), score=2, upvotes=2)
    set_row(api, t.comment, c, published=now - timedelta(hours=1), score=0, upvotes=5,
            downvotes=5, controversy_rank=10.0)
    set_row(api, t.comment, d, published=now - timedelta(days=8), score=90, upvotes=90)
    for sort, expected in {"New": [b, c, a, d], "Old": [d, a, c, b], "Top": [d, a, b, c],
                           "Controversial": [c], "Hot": [b, c, a, d]}.items():
        got = ids(listing(api, post_id=post_id, sort=sort))
        assert got[:len(expected)] == expected, sort
    # Hot is the default, and a rank of 0 (older than a week) falls back to score.
    assert ids(listing(api, post_id=post_id)) == [b, c, a, d]


def test_tree_fetch_and_subtree(api: ApiClient) -> None:
    alice, bob, _, post = setup_thread(api)
    post_id = post["post"]["id"]

    def make(parent: int | None = None) -> int:
        return int(api.make_comment(bob.token, post_id, parent_id=parent)["comment"]["id"])

    root1, root2 = make(), make()
    r1a = make(root1)
    r1a_x = make(r1a)
    make(r1a_x)  # depth 4
    r2a = make(root2)
    # Enough top-level comments that some ids extend root1's (1 and 10 …): the subtree range
    # of "0.1" must not take "0.10".
    fillers = [make() for _ in range(12)]
    tree = listing(api, post_id=post_id, max_depth=2, sort="Old")
    assert len(tree) == 16
    assert max(v["comment"]["path"].count(".") for v in tree) == 2
    # Ordered by the parent's path first: all top-level comments, then the replies by parent.
    parent_paths = [v["comment"]["path"].rsplit(".", 1)[0] for v in tree]
    assert parent_paths[:14] == ["0"] * 14
    assert ids(tree)[:14] == [root1, root2, *fillers]
    assert ids(tree)[14:] == [r1a, r2a]

    sub = listing(api, parent_id=root1, max_depth=2)
    assert ids(sub) == [root1, r1a, r1a_x]
    sub = listing(api, parent_id=r1a, max_depth=1)
    assert ids(sub) == [r1a, r1a_x]
    whole = listing(api, parent_id=root1)
    assert len(whole) == 4
    assert all(v["comment"]["path"].startswith(f"0.{root1}") for v in whole)
    assert api.error("GET", "/comment/list", parent_id=999999, expect=404) \
        == "couldnt_find_comment"
    # A tree fetch ignores page and limit.
    assert len(listing(api, post_id=post_id, max_depth=10, limit=1, page=3)) == 18


def test_pagination(api: ApiClient) -> None:
    alice, bob, _, post = setup_thread(api)
    post_id = post["post"]["id"]
    made = [api.make_comment(bob.token, post_id)["comment"]["id"] for _ in range(12)]
    assert len(listing(api, post_id=post_id)) == 10
    page1 = ids(listing(api, post_id=post_id, sort="Old", limit=5))
    page3 = ids(listing(api, post_id=post_id, sort="Old", limit=5, page=3))
    assert page1 == made[:5] and page3 == made[10:]
    for bad in ({"page": 0}, {"page": 101}, {"limit": 0}, {"limit": 51}):
        assert api.error("GET", "/comment/list", post_id=post_id, **bad) \
            == "unknown"


def test_listing_filters_and_blocks(api: ApiClient) -> None:
    from moot.actions.people import do_block_person

    alice, bob, community, post = setup_thread(api)
    carol = api.make_person()
    bob_comment = api.make_comment(bob.token, post["post"]["id"])
    carol_comment = api.make_comment(carol.token, post["post"]["id"])
    other = api.make_community(carol.token)
    other_post = api.make_post(carol.token, other["community"]["id"])
    other_comment = api.make_comment(carol.token, other_post["post"]["id"])

    everything = {bob_comment["comment"]["id"], carol_comment["comment"]["id"],
                  other_comment["comment"]["id"]}
    assert set(ids(listing(api, type_="All"))) == everything
    assert set(ids(listing(api, alice.token, type_="Local"))) == everything
    assert set(ids(listing(api, community_id=other["community"]["id"]))) \
        == {other_comment["comment"]["id"]}
    assert set(ids(listing(api, community_name=other["community"]["name"]))) \
        == {other_comment["comment"]["id"]}
    assert set(ids(listing(api, alice.token, type_="Subscribed"))) \
        == {bob_comment["comment"]["id"], carol_comment["comment"]["id"]}
    assert set(ids(listing(api, carol.token, type_="ModeratorView"))) \
        == {other_comment["comment"]["id"]}

    ctx = api.client.app.state.ctx  # type: ignore[attr-defined]
    do_block_person(ctx, alice.person_id, carol.person_id, True)
    assert set(ids(listing(api, alice.token, type_="All"))) == {bob_comment["comment"]["id"]}
    assert set(ids(listing(api, type_="All"))) == everything  # only for the blocker
    view = api.get("/comment", id=carol_comment["comment"]["id"], token=alice.token)
    assert view["comment_view"]["creator_blocked"] is True
    with db(api).write() as conn:
        conn.execute(insert(t.community_block).values(
            person_id=bob.person_id, community_id=community["community"]["id"],
            published=utcnow()))
    assert set(ids(listing(api, bob.token, type_="All"))) == {other_comment["comment"]["id"]}


def test_newest_comment_times(api: ApiClient) -> None:
    alice, bob, _, post = setup_thread(api)
    post_id = post["post"]["id"]
    before = row(api, t.post, post_id)
    api.make_comment(alice.token, post_id)
    after_own = row(api, t.post, post_id)
    assert after_own["newest_comment_time"] > before["newest_comment_time"]
    # The post's creator does not bump the Active clock.
    assert after_own["newest_comment_time_necro"] == before["newest_comment_time_necro"]
    api.make_comment(bob.token, post_id)
    fresh = row(api, t.post, post_id)
    assert fresh["newest_comment_time_necro"] > before["newest_comment_time_necro"]

    old_time = utcnow() - timedelta(days=3)
    set_row(api, t.post, post_id, published=old_time, newest_comment_time_necro=old_time)
    api.make_comment(bob.token, post_id)
    necro = row(api, t.post, post_id)
    assert necro["newest_comment_time"] > fresh["newest_comment_time"]
    assert necro["newest_comment_time_necro"] == old_time
