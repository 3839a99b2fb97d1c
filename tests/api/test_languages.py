"""Listings follow a signed-in person's discussion languages (docs/decisions/0024)."""

from __future__ import annotations

from typing import Any

from tests.helpers import ApiClient

UNDETERMINED, GERMAN, ENGLISH, FRENCH = 0, 32, 37, 47


def _post_ids(api: ApiClient, token: str | None, **params: Any) -> set[int]:
    return {p["post"]["id"] for p in api.get("/post/list", token=token, type_="All",
                                             **params)["posts"]}


def _comment_ids(api: ApiClient, token: str | None, **params: Any) -> set[int]:
    return {c["comment"]["id"] for c in api.get("/comment/list", token=token, type_="All",
                                                **params)["comments"]}


def test_listings_show_only_the_chosen_languages(api: ApiClient) -> None:
    writer, reader = api.make_person(), api.make_person()
    cid = api.make_community(writer.token)["community"]["id"]
    posts = {lang: api.make_post(writer.token, cid, language_id=lang)["post"]["id"]
             for lang in (UNDETERMINED, GERMAN, ENGLISH, FRENCH)}
    thread = posts[GERMAN]
    german_reply = api.make_comment(writer.token, thread, "Hallo",
                                    language_id=GERMAN)["comment"]["id"]
    english_reply = api.make_comment(writer.token, thread, "Hello", parent_id=german_reply,
                                     language_id=ENGLISH)["comment"]["id"]
    everything = set(posts.values())
    assert _post_ids(api, reader.token) >= everything  # nothing chosen: every language

    api.put("/user/save_user_settings", {"discussion_languages": [ENGLISH, FRENCH]},
            token=reader.token)
    listed = _post_ids(api, reader.token)
    assert {posts[ENGLISH], posts[FRENCH], posts[UNDETERMINED]} <= listed
    assert posts[GERMAN] not in listed
    assert _post_ids(api, None) >= everything  # anonymous readers see every language
    assert _post_ids(api, writer.token) >= everything  # as does someone who chose nothing

    # Outside a thread, comments are filtered too; inside one, the tree stays whole.
    assert _comment_ids(api, reader.token, community_id=cid) == {english_reply}
    assert _comment_ids(api, reader.token, post_id=thread) == {german_reply, english_reply}
    # A direct link still opens a post in another language.
    assert api.get("/post", id=thread, token=reader.token)["post_view"]["post"]["id"] == thread


def test_own_content_is_always_listed(api: ApiClient) -> None:
    person = api.make_person()
    cid = api.make_community(person.token)["community"]["id"]
    api.put("/user/save_user_settings", {"discussion_languages": [ENGLISH]}, token=person.token)
    own = api.make_post(person.token, cid, language_id=GERMAN)["post"]["id"]
    assert own in _post_ids(api, person.token)
    profile = api.get("/user", username=person.name, token=person.token)["posts"]
    assert [p["post"]["id"] for p in profile] == [own]
