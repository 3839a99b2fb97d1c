"""Moderator actions on posts, comments and people, and what they change for everyone else."""

import time
from typing import Any

from tests.helpers import ApiClient, Person


def _setup(api: ApiClient) -> tuple[Person, Person, dict[str, Any]]:
    """A moderator, a member, and the moderator's community."""
    mod = api.make_person()
    member = api.make_person()
    community = api.make_community(mod.token)["community"]
    return mod, member, community


def _listed(api: ApiClient, community_id: int, token: str | None = None) -> list[int]:
    posts = api.get("/post/list", token=token, community_id=community_id)["posts"]
    return [p["post"]["id"] for p in posts]


def test_remove_post_hides_it_and_fixes_counts(api: ApiClient, admin: str) -> None:
    mod, member, community = _setup(api)
    post = api.make_post(member.token, community["id"])["post"]
    api.make_comment(member.token, post["id"])
    assert _listed(api, community["id"]) == [post["id"]]
    view = api.post("/post/remove", {"post_id": post["id"], "removed": True, "reason": "spam"},
                    token=mod.token)["post_view"]
    assert view["post"]["removed"] is True
    assert _listed(api, community["id"]) == []
    assert _listed(api, community["id"], member.token) == []
    counts = api.get("/community", id=community["id"])["community_view"]["counts"]
    assert (counts["posts"], counts["comments"]) == (0, 0)
    person = api.get("/user", person_id=member.person_id)["person_view"]["counts"]
    assert person["post_count"] == 0
    # An admin who is no moderator may restore it.
    api.post("/post/remove", {"post_id": post["id"], "removed": False}, token=admin)
    assert _listed(api, community["id"]) == [post["id"]]
    counts = api.get("/community", id=community["id"])["community_view"]["counts"]
    assert (counts["posts"], counts["comments"]) == (1, 1)


def test_post_actions_refuse_non_moderators(api: ApiClient) -> None:
    mod, member, community = _setup(api)
    post = api.make_post(member.token, community["id"])["post"]
    for path, body in (("/post/remove", {"removed": True}), ("/post/lock", {"locked": True}),
                       ("/post/feature", {"featured": True, "feature_type": "Community"})):
        # Not even the post's own creator may moderate it.
        assert api.error("POST", path, {"post_id": post["id"], **body},
                         token=member.token) == "not_a_mod_or_admin"
        assert api.error("POST", path, {"post_id": post["id"], **body},
                         expect=401) == "incorrect_login"
    assert api.error("POST", "/post/lock", {"post_id": 999999, "locked": True},
                     token=mod.token, expect=404) == "couldnt_find_post"
    assert api.get("/post", id=post["id"])["post_view"]["post"]["locked"] is False


def test_locked_post_refuses_comments_except_from_moderators(api: ApiClient) -> None:
    mod, member, community = _setup(api)
    post = api.make_post(member.token, community["id"])["post"]
    view = api.post("/post/lock", {"post_id": post["id"], "locked": True},
                    token=mod.token)["post_view"]
    assert view["post"]["locked"] is True
    assert api.error("POST", "/comment", {"post_id": post["id"], "content": "hi"},
                     token=member.token) == "locked"
    api.make_comment(mod.token, post["id"])
    api.post("/post/lock", {"post_id": post["id"], "locked": False}, token=mod.token)
    api.make_comment(member.token, post["id"])


def test_feature_post_in_community_and_on_front_page(api: ApiClient, admin: str) -> None:
    mod, member, community = _setup(api)
    first = api.make_post(member.token, community["id"])["post"]
    second = api.make_post(member.token, community["id"])["post"]
    assert _listed(api, community["id"]) == [second["id"], first["id"]]
    view = api.post("/post/feature", {"post_id": first["id"], "featured": True,
                                      "feature_type": "Community"}, token=mod.token)["post_view"]
    assert view["post"]["featured_community"] is True
    assert view["post"]["featured_local"] is False
    assert _listed(api, community["id"]) == [first["id"], second["id"]]
    # The front page is the admins'.
    assert api.error("POST", "/post/feature", {"post_id": first["id"], "featured": True,
                                               "feature_type": "Local"},
                     token=mod.token) == "not_an_admin"
    view = api.post("/post/feature", {"post_id": second["id"], "featured": True,
                                      "feature_type": "Local"}, token=admin)["post_view"]
    assert view["post"]["featured_local"] is True
    api.post("/post/feature", {"post_id": first["id"], "featured": False,
                               "feature_type": "Community"}, token=mod.token)
    assert api.get("/post", id=first["id"])["post_view"]["post"]["featured_community"] is False


def test_remove_comment_keeps_its_place_with_content_hidden(api: ApiClient, admin: str) -> None:
    mod, member, community = _setup(api)
    post = api.make_post(member.token, community["id"])["post"]
    parent = api.make_comment(member.token, post["id"], "the parent")["comment"]
    api.make_comment(mod.token, post["id"], "a reply", parent_id=parent["id"])
    assert api.error("POST", "/comment/remove", {"comment_id": parent["id"], "removed": True},
                     token=member.token) == "not_a_mod_or_admin"
    view = api.post("/comment/remove", {"comment_id": parent["id"], "removed": True,
                                        "reason": "rude"}, token=mod.token)["comment_view"]
    assert view["comment"]["removed"] is True
    comments = api.get("/comment/list", post_id=post["id"], token=member.token)["comments"]
    by_id = {c["comment"]["id"]: c["comment"] for c in comments}
    assert len(by_id) == 2 and by_id[parent["id"]]["content"] == ""
    admin_view = api.get("/comment/list", post_id=post["id"], token=admin)["comments"]
    assert "the parent" in [c["comment"]["content"] for c in admin_view]
    assert api.get("/post", id=post["id"])["post_view"]["counts"]["comments"] == 1
    api.post("/comment/remove", {"comment_id": parent["id"], "removed": False}, token=mod.token)
    assert api.get("/post", id=post["id"])["post_view"]["counts"]["comments"] == 2


def test_distinguish_only_own_comment_as_moderator(api: ApiClient) -> None:
    mod, member, community = _setup(api)
    post = api.make_post(member.token, community["id"])["post"]
    mine = api.make_comment(mod.token, post["id"])["comment"]
    theirs = api.make_comment(member.token, post["id"])["comment"]
    view = api.post("/comment/distinguish", {"comment_id": mine["id"], "distinguished": True},
                    token=mod.token)["comment_view"]
    assert view["comment"]["distinguished"] is True
    assert api.error("POST", "/comment/distinguish",
                     {"comment_id": theirs["id"], "distinguished": True},
                     token=mod.token) == "no_comment_edit_allowed"
    assert api.error("POST", "/comment/distinguish",
                     {"comment_id": theirs["id"], "distinguished": True},
                     token=member.token) == "not_a_mod_or_admin"


def test_ban_from_community_refuses_posting_commenting_and_voting(api: ApiClient) -> None:
    mod, member, community = _setup(api)
    post = api.make_post(mod.token, community["id"])["post"]
    api.post("/community/follow", {"community_id": community["id"], "follow": True},
             token=member.token)
    result = api.post("/community/ban_user", {"community_id": community["id"],
                                              "person_id": member.person_id, "ban": True,
                                              "reason": "trolling"}, token=mod.token)
    assert result["banned"] is True
    assert result["person_view"]["person"]["id"] == member.person_id
    view = api.get("/community", id=community["id"], token=member.token)["community_view"]
    assert view["subscribed"] == "NotSubscribed"
    assert view["banned_from_community"] is True
    assert api.error("POST", "/post", {"community_id": community["id"], "name": "Hello"},
                     token=member.token) == "banned_from_community"
    assert api.error("POST", "/comment", {"post_id": post["id"], "content": "hi"},
                     token=member.token) == "banned_from_community"
    assert api.error("POST", "/post/like", {"post_id": post["id"], "score": 1},
                     token=member.token) == "banned_from_community"
    assert api.error("POST", "/community/follow", {"community_id": community["id"],
                                                   "follow": True},
                     token=member.token) == "banned_from_community"
    api.post("/community/ban_user", {"community_id": community["id"],
                                     "person_id": member.person_id, "ban": False},
             token=mod.token)
    api.make_comment(member.token, post["id"])


def test_ban_with_remove_data_and_expiry(api: ApiClient) -> None:
    mod, member, community = _setup(api)
    post = api.make_post(member.token, community["id"])["post"]
    api.make_comment(member.token, post["id"])
    other_post = api.make_post(mod.token, community["id"])["post"]
    comment = api.make_comment(member.token, other_post["id"])["comment"]
    elsewhere = api.make_community(member.token)["community"]
    kept = api.make_post(member.token, elsewhere["id"])["post"]
    api.post("/community/ban_user", {"community_id": community["id"],
                                     "person_id": member.person_id, "ban": True,
                                     "remove_data": True, "expires": int(time.time()) + 3600},
             token=mod.token)
    assert _listed(api, community["id"]) == [other_post["id"]]
    assert _listed(api, elsewhere["id"]) == [kept["id"]]
    removed = api.get("/comment", id=comment["id"], token=mod.token)["comment_view"]["comment"]
    assert removed["removed"] is True
    counts = api.get("/community", id=community["id"])["community_view"]["counts"]
    assert (counts["posts"], counts["comments"]) == (1, 0)
    assert api.error("POST", "/community/ban_user",
                     {"community_id": community["id"], "person_id": member.person_id,
                      "ban": True, "expires": int(time.time()) - 60},
                     token=mod.token) == "ban_expiration_in_past"
    assert api.error("POST", "/community/ban_user",
                     {"community_id": community["id"], "person_id": mod.person_id, "ban": True},
                     token=member.token) == "not_a_mod_or_admin"


def test_add_and_remove_moderator(api: ApiClient, admin: str) -> None:
    mod, member, community = _setup(api)
    third = api.make_person()
    assert api.error("POST", "/community/mod", {"community_id": community["id"],
                                                "person_id": member.person_id, "added": True},
                     token=member.token) == "not_a_mod_or_admin"
    result = api.post("/community/mod", {"community_id": community["id"],
                                         "person_id": member.person_id, "added": True},
                      token=mod.token)
    assert [m["moderator"]["id"] for m in result["moderators"]] == \
        [mod.person_id, member.person_id]
    # The new moderator may act now, and an admin may appoint without being one.
    post = api.make_post(third.token, community["id"])["post"]
    api.post("/post/lock", {"post_id": post["id"], "locked": True}, token=member.token)
    result = api.post("/community/mod", {"community_id": community["id"],
                                         "person_id": third.person_id, "added": True},
                      token=admin)
    assert len(result["moderators"]) == 3
    result = api.post("/community/mod", {"community_id": community["id"],
                                         "person_id": member.person_id, "added": False},
                      token=mod.token)
    assert [m["moderator"]["id"] for m in result["moderators"]] == \
        [mod.person_id, third.person_id]
    assert api.error("POST", "/post/lock", {"post_id": post["id"], "locked": False},
                     token=member.token) == "not_a_mod_or_admin"


def test_a_comment_its_author_deleted_cannot_be_removed(api: ApiClient) -> None:
    mod, member, community = _setup(api)
    post = api.make_post(member.token, community["id"])["post"]
    comment = api.make_comment(member.token, post["id"], "withdrawn")["comment"]
    api.post("/comment/delete", {"comment_id": comment["id"], "deleted": True}, token=member.token)
    assert api.error("POST", "/comment/remove", {"comment_id": comment["id"], "removed": True},
                     token=mod.token) == "couldnt_update_comment"
    modlog = api.get("/modlog", community_id=community["id"])
    assert modlog["removed_comments"] == []
    # Once the author restores it, moderators may remove it again.
    api.post("/comment/delete", {"comment_id": comment["id"], "deleted": False},
             token=member.token)
    view = api.post("/comment/remove", {"comment_id": comment["id"], "removed": True},
                    token=mod.token)["comment_view"]
    assert view["comment"]["removed"] is True
