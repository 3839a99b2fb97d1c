"""The inbox and modlog pages."""

from __future__ import annotations

from tests.helpers import ApiClient
from tests.web.conftest import WebClient
from tests.web.page import parse


def test_inbox_shows_replies_mentions_and_messages(api: ApiClient, web: WebClient) -> None:
    alice, bob = api.make_person("alice"), api.make_person("bob")
    community = api.make_community(alice.token, "inboxes")
    post = api.make_post(alice.token, community["community"]["id"], "Ask me")
    api.make_comment(bob.token, post["post"]["id"], "A reply to alice")
    api.make_comment(bob.token, post["post"]["id"], "Hello @alice, see this")
    api.post("/private_message", {"content": "A *private* word", "recipient_id": alice.person_id},
             token=bob.token)
    assert web.get("/inbox", expect=303).headers["location"] == "/login?next=/inbox"
    web.login("alice")
    doc = parse(web.get("/inbox").text)
    replies = doc.by_id("replies-title").parent
    assert "A reply to alice" in replies.text() and "unread" in replies.text()  # type: ignore[union-attr]
    assert "see this" in doc.by_id("mentions-title").parent.text()  # type: ignore[union-attr]
    messages = doc.by_id("messages-title").parent
    assert messages.first("em").text() == "private"  # type: ignore[union-attr]
    web.form("/inbox/mark_all_read", {}, page="/inbox")
    unread = parse(web.get("/inbox?unread_only=true").text)
    assert "A reply to alice" not in unread.by_id("replies-title").parent.text()  # type: ignore[union-attr]


def test_modlog_lists_moderator_actions(api: ApiClient, web: WebClient, admin: str) -> None:
    alice = api.make_person("alice")
    community = api.make_community(alice.token, "modded")
    post = api.make_post(alice.token, community["community"]["id"], "Spam here")
    api.post("/post/remove", {"post_id": post["post"]["id"], "removed": True, "reason": "spam"},
             token=alice.token)
    api.post("/post/lock", {"post_id": post["post"]["id"], "locked": True}, token=alice.token)
    doc = parse(web.get("/modlog").text)
    rows = doc.first("tbody").all("tr")
    texts = [r.text() for r in rows]
    assert any("Removed posts" in t and "Spam here" in t and "Reason: spam" in t for t in texts)
    assert any("Locked posts" in t for t in texts)
    # The site hides moderators' names from the public by default (Lemmy's setting).
    assert all("a moderator" in t or "alice" in t for t in texts)
