"""Who may act at all: site bans on every write, community bans, locks, removed communities and
private instances, checked route by route."""

from typing import Any

import pytest
from sqlalchemy import update

from moot.db import tables as t
from tests.helpers import ApiClient, Person


def _world(api: ApiClient) -> dict[str, Any]:
    """An owner with a community, a post, a comment and a message to a member."""
    owner, member = api.make_person(), api.make_person()
    community = api.make_community(owner.token)["community"]
    post = api.make_post(owner.token, community["id"])["post"]
    comment = api.make_comment(owner.token, post["id"])["comment"]
    message = api.post("/private_message", {"content": "hello", "recipient_id": member.person_id},
                       token=owner.token)["private_message_view"]["private_message"]
    return {"owner": owner, "member": member, "community": community, "post": post,
            "comment": comment, "message": message}


def _writes(w: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """One call per kind of write a member can make, each valid for an unbanned member."""
    cid, pid, kid = w["community"]["id"], w["post"]["id"], w["comment"]["id"]
    owner_id, message_id = w["owner"].person_id, w["message"]["id"]
    return [
        ("POST", "/community", {"name": "bannedmade", "title": "Banned made"}),
        ("POST", "/community/follow", {"community_id": cid, "follow": True}),
        ("POST", "/community/block", {"community_id": cid, "block": True}),
        ("POST", "/post", {"community_id": cid, "name": "A new post"}),
        ("POST", "/post/like", {"post_id": pid, "score": 1}),
        ("PUT", "/post/save", {"post_id": pid, "save": True}),
        ("POST", "/post/mark_as_read", {"post_ids": [pid], "read": True}),
        ("POST", "/post/hide", {"post_ids": [pid], "hide": True}),
        ("POST", "/post/report", {"post_id": pid, "reason": "spam"}),
        ("POST", "/comment", {"post_id": pid, "content": "a reply"}),
        ("POST", "/comment/like", {"comment_id": kid, "score": 1}),
        ("PUT", "/comment/save", {"comment_id": kid, "save": True}),
        ("POST", "/comment/report", {"comment_id": kid, "reason": "spam"}),
        ("POST", "/private_message", {"content": "hi back", "recipient_id": owner_id}),
        ("POST", "/private_message/mark_as_read", {"private_message_id": message_id,
                                                   "read": True}),
        ("POST", "/private_message/report", {"private_message_id": message_id,
                                             "reason": "rude"}),
        ("POST", "/user/block", {"person_id": owner_id, "block": True}),
        ("POST", "/user/mark_all_as_read", {}),
    ]


def test_site_ban_refuses_every_write(api: ApiClient, admin: str) -> None:
    w = _world(api)
    member: Person = w["member"]
    api.post("/user/ban", {"person_id": member.person_id, "ban": True}, token=admin)
    for method, path, body in _writes(w):
        assert api.error(method, path, body, token=member.token) == "site_ban", path
    # Reading stays open: a banned user can still see their inbox.
    assert api.get("/private_message/list", token=member.token)["private_messages"]
    api.post("/user/ban", {"person_id": member.person_id, "ban": False}, token=admin)
    for method, path, body in _writes(w):
        api.call(method, path, body, token=member.token)


def test_community_ban_refuses_posting_commenting_and_voting(api: ApiClient) -> None:
    w = _world(api)
    owner, member = w["owner"], w["member"]
    cid, pid, kid = w["community"]["id"], w["post"]["id"], w["comment"]["id"]
    api.post("/community/ban_user", {"community_id": cid, "person_id": member.person_id,
                                     "ban": True}, token=owner.token)
    for method, path, body in (
            ("POST", "/post", {"community_id": cid, "name": "Let me in"}),
            ("POST", "/comment", {"post_id": pid, "content": "let me in"}),
            ("POST", "/post/like", {"post_id": pid, "score": 1}),
            ("POST", "/comment/like", {"comment_id": kid, "score": -1}),
            ("POST", "/community/follow", {"community_id": cid, "follow": True})):
        assert api.error(method, path, body, token=member.token) == "banned_from_community"
    # Elsewhere they are free.
    other = api.make_community(member.token)["community"]
    api.make_post(member.token, other["id"])
    api.post("/community/ban_user", {"community_id": cid, "person_id": member.person_id,
                                     "ban": False}, token=owner.token)
    api.make_comment(member.token, pid)


def test_locked_post_refuses_comments_and_replies(api: ApiClient) -> None:
    w = _world(api)
    api.post("/post/lock", {"post_id": w["post"]["id"], "locked": True}, token=w["owner"].token)
    for parent in (None, w["comment"]["id"]):
        body = {"post_id": w["post"]["id"], "content": "late", "parent_id": parent}
        assert api.error("POST", "/comment", body, token=w["member"].token) == "locked"


@pytest.mark.parametrize("flag", ["removed", "deleted"])
def test_removed_or_deleted_community_refuses_new_posts(api: ApiClient, admin: str,
                                                        flag: str) -> None:
    w = _world(api)
    cid = w["community"]["id"]
    if flag == "removed":
        api.post("/community/remove", {"community_id": cid, "removed": True}, token=admin)
    else:
        api.post("/community/delete", {"community_id": cid, "deleted": True},
                 token=w["owner"].token)
    for person in (w["member"], w["owner"]):
        assert api.error("POST", "/post", {"community_id": cid, "name": "Still here?"},
                         token=person.token) == "deleted"
        assert api.error("POST", "/comment", {"post_id": w["post"]["id"], "content": "hm"},
                         token=person.token) == "deleted"


# Every read of the v3 API, with the parameters it needs; a private instance refuses them all
# to anonymous readers.
def _reads(w: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("/post", {"id": w["post"]["id"]}),
        ("/post/list", {}),
        ("/comment", {"id": w["comment"]["id"]}),
        ("/comment/list", {"post_id": w["post"]["id"]}),
        ("/community", {"id": w["community"]["id"]}),
        ("/community/list", {}),
        ("/user", {"person_id": w["owner"].person_id}),
        ("/search", {"q": "hello"}),
        ("/modlog", {}),
    ]


def test_private_instance_refuses_anonymous_reads(api: ApiClient, admin: str) -> None:
    w = _world(api)
    api.put("/site", {"private_instance": True}, token=admin)
    for path, params in _reads(w):
        assert api.error("GET", path, **params) == "instance_is_private", path
        api.get(path, token=w["member"].token, **params)
    # What an app needs to learn that it must log in, and to do so, stays open.
    assert api.get("/site")["site_view"]["local_site"]["private_instance"] is True
    api.login(w["member"].name)
    api.make_person()


def test_site_ban_with_remove_data(api: ApiClient, admin: str) -> None:
    """Lemmy's remove_user_data: bio and pictures cleared, posts and comments removed, the
    communities they founded removed; reports of their things stay open for the moderators."""
    w = _world(api)
    member: Person = w["member"]
    with api.client.app.state.ctx.db.write() as conn:  # type: ignore[attr-defined]
        # No route edits a profile yet (the account settings arrive separately).
        conn.execute(update(t.person).where(t.person.c.id == member.person_id)
                     .values(bio="Buy my stuff", avatar="https://example.com/a.png"))
    own = api.make_community(member.token)["community"]
    post = api.make_post(member.token, w["community"]["id"])["post"]
    api.make_comment(member.token, w["post"]["id"])
    api.post("/post/report", {"post_id": post["id"], "reason": "spam"}, token=w["owner"].token)
    api.post("/user/ban", {"person_id": member.person_id, "ban": True, "remove_data": True,
                           "reason": "spam wave"}, token=admin)
    listed = [p["post"]["id"] for p in api.get("/post/list", type_="All")["posts"]]
    assert listed == [w["post"]["id"]]
    comments = api.get("/comment/list", post_id=w["post"]["id"])["comments"]
    # Removed comments stay in the tree, emptied, as in Lemmy.
    assert {c["comment"]["creator_id"]: c["comment"]["removed"] for c in comments} == \
        {w["owner"].person_id: False, member.person_id: True}
    counts = api.get("/community", id=w["community"]["id"])["community_view"]["counts"]
    assert (counts["posts"], counts["comments"]) == (1, 1)
    assert api.error("GET", "/community", id=own["id"], expect=404) == "couldnt_find_community"
    assert api.get("/user/report_count", token=w["owner"].token)["post_reports"] == 1
    person = api.get("/user", person_id=member.person_id)["person_view"]["person"]
    assert "bio" not in person and "avatar" not in person
    entry = api.get("/modlog", token=admin)["banned"][0]
    assert (entry["banned_person"]["id"], entry["mod_ban"]["reason"]) == \
        (member.person_id, "spam wave")
