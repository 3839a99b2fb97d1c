"""Moderation federates between real instances: removals and restores of posts and comments
(Delete with a summary, and its Undo) and locks (Lock, Undo Lock), checked through the v3 API
on the other instances, with the permission checked against the remote moderator."""

from __future__ import annotations

from typing import Any

from tests.federation.conftest import Instance, eventually
from tests.federation.test_live_federation import (
    _comment_on,
    _community,
    _follow,
    _post_on,
)


def _post_field(instance: Instance, post_id: int, key: str) -> Any:
    return instance.api.get("/post", id=post_id, token=instance.admin)["post_view"]["post"][key]


def _comment_removed(instance: Instance, post_id: int, ap_id: str) -> bool:
    return bool(_comment_on(instance, post_id, ap_id)["comment"]["removed"])


def test_removals_and_locks_by_moderators_federate(instances: dict[str, Instance]) -> None:
    alpha, beta, gamma = instances["alpha"], instances["beta"], instances["gamma"]
    community = _community(alpha)
    on_beta = _follow(beta, alpha, community["name"])
    on_gamma = _follow(gamma, alpha, community["name"])
    post = alpha.api.post("/post", {"name": "Moderated", "community_id": community["id"]},
                          token=alpha.admin)["post_view"]["post"]
    beta_post = _post_on(beta, on_beta, post["ap_id"])["post"]
    gamma_post = _post_on(gamma, on_gamma, post["ap_id"])["post"]
    first = beta.api.post("/comment", {"post_id": beta_post["id"], "content": "one"},
                          token=beta.admin)["comment_view"]["comment"]
    second = gamma.api.post("/comment", {"post_id": gamma_post["id"], "content": "two"},
                            token=gamma.admin)["comment_view"]["comment"]
    for ap_id in (first["ap_id"], second["ap_id"]):
        _comment_on(alpha, post["id"], ap_id)
    _comment_on(gamma, gamma_post["id"], first["ap_id"])
    _comment_on(beta, beta_post["id"], second["ap_id"])
    posts = ((beta, beta_post["id"]), (gamma, gamma_post["id"]))

    # alpha's admin (the community's mod) removes beta's comment: beta and gamma apply it,
    # though on beta the comment's author is an admin (the ranking is the origin's business).
    alpha_first = _comment_on(alpha, post["id"], first["ap_id"])["comment"]
    alpha.api.post("/comment/remove", {"comment_id": alpha_first["id"], "removed": True,
                                       "reason": "off topic"}, token=alpha.admin)
    for instance, post_id in posts:
        eventually(lambda i=instance, p=post_id: _comment_removed(i, p, first["ap_id"]),
                   what=f"comment removal on {instance.host}")
    modlog = beta.api.get("/modlog", community_id=on_beta, token=beta.admin)
    assert modlog["removed_comments"][0]["mod_remove_comment"]["reason"] == "off topic"
    alpha.api.post("/comment/remove", {"comment_id": alpha_first["id"], "removed": False},
                   token=alpha.admin)
    for instance, post_id in posts:
        eventually(lambda i=instance, p=post_id: not _comment_removed(i, p, first["ap_id"]),
                   what=f"comment restore on {instance.host}")

    # Lock and unlock the post.
    alpha.api.post("/post/lock", {"post_id": post["id"], "locked": True}, token=alpha.admin)
    for instance, post_id in posts:
        eventually(lambda i=instance, p=post_id: _post_field(i, p, "locked"), what="lock")
    alpha.api.post("/post/lock", {"post_id": post["id"], "locked": False}, token=alpha.admin)
    for instance, post_id in posts:
        eventually(lambda i=instance, p=post_id: not _post_field(i, p, "locked"), what="unlock")

    # beta's admin is no mod of alpha's community: alpha refuses its removal of gamma's comment.
    beta_second = _comment_on(beta, beta_post["id"], second["ap_id"])["comment"]
    beta.api.post("/comment/remove", {"comment_id": beta_second["id"], "removed": True},
                  token=beta.admin)
    # Activities from beta arrive in order: once beta's later upvote counts on alpha, the
    # removal before it was handled (and refused).
    beta.api.post("/post/like", {"post_id": beta_post["id"], "score": 1}, token=beta.admin)
    eventually(lambda: alpha.api.get("/post", id=post["id"])["post_view"]["counts"]["score"]
               == 2, what="beta's upvote")
    assert not _comment_removed(alpha, post["id"], second["ap_id"])
    # Made a moderator on alpha, beta's admin removes the first comment: alpha applies it.
    alpha.api.post("/community/mod", {"community_id": community["id"],
                                          "person_id": alpha_first["creator_id"], "added": True},
                   token=alpha.admin)
    beta.api.post("/comment/remove", {"comment_id": first["id"], "removed": True},
                  token=beta.admin)
    eventually(lambda: _comment_removed(alpha, post["id"], first["ap_id"]),
               what="removal by a remote moderator")
    # alpha announced it: gamma applies it, as it comes from the community's instance.
    eventually(lambda: _comment_removed(gamma, gamma_post["id"], first["ap_id"]),
               what="announced removal by a remote moderator")

    # Editing the community: an Update of the Group reaches the followers' copies.
    alpha.api.put("/community", {"community_id": community["id"], "title": "Renamed",
                                 "description": "new *sidebar*", "nsfw": True,
                                 "posting_restricted_to_mods": True}, token=alpha.admin)
    for instance, community_id in ((beta, on_beta), (gamma, on_gamma)):
        eventually(lambda i=instance, c=community_id: i.api.get("/community", id=c)[
            "community_view"]["community"]["title"] == "Renamed", what="community update")
        seen = instance.api.get("/community", id=community_id)["community_view"]["community"]
        assert (seen["description"], seen["nsfw"], seen["posting_restricted_to_mods"]) == \
            ("new *sidebar*", True, True)

    # Removing the post, then restoring it.
    alpha.api.post("/post/remove", {"post_id": post["id"], "removed": True}, token=alpha.admin)
    for instance, post_id in posts:
        eventually(lambda i=instance, p=post_id: _post_field(i, p, "removed"), what="removal")
    alpha.api.post("/post/remove", {"post_id": post["id"], "removed": False}, token=alpha.admin)
    for instance, post_id in posts:
        eventually(lambda i=instance, p=post_id: not _post_field(i, p, "removed"),
                   what="restore")
