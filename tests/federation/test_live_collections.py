"""A community's collections federate between real instances: a newly followed community comes
with its recent posts (its outbox), its moderators and its featured posts, a fetched Page keeps
its lock, and featuring and moderator changes (Add/Remove with the featured or moderators
collection as target) reach the followers, both ways, checked through the v3 API."""

from __future__ import annotations

from typing import Any

from tests.conftest import ADMIN_NAME
from tests.federation.conftest import Instance, eventually
from tests.federation.test_live_federation import _community, _follow, _post_on


def _post(instance: Instance, post_id: int) -> dict[str, Any]:
    return instance.api.get("/post", id=post_id, token=instance.admin)["post_view"][
        "post"]  # type: ignore[no-any-return]


def _mods(instance: Instance, community_id: int) -> list[str]:
    view = instance.api.get("/community", id=community_id, token=instance.admin)
    return [m["moderator"]["actor_id"] for m in view["moderators"]]


def _feature(instance: Instance, post_id: int, featured: bool) -> None:
    instance.api.post("/post/feature", {"post_id": post_id, "featured": featured,
                                        "feature_type": "Community"}, token=instance.admin)


def test_collections_backfill_and_add_remove_federate(instances: dict[str, Instance]) -> None:
    alpha, beta, gamma = instances["alpha"], instances["beta"], instances["gamma"]
    community = _community(alpha)
    make = lambda name: alpha.api.post("/post", {"name": name, "community_id": community["id"]},
                                       token=alpha.admin)["post_view"]["post"]
    locked, pinned, plain = make("Locked early"), make("Pinned early"), make("Plain early")
    alpha.api.post("/post/lock", {"post_id": locked["id"], "locked": True}, token=alpha.admin)
    _feature(alpha, pinned["id"], True)
    alpha_admin = f"http://{alpha.host}/u/{ADMIN_NAME}"

    # beta sees the community for the first time: its posts, lock, pin and moderators come along.
    on_beta = _follow(beta, alpha, community["name"])
    beta_posts = {p["ap_id"]: _post_on(beta, on_beta, p["ap_id"])["post"]
                  for p in (locked, pinned, plain)}
    assert beta_posts[locked["ap_id"]]["locked"] is True
    assert beta_posts[pinned["ap_id"]]["featured_community"] is True
    assert beta_posts[plain["ap_id"]]["featured_community"] is False
    assert _mods(beta, on_beta) == [alpha_admin]
    on_gamma = _follow(gamma, alpha, community["name"])
    gamma_pinned = _post_on(gamma, on_gamma, pinned["ap_id"])["post"]
    beta_pinned = beta_posts[pinned["ap_id"]]

    # Unfeaturing and featuring again on alpha: Remove, then Add, to the featured collection.
    _feature(alpha, pinned["id"], False)
    for instance, post_id in ((beta, beta_pinned["id"]), (gamma, gamma_pinned["id"])):
        eventually(lambda i=instance, p=post_id: not _post(i, p)["featured_community"],
                   what=f"unfeature on {instance.host}")
    _feature(alpha, pinned["id"], True)
    for instance, post_id in ((beta, beta_pinned["id"]), (gamma, gamma_pinned["id"])):
        eventually(lambda i=instance, p=post_id: _post(i, p)["featured_community"],
                   what=f"feature on {instance.host}")

    # alpha makes beta's admin a moderator: both followers' moderator lists follow.
    beta_admin = f"http://{beta.host}/u/{ADMIN_NAME}"
    person = alpha.api.get("/resolve_object", q=beta_admin, token=alpha.admin)["person"]
    alpha.api.post("/community/mod", {"community_id": community["id"],
                                      "person_id": person["person"]["id"], "added": True},
                   token=alpha.admin)
    for instance, community_id in ((beta, on_beta), (gamma, on_gamma)):
        eventually(lambda i=instance, c=community_id: _mods(i, c) == [alpha_admin, beta_admin],
                   what=f"Add moderator on {instance.host}")

    # The new remote moderator unfeatures a post and locks another from beta: alpha checks
    # them against its moderators, applies them and announces them to gamma.
    _feature(beta, beta_pinned["id"], False)
    beta_plain = beta_posts[plain["ap_id"]]
    beta.api.post("/post/lock", {"post_id": beta_plain["id"], "locked": True}, token=beta.admin)
    eventually(lambda: not _post(alpha, pinned["id"])["featured_community"],
               what="unfeature by a remote moderator")
    eventually(lambda: _post(alpha, plain["id"])["locked"], what="lock by a remote moderator")
    eventually(lambda: not _post(gamma, gamma_pinned["id"])["featured_community"],
               what="announced unfeature on gamma")

    # alpha takes the moderator back: Remove from the moderators collection.
    alpha.api.post("/community/mod", {"community_id": community["id"],
                                      "person_id": person["person"]["id"], "added": False},
                   token=alpha.admin)
    for instance, community_id in ((beta, on_beta), (gamma, on_gamma)):
        eventually(lambda i=instance, c=community_id: _mods(i, c) == [alpha_admin],
                   what=f"Remove moderator on {instance.host}")


def test_a_new_moderator_elsewhere_learns_of_it_without_following(
        instances: dict[str, Instance]) -> None:
    """As Lemmy, the Add (and Remove) of a moderator also goes to the person's own inbox: their
    instance, where nobody follows the community, still lists them among its moderators."""
    alpha, gamma = instances["alpha"], instances["gamma"]
    community = _community(alpha)
    alpha_admin = f"http://{alpha.host}/u/{ADMIN_NAME}"
    gamma.api.put("/site", {"registration_mode": "Open"}, token=gamma.admin)
    gamma_person = gamma.api.make_person()
    gamma_actor = f"http://{gamma.host}/u/{gamma_person.name}"
    found = alpha.api.get("/resolve_object", q=gamma_actor, token=alpha.admin)["person"]
    name = f"{community['name']}@{alpha.host}"

    def mods_on_gamma() -> list[str]:
        view = gamma.api.get("/community", name=name, token=gamma_person.token)
        return [m["moderator"]["actor_id"] for m in view["moderators"]]

    for added, expected in ((True, [alpha_admin, gamma_actor]), (False, [alpha_admin])):
        alpha.api.post("/community/mod", {"community_id": community["id"], "added": added,
                                          "person_id": found["person"]["id"]},
                       token=alpha.admin)
        eventually(lambda e=expected: mods_on_gamma() == e,  # type: ignore[misc]
                   what=f"moderator {'added' if added else 'removed'} on gamma")
    on_gamma = gamma.api.get("/community", name=name, token=gamma_person.token)
    assert on_gamma["community_view"]["subscribed"] == "NotSubscribed"
