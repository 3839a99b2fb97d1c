"""Mentions: @name and @name@host in comments notify local people; listing and marking read."""

from __future__ import annotations

from typing import Any

from tests.helpers import ApiClient, Person


def setup_post(api: ApiClient) -> tuple[Person, Person, int]:
    """Alice's post in her community, and Bob."""
    alice, bob = api.make_person(), api.make_person()
    community = api.make_community(alice.token)
    return alice, bob, int(api.make_post(alice.token, community["community"]["id"])["post"]["id"])


def mentions(api: ApiClient, person: Person, **query: Any) -> list[dict[str, Any]]:
    found = api.get("/user/mention", token=person.token, **query)["mentions"]
    return found  # type: ignore[no-any-return]


def unread(api: ApiClient, person: Person) -> int:
    return int(api.get("/user/unread_count", token=person.token)["mentions"])


def test_mention_notifies_the_person_named(api: ApiClient) -> None:
    alice, bob, post_id = setup_post(api)
    carol = api.make_person()
    created = api.post("/comment", {"post_id": post_id,
                                    "content": f"Hey @{carol.name}, and again @{carol.name}."},
                       token=bob.token)
    comment_id = created["comment_view"]["comment"]["id"]
    # Alice is told of the reply to her post, Carol of the mention.
    assert len(created["recipient_ids"]) == 2
    assert unread(api, carol) == 1
    found = mentions(api, carol)
    assert len(found) == 1  # once per comment and person
    view = found[0]
    assert view["comment"]["id"] == comment_id
    assert view["creator"]["id"] == bob.person_id
    assert view["recipient"]["id"] == carol.person_id
    assert view["post"]["id"] == post_id
    assert view["person_mention"]["recipient_id"] == carol.person_id
    assert view["person_mention"]["comment_id"] == comment_id
    assert view["person_mention"]["read"] is False
    assert view["counts"]["score"] == 1
    assert mentions(api, bob) == [] and mentions(api, alice) == []


def test_which_names_count(api: ApiClient) -> None:
    alice, bob, post_id = setup_post(api)
    carol, dave, erin = api.make_person(), api.make_person(), api.make_person()
    content = (f"@{bob.name} names myself; @{carol.name}@moot.test is local; "
               f"@{dave.name}@elsewhere.example is not; mail {erin.name}@moot.test and "
               f"x@{erin.name} are addresses; @nobody_here exists nowhere; "
               f"@{alice.name.upper()} ignores case")
    api.make_comment(bob.token, post_id, content)
    assert unread(api, bob) == 0
    assert unread(api, carol) == 1
    assert unread(api, dave) == 0
    assert unread(api, erin) == 0
    assert unread(api, alice) == 1


def test_edit_adds_new_mentions_once(api: ApiClient) -> None:
    _alice, bob, post_id = setup_post(api)
    carol, dave = api.make_person(), api.make_person()
    comment = api.make_comment(bob.token, post_id, f"hi @{carol.name}")
    comment_id = comment["comment"]["id"]
    edited = api.put("/comment", {"comment_id": comment_id,
                                  "content": f"hi @{carol.name} and @{dave.name}"},
                     token=bob.token)
    assert len(edited["recipient_ids"]) == 3  # the post's author, Carol and Dave
    assert len(mentions(api, carol)) == 1
    assert len(mentions(api, dave)) == 1


def test_mark_mention_read(api: ApiClient) -> None:
    _alice, bob, post_id = setup_post(api)
    carol = api.make_person()
    api.make_comment(bob.token, post_id, f"@{carol.name} look")
    mention_id = mentions(api, carol)[0]["person_mention"]["id"]
    body = {"person_mention_id": mention_id, "read": True}
    assert api.error("POST", "/user/mention/mark_as_read", body,
                     token=bob.token) == "couldnt_update_comment"
    assert api.error("POST", "/user/mention/mark_as_read", {**body, "person_mention_id": 999_999},
                     token=carol.token, expect=404) == "couldnt_find_person_mention"
    assert api.error("POST", "/user/mention/mark_as_read", body, expect=401) == "incorrect_login"
    marked = api.post("/user/mention/mark_as_read", body, token=carol.token)
    view = marked["person_mention_view"]
    assert view["person_mention"]["read"] is True
    assert view["recipient"]["id"] == carol.person_id
    assert unread(api, carol) == 0
    assert mentions(api, carol, unread_only=True) == []
    assert len(mentions(api, carol)) == 1
    api.post("/user/mention/mark_as_read", {**body, "read": False}, token=carol.token)
    assert unread(api, carol) == 1


def test_list_sorts_pages_and_hides(api: ApiClient) -> None:
    alice, bob, post_id = setup_post(api)
    carol = api.make_person()
    first = api.make_comment(bob.token, post_id, f"@{carol.name} one")["comment"]["id"]
    second = api.make_comment(alice.token, post_id, f"@{carol.name} two")["comment"]["id"]
    assert [m["comment"]["id"] for m in mentions(api, carol)] == [second, first]
    assert [m["comment"]["id"] for m in mentions(api, carol, sort="Old")] == [first, second]
    assert [m["comment"]["id"] for m in mentions(api, carol, limit=1, page=2)] == [first]
    assert api.error("GET", "/user/mention", token=carol.token, page=0) == "unknown"
    assert api.error("GET", "/user/mention", expect=401) == "incorrect_login"
    # A blocked person's mentions are neither listed nor counted.
    api.post("/user/block", {"person_id": bob.person_id, "block": True}, token=carol.token)
    assert [m["comment"]["id"] for m in mentions(api, carol)] == [second]
    assert unread(api, carol) == 1
    # A deleted comment leaves the unread count.
    api.post("/comment/delete", {"comment_id": second, "deleted": True}, token=alice.token)
    assert unread(api, carol) == 0


def test_mark_all_as_read_reads_mentions(api: ApiClient) -> None:
    _alice, bob, post_id = setup_post(api)
    carol = api.make_person()
    api.make_comment(bob.token, post_id, f"@{carol.name} one")
    api.make_comment(bob.token, post_id, f"@{carol.name} two")
    assert unread(api, carol) == 2
    api.post("/user/mark_all_as_read", {}, token=carol.token)
    assert unread(api, carol) == 0
    assert all(m["person_mention"]["read"] for m in mentions(api, carol))
