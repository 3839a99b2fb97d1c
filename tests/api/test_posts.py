"""Posts through the v3 API: create, edit, delete, read, vote, save, mark read, hide."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update

from moot.db import tables as t
from moot.db.engine import Database
from moot.db.types import utcnow
from moot.ranking import controversy_rank
from tests.helpers import ApiClient, Person


def db(api: ApiClient) -> Database:
    return api.client.app.state.ctx.db  # type: ignore[attr-defined,no-any-return]


def row(api: ApiClient, table: Any, key: int) -> Any:
    with db(api).read() as conn:
        return conn.execute(select(table).where(table.c.id == key)).mappings().one()


def set_row(api: ApiClient, table: Any, key: int, **values: Any) -> None:
    with db(api).write() as conn:
        conn.execute(update(table).where(table.c.id == key).values(**values))


def setup(api: ApiClient) -> tuple[Person, Person, int]:
    """Alice, who made a community, and Bob."""
    alice, bob = api.make_person(), api.make_person()
    return alice, bob, api.make_community(alice.token)["community"]["id"]


def post_counts(api: ApiClient, person: Person) -> int:
    return int(api.get("/user", person_id=person.person_id)["person_view"]["counts"]["post_count"])


def community_posts(api: ApiClient, community_id: int) -> int:
    return int(api.get("/community", id=community_id)["community_view"]["counts"]["posts"])


def listed(api: ApiClient, token: str | None = None, **query: Any) -> list[int]:
    query.setdefault("type_", "All")
    return [v["post"]["id"] for v in api.get("/post/list", token=token, **query)["posts"]]


# Create ------------------------------------------------------------------------------------


def test_create_post(api: ApiClient) -> None:
    alice, _bob, community_id = setup(api)
    view = api.post("/post", {"name": "  Hello world  ", "community_id": community_id,
                              "url": "https://example.com/a", "body": "**Hi**",
                              "alt_text": "a picture", "language_id": 37,
                              "custom_thumbnail": "https://example.com/t.png"},
                    token=alice.token)["post_view"]
    post = view["post"]
    assert post["name"] == "Hello world"
    assert post["url"] == "https://example.com/a"
    assert post["body"] == "**Hi**"
    assert post["alt_text"] == "a picture"
    assert post["language_id"] == 37
    assert post["thumbnail_url"] == "https://example.com/t.png"
    assert post["ap_id"] == f"http://moot.test/post/{post['id']}"
    assert post["local"] is True and post["nsfw"] is False and post["deleted"] is False
    assert "updated" not in post
    # The creator's own upvote, and the post read by the creator.
    assert view["counts"] == {"post_id": post["id"], "comments": 0, "score": 1, "upvotes": 1,
                              "downvotes": 0, "published": post["published"],
                              "newest_comment_time": post["published"]}
    assert view["my_vote"] == 1 and view["read"] is True and view["unread_comments"] == 0
    assert view["creator"]["id"] == alice.person_id
    assert view["creator_is_moderator"] is True and view["creator_is_admin"] is False
    assert view["subscribed"] == "Subscribed"
    stored = row(api, t.post, post["id"])
    assert stored["newest_comment_time_necro"] == stored["published"]
    assert row(api, t.person, alice.person_id)["post_score"] == 1
    assert post_counts(api, alice) == 1
    assert community_posts(api, community_id) == 1


def test_create_post_defaults_and_admin_flag(api: ApiClient, admin: str) -> None:
    community_id = api.make_community(admin)["community"]["id"]
    view = api.make_post(admin, community_id, "Plain")
    assert view["post"]["language_id"] == 0
    assert "url" not in view["post"] and "body" not in view["post"]
    assert view["creator_is_admin"] is True


def test_create_post_refusals(api: ApiClient) -> None:
    alice, _bob, cid = setup(api)

    def refused(**body: Any) -> str:
        return api.error("POST", "/post", {"name": "A fine title", "community_id": cid, **body},
                         token=alice.token)

    assert refused(name="ab") == "invalid_post_title"
    assert refused(name="   ab   ") == "invalid_post_title"
    assert refused(name="x" * 201) == "invalid_post_title"
    assert refused(name="two\nlines") == "invalid_post_title"
    assert refused(name="trailing newline\n") == "invalid_post_title"
    assert refused(url="ftp://example.com/file") == "invalid_url_scheme"
    assert refused(url="not a url") == "invalid_url"
    assert refused(url="https://example.com/" + "a" * 2000) == "url_length_overflow"
    assert refused(custom_thumbnail="javascript:alert(1)") == "invalid_url_scheme"
    # 25 001 emoji are 50 002 UTF-16 units: over the limit although only 25 001 characters.
    assert refused(body="\U0001F600" * 25_001) == "invalid_body_field"
    assert refused(alt_text="a" * 1501) == "alt_text_length_overflow"
    assert refused(honeypot="I am a bot") == "honeypot_failed"
    assert refused(language_id=9999) == "language_not_allowed"
    assert api.error("POST", "/post", {"name": "Nowhere", "community_id": 999_999},
                     token=alice.token, expect=404) == "couldnt_find_community"
    assert api.error("POST", "/post", {"name": "Anonymous", "community_id": cid},
                     expect=401) == "incorrect_login"
    assert api.error("POST", "/post", {"name": ["not", "text"], "community_id": cid},
                     token=alice.token) == "unknown"
    assert api.error("POST", "/post", {"name": "No community"}, token=alice.token) == "unknown"
    # Limits hold exactly at their edges.
    api.make_post(alice.token, cid, "abc", body="\U0001F600" * 25_000, alt_text="a" * 1500,
                  url="magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a")
    api.make_post(alice.token, cid, "y" * 200)
    api.make_post(alice.token, cid, "Empty honeypot", honeypot="")


def test_create_post_community_rules(api: ApiClient, admin: str) -> None:
    alice, bob, cid = setup(api)
    restricted = api.make_community(alice.token, posting_restricted_to_mods=True)
    rid = restricted["community"]["id"]
    assert api.error("POST", "/post", {"name": "Not a mod", "community_id": rid},
                     token=bob.token) == "only_mods_can_post_in_community"
    api.make_post(alice.token, rid, "The moderator may")

    with db(api).write() as conn:
        conn.execute(insert(t.community_person_ban).values(
            community_id=cid, person_id=bob.person_id, published=utcnow()))
    assert api.error("POST", "/post", {"name": "Banned", "community_id": cid},
                     token=bob.token) == "banned_from_community"
    with db(api).write() as conn:  # an expired ban no longer holds
        conn.execute(update(t.community_person_ban).values(expires=utcnow() - timedelta(days=1)))
    api.make_post(bob.token, cid, "Ban expired")

    set_row(api, t.person, bob.person_id, banned=True)
    assert api.error("POST", "/post", {"name": "Site banned", "community_id": cid},
                     token=bob.token) == "site_ban"

    set_row(api, t.community, rid, deleted=True)
    assert api.error("POST", "/post", {"name": "Deleted community", "community_id": rid},
                     token=alice.token) == "deleted"
    set_row(api, t.community, rid, deleted=False, removed=True)
    assert api.error("POST", "/post", {"name": "Removed community", "community_id": rid},
                     token=alice.token) == "deleted"


def test_nsfw_posts(api: ApiClient, admin: str) -> None:
    alice, _bob, cid = setup(api)
    nsfw_community = api.make_community(alice.token, nsfw=True)["community"]["id"]
    assert api.make_post(alice.token, nsfw_community, "Forced nsfw")["post"]["nsfw"] is True
    assert api.make_post(alice.token, cid, "Chosen nsfw", nsfw=True)["post"]["nsfw"] is True
    api.put("/site", {"enable_nsfw": False}, token=admin)
    assert api.error("POST", "/post", {"name": "Not here", "community_id": cid, "nsfw": True},
                     token=alice.token) == "nsfw_not_allowed"
    api.make_post(alice.token, cid, "Explicitly safe", nsfw=False)


def test_slur_filter(api: ApiClient, admin: str) -> None:
    alice, _bob, cid = setup(api)
    api.put("/site", {"slur_filter_regex": "badword"}, token=admin)
    assert api.error("POST", "/post", {"name": "A BadWord here", "community_id": cid},
                     token=alice.token) == "slurs"
    # A slur in the body is masked, not refused (Lemmy 0.19).
    post = api.make_post(alice.token, cid, "Fine", body="a badword here")["post"]
    assert post["body"] == "a *removed* here"


# Edit and delete ---------------------------------------------------------------------------


def test_edit_post(api: ApiClient) -> None:
    alice, bob, cid = setup(api)
    post = api.make_post(alice.token, cid, "Original", url="https://example.com/1", body="b",
                         alt_text="alt")["post"]
    view = api.put("/post", {"post_id": post["id"], "name": "Edited", "body": "new body",
                             "language_id": 37}, token=alice.token)["post_view"]
    assert view["post"]["name"] == "Edited"
    assert view["post"]["body"] == "new body"
    assert view["post"]["url"] == "https://example.com/1"  # untouched when not sent
    assert view["post"]["language_id"] == 37
    assert view["post"]["updated"] >= view["post"]["published"]
    # An empty string clears a field, as in Lemmy.
    view = api.put("/post", {"post_id": post["id"], "url": "", "body": "", "alt_text": ""},
                   token=alice.token)["post_view"]
    assert {"url", "body", "alt_text"}.isdisjoint(view["post"])
    assert view["post"]["name"] == "Edited"

    def refused(token: str = alice.token, expect: int = 400, **body: Any) -> str:
        return api.error("PUT", "/post", {"post_id": post["id"], **body}, token=token,
                         expect=expect)

    assert refused(token=bob.token, name="Hijacked") == "no_post_edit_allowed"
    assert refused(name="no") == "invalid_post_title"
    assert refused(url="gopher://old") == "invalid_url_scheme"
    assert refused(body="x" * 50_001) == "invalid_body_field"
    assert refused(language_id=4242) == "language_not_allowed"
    assert api.error("PUT", "/post", {"post_id": 999_999, "name": "Ghost"}, token=alice.token,
                     expect=404) == "couldnt_find_post"
    assert api.get("/post", id=post["id"])["post_view"]["post"]["name"] == "Edited"


def test_delete_and_restore_post(api: ApiClient) -> None:
    alice, bob, cid = setup(api)
    post_id = api.make_post(alice.token, cid, "Short lived")["post"]["id"]
    assert community_posts(api, cid) == 1
    assert api.error("POST", "/post/delete", {"post_id": post_id, "deleted": True},
                     token=bob.token) == "no_post_edit_allowed"
    view = api.post("/post/delete", {"post_id": post_id, "deleted": True},
                    token=alice.token)["post_view"]
    assert view["post"]["deleted"] is True
    assert api.error("POST", "/post/delete", {"post_id": post_id, "deleted": True},
                     token=alice.token) == "couldnt_update_post"
    assert community_posts(api, cid) == 0 and post_counts(api, alice) == 0
    # Gone for everyone else; its creator still sees it, in listings and by id.
    assert post_id not in listed(api) and post_id not in listed(api, bob.token)
    assert post_id in listed(api, alice.token)
    assert api.error("GET", "/post", id=post_id, expect=404) == "couldnt_find_post"
    assert api.error("GET", "/post", id=post_id, token=bob.token,
                     expect=404) == "couldnt_find_post"
    assert api.get("/post", id=post_id, token=alice.token)["post_view"]["post"]["deleted"]

    view = api.post("/post/delete", {"post_id": post_id, "deleted": False},
                    token=alice.token)["post_view"]
    assert view["post"]["deleted"] is False
    assert community_posts(api, cid) == 1 and post_counts(api, alice) == 1
    assert post_id in listed(api, bob.token)
    assert api.error("POST", "/post/delete", {"post_id": 424242, "deleted": True},
                     token=alice.token, expect=404) == "couldnt_find_post"


def test_removed_post_visible_to_moderators_only(api: ApiClient, admin: str) -> None:
    alice, bob, cid = setup(api)
    post_id = api.make_post(bob.token, cid, "Against the rules")["post"]["id"]
    set_row(api, t.post, post_id, removed=True)
    carol = api.make_person()
    assert api.error("GET", "/post", id=post_id, token=carol.token,
                     expect=404) == "couldnt_find_post"
    assert api.get("/post", id=post_id, token=alice.token)["post_view"]["post"]["removed"]
    assert api.get("/post", id=post_id, token=admin)["post_view"]["post"]["removed"]
    assert api.get("/post", id=post_id, token=bob.token)["post_view"]["post"]["removed"]
    assert post_id not in listed(api, bob.token) and post_id not in listed(api, admin)


# Read --------------------------------------------------------------------------------------


def test_get_post(api: ApiClient) -> None:
    alice, bob, cid = setup(api)
    link = "https://example.com/shared"
    first = api.make_post(alice.token, cid, "First link", url=link)["post"]["id"]
    other_community = api.make_community(bob.token)["community"]["id"]
    second = api.make_post(bob.token, other_community, "Same link", url=link)["post"]["id"]
    api.make_post(bob.token, other_community, "Different link", url="https://example.com/o")

    got = api.get("/post", id=first)
    assert got["post_view"]["post"]["id"] == first
    assert "my_vote" not in got["post_view"] and got["post_view"]["read"] is False
    assert got["community_view"]["community"]["id"] == cid
    assert [m["moderator"]["id"] for m in got["moderators"]] == [alice.person_id]
    assert [v["post"]["id"] for v in got["cross_posts"]] == [second]

    comment = api.make_comment(bob.token, second)["comment"]["id"]
    by_comment = api.get("/post", comment_id=comment)
    assert by_comment["post_view"]["post"]["id"] == second
    assert [v["post"]["id"] for v in by_comment["cross_posts"]] == [first]

    assert api.error("GET", "/post", id=123_456, expect=404) == "couldnt_find_post"
    assert api.error("GET", "/post", comment_id=123_456, expect=404) == "couldnt_find_comment"
    assert api.error("GET", "/post", expect=404) == "couldnt_find_post"
    assert api.error("GET", "/post", id="abc") == "unknown"


def test_reading_marks_read_and_counts_unread_comments(api: ApiClient) -> None:
    alice, bob, cid = setup(api)
    post_id = api.make_post(alice.token, cid)["post"]["id"]
    set_row(api, t.post, post_id, comments=3)
    before = api.get("/post", id=post_id, token=bob.token)["post_view"]
    # As in Lemmy, the answer shows the post as it was before this read.
    assert before["read"] is False and before["unread_comments"] == 3
    after = api.get("/post", id=post_id, token=bob.token)["post_view"]
    assert after["read"] is True and after["unread_comments"] == 0
    set_row(api, t.post, post_id, comments=5)
    (view,) = api.get("/post/list", token=bob.token, type_="All")["posts"]
    assert view["read"] is True and view["unread_comments"] == 2
    api.get("/post", id=post_id, token=bob.token)
    assert api.get("/post/list", token=bob.token, type_="All")["posts"][0]["unread_comments"] == 0


def test_local_only_community_hidden_from_anonymous(api: ApiClient) -> None:
    alice, bob, _cid = setup(api)
    local_only = api.make_community(alice.token, visibility="LocalOnly")["community"]["id"]
    post_id = api.make_post(alice.token, local_only)["post"]["id"]
    assert api.error("GET", "/post", id=post_id, expect=404) == "couldnt_find_post"
    assert api.get("/post", id=post_id, token=bob.token)["post_view"]["post"]["id"] == post_id
    assert post_id not in listed(api) and post_id in listed(api, bob.token)


def test_private_instance_refuses_anonymous(api: ApiClient, admin: str) -> None:
    alice, _bob, cid = setup(api)
    post_id = api.make_post(alice.token, cid)["post"]["id"]
    api.put("/site", {"private_instance": True}, token=admin)
    assert api.error("GET", "/post", id=post_id) == "instance_is_private"
    assert api.error("GET", "/post/list") == "instance_is_private"
    assert api.get("/post", id=post_id, token=alice.token)["post_view"]["post"]["id"] == post_id


# Votes -------------------------------------------------------------------------------------


def test_like_post(api: ApiClient) -> None:
    alice, bob, cid = setup(api)
    post_id = api.make_post(alice.token, cid)["post"]["id"]
    carol = api.make_person()

    def like(person: Person, score: int) -> dict[str, Any]:
        return api.post("/post/like", {"post_id": post_id, "score": score},
                        token=person.token)["post_view"]  # type: ignore[no-any-return]

    view = like(bob, 1)
    assert view["my_vote"] == 1 and view["read"] is True
    assert (view["counts"]["score"], view["counts"]["upvotes"], view["counts"]["downvotes"]) \
        == (2, 2, 0)
    view = like(carol, -1)
    assert view["my_vote"] == -1
    assert (view["counts"]["score"], view["counts"]["upvotes"], view["counts"]["downvotes"]) \
        == (1, 2, 1)
    assert row(api, t.post, post_id)["controversy_rank"] == controversy_rank(2, 1)
    assert row(api, t.person, alice.person_id)["post_score"] == 1
    view = like(bob, -1)  # a new vote replaces the old one
    assert (view["counts"]["score"], view["counts"]["upvotes"], view["counts"]["downvotes"]) \
        == (-1, 1, 2)
    assert row(api, t.person, alice.person_id)["post_score"] == -1
    view = like(bob, 0)  # 0 takes the vote back
    assert "my_vote" not in view
    assert (view["counts"]["score"], view["counts"]["upvotes"], view["counts"]["downvotes"]) \
        == (0, 1, 1)
    view = like(alice, 0)  # the creator may take back their own upvote
    assert (view["counts"]["score"], view["counts"]["upvotes"], view["counts"]["downvotes"]) \
        == (-1, 0, 1)
    assert row(api, t.post, post_id)["controversy_rank"] == 0
    assert row(api, t.person, alice.person_id)["post_score"] == -1
    with db(api).read() as conn:
        votes = dict(conn.execute(select(t.post_like.c.person_id, t.post_like.c.score)
                                  .where(t.post_like.c.post_id == post_id)).all())
    assert votes == {carol.person_id: -1}


def test_like_post_refusals(api: ApiClient, admin: str) -> None:
    alice, bob, cid = setup(api)
    post_id = api.make_post(alice.token, cid)["post"]["id"]

    def refused(person: Person, score: int = 1, pid: int = post_id, expect: int = 400) -> str:
        return api.error("POST", "/post/like", {"post_id": pid, "score": score},
                         token=person.token, expect=expect)

    assert refused(bob, 2) == "invalid_vote_value"
    assert refused(bob, pid=987_654, expect=404) == "couldnt_find_post"
    assert api.error("POST", "/post/like", {"post_id": post_id, "score": 1},
                     expect=401) == "incorrect_login"
    api.put("/site", {"enable_downvotes": False}, token=admin)
    assert refused(bob, -1) == "downvotes_are_disabled"
    api.post("/post/like", {"post_id": post_id, "score": 1}, token=bob.token)

    robot = api.make_person()
    set_row(api, t.person, robot.person_id, bot_account=True)
    assert refused(robot) == "invalid_bot_action"

    with db(api).write() as conn:
        conn.execute(insert(t.community_person_ban).values(
            community_id=cid, person_id=bob.person_id, published=utcnow()))
    assert refused(bob) == "banned_from_community"

    carol = api.make_person()
    api.post("/post/delete", {"post_id": post_id, "deleted": True}, token=alice.token)
    assert refused(carol) == "deleted"
    api.post("/post/delete", {"post_id": post_id, "deleted": False}, token=alice.token)
    set_row(api, t.post, post_id, removed=True)
    assert refused(carol) == "deleted"
    assert row(api, t.post, post_id)["score"] == 2


# Save, mark read, hide ---------------------------------------------------------------------


def test_save_post(api: ApiClient) -> None:
    alice, bob, cid = setup(api)
    post_id = api.make_post(alice.token, cid)["post"]["id"]
    view = api.put("/post/save", {"post_id": post_id, "save": True}, token=bob.token)["post_view"]
    assert view["saved"] is True and view["read"] is True
    api.put("/post/save", {"post_id": post_id, "save": True}, token=bob.token)  # idempotent
    assert listed(api, bob.token, saved_only=True) == [post_id]
    assert listed(api, alice.token, saved_only=True) == []
    assert listed(api, saved_only=True) == []
    view = api.put("/post/save", {"post_id": post_id, "save": False},
                   token=bob.token)["post_view"]
    assert view["saved"] is False
    assert listed(api, bob.token, saved_only=True) == []
    assert api.error("PUT", "/post/save", {"post_id": 55_555, "save": True}, token=bob.token,
                     expect=404) == "couldnt_find_post"


def test_mark_as_read(api: ApiClient) -> None:
    alice, bob, cid = setup(api)
    first = api.make_post(alice.token, cid)["post"]["id"]
    second = api.make_post(alice.token, cid)["post"]["id"]

    def read_flags() -> dict[int, bool]:
        posts = api.get("/post/list", token=bob.token, type_="All")["posts"]
        return {v["post"]["id"]: v["read"] for v in posts}

    assert read_flags() == {first: False, second: False}
    assert api.post("/post/mark_as_read", {"post_ids": [first, second, first], "read": True},
                    token=bob.token) == {"success": True}
    assert read_flags() == {first: True, second: True}
    api.post("/post/mark_as_read", {"post_ids": [first], "read": True}, token=bob.token)
    api.post("/post/mark_as_read", {"post_ids": [second], "read": False}, token=bob.token)
    assert read_flags() == {first: True, second: False}
    # The single post_id of older clients is accepted too.
    api.post("/post/mark_as_read", {"post_id": second, "read": True}, token=bob.token)
    assert read_flags() == {first: True, second: True}
    assert api.error("POST", "/post/mark_as_read", {"post_ids": [first, 99_999], "read": True},
                     token=bob.token) == "couldnt_mark_post_as_read"
    assert api.error("POST", "/post/mark_as_read", {"read": True},
                     token=bob.token) == "no_id_given"
    assert api.error("POST", "/post/mark_as_read", {"post_ids": list(range(1, 10_002)),
                                                    "read": True},
                     token=bob.token) == "too_many_items"
    assert api.error("POST", "/post/mark_as_read", {"post_ids": [first], "read": True},
                     expect=401) == "incorrect_login"


def test_hide_posts(api: ApiClient) -> None:
    alice, bob, cid = setup(api)
    first = api.make_post(alice.token, cid)["post"]["id"]
    second = api.make_post(alice.token, cid)["post"]["id"]
    assert api.post("/post/hide", {"post_ids": [first], "hide": True},
                    token=bob.token) == {"success": True}
    assert listed(api, bob.token) == [second]
    shown = api.get("/post/list", token=bob.token, type_="All", show_hidden=True)["posts"]
    assert {v["post"]["id"]: v["hidden"] for v in shown} == {first: True, second: False}
    assert set(listed(api, alice.token)) == {first, second}
    api.post("/post/hide", {"post_ids": [first], "hide": False}, token=bob.token)
    assert set(listed(api, bob.token)) == {first, second}
    assert api.error("POST", "/post/hide", {"post_ids": [77_777], "hide": True},
                     token=bob.token) == "couldnt_hide_post"
