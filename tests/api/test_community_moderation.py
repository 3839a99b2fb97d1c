"""Whole communities: transfer, hide, remove and delete, their permissions and the modlog."""

from typing import Any

from tests.helpers import ApiClient, Person


def _community(api: ApiClient, owner: Person) -> dict[str, Any]:
    return api.make_community(owner.token)["community"]  # type: ignore[no-any-return]


def _mod_ids(api: ApiClient, community_id: int) -> list[int]:
    return [m["moderator"]["id"]
            for m in api.get("/community", id=community_id)["moderators"]]


def _listed_community_ids(api: ApiClient, token: str | None = None, **params: Any) -> set[int]:
    found = api.get("/community/list", token=token, limit=50, **params)["communities"]
    return {c["community"]["id"] for c in found}


def _listed_post_ids(api: ApiClient, token: str | None = None, **params: Any) -> set[int]:
    found = api.get("/post/list", token=token, limit=50, **params)["posts"]
    return {p["post"]["id"] for p in found}


def _modlog(api: ApiClient, key: str, token: str, **params: Any) -> list[dict[str, Any]]:
    """One modlog list, as an admin sees it (the site hides moderator names from others)."""
    return api.get("/modlog", token=token, **params)[key]  # type: ignore[no-any-return]


def test_transfer_makes_a_moderator_the_top_moderator(api: ApiClient, admin: str) -> None:
    owner, second, third = api.make_person(), api.make_person(), api.make_person()
    community = _community(api, owner)
    for person in (second, third):
        api.post("/community/mod", {"community_id": community["id"], "person_id": person.person_id,
                                    "added": True}, token=owner.token)
    result = api.post("/community/transfer", {"community_id": community["id"],
                                              "person_id": third.person_id}, token=owner.token)
    expected = [third.person_id, owner.person_id, second.person_id]
    assert [m["moderator"]["id"] for m in result["moderators"]] == expected
    assert result["community_view"]["community"]["id"] == community["id"]
    assert _mod_ids(api, community["id"]) == expected
    # The old top moderator is no longer top: they may not transfer again, the new one may.
    assert api.error("POST", "/community/transfer", {"community_id": community["id"],
                     "person_id": owner.person_id}, token=owner.token) == "not_an_admin"
    api.post("/community/transfer", {"community_id": community["id"],
                                     "person_id": second.person_id}, token=third.token)
    assert _mod_ids(api, community["id"])[0] == second.person_id
    entries = _modlog(api, "transferred_to_community", admin, community_id=community["id"])
    assert [(e["mod_transfer_community"]["mod_person_id"], e["modded_person"]["id"])
            for e in entries] == [(third.person_id, second.person_id),
                                  (owner.person_id, third.person_id)]
    assert entries[0]["community"]["id"] == community["id"]


def test_transfer_refusals(api: ApiClient, admin: str) -> None:
    owner, mod, outsider = api.make_person(), api.make_person(), api.make_person()
    community = _community(api, owner)
    api.post("/community/mod", {"community_id": community["id"], "person_id": mod.person_id,
                                "added": True}, token=owner.token)
    body = {"community_id": community["id"], "person_id": mod.person_id}
    # A moderator who is not the top one, and a stranger, may not.
    assert api.error("POST", "/community/transfer", body, token=mod.token) == "not_an_admin"
    assert api.error("POST", "/community/transfer", body, token=outsider.token) == "not_an_admin"
    assert api.error("POST", "/community/transfer", body, expect=401) == "incorrect_login"
    # Only a moderator can be handed the community.
    assert api.error("POST", "/community/transfer", {"community_id": community["id"],
                     "person_id": outsider.person_id}, token=owner.token) == "not_a_moderator"
    assert api.error("POST", "/community/transfer", {"community_id": 999999,
                     "person_id": mod.person_id}, token=owner.token,
                     expect=404) == "couldnt_find_community"
    # An admin who moderates nothing there may.
    api.post("/community/transfer", body, token=admin)
    assert _mod_ids(api, community["id"]) == [mod.person_id, owner.person_id]


def test_hide_community_is_for_admins_and_leaves_all_and_local(api: ApiClient,
                                                               admin: str) -> None:
    owner, follower, other = api.make_person(), api.make_person(), api.make_person()
    community = _community(api, owner)
    post = api.make_post(owner.token, community["id"])["post"]
    api.post("/community/follow", {"community_id": community["id"], "follow": True},
             token=follower.token)
    body = {"community_id": community["id"], "hidden": True, "reason": "off-topic here"}
    assert api.error("PUT", "/community/hide", body, token=owner.token) == "not_an_admin"
    assert api.put("/community/hide", body, token=admin) == {"success": True}
    assert api.get("/community", id=community["id"])["community_view"]["community"]["hidden"]
    for listing in ("All", "Local"):
        assert post["id"] not in _listed_post_ids(api, type_=listing)
        assert post["id"] not in _listed_post_ids(api, other.token, type_=listing)
        # Its followers still see it, as in Lemmy.
        assert post["id"] in _listed_post_ids(api, follower.token, type_=listing)
    assert community["id"] not in _listed_community_ids(api, other.token, type_="All")
    # The community itself is still there. Its page lists as All does (Lemmy's
    # listing_type_with_default), so only its followers see its posts there too.
    assert api.get("/community", id=community["id"], token=other.token)["community_view"]
    assert post["id"] in _listed_post_ids(api, follower.token, community_id=community["id"])
    entry = _modlog(api, "hidden_communities", admin)[0]
    assert entry["mod_hide_community"]["hidden"] is True
    assert entry["mod_hide_community"]["reason"] == "off-topic here"
    assert entry["admin"]["name"] == "admin"
    assert entry["community"]["id"] == community["id"]
    api.put("/community/hide", {"community_id": community["id"], "hidden": False}, token=admin)
    assert post["id"] in _listed_post_ids(api, type_="All")
    assert [e["mod_hide_community"]["hidden"]
            for e in _modlog(api, "hidden_communities", admin)] == [False, True]
    assert api.error("PUT", "/community/hide", {"community_id": 999999, "hidden": True},
                     token=admin, expect=404) == "couldnt_find_community"


def test_remove_community_is_for_admins_and_restores(api: ApiClient, admin: str) -> None:
    owner, member = api.make_person(), api.make_person()
    community = _community(api, owner)
    post = api.make_post(member.token, community["id"])["post"]
    body = {"community_id": community["id"], "removed": True, "reason": "spam ring"}
    # Its own moderator may not (Lemmy 0.19: admins only), nor may a stranger.
    assert api.error("POST", "/community/remove", body, token=owner.token) == "not_an_admin"
    assert api.error("POST", "/community/remove", body,
                     token=member.token) == "not_a_mod_or_admin"
    view = api.post("/community/remove", body, token=admin)["community_view"]
    assert view["community"]["removed"] is True
    assert post["id"] not in _listed_post_ids(api, type_="All")
    assert post["id"] not in _listed_post_ids(api, member.token, type_="All")
    assert community["id"] not in _listed_community_ids(api, member.token, type_="All")
    assert api.error("GET", "/community", id=community["id"],
                     expect=404) == "couldnt_find_community"
    # Nobody may post in it any more.
    assert api.error("POST", "/post", {"community_id": community["id"], "name": "Again"},
                     token=member.token) == "deleted"
    entry = _modlog(api, "removed_communities", admin)[0]
    assert (entry["mod_remove_community"]["removed"], entry["mod_remove_community"]["reason"]) \
        == (True, "spam ring")
    assert entry["moderator"]["name"] == "admin"
    assert entry["community"]["id"] == community["id"]
    # As in Lemmy, community removals are site-wide entries: not listed for one community.
    assert _modlog(api, "removed_communities", admin, community_id=community["id"]) == []
    api.post("/community/remove", {"community_id": community["id"], "removed": False},
             token=admin)
    assert post["id"] in _listed_post_ids(api, type_="All")
    api.make_post(member.token, community["id"])
    assert len(_modlog(api, "removed_communities", admin)) == 2


def test_delete_community_is_for_the_top_moderator(api: ApiClient, admin: str) -> None:
    owner, mod, member = api.make_person(), api.make_person(), api.make_person()
    community = _community(api, owner)
    api.post("/community/mod", {"community_id": community["id"], "person_id": mod.person_id,
                                "added": True}, token=owner.token)
    post = api.make_post(member.token, community["id"])["post"]
    body = {"community_id": community["id"], "deleted": True}
    assert api.error("POST", "/community/delete", body, token=mod.token) == "not_top_mod"
    assert api.error("POST", "/community/delete", body, token=admin) == "not_top_mod"
    assert api.error("POST", "/community/delete", body,
                     token=member.token) == "not_a_mod_or_admin"
    view = api.post("/community/delete", body, token=owner.token)["community_view"]
    assert view["community"]["deleted"] is True
    assert post["id"] not in _listed_post_ids(api, type_="All")
    assert community["id"] not in _listed_community_ids(api, type_="All")
    assert api.error("POST", "/post", {"community_id": community["id"], "name": "Again"},
                     token=member.token) == "deleted"
    assert api.error("POST", "/comment", {"post_id": post["id"], "content": "hello"},
                     token=member.token) == "deleted"
    view = api.post("/community/delete", {"community_id": community["id"], "deleted": False},
                    token=owner.token)["community_view"]
    assert view["community"]["deleted"] is False
    assert post["id"] in _listed_post_ids(api, type_="All")
    api.make_post(member.token, community["id"])


def test_modlog_lists_of_whole_communities_and_purges(api: ApiClient, admin: str) -> None:
    """Which lists a filter leaves out, as Lemmy 0.19.9's get_mod_log; and hidden names."""
    owner, mod = api.make_person(), api.make_person()
    community = _community(api, owner)
    api.post("/community/mod", {"community_id": community["id"], "person_id": mod.person_id,
                                "added": True}, token=owner.token)
    api.post("/community/transfer", {"community_id": community["id"],
                                     "person_id": mod.person_id}, token=owner.token)
    api.put("/community/hide", {"community_id": community["id"], "hidden": True}, token=admin)
    api.post("/community/remove", {"community_id": community["id"], "removed": True},
             token=admin)
    doomed = api.make_community(owner.token)["community"]
    api.post("/admin/purge/community", {"community_id": doomed["id"], "reason": "gone"},
             token=admin)
    everything = api.get("/modlog", token=admin)
    for key in ("transferred_to_community", "hidden_communities", "removed_communities",
                "admin_purged_communities"):
        assert len(everything[key]) == 1, key
    # A community filter keeps transfers and hides; removals and purges are site-wide.
    one = api.get("/modlog", token=admin, community_id=community["id"])
    assert (len(one["transferred_to_community"]), len(one["hidden_communities"])) == (1, 1)
    assert one["removed_communities"] == [] and one["admin_purged_communities"] == []
    # Asking for a person acted on leaves out the lists that name nobody.
    about = api.get("/modlog", token=admin, other_person_id=mod.person_id)
    assert len(about["transferred_to_community"]) == 1
    assert about["hidden_communities"] == [] and about["removed_communities"] == []
    assert about["admin_purged_communities"] == []
    # type_ picks one list.
    only = api.get("/modlog", token=admin, type_="AdminPurgeCommunity")
    assert len(only["admin_purged_communities"]) == 1 and only["hidden_communities"] == []
    # With names hidden (the default), others see neither the admin nor their id.
    anonymous = api.get("/modlog")
    purge = anonymous["admin_purged_communities"][0]
    assert "admin" not in purge and purge["admin_purge_community"]["admin_person_id"] == 0
    hide = anonymous["hidden_communities"][0]
    assert "admin" not in hide and hide["mod_hide_community"]["mod_person_id"] == 0
    api.put("/site", {"hide_modlog_mod_names": False}, token=admin)
    shown = api.get("/modlog")["transferred_to_community"][0]
    assert shown["moderator"]["id"] == owner.person_id
