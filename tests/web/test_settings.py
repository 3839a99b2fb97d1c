"""The /settings page: profile and preferences, password, blocks and deleting the account."""

from __future__ import annotations

from typing import Any

from tests.helpers import PASSWORD, ApiClient
from tests.web.conftest import WebClient
from tests.web.page import parse

NEW_PASSWORD = "a-new-password-2"


def _my_user(api: ApiClient, token: str) -> dict[str, Any]:
    return api.get("/site", token=token)["my_user"]  # type: ignore[no-any-return]


def _settings(**changes: str) -> dict[str, str]:
    """The form as a browser sends it with nothing ticked but what ``changes`` names."""
    form = {"display_name": "", "bio": "", "avatar": "", "banner": "", "email": "",
            "matrix_user_id": "", "default_sort_type": "Active", "default_listing_type": "Local"}
    form.update(changes)
    return form


def test_anonymous_is_sent_to_login(web: WebClient) -> None:
    assert web.get("/settings", expect=303).headers["location"] == "/login?next=/settings"
    assert 'href="/settings"' not in web.get("/").text


def test_settings_form_changes_what_the_api_shows(api: ApiClient, web: WebClient) -> None:
    alice = api.make_person("alice")
    web.login("alice")
    page = parse(web.get("/settings").text)
    # Every control has a label.
    labelled = {label.attrs.get("for") for label in page.all("label")}
    for control in page.all("input") + page.all("select") + page.all("textarea"):
        if control.attrs.get("type") != "hidden":
            assert control.attrs.get("id") in labelled, control.attrs
    assert 'href="/settings"' in web.get("/").text and 'href="/admin"' not in web.get("/").text
    saved = web.form("/settings", _settings(
        display_name="Alice A.", bio="tea *lover*", avatar="https://img.example/a.png",
        email="alice@example.com", show_nsfw="on", show_bot_accounts="on",
        default_sort_type="New", default_listing_type="All"), page="/settings")
    assert saved.headers["location"] == "/settings?saved=settings"
    view = _my_user(api, alice.token)["local_user_view"]
    person, user = view["person"], view["local_user"]
    assert person["display_name"] == "Alice A." and person["bio"] == "tea *lover*"
    assert person["avatar"] == "https://img.example/a.png"
    assert user["email"] == "alice@example.com" and user["show_nsfw"]
    assert user["show_bot_accounts"] and not user["show_read_posts"]
    assert user["default_sort_type"] == "New" and user["default_listing_type"] == "All"
    again = web.get("/settings?saved=settings").text
    assert "Your settings were saved." in again and 'value="Alice A."' in again
    # Unticking and clearing through the same form.
    web.form("/settings", _settings(), page="/settings")
    view = _my_user(api, alice.token)["local_user_view"]
    assert view["person"].get("display_name") is None and not view["local_user"]["show_nsfw"]


def test_settings_errors_are_named_and_change_nothing(api: ApiClient, web: WebClient) -> None:
    alice = api.make_person("alice")
    bob = api.make_person("bob")
    api.put("/user/save_user_settings", {"email": "bob@example.com"}, token=bob.token)
    web.login("alice")
    refused = web.form("/settings", _settings(display_name="Alice B", email="bob@example.com"),
                       page="/settings", expect=400)
    assert 'data-error="email_already_exists"' in refused.text
    bad_sort = web.form("/settings", _settings(default_sort_type="Sideways"), page="/settings",
                        expect=400)
    assert 'data-error="unknown"' in bad_sort.text and "default_sort_type" in bad_sort.text
    assert _my_user(api, alice.token)["local_user_view"]["person"].get("display_name") is None


def test_change_password_keeps_the_browser_logged_in(api: ApiClient, web: WebClient,
                                                     other_web: WebClient) -> None:
    api.make_person("alice")
    web.login("alice")
    other_web.login("alice")
    wrong = web.form("/settings/password", {"old_password": "not-my-password",
                                            "new_password": NEW_PASSWORD,
                                            "new_password_verify": NEW_PASSWORD},
                     page="/settings", expect=400)
    assert 'data-error="incorrect_login"' in wrong.text
    differ = web.form("/settings/password", {"old_password": PASSWORD,
                                             "new_password": NEW_PASSWORD,
                                             "new_password_verify": NEW_PASSWORD + "x"},
                      page="/settings", expect=400)
    assert 'data-error="passwords_do_not_match"' in differ.text
    done = web.form("/settings/password", {"old_password": PASSWORD,
                                           "new_password": NEW_PASSWORD,
                                           "new_password_verify": NEW_PASSWORD},
                    page="/settings")
    assert "jwt=" in done.headers["set-cookie"]
    # Still logged in here with the new cookie, which the API accepts too.
    assert "Your password was changed." in web.get("/settings?saved=password").text
    jwt = web.client.cookies.get("jwt")
    assert _my_user(api, jwt)["local_user_view"]["person"]["name"] == "alice"
    api.login("alice", NEW_PASSWORD)
    api.post("/user/login", {"username_or_email": "alice", "password": PASSWORD}, expect=401)


def test_blocks_are_listed_with_unblock_buttons(api: ApiClient, web: WebClient,
                                                app: Any) -> None:
    from tests.api.test_communities import insert_remote_community

    alice, bob = api.make_person("alice"), api.make_person("bob")
    community_id = api.make_community(bob.token, "bobs")["community"]["id"]
    insert_remote_community(app, "faraway", "far.example")
    instance_id = api.get("/community", name="faraway@far.example",
                          token=alice.token)["community_view"]["community"]["instance_id"]
    api.post("/user/block", {"person_id": bob.person_id, "block": True}, token=alice.token)
    api.post("/community/block", {"community_id": community_id, "block": True},
             token=alice.token)
    api.post("/site/block", {"instance_id": instance_id, "block": True}, token=alice.token)
    web.login("alice")
    page = web.get("/settings").text
    for text in ("Unblock bob", "Unblock bobs", "Unblock far.example"):
        assert text in page
    back = web.form(f"/person/{bob.person_id}/block", {"block": "false", "next": "/settings"},
                    page="/settings")
    assert back.headers["location"] == "/settings"
    web.form(f"/community/{community_id}/block", {"block": "false"}, page="/settings")
    web.form(f"/instance/{instance_id}/block", {"block": "false"}, page="/settings")
    mine = _my_user(api, alice.token)
    assert mine["person_blocks"] == [] and mine["community_blocks"] == []
    assert mine["instance_blocks"] == []
    assert "You block nobody." in web.get("/settings").text


def test_delete_account_needs_the_password_and_logs_out(api: ApiClient, web: WebClient) -> None:
    alice = api.make_person("alice")
    web.login("alice")
    wrong = web.form("/settings/delete", {"password": "not-my-password"}, page="/settings",
                     expect=400)
    assert 'data-error="incorrect_login"' in wrong.text
    gone = web.form("/settings/delete", {"password": PASSWORD, "delete_content": "on"},
                    page="/settings")
    assert gone.headers["location"] == "/"
    assert web.client.cookies.get("jwt") is None
    assert web.get("/settings", expect=303).headers["location"].startswith("/login")
    assert api.get("/user", person_id=alice.person_id, expect=404) is not None
    api.post("/user/login", {"username_or_email": "alice", "password": PASSWORD}, expect=400)


def test_forms_without_csrf_are_refused(api: ApiClient, web: WebClient) -> None:
    alice = api.make_person("alice")
    web.login("alice")
    for path, data in (("/settings", _settings(display_name="Forged")),
                       ("/settings/password", {"old_password": PASSWORD,
                                               "new_password": NEW_PASSWORD,
                                               "new_password_verify": NEW_PASSWORD}),
                       ("/settings/delete", {"password": PASSWORD})):
        refused = web.client.post(path, data=data, follow_redirects=False)
        assert refused.status_code == 403 and "csrf_failed" in refused.text, path
    view = _my_user(api, alice.token)["local_user_view"]
    assert view["person"].get("display_name") is None and not view["person"]["deleted"]


def test_a_site_banned_person_reads_but_does_not_act(api: ApiClient, admin: str,
                                                     web: WebClient) -> None:
    alice = api.make_person("alice")
    community_id = api.make_community(admin, "main")["community"]["id"]
    post_id = api.make_post(admin, community_id, "Hello")["post"]["id"]
    web.login("alice")
    csrf = web.csrf("/settings")
    api.post("/user/ban", {"person_id": alice.person_id, "ban": True}, token=admin)
    assert "Settings" in web.get("/settings").text
    for path, data in (("/settings", _settings(display_name="Still here")),
                       (f"/post/{post_id}/comment", {"content": "let me in"})):
        refused = web.client.post(path, data={"csrf": csrf, **data}, follow_redirects=False)
        assert refused.status_code == 400 and 'data-error="site_ban"' in refused.text, path
    assert _my_user(api, alice.token)["local_user_view"]["person"].get("display_name") is None
    assert api.get("/post", id=post_id)["post_view"]["counts"]["comments"] == 0
