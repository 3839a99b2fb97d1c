"""Private messages from the pages, and marking inbox items read one by one."""

from __future__ import annotations

from typing import Any

from tests.helpers import ApiClient
from tests.web.conftest import WebClient


def _messages(api: ApiClient, token: str) -> list[dict[str, Any]]:
    return api.get("/private_message/list", token=token)["private_messages"]  # type: ignore[no-any-return]


def test_send_reply_edit_delete_and_mark_read(api: ApiClient, web: WebClient,
                                              other_web: WebClient) -> None:
    alice, bob = api.make_person("alice"), api.make_person("bob")
    web.login("alice")
    page = web.get("/u/bob").text
    assert "Send a message" in page and 'for="pm-content"' in page
    assert "Send a message" not in web.get("/u/alice").text  # not to oneself
    sent = web.form("/message/send", {"recipient_id": bob.person_id, "content": "Hi *bob*",
                                      "next": "/u/bob"}, expect=200, page="/u/bob")
    assert "Your message was sent" in sent.text and 'href="/u/bob"' in sent.text
    message = _messages(api, bob.token)[0]["private_message"]
    assert message["content"] == "Hi *bob*" and not message["read"]

    other_web.login("bob")
    inbox = other_web.get("/inbox").text
    assert f'action="/message/{message["id"]}/read"' in inbox
    assert f'action="/message/{message["id"]}/edit"' not in inbox  # not bob's to edit
    other_web.form(f"/message/{message['id']}/read", {"read": "true"}, page="/inbox")
    assert _messages(api, bob.token)[0]["private_message"]["read"]
    other_web.form("/message/send", {"recipient_id": alice.person_id, "content": "Hello back"},
                   expect=200, page="/inbox")
    # Bob may neither edit nor delete alice's message: the action refuses.
    refused = other_web.form(f"/message/{message['id']}/edit", {"content": "forged"},
                             page="/inbox", expect=400)
    assert "edit_private_message_not_allowed" in refused.text

    web.form(f"/message/{message['id']}/edit", {"content": "Hi bob, edited"}, page="/inbox")
    assert _messages(api, bob.token)[-1]["private_message"]["content"] == "Hi bob, edited"
    assert "Hello back" in web.get("/inbox").text
    web.form(f"/message/{message['id']}/delete", {"deleted": "true"}, page="/inbox")
    assert "Hi bob, edited" not in other_web.get("/inbox").text


def test_replies_and_mentions_are_marked_read_one_by_one(api: ApiClient, web: WebClient) -> None:
    alice, bob = api.make_person("alice"), api.make_person("bob")
    community = api.make_community(alice.token, "inboxes")
    post = api.make_post(alice.token, community["community"]["id"], "Ask me")
    api.make_comment(bob.token, post["post"]["id"], "A reply to alice")
    api.make_comment(bob.token, post["post"]["id"], "Hello @alice, see this")
    web.login("alice")
    reply = api.get("/user/replies", token=alice.token)["replies"][0]["comment_reply"]
    mention = api.get("/user/mention", token=alice.token)["mentions"][0]["person_mention"]
    web.form(f"/reply/{reply['id']}/read", {"read": "true"}, page="/inbox")
    web.form(f"/mention/{mention['id']}/read", {"read": "true"}, page="/inbox")
    counts = api.get("/user/unread_count", token=alice.token)
    assert counts["mentions"] == 0
    assert counts["replies"] == 1  # the mention's comment is a reply to alice's post too
    web.form(f"/reply/{reply['id']}/read", {"read": "false"}, page="/inbox")
    assert api.get("/user/unread_count", token=alice.token)["replies"] == 2
