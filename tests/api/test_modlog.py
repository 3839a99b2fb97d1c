"""GET /modlog: what moderators did, newest first, with names hidden as the site says."""

from typing import Any

from tests.helpers import ApiClient, Person

EMPTY = ("removed_communities", "banned", "transferred_to_community", "added",
         "admin_purged_persons", "admin_purged_communities", "admin_purged_posts",
         "admin_purged_comments", "hidden_communities")


def _show_names(api: ApiClient, admin: str, show: bool) -> None:
    api.put("/site", {"hide_modlog_mod_names": not show}, token=admin)


def _moderate(api: ApiClient) -> tuple[Person, Person, dict[str, Any], dict[str, Any],
                                         dict[str, Any]]:
    """A moderator who does one of each action to a member's post and comment."""
    mod, member = api.make_person(), api.make_person()
    community = api.make_community(mod.token)["community"]
    post = api.make_post(member.token, community["id"])["post"]
    comment = api.make_comment(member.token, post["id"])["comment"]
    cid = community["id"]
    api.post("/post/lock", {"post_id": post["id"], "locked": True}, token=mod.token)
    api.post("/post/feature", {"post_id": post["id"], "featured": True,
                               "feature_type": "Community"}, token=mod.token)
    api.post("/comment/remove", {"comment_id": comment["id"], "removed": True,
                                 "reason": "rude"}, token=mod.token)
    api.post("/post/remove", {"post_id": post["id"], "removed": True, "reason": "spam"},
             token=mod.token)
    api.post("/community/ban_user", {"community_id": cid, "person_id": member.person_id,
                                     "ban": True, "reason": "again"}, token=mod.token)
    api.post("/community/mod", {"community_id": cid, "person_id": member.person_id,
                                "added": True}, token=mod.token)
    return mod, member, community, post, comment


def test_modlog_records_each_action(api: ApiClient, admin: str) -> None:
    _show_names(api, admin, True)
    mod, member, community, post, comment = _moderate(api)
    log = api.get("/modlog", community_id=community["id"])
    for key in EMPTY:
        assert log[key] == []
    [removed] = log["removed_posts"]
    assert removed["mod_remove_post"]["post_id"] == post["id"]
    assert removed["mod_remove_post"]["reason"] == "spam"
    assert removed["mod_remove_post"]["removed"] is True
    assert removed["mod_remove_post"]["mod_person_id"] == mod.person_id
    assert removed["moderator"]["id"] == mod.person_id
    assert removed["post"]["id"] == post["id"] and removed["community"]["id"] == community["id"]
    assert log["locked_posts"][0]["mod_lock_post"]["locked"] is True
    featured = log["featured_posts"][0]["mod_feature_post"]
    assert featured["featured"] is True and featured["is_featured_community"] is True
    [rc] = log["removed_comments"]
    assert rc["mod_remove_comment"]["comment_id"] == comment["id"]
    assert rc["commenter"]["id"] == member.person_id and rc["post"]["id"] == post["id"]
    [ban] = log["banned_from_community"]
    assert ban["banned_person"]["id"] == member.person_id
    assert ban["mod_ban_from_community"]["reason"] == "again"
    assert "expires" not in ban["mod_ban_from_community"]
    [added] = log["added_to_community"]
    assert added["modded_person"]["id"] == member.person_id
    assert added["mod_add_community"]["removed"] is False
    assert added["mod_add_community"]["when_"].endswith("Z")


def test_modlog_filters_and_newest_first(api: ApiClient, admin: str) -> None:
    _show_names(api, admin, True)
    mod, member, community, post, _ = _moderate(api)
    api.post("/post/lock", {"post_id": post["id"], "locked": False}, token=mod.token)
    _, _, other_community, _, _ = _moderate(api)
    log = api.get("/modlog", community_id=community["id"])
    assert [e["mod_lock_post"]["locked"] for e in log["locked_posts"]] == [False, True]
    only = api.get("/modlog", type_="ModLockPost")
    assert only["removed_posts"] == [] and len(only["locked_posts"]) == 3
    assert len(api.get("/modlog")["removed_posts"]) == 2
    by_mod = api.get("/modlog", mod_person_id=mod.person_id)
    assert {e["community"]["id"] for e in by_mod["removed_posts"]} == {community["id"]}
    about = api.get("/modlog", other_person_id=member.person_id)
    assert len(about["banned_from_community"]) == 1 and len(about["removed_posts"]) == 1
    assert len(api.get("/modlog", post_id=post["id"])["locked_posts"]) == 2
    assert len(api.get("/modlog", limit=1)["locked_posts"]) == 1
    assert len(api.get("/modlog", limit=1, page=2, community_id=community["id"])
               ["locked_posts"]) == 1
    assert other_community["id"] != community["id"]


def test_modlog_hides_moderator_names(api: ApiClient, admin: str) -> None:
    _show_names(api, admin, False)
    mod, _, community, _, _ = _moderate(api)
    stranger = api.make_person()
    for token in (None, stranger.token):
        log = api.get("/modlog", token=token, community_id=community["id"])
        entry = log["removed_posts"][0]
        assert "moderator" not in entry
        assert entry["mod_remove_post"]["mod_person_id"] == 0
        # Filtering by moderator would reveal who acted, so it is ignored.
        assert len(api.get("/modlog", token=token, mod_person_id=999999)["removed_posts"]) == 1
    # Admins, and the community's moderators, still see who did it.
    assert api.get("/modlog", token=admin)["removed_posts"][0]["moderator"]["id"] == \
        mod.person_id
    own = api.get("/modlog", token=mod.token, community_id=community["id"])
    assert own["removed_posts"][0]["moderator"]["id"] == mod.person_id


def test_modlog_lists_site_bans_and_admin_changes(api: ApiClient, admin: str) -> None:
    _show_names(api, admin, True)
    person = api.make_person()
    community = api.make_community(person.token)["community"]
    api.post("/admin/add", {"person_id": person.person_id, "added": True}, token=admin)
    api.post("/user/ban", {"person_id": person.person_id, "ban": True, "reason": "spam"},
             token=admin)
    log = api.get("/modlog")
    [ban] = log["banned"]
    assert ban["mod_ban"]["other_person_id"] == person.person_id
    assert ban["banned_person"]["id"] == person.person_id
    assert "moderator" in ban and "community" not in ban
    [added] = log["added"]
    assert added["modded_person"]["id"] == person.person_id
    assert added["mod_add"]["removed"] is False
    assert api.get("/modlog", type_="ModBan")["added"] == []
    # They belong to no community, so a community's log leaves them out.
    in_community = api.get("/modlog", community_id=community["id"])
    assert in_community["banned"] == [] and in_community["added"] == []


def test_moderators_of_any_community_see_moderator_names(api: ApiClient, admin: str) -> None:
    """Lemmy 0.19.9 shows the names to admins and to whoever moderates any community, unless
    their account is banned."""
    _show_names(api, admin, False)
    mod, _, community, _, _ = _moderate(api)
    elsewhere = api.make_person()
    api.make_community(elsewhere.token)
    for query in ({"community_id": community["id"]}, {}):
        log = api.get("/modlog", token=elsewhere.token, **query)
        assert log["removed_posts"][0]["moderator"]["id"] == mod.person_id
    assert len(api.get("/modlog", token=elsewhere.token,
                       mod_person_id=mod.person_id)["removed_posts"]) == 1
    api.post("/user/ban", {"person_id": elsewhere.person_id, "ban": True}, token=admin)
    log = api.get("/modlog", token=elsewhere.token, community_id=community["id"])
    assert "moderator" not in log["removed_posts"][0]
