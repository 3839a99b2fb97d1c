"""The reply inbox: notifications on reply, unread counts, listing, marking read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from moot.actions.people import do_block_person
from moot.db import tables as t
from tests.helpers import ApiClient, Person


def setup_thread(api: ApiClient) -> tuple[Person, Person, int]:
    """Alice's post in her community, and Bob."""
    alice, bob = api.make_person(), api.make_person()
    community = api.make_community(alice.token)
    return alice, bob, int(api.make_post(alice.token, community["community"]["id"])["post"]["id"])


def unread(api: ApiClient, person: Person) -> dict[str, int]:
    return api.get("/user/unread_count", token=person.token)  # type: ignore[no-any-return]


def replies(api: ApiClient, person: Person, **query: Any) -> list[dict[str, Any]]:
    found = api.get("/user/replies", token=person.token, **query)["replies"]
    return found  # type: ignore[no-any-return]


def test_replies_notify_the_author_above(api: ApiClient) -> None:
    alice, bob, post_id = setup_thread(api)
    assert unread(api, alice) == {"replies": 0, "mentions": 0, "private_messages": 0}
    top = api.make_comment(bob.token, post_id, "Nice post")
    api.make_comment(alice.token, post_id, "My own post, no notification")
    assert unread(api, alice)["replies"] == 1
    assert unread(api, bob)["replies"] == 0

    inbox = replies(api, alice)
    assert len(inbox) == 1
    reply = inbox[0]
    assert reply["comment"]["id"] == top["comment"]["id"]
    assert reply["comment"]["content"] == "Nice post"
    assert reply["creator"]["id"] == bob.person_id
    assert reply["recipient"]["id"] == alice.person_id
    assert reply["post"]["id"] == post_id
    assert reply["comment_reply"]["recipient_id"] == alice.person_id
    assert reply["comment_reply"]["comment_id"] == top["comment"]["id"]
    assert reply["comment_reply"]["read"] is False
    assert "my_vote" not in reply  # listings leave out a vote never cast

    answer = api.make_comment(alice.token, post_id, "Thanks", parent_id=top["comment"]["id"])
    # Answering a reply marks it read; Bob is told of the answer.
    assert unread(api, alice)["replies"] == 0
    assert replies(api, alice)[0]["comment_reply"]["read"] is True
    assert [r["comment"]["id"] for r in replies(api, bob)] == [answer["comment"]["id"]]
    api.make_comment(bob.token, post_id, "Replying to myself", parent_id=top["comment"]["id"])
    assert unread(api, bob)["replies"] == 1


def test_list_replies_sorts_and_filters(api: ApiClient) -> None:
    alice, bob, post_id = setup_thread(api)
    made = [api.make_comment(bob.token, post_id)["comment"]["id"] for _ in range(3)]
    assert [r["comment"]["id"] for r in replies(api, alice)] == made[::-1]  # New by default
    assert [r["comment"]["id"] for r in replies(api, alice, sort="Old")] == made
    api.post("/comment/like", {"comment_id": made[1], "score": 1}, token=alice.token)
    assert replies(api, alice, sort="Top")[0]["comment"]["id"] == made[1]
    assert replies(api, alice, sort="Top")[0]["my_vote"] == 1
    assert [r["comment"]["id"] for r in replies(api, alice, limit=2, page=2, sort="Old")] \
        == [made[2]]
    first_reply = replies(api, alice, sort="Old")[0]["comment_reply"]["id"]
    api.post("/comment/mark_as_read", {"comment_reply_id": first_reply, "read": True},
             token=alice.token)
    assert [r["comment"]["id"] for r in replies(api, alice, unread_only=True, sort="Old")] \
        == made[1:]
    assert api.error("GET", "/user/replies", token=alice.token, limit=51) == "unknown"
    assert api.error("GET", "/user/replies", token=alice.token, page=0) == "unknown"
    assert api.error("GET", "/user/replies", expect=401) == "incorrect_login"
    assert api.error("GET", "/user/unread_count", expect=401) == "incorrect_login"


def test_mark_reply_read(api: ApiClient) -> None:
    alice, bob, post_id = setup_thread(api)
    api.make_comment(bob.token, post_id)
    reply_id = replies(api, alice)[0]["comment_reply"]["id"]
    view = api.post("/comment/mark_as_read", {"comment_reply_id": reply_id, "read": True},
                    token=alice.token)["comment_reply_view"]
    assert view["comment_reply"]["read"] is True
    assert view["recipient"]["id"] == alice.person_id
    assert unread(api, alice)["replies"] == 0
    view = api.post("/comment/mark_as_read", {"comment_reply_id": reply_id, "read": False},
                    token=alice.token)["comment_reply_view"]
    assert view["comment_reply"]["read"] is False
    assert unread(api, alice)["replies"] == 1
    assert api.error("POST", "/comment/mark_as_read", {"comment_reply_id": reply_id,
                                                       "read": True},
                     token=bob.token) == "couldnt_update_comment"
    assert api.error("POST", "/comment/mark_as_read", {"comment_reply_id": 999999,
                                                       "read": True},
                     token=alice.token, expect=404) == "couldnt_find_comment_reply"
    assert unread(api, alice)["replies"] == 1


def test_mark_all_as_read(api: ApiClient) -> None:
    alice, bob, post_id = setup_thread(api)
    carol = api.make_person()
    for person in (bob, carol, bob):
        api.make_comment(person.token, post_id)
    assert unread(api, alice)["replies"] == 3
    assert api.post("/user/mark_all_as_read", {}, token=alice.token) == {"replies": []}
    assert unread(api, alice)["replies"] == 0
    assert all(r["comment_reply"]["read"] for r in replies(api, alice))
    assert len(replies(api, alice)) == 3


def test_blocked_and_deleted_replies(api: ApiClient) -> None:
    alice, bob, post_id = setup_thread(api)
    carol = api.make_person()
    ctx = api.client.app.state.ctx  # type: ignore[attr-defined]
    api.make_comment(bob.token, post_id, "from bob")
    carol_comment = api.make_comment(carol.token, post_id, "from carol")
    assert unread(api, alice)["replies"] == 2
    do_block_person(ctx, alice.person_id, bob.person_id, True)
    # Replies of people you block are neither shown nor counted.
    assert [r["creator"]["id"] for r in replies(api, alice)] == [carol.person_id]
    assert unread(api, alice)["replies"] == 1
    # And a blocked person's new reply notifies nobody.
    later = api.post("/comment", {"post_id": post_id, "content": "still bob"}, token=bob.token)
    assert later["recipient_ids"] == []
    do_block_person(ctx, alice.person_id, bob.person_id, False)
    assert unread(api, alice)["replies"] == 2

    # A deleted reply stays in the inbox without its words, and leaves the unread count.
    api.post("/comment/delete", {"comment_id": carol_comment["comment"]["id"], "deleted": True},
             token=carol.token)
    assert unread(api, alice)["replies"] == 1
    shown = {r["comment"]["id"]: r for r in replies(api, alice)}
    assert shown[carol_comment["comment"]["id"]]["comment"]["content"] == ""


def test_bot_replies_follow_the_setting(api: ApiClient) -> None:
    alice, bob, post_id = setup_thread(api)
    with api.client.app.state.ctx.db.write() as conn:  # type: ignore[attr-defined]
        conn.execute(update(t.person).where(t.person.c.id == bob.person_id)
                     .values(bot_account=True))
        conn.execute(update(t.local_user).where(t.local_user.c.person_id == alice.person_id)
                     .values(show_bot_accounts=False))
    api.make_comment(bob.token, post_id, "beep")
    assert unread(api, alice)["replies"] == 0
    assert replies(api, alice) == []
