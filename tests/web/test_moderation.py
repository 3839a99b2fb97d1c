"""Moderator and admin controls in the pages, and the author's own delete/restore."""

from __future__ import annotations

from typing import Any

from tests.conftest import ADMIN_NAME, ADMIN_PASSWORD
from tests.helpers import ApiClient
from tests.web.conftest import WebClient


def _setup(api: ApiClient) -> tuple[Any, Any, int, int, int]:
    """mod moderates "main"; bob wrote a post and a comment there."""
    mod = api.make_person("mod")
    bob = api.make_person("bob")
    community_id = api.make_community(mod.token, "main")["community"]["id"]
    post_id = api.make_post(bob.token, community_id, "Bob's post")["post"]["id"]
    comment_id = api.make_comment(bob.token, post_id, "bob says hi")["comment"]["id"]
    return mod, bob, community_id, post_id, comment_id


def _post(api: ApiClient, post_id: int, token: str | None = None) -> dict[str, Any]:
    return api.get("/post", id=post_id, token=token)["post_view"]  # type: ignore[no-any-return]


def test_plain_users_see_no_controls_and_forged_posts_are_refused(
        api: ApiClient, web: WebClient) -> None:
    _, bob, community_id, post_id, comment_id = _setup(api)
    api.make_person("eve")
    web.login("eve")
    page = web.get(f"/post/{post_id}").text
    for action in ("/remove", "/lock", "/feature", "/ban"):
        assert action not in page
    for path, data in ((f"/post/{post_id}/remove", {"removed": "true"}),
                       (f"/post/{post_id}/lock", {"locked": "true"}),
                       (f"/post/{post_id}/feature", {"featured": "true"}),
                       (f"/comment/{comment_id}/remove", {"removed": "true"}),
                       (f"/community/{community_id}/ban", {"person_id": bob.person_id})):
        refused = web.form(path, data, expect=400)
        assert 'data-error="not_a_mod_or_admin"' in refused.text or \
            "not_a_mod_or_admin" in refused.text, path
    assert web.form(f"/person/{bob.person_id}/ban", {}, expect=403).status_code == 403
    # Nothing changed.
    view = _post(api, post_id)
    assert not view["post"]["removed"] and not view["post"]["locked"]
    assert not view["post"]["featured_community"] and not view["creator_banned_from_community"]


def test_moderator_removes_restores_locks_features_and_bans(api: ApiClient, web: WebClient,
                                                            other_web: WebClient) -> None:
    mod, bob, community_id, post_id, comment_id = _setup(api)
    web.login("mod")
    page = web.get(f"/post/{post_id}").text
    assert f'action="/post/{post_id}/remove"' in page
    assert f'href="/comment/{comment_id}/moderate"' in page
    moderate = web.get(f"/comment/{comment_id}/moderate").text
    assert f'action="/comment/{comment_id}/remove"' in moderate
    assert "feature on site" not in page  # the site's front page is for admins
    back = web.form(f"/post/{post_id}/remove", {"removed": "true", "reason": "spam",
                                                "next": f"/post/{post_id}"})
    assert back.headers["location"] == f"/post/{post_id}"
    web.form(f"/post/{post_id}/lock", {"locked": "true"})
    web.form(f"/post/{post_id}/feature", {"featured": "true", "feature_type": "Community"})
    web.form(f"/comment/{comment_id}/remove", {"removed": "true", "reason": "rude"})
    view = _post(api, post_id, mod.token)
    assert view["post"]["removed"] and view["post"]["locked"] and view["post"]["featured_community"]
    log = api.get("/modlog", community_id=community_id)
    assert log["removed_posts"][0]["mod_remove_post"]["reason"] == "spam"
    assert log["removed_comments"][0]["mod_remove_comment"]["reason"] == "rude"
    # Everyone sees the comment as removed, without its words.
    other_web.login("bob")
    bobs = other_web.get(f"/post/{post_id}").text
    assert "Removed by a moderator" in bobs and "bob says hi" not in bobs
    assert "/remove" not in bobs and "/moderate" not in bobs
    assert other_web.get(f"/comment/{comment_id}/moderate", expect=403).status_code == 403
    # Restore, unlock, then ban bob for 3 days removing his content.
    web.form(f"/post/{post_id}/remove", {"removed": "false"})
    web.form(f"/post/{post_id}/lock", {"locked": "false"})
    web.form(f"/community/{community_id}/ban", {"person_id": bob.person_id, "reason": "troll",
                                                "expires_days": "3", "remove_data": "on"})
    view = _post(api, post_id, mod.token)
    assert view["creator_banned_from_community"] and view["post"]["removed"]
    assert not view["post"]["locked"]
    ban = api.get("/modlog", community_id=community_id)["banned_from_community"][0]
    assert ban["mod_ban_from_community"]["expires"] is not None
    assert "unban from community" in web.get(f"/post/{post_id}").text
    assert "unban from community" in web.get(f"/comment/{comment_id}/moderate").text
    web.form(f"/community/{community_id}/ban", {"person_id": bob.person_id, "ban": "false"})
    assert not _post(api, post_id, mod.token)["creator_banned_from_community"]


def test_moderator_distinguishes_own_comment_only(api: ApiClient, web: WebClient) -> None:
    mod, _, _, post_id, comment_id = _setup(api)
    own = api.make_comment(mod.token, post_id, "mod speaking")["comment"]["id"]
    web.login("mod")
    assert f'action="/comment/{own}/distinguish"' in web.get(f"/comment/{own}/moderate").text
    other = web.get(f"/comment/{comment_id}/moderate").text
    assert f'action="/comment/{comment_id}/distinguish"' not in other
    web.form(f"/comment/{own}/distinguish", {"distinguished": "true"})
    assert "distinguished" in web.get(f"/comment/{own}").text
    refused = web.form(f"/comment/{comment_id}/distinguish", {"distinguished": "true"},
                       expect=400)
    assert "no_comment_edit_allowed" in refused.text


def test_admin_sees_removed_text_features_on_site_and_bans_from_site(
        api: ApiClient, web: WebClient) -> None:
    mod, bob, _, post_id, comment_id = _setup(api)
    api.post("/comment/remove", {"comment_id": comment_id, "removed": True}, token=mod.token)
    web.login(ADMIN_NAME, ADMIN_PASSWORD)
    page = web.get(f"/post/{post_id}").text
    assert "Removed by a moderator" in page and "bob says hi" in page
    web.form(f"/post/{post_id}/feature", {"featured": "true", "feature_type": "Local"})
    assert _post(api, post_id)["post"]["featured_local"]
    web.form(f"/person/{bob.person_id}/ban", {"reason": "spam", "expires_days": ""})
    person = api.get("/user", person_id=bob.person_id)["person_view"]["person"]
    assert person["banned"] and person.get("ban_expires") is None


def test_author_deletes_and_restores_own_post_and_comment(api: ApiClient, web: WebClient) -> None:
    _, _, _, post_id, comment_id = _setup(api)
    web.login("bob")
    page = web.get(f"/post/{post_id}").text
    assert f'action="/post/{post_id}/delete"' in page
    assert f'action="/comment/{comment_id}/delete"' in page
    web.form(f"/comment/{comment_id}/delete", {"deleted": "true"})
    web.form(f"/post/{post_id}/delete", {"deleted": "true"})
    page = web.get(f"/post/{post_id}").text
    assert "Deleted by its author" in page and ">restore<" in page
    web.form(f"/comment/{comment_id}/delete", {"deleted": "false"})
    web.form(f"/post/{post_id}/delete", {"deleted": "false"})
    assert "bob says hi" in web.get(f"/post/{post_id}").text
    assert not _post(api, post_id)["post"]["deleted"]
