"""Three real instances federate through the v3 API: follow a remote community, then posts,
threaded replies, votes (and their undo), edits and deletions reach every follower."""

from __future__ import annotations

import itertools
import json
from typing import Any

import httpx
import pytest

from moot.federation.keys import generate_keypair
from moot.federation.signatures import sign_headers
from tests.federation.conftest import Instance, eventually

_names = itertools.count(1)


def _community(alpha: Instance) -> dict[str, Any]:
    name = f"fedc{next(_names)}"
    return alpha.api.post("/community", {"name": name, "title": name.title()},
                          token=alpha.admin)["community_view"]["community"]


def _follow(follower: Instance, alpha: Instance, name: str) -> int:
    """Resolve !name@alpha on ``follower``, follow it, and wait until the follow is accepted."""
    found = follower.api.get("/resolve_object", q=f"!{name}@{alpha.host}", token=follower.admin)
    community_id = found["community"]["community"]["id"]
    assert found["community"]["community"]["local"] is False
    view = follower.api.post("/community/follow", {"community_id": community_id, "follow": True},
                             token=follower.admin)["community_view"]
    assert view["subscribed"] in ("Pending", "Subscribed")
    eventually(lambda: follower.api.get("/community", id=community_id, token=follower.admin)
               ["community_view"]["subscribed"] == "Subscribed", what="Accept of the Follow")
    return int(community_id)


def _posts(instance: Instance, community_id: int) -> list[dict[str, Any]]:
    return instance.api.get("/post/list", community_id=community_id, sort="New",
                            token=instance.admin)["posts"]


def _comments(instance: Instance, post_id: int) -> list[dict[str, Any]]:
    return instance.api.get("/comment/list", post_id=post_id, sort="Old", max_depth=10,
                            type_="All", token=instance.admin)["comments"]


def _post_on(instance: Instance, community_id: int, ap_id: str) -> dict[str, Any]:
    def find() -> dict[str, Any] | None:
        return next((p for p in _posts(instance, community_id) if p["post"]["ap_id"] == ap_id),
                    None)
    return eventually(find, what=f"post {ap_id} on {instance.host}")


def _comment_on(instance: Instance, post_id: int, ap_id: str) -> dict[str, Any]:
    def find() -> dict[str, Any] | None:
        return next((c for c in _comments(instance, post_id) if c["comment"]["ap_id"] == ap_id),
                    None)
    return eventually(find, what=f"comment {ap_id} on {instance.host}")


def test_follow_post_reply_vote_edit_delete_reach_every_follower(
        instances: dict[str, Instance]) -> None:
    alpha, beta, gamma = instances["alpha"], instances["beta"], instances["gamma"]
    community = _community(alpha)
    on_beta = _follow(beta, alpha, community["name"])
    on_gamma = _follow(gamma, alpha, community["name"])
    assert alpha.api.get("/community", id=community["id"])["community_view"]["counts"][
        "subscribers"] == 3  # the creator and two remote followers

    # A post on alpha reaches both followers.
    post = alpha.api.post("/post", {"name": "Hello fediverse", "community_id": community["id"],
                                    "body": "first *post*", "url": "https://example.com/a"},
                          token=alpha.admin)["post_view"]["post"]
    beta_post = _post_on(beta, on_beta, post["ap_id"])["post"]
    gamma_post = _post_on(gamma, on_gamma, post["ap_id"])["post"]
    assert (beta_post["name"], beta_post["body"], beta_post["url"]) == \
        ("Hello fediverse", "first *post*", "https://example.com/a")
    assert gamma_post["local"] is False

    # beta comments (sent to alpha's community, announced to gamma); gamma replies to it.
    comment = beta.api.post("/comment", {"post_id": beta_post["id"], "content": "from beta"},
                            token=beta.admin)["comment_view"]["comment"]
    on_alpha = _comment_on(alpha, post["id"], comment["ap_id"])["comment"]
    on_gamma_c = _comment_on(gamma, gamma_post["id"], comment["ap_id"])["comment"]
    reply = gamma.api.post("/comment", {"post_id": gamma_post["id"], "parent_id": on_gamma_c["id"],
                                        "content": "gamma answers"},
                           token=gamma.admin)["comment_view"]["comment"]
    for instance, post_id in ((alpha, post["id"]), (beta, beta_post["id"])):
        seen = _comment_on(instance, post_id, reply["ap_id"])["comment"]
        parent = _comment_on(instance, post_id, comment["ap_id"])["comment"]
        assert seen["path"] == f"{parent['path']}.{seen['id']}"
        assert seen["content"] == "gamma answers"

    # beta upvotes alpha's post: alpha and gamma count it; undoing it takes it back.
    beta.api.post("/post/like", {"post_id": beta_post["id"], "score": 1}, token=beta.admin)
    for instance, post_id in ((alpha, post["id"]), (gamma, gamma_post["id"])):
        eventually(lambda i=instance, p=post_id: i.api.get("/post", id=p)["post_view"]
                   ["counts"]["score"] == 2, what="upvote")
    beta.api.post("/post/like", {"post_id": beta_post["id"], "score": 0}, token=beta.admin)
    for instance, post_id in ((alpha, post["id"]), (gamma, gamma_post["id"])):
        eventually(lambda i=instance, p=post_id: i.api.get("/post", id=p)["post_view"]
                   ["counts"]["score"] == 1, what="undo of the upvote")
    # gamma downvotes beta's comment; alpha and beta see it.
    gamma.api.post("/comment/like", {"comment_id": on_gamma_c["id"], "score": -1},
                   token=gamma.admin)
    for instance, comment_id in ((alpha, on_alpha["id"]), (beta, comment["id"])):
        eventually(lambda i=instance, c=comment_id: i.api.get("/comment", id=c)["comment_view"]
                   ["counts"]["downvotes"] == 1, what="downvote of a comment")

    # Edits.
    alpha.api.put("/post", {"post_id": post["id"], "name": "Hello again"}, token=alpha.admin)
    beta.api.put("/comment", {"comment_id": comment["id"], "content": "edited on beta"},
                 token=beta.admin)
    for instance, post_id in ((beta, beta_post["id"]), (gamma, gamma_post["id"])):
        eventually(lambda i=instance, p=post_id: i.api.get("/post", id=p)["post_view"]["post"]
                   ["name"] == "Hello again", what="post edit")
    for instance, post_id in ((alpha, post["id"]), (gamma, gamma_post["id"])):
        eventually(lambda i=instance, p=post_id: _comment_on(i, p, comment["ap_id"])["comment"]
                   ["content"] == "edited on beta", what="comment edit")

    # Deletions.
    beta.api.post("/comment/delete", {"comment_id": comment["id"], "deleted": True},
                  token=beta.admin)
    for instance, post_id in ((alpha, post["id"]), (gamma, gamma_post["id"])):
        eventually(lambda i=instance, p=post_id: _comment_on(i, p, comment["ap_id"])["comment"]
                   ["deleted"], what="comment deletion")
    alpha.api.post("/post/delete", {"post_id": post["id"], "deleted": True}, token=alpha.admin)
    # A deleted post is not found by anyone but its creator, as on Lemmy.
    for instance, post_id in ((beta, beta_post["id"]), (gamma, gamma_post["id"])):
        eventually(lambda i=instance, p=post_id: i.api.error("GET", "/post", id=p, expect=404)
                   == "couldnt_find_post", what="post deletion")


def test_unfollow_reaches_the_community(instances: dict[str, Instance]) -> None:
    alpha, beta = instances["alpha"], instances["beta"]
    community = _community(alpha)
    on_beta = _follow(beta, alpha, community["name"])
    count = lambda: alpha.api.get("/community", id=community["id"])["community_view"][
        "counts"]["subscribers"]
    assert count() == 2
    beta.api.post("/community/follow", {"community_id": on_beta, "follow": False},
                  token=beta.admin)
    eventually(lambda: count() == 1, what="Undo Follow")


def _activity(instance: Instance, actor: str) -> bytes:
    return json.dumps({"@context": "https://www.w3.org/ns/activitystreams",
                       "id": f"http://{instance.host}/activities/like/x{next(_names)}",
                       "type": "Like", "actor": actor,
                       "object": f"http://{instance.host}/post/1"}).encode()


@pytest.mark.parametrize("signing", ["unsigned", "wrong key", "tampered body"])
def test_unsigned_or_wrongly_signed_activities_are_refused(instances: dict[str, Instance],
                                                           signing: str) -> None:
    alpha, beta = instances["alpha"], instances["beta"]
    actor = f"http://{beta.host}/u/admin"
    body = _activity(beta, actor)
    inbox = f"{alpha.server.url}/inbox"
    headers = {"content-type": "application/activity+json"}
    if signing != "unsigned":
        private, _ = generate_keypair()
        if signing == "tampered body":
            # beta's real key is not at hand here: sign with a key, then check a body change
            # alone fails the Digest before any key is even looked at.
            private, _ = generate_keypair()
        headers = sign_headers("POST", inbox, actor + "#main-key", private, body)
        if signing == "tampered body":
            body = body.replace(b"Like", b"Dislike")
    response = httpx.post(inbox, content=body, headers=headers, timeout=20)
    assert response.status_code == 401, response.text
    assert "error" in response.json()


def test_actors_and_objects_are_served_as_activitypub(instances: dict[str, Instance]) -> None:
    alpha = instances["alpha"]
    community = _community(alpha)
    accept = {"Accept": "application/activity+json"}
    group = httpx.get(community["actor_id"], headers=accept, timeout=10)
    assert group.headers["content-type"] == "application/activity+json"
    document = group.json()
    assert document["type"] == "Group" and document["id"] == community["actor_id"]
    assert document["publicKey"]["id"] == community["actor_id"] + "#main-key"
    assert document["publicKey"]["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    finger = httpx.get(f"{alpha.server.url}/.well-known/webfinger", timeout=10,
                       params={"resource": f"acct:{community['name']}@{alpha.host}"}).json()
    assert finger["links"][-1]["href"] == community["actor_id"]
    site = httpx.get(alpha.server.url + "/", headers=accept, timeout=10).json()
    assert site["type"] == "Application"


def test_resolve_object_fetches_posts_comments_and_people(instances: dict[str, Instance]) -> None:
    alpha, gamma = instances["alpha"], instances["gamma"]
    community = _community(alpha)
    post = alpha.api.post("/post", {"name": "Found by URL", "community_id": community["id"]},
                          token=alpha.admin)["post_view"]["post"]
    comment = alpha.api.post("/comment", {"post_id": post["id"], "content": "a reply"},
                             token=alpha.admin)["comment_view"]["comment"]
    # gamma follows nothing here: everything is fetched on demand.
    found = gamma.api.get("/resolve_object", q=comment["ap_id"], token=gamma.admin)["comment"]
    assert found["comment"]["content"] == "a reply" and found["post"]["ap_id"] == post["ap_id"]
    assert found["community"]["actor_id"] == community["actor_id"]
    again = gamma.api.get("/resolve_object", q=post["ap_id"], token=gamma.admin)["post"]
    assert again["post"]["id"] == found["post"]["id"]
    person = gamma.api.get("/resolve_object", q=f"@admin@{alpha.host}",
                           token=gamma.admin)["person"]["person"]
    assert person["actor_id"] == f"http://{alpha.host}/u/admin" and person["local"] is False
    assert gamma.api.error("GET", "/resolve_object", q=f"http://{alpha.host}/post/999999",
                           token=gamma.admin, expect=404) == "couldnt_find_object"
