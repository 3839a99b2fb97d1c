"""GET /user/export_settings and POST /user/import_settings (Lemmy's settings backup)."""

from __future__ import annotations

from typing import Any

from tests.api.test_communities import insert_remote_community
from tests.helpers import ApiClient


def my_user(api: ApiClient, token: str) -> dict[str, Any]:
    return api.get("/site", token=token)["my_user"]  # type: ignore[no-any-return]


def test_export_then_import_elsewhere(api: ApiClient, app: Any) -> None:
    alice, bob, other, writer = (api.make_person() for _ in range(4))
    followed = api.make_community(other.token)["community"]
    blocked = api.make_community(other.token)["community"]
    remote = insert_remote_community(app, "distant", "distant.example")
    # Saved by someone Alice does not block, so that the saved lists can show them.
    post = api.make_post(writer.token, followed["id"])["post"]
    comment = api.make_comment(writer.token, post["id"])["comment"]
    api.put("/user/save_user_settings", {"display_name": "Alice", "bio": "hello",
                                         "matrix_user_id": "@alice:m.org", "theme": "darkly",
                                         "show_nsfw": True, "default_sort_type": "New"},
            token=alice.token)
    api.post("/community/follow", {"community_id": followed["id"], "follow": True},
             token=alice.token)
    api.post("/community/block", {"community_id": blocked["id"], "block": True},
             token=alice.token)
    api.put("/post/save", {"post_id": post["id"], "save": True}, token=alice.token)
    api.put("/comment/save", {"comment_id": comment["id"], "save": True}, token=alice.token)
    api.post("/user/block", {"person_id": other.person_id, "block": True}, token=alice.token)
    instance_id = api.get("/community", id=remote)["community_view"]["community"]["instance_id"]
    api.post("/site/block", {"instance_id": instance_id, "block": True}, token=alice.token)

    backup = api.get("/user/export_settings", token=alice.token)
    assert backup["display_name"] == "Alice" and backup["matrix_id"] == "@alice:m.org"
    assert backup["settings"]["theme"] == "darkly"
    assert backup["followed_communities"] == [followed["actor_id"]]
    assert backup["blocked_communities"] == [blocked["actor_id"]]
    assert backup["saved_posts"] == [post["ap_id"]]
    assert backup["saved_comments"] == [comment["ap_id"]]
    assert backup["blocked_users"] == [api.get("/user", person_id=other.person_id)[
        "person_view"]["person"]["actor_id"]]
    assert backup["blocked_instances"] == ["distant.example"]

    assert api.post("/user/import_settings", backup, token=bob.token) == {"success": True}
    mine = my_user(api, bob.token)
    person, local_user = mine["local_user_view"]["person"], mine["local_user_view"]["local_user"]
    assert person["display_name"] == "Alice" and person["bio"] == "hello"
    assert person["matrix_user_id"] == "@alice:m.org"
    assert local_user["theme"] == "darkly" and local_user["show_nsfw"] is True
    assert local_user["default_sort_type"] == "New"
    assert [f["community"]["id"] for f in mine["follows"]] == [followed["id"]]
    assert [b["community"]["id"] for b in mine["community_blocks"]] == [blocked["id"]]
    assert [b["target"]["id"] for b in mine["person_blocks"]] == [other.person_id]
    assert [b["instance"]["domain"] for b in mine["instance_blocks"]] == ["distant.example"]
    saved = api.get("/post/list", token=bob.token, saved_only=True)["posts"]
    assert [p["post"]["id"] for p in saved] == [post["id"]]
    saved_comments = api.get("/comment/list", token=bob.token, saved_only=True)["comments"]
    assert [c["comment"]["id"] for c in saved_comments] == [comment["id"]]
    # Identity and rights never come from a backup.
    assert local_user["admin"] is False and "email" not in local_user


def test_unknown_and_odd_items_are_skipped(api: ApiClient) -> None:
    carol, other = api.make_person(), api.make_person()
    community = api.make_community(other.token)["community"]
    backup = {
        "bot_account": True,
        "settings": {"theme": "my_theme", "admin": True, "email": "x@example.com"},
        "followed_communities": ["https://nowhere.example/c/ghost", community["actor_id"]],
        "saved_posts": ["https://nowhere.example/post/1", "not a url"],
        "blocked_users": ["https://nowhere.example/u/ghost"],
        "blocked_instances": ["moot.test", "never-seen.example"],
    }
    assert api.post("/user/import_settings", backup, token=carol.token) == {"success": True}
    mine = my_user(api, carol.token)
    assert mine["local_user_view"]["person"]["bot_account"] is True
    assert mine["local_user_view"]["local_user"]["theme"] == "my_theme"
    assert mine["local_user_view"]["local_user"]["admin"] is False
    assert [f["community"]["id"] for f in mine["follows"]] == [community["id"]]
    assert mine["person_blocks"] == [] and mine["instance_blocks"] == []
    # A partial backup leaves the rest alone.
    api.post("/user/import_settings", {"settings": {"show_avatars": False}}, token=carol.token)
    local_user = my_user(api, carol.token)["local_user_view"]["local_user"]
    assert local_user["theme"] == "my_theme" and local_user["show_avatars"] is False


def test_refusals(api: ApiClient) -> None:
    dave = api.make_person()

    def refused(body: Any) -> str:
        return api.error("POST", "/user/import_settings", body, token=dave.token)

    assert refused({"saved_posts": ["https://x.example/p"] * 10_001}) == "too_many_items"
    assert refused({"saved_posts": "https://x.example/p"}) == "unknown"
    assert refused({"saved_posts": [1, 2]}) == "unknown"
    assert refused({"blocked_instances": ["a\u0000b"]}) == "unknown"
    assert refused({"settings": {"default_sort_type": "Sideways"}}) == "unknown"
    assert refused({"settings": []}) == "unknown"
    assert refused([1, 2]) == "unknown"
    assert refused({"bio": "x" * 1001}) == "bio_length_overflow"
    assert api.error("GET", "/user/export_settings", expect=401) == "incorrect_login"
    assert api.error("POST", "/user/import_settings", {}, expect=401) == "incorrect_login"
