"""PUT /user/save_user_settings, and what GET /site and person views then show."""

from __future__ import annotations

from typing import Any

from tests.helpers import ApiClient, Person


def my_user(api: ApiClient, token: str) -> dict[str, Any]:
    return api.get("/site", token=token)["my_user"]  # type: ignore[no-any-return]


def save(api: ApiClient, person: Person, **values: Any) -> Any:
    return api.put("/user/save_user_settings", values, token=person.token)


def test_profile_fields_show_everywhere(api: ApiClient) -> None:
    alice = api.make_person()
    assert save(api, alice, display_name="Alice A.", bio="I *like* tea",
                avatar="https://img.example/a.png", banner="https://img.example/b.png",
                matrix_user_id="@alice:matrix.org", bot_account=True) == {"success": True}
    person = my_user(api, alice.token)["local_user_view"]["person"]
    assert person["display_name"] == "Alice A."
    assert person["bio"] == "I *like* tea"  # stored as markdown, as Lemmy does
    assert person["avatar"] == "https://img.example/a.png"
    assert person["banner"] == "https://img.example/b.png"
    assert person["matrix_user_id"] == "@alice:matrix.org"
    assert person["bot_account"] is True and "updated" in person
    seen = api.get("/user", person_id=alice.person_id)["person_view"]["person"]
    assert seen["display_name"] == "Alice A." and seen["bot_account"] is True
    # An empty string clears a field; leaving a field out keeps it.
    save(api, alice, display_name="", avatar="")
    person = my_user(api, alice.token)["local_user_view"]["person"]
    assert "display_name" not in person and "avatar" not in person
    assert person["bio"] == "I *like* tea"


def test_local_user_flags(api: ApiClient) -> None:
    bob = api.make_person()
    flags = {"show_nsfw": True, "blur_nsfw": False, "auto_expand": True, "theme": "darkly",
             "default_sort_type": "TopWeek", "default_listing_type": "All",
             "interface_language": "fr", "show_avatars": False,
             "send_notifications_to_email": True, "show_scores": False,
             "show_bot_accounts": False, "show_read_posts": False,
             "open_links_in_new_tab": True, "infinite_scroll_enabled": True,
             "post_listing_mode": "SmallCard", "enable_keyboard_navigation": True,
             "enable_animated_images": False, "collapse_bot_comments": True}
    save(api, bob, **flags, show_upvotes=False, show_downvotes=False, show_upvote_percentage=True)
    view = my_user(api, bob.token)["local_user_view"]
    for key, value in flags.items():
        assert view["local_user"][key] == value, key
    assert view["local_user_vote_display_mode"] == {
        "local_user_id": view["local_user"]["id"], "score": False, "upvotes": False,
        "downvotes": False, "upvote_percentage": True}


def test_settings_change_listings(api: ApiClient) -> None:
    alice, bob = api.make_person(), api.make_person()
    community = api.make_community(alice.token)["community"]["id"]
    api.put("/user/save_user_settings", {"bot_account": True}, token=alice.token)
    post_id = api.make_post(alice.token, community)["post"]["id"]
    listed = [p["post"]["id"] for p in api.get("/post/list", token=bob.token, type_="All")["posts"]]
    assert post_id in listed
    save(api, bob, show_bot_accounts=False)
    listed = [p["post"]["id"] for p in api.get("/post/list", token=bob.token, type_="All")["posts"]]
    assert post_id not in listed


def test_discussion_languages(api: ApiClient) -> None:
    carol = api.make_person()
    assert my_user(api, carol.token)["discussion_languages"] == []
    save(api, carol, discussion_languages=[37, 0, 37])
    assert my_user(api, carol.token)["discussion_languages"] == [0, 37]
    assert api.error("PUT", "/user/save_user_settings", {"discussion_languages": [99999]},
                     token=carol.token) == "language_not_allowed"
    assert my_user(api, carol.token)["discussion_languages"] == [0, 37]
    save(api, carol, discussion_languages=[])
    assert my_user(api, carol.token)["discussion_languages"] == []


def test_refusals(api: ApiClient, admin: str) -> None:
    dave = api.make_person()
    api.make_person(email="taken@example.com")

    def refused(**values: Any) -> str:
        return api.error("PUT", "/user/save_user_settings", values, token=dave.token)

    assert refused(bio="x" * 1001) == "bio_length_overflow"
    assert refused(display_name="ab") == "invalid_display_name"
    assert refused(display_name="d" * 21) == "invalid_display_name"
    assert refused(display_name="@admin") == "invalid_display_name"
    assert refused(display_name="\u200bAdmin") == "invalid_display_name"
    assert refused(matrix_user_id="alice@matrix.org") == "invalid_matrix_id"
    assert refused(avatar="ftp://example.com/x.png") == "invalid_url_scheme"
    assert refused(banner="not a url") == "invalid_url_scheme"
    assert refused(email="TAKEN@example.com") == "email_already_exists"
    assert refused(default_sort_type="Sideways") == "unknown"
    assert refused(interface_language="x" * 21) == "couldnt_update_user"
    api.put("/site", {"slur_filter_regex": "badword"}, token=admin)
    assert refused(bio="a badword here") == "slurs"
    # Nothing of a refused form was kept.
    person = my_user(api, dave.token)["local_user_view"]["person"]
    assert "bio" not in person and "display_name" not in person
    assert api.error("PUT", "/user/save_user_settings", {"bio": "hi"}, expect=401) == \
        "incorrect_login"


def test_email_change(api: ApiClient, admin: str) -> None:
    erin = api.make_person(email="erin@example.com")
    save(api, erin, email="Erin.New@Example.com")
    assert my_user(api, erin.token)["local_user_view"]["local_user"]["email"] == \
        "erin.new@example.com"
    assert api.login("erin.new@example.com")
    save(api, erin, email="")
    assert "email" not in my_user(api, erin.token)["local_user_view"]["local_user"]
    api.put("/site", {"require_email_verification": True}, token=admin)
    assert api.error("PUT", "/user/save_user_settings", {"email": ""},
                     token=erin.token) == "email_required"


def test_instance_blocks_in_my_user(api: ApiClient, app: Any) -> None:
    from tests.api.test_communities import insert_remote_community

    frank = api.make_person()
    insert_remote_community(app, "faraway", "far.example")
    instance_id = api.get("/community", name="faraway@far.example",
                          token=frank.token)["community_view"]["community"]["instance_id"]
    assert api.post("/site/block", {"instance_id": instance_id, "block": True},
                    token=frank.token) == {"blocked": True}
    (block,) = my_user(api, frank.token)["instance_blocks"]
    assert block["instance"]["domain"] == "far.example"
    assert block["person"]["id"] == frank.person_id
