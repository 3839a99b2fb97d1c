"""Private messages: send, edit, delete, mark read, list, and the unread count."""

from __future__ import annotations

from typing import Any

from tests.helpers import ApiClient, Person


def send(api: ApiClient, sender: Person, recipient: Person, content: str) -> dict[str, Any]:
    view = api.post("/private_message", {"content": content, "recipient_id": recipient.person_id},
                    token=sender.token)["private_message_view"]
    return view  # type: ignore[no-any-return]


def inbox(api: ApiClient, person: Person, **query: Any) -> list[dict[str, Any]]:
    found = api.get("/private_message/list", token=person.token, **query)["private_messages"]
    return found  # type: ignore[no-any-return]


def unread(api: ApiClient, person: Person) -> int:
    return int(api.get("/user/unread_count", token=person.token)["private_messages"])


def test_send_a_message(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    view = send(api, alice, bob, "Hello Bob")
    message = view["private_message"]
    assert message["content"] == "Hello Bob"
    assert message["creator_id"] == alice.person_id
    assert message["recipient_id"] == bob.person_id
    assert message["ap_id"] == f"http://moot.test/private_message/{message['id']}"
    assert message["local"] is True and message["deleted"] is False
    assert "updated" not in message
    # The sender sees their own message as read; the flag is the recipient's.
    assert message["read"] is True
    assert view["creator"]["id"] == alice.person_id
    assert view["recipient"]["id"] == bob.person_id
    received = inbox(api, bob)
    assert [m["private_message"]["id"] for m in received] == [message["id"]]
    assert received[0]["private_message"]["read"] is False
    assert unread(api, bob) == 1
    assert unread(api, alice) == 0


def test_send_refusals(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    body = {"content": "hi", "recipient_id": bob.person_id}
    assert api.error("POST", "/private_message", {**body, "content": " "},
                     token=alice.token) == "invalid_body_field"
    assert api.error("POST", "/private_message", {**body, "content": "x" * 10_001},
                     token=alice.token) == "invalid_body_field"
    # 10,000 UTF-16 units is the limit: 5,000 emoji are 10,000 units.
    send(api, alice, bob, "\U0001F600" * 5000)
    assert api.error("POST", "/private_message", {**body, "content": "\U0001F600" * 5001},
                     token=alice.token) == "invalid_body_field"
    assert api.error("POST", "/private_message", {**body, "recipient_id": 999_999},
                     token=alice.token, expect=404) == "couldnt_find_person"
    api.post("/user/block", {"person_id": alice.person_id, "block": True}, token=bob.token)
    assert api.error("POST", "/private_message", body,
                     token=alice.token) == "person_is_blocked"
    # Blocking works one way: Bob may still write to Alice.
    send(api, bob, alice, "you cannot answer")


def test_anonymous_is_refused(api: ApiClient) -> None:
    bob = api.make_person()
    body = {"content": "hi", "recipient_id": bob.person_id}
    assert api.error("POST", "/private_message", body, expect=401) == "incorrect_login"
    assert api.error("GET", "/private_message/list", expect=401) == "incorrect_login"


def test_edit_only_by_the_author(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    message_id = send(api, alice, bob, "first")["private_message"]["id"]
    edited = api.put("/private_message", {"private_message_id": message_id, "content": "second"},
                     token=alice.token)["private_message_view"]["private_message"]
    assert edited["content"] == "second"
    assert "updated" in edited
    assert api.error("PUT", "/private_message", {"private_message_id": message_id,
                                                 "content": "mine now"},
                     token=bob.token) == "edit_private_message_not_allowed"
    assert api.error("PUT", "/private_message", {"private_message_id": message_id,
                                                 "content": ""},
                     token=alice.token) == "invalid_body_field"
    assert api.error("PUT", "/private_message", {"private_message_id": 999_999,
                                                 "content": "x"},
                     token=alice.token, expect=404) == "couldnt_find_private_message"
    assert inbox(api, bob)[0]["private_message"]["content"] == "second"


def test_delete_only_by_the_author(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    message_id = send(api, alice, bob, "oops")["private_message"]["id"]
    body = {"private_message_id": message_id, "deleted": True}
    assert api.error("POST", "/private_message/delete", body,
                     token=bob.token) == "edit_private_message_not_allowed"
    assert unread(api, bob) == 1
    deleted = api.post("/private_message/delete", body, token=alice.token)
    assert deleted["private_message_view"]["private_message"]["deleted"] is True
    # Deleted messages leave both lists and the count.
    assert inbox(api, bob) == [] and inbox(api, alice) == []
    assert unread(api, bob) == 0
    api.post("/private_message/delete", {**body, "deleted": False}, token=alice.token)
    assert len(inbox(api, bob)) == 1
    assert api.error("POST", "/private_message/delete", {**body, "private_message_id": 999_999},
                     token=alice.token, expect=404) == "couldnt_find_private_message"


def test_mark_read_only_by_the_recipient(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    message_id = send(api, alice, bob, "read me")["private_message"]["id"]
    body = {"private_message_id": message_id, "read": True}
    assert api.error("POST", "/private_message/mark_as_read", body,
                     token=alice.token) == "couldnt_update_private_message"
    marked = api.post("/private_message/mark_as_read", body, token=bob.token)
    assert marked["private_message_view"]["private_message"]["read"] is True
    assert unread(api, bob) == 0
    assert inbox(api, bob, unread_only=True) == []
    api.post("/private_message/mark_as_read", {**body, "read": False}, token=bob.token)
    assert unread(api, bob) == 1
    assert api.error("POST", "/private_message/mark_as_read",
                     {**body, "private_message_id": 999_999},
                     token=bob.token, expect=404) == "couldnt_find_private_message"


def test_list_sent_and_received_newest_first(api: ApiClient) -> None:
    alice, bob, carol = api.make_person(), api.make_person(), api.make_person()
    first = send(api, alice, bob, "one")["private_message"]["id"]
    second = send(api, bob, alice, "two")["private_message"]["id"]
    third = send(api, carol, alice, "three")["private_message"]["id"]
    send(api, carol, bob, "not for alice")
    ids = [m["private_message"]["id"] for m in inbox(api, alice)]
    assert ids == [third, second, first]
    # unread_only is unread messages received, never ones sent.
    assert [m["private_message"]["id"] for m in inbox(api, alice, unread_only=True)] == [
        third, second]
    assert [m["private_message"]["id"]
            for m in inbox(api, alice, creator_id=carol.person_id)] == [third]
    assert [m["private_message"]["id"] for m in inbox(api, alice, limit=1, page=2)] == [second]
    assert api.error("GET", "/private_message/list", token=alice.token, limit=51) == "unknown"
    # Messages from people you block are hidden and not counted.
    assert unread(api, alice) == 2
    api.post("/user/block", {"person_id": carol.person_id, "block": True}, token=alice.token)
    assert [m["private_message"]["id"] for m in inbox(api, alice)] == [second, first]
    assert unread(api, alice) == 1


def test_mark_all_as_read_reads_messages(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    send(api, alice, bob, "one")
    send(api, alice, bob, "two")
    send(api, bob, alice, "back")
    assert unread(api, bob) == 2
    api.post("/user/mark_all_as_read", {}, token=bob.token)
    assert unread(api, bob) == 0
    assert unread(api, alice) == 1  # only the caller's messages
