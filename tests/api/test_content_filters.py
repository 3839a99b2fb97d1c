"""The slur filter, the URL blocklist and the site's discussion languages (PUT /site)."""

from __future__ import annotations

from tests.helpers import ApiClient, Person


def setup(api: ApiClient) -> tuple[Person, int]:
    alice = api.make_person()
    return alice, api.make_community(alice.token)["community"]["id"]


def test_slur_regex_is_checked_and_stored(api: ApiClient, admin: str) -> None:
    assert api.error("PUT", "/site", {"slur_filter_regex": "(unclosed"},
                     token=admin) == "invalid_regex"
    person = api.make_person()
    assert api.error("PUT", "/site", {"slur_filter_regex": "x"}, token=person.token) == "not_an_admin"
    api.put("/site", {"slur_filter_regex": "badword|nasty"}, token=admin)
    assert api.get("/site")["site_view"]["local_site"]["slur_filter_regex"] == "badword|nasty"


def test_slurs_refuse_names_and_mask_bodies(api: ApiClient, admin: str) -> None:
    alice, cid = setup(api)
    api.put("/site", {"slur_filter_regex": "badword|nasty"}, token=admin)
    # Names and titles: refused.
    assert api.error("POST", "/post", {"name": "So BADWORD", "community_id": cid},
                     token=alice.token) == "slurs"
    assert api.error("POST", "/community", {"name": "nastyplace", "title": "Fine title"},
                     token=alice.token) == "slurs"
    assert api.error("POST", "/community", {"name": "fineplace", "title": "A nasty title"},
                     token=alice.token) == "slurs"
    assert api.error("POST", "/user/register", {"username": "badwordfan", "password": "password-123",
                                                "password_verify": "password-123"}) == "slurs"
    # Bodies: masked.
    post = api.make_post(alice.token, cid, "Clean title", body="one badword, one Nasty")["post"]
    assert post["body"] == "one *removed*, one *removed*"
    edited = api.put("/post", {"post_id": post["id"], "body": "still badword"},
                     token=alice.token)["post_view"]["post"]
    assert edited["body"] == "still *removed*"
    comment = api.make_comment(alice.token, post["id"], "what a badword")["comment"]
    assert comment["content"] == "what a *removed*"
    edited = api.put("/comment", {"comment_id": comment["id"], "content": "nasty again"},
                     token=alice.token)["comment_view"]["comment"]
    assert edited["content"] == "*removed* again"
    bob = api.make_person()
    message = api.post("/private_message", {"content": "you badword", "recipient_id": bob.person_id},
                       token=alice.token)["private_message_view"]["private_message"]
    assert message["content"] == "you *removed*"
    community = api.make_community(alice.token, description="a nasty sidebar")["community"]
    assert community["description"] == "a *removed* sidebar"


def test_blocked_urls_are_stored_and_refuse_posts(api: ApiClient, admin: str) -> None:
    alice, cid = setup(api)
    assert api.error("PUT", "/site", {"blocked_urls": ["http://"]}, token=admin) == "invalid_url"
    assert api.error("PUT", "/site", {"blocked_urls": ["spam.example"]},
                     token=alice.token) == "not_an_admin"
    result = api.put("/site", {"blocked_urls": ["https://spam.example/", "evil.example/path",
                                                "spam.example"]}, token=admin)
    assert "taglines" in result
    blocked = api.get("/site")["blocked_urls"]
    assert [b["url"] for b in blocked] == ["spam.example", "evil.example/path"]
    assert all(b["published"].endswith("Z") and b["id"] for b in blocked)
    for url in ("https://spam.example/x", "http://www.spam.example", "https://evil.example/path/1"):
        assert api.error("POST", "/post", {"name": "Link", "url": url, "community_id": cid},
                         token=alice.token) == "blocked_url"
    api.make_post(alice.token, cid, "Other path", url="https://evil.example/other")
    body = "see [this](https://spam.example/page)"
    assert api.error("POST", "/post", {"name": "Body link", "body": body, "community_id": cid},
                     token=alice.token) == "blocked_url"
    post = api.make_post(alice.token, cid, "Clean")["post"]
    assert api.error("PUT", "/post", {"post_id": post["id"], "url": "https://spam.example"},
                     token=alice.token) == "blocked_url"
    assert api.error("POST", "/comment", {"post_id": post["id"],
                                          "content": "go to https://spam.example/a"},
                     token=alice.token) == "blocked_url"
    # Sending the list again replaces it; an empty list clears it.
    api.put("/site", {"blocked_urls": []}, token=admin)
    assert api.get("/site")["blocked_urls"] == []
    api.make_post(alice.token, cid, "Now fine", url="https://spam.example/x")


def test_discussion_languages(api: ApiClient, admin: str) -> None:
    alice, cid = setup(api)
    assert len(api.get("/site")["discussion_languages"]) == 184  # all, until an admin chooses
    assert api.error("PUT", "/site", {"discussion_languages": [37, 99999]},
                     token=admin) == "language_not_allowed"
    api.put("/site", {"discussion_languages": [0, 37, 38]}, token=admin)
    assert api.get("/site")["discussion_languages"] == [0, 37, 38]
    api.make_post(alice.token, cid, "English", language_id=37)
    api.make_post(alice.token, cid, "Not said")
    assert api.error("POST", "/post", {"name": "Other", "community_id": cid, "language_id": 52},
                     token=alice.token) == "language_not_allowed"
    post = api.make_post(alice.token, cid, "To edit")["post"]
    assert api.error("PUT", "/post", {"post_id": post["id"], "language_id": 52},
                     token=alice.token) == "language_not_allowed"
    assert api.error("POST", "/comment", {"post_id": post["id"], "content": "hi",
                                          "language_id": 52}, token=alice.token) == "language_not_allowed"
    api.make_comment(alice.token, post["id"], "hello", language_id=38)
    # Other settings leave the languages alone; an empty list allows every language again.
    api.put("/site", {"name": "Renamed"}, token=admin)
    assert api.get("/site")["discussion_languages"] == [0, 37, 38]
    api.put("/site", {"discussion_languages": []}, token=admin)
    assert len(api.get("/site")["discussion_languages"]) == 184
    api.make_post(alice.token, cid, "Other now", language_id=52)
