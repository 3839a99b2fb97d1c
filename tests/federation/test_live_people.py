"""Between real instances: community and site bans (Block, Undo Block), private messages
(ChatMessage: Create, Update, Delete), reports (Flag) and account deletion (Delete of a
Person), each checked through the v3 API on the instances that receive them."""

from __future__ import annotations

from typing import Any

from tests.federation.conftest import Instance, eventually
from tests.federation.test_live_federation import (
    _comment_on,
    _community,
    _follow,
    _post_on,
)
from tests.helpers import PASSWORD, ApiError, Person


def _new_person(instance: Instance) -> Person:
    instance.api.put("/site", {"registration_mode": "Open"}, token=instance.admin)
    return instance.api.make_person()


def _post(instance: Instance, post_id: int) -> dict[str, Any]:
    return instance.api.get("/post", id=post_id, token=instance.admin)["post_view"]  # type: ignore[no-any-return]


def _banned(instance: Instance, person_id: int) -> bool:
    return bool(instance.api.get("/user", person_id=person_id)["person_view"]["person"]["banned"])


def test_community_and_site_bans_federate(instances: dict[str, Instance]) -> None:
    alpha, beta, gamma = instances["alpha"], instances["beta"], instances["gamma"]
    community = _community(alpha)
    on_beta = _follow(beta, alpha, community["name"])
    on_gamma = _follow(gamma, alpha, community["name"])
    spammer = _new_person(beta)
    post = beta.api.post("/post", {"name": "Buy now", "community_id": on_beta},
                         token=spammer.token)["post_view"]["post"]
    alpha_post = _post_on(alpha, community["id"], post["ap_id"])["post"]
    gamma_post = _post_on(gamma, on_gamma, post["ap_id"])["post"]
    # gamma's admin replies, so that beta knows gamma (a site ban goes to known instances).
    reply = gamma.api.post("/comment", {"post_id": gamma_post["id"], "content": "no thanks"},
                           token=gamma.admin)["comment_view"]["comment"]
    _comment_on(beta, post["id"], reply["ap_id"])

    # alpha's admin (the community's moderator) bans beta's spammer, removing their post.
    alpha.api.post("/community/ban_user", {
        "community_id": community["id"], "person_id": alpha_post["creator_id"], "ban": True,
        "remove_data": True, "reason": "spam"}, token=alpha.admin)
    for instance, post_id in ((beta, post["id"]), (gamma, gamma_post["id"])):
        eventually(lambda i=instance, p=post_id: _post(i, p)["creator_banned_from_community"],
                   what=f"community ban on {instance.host}")
        assert _post(instance, post_id)["post"]["removed"] is True
    log = gamma.api.get("/modlog", community_id=on_gamma, token=gamma.admin)
    assert log["banned_from_community"][0]["mod_ban_from_community"]["reason"] == "spam"
    # Banned on beta too: the spammer's own instance refuses their next post there.
    assert beta.api.error("POST", "/post", {"name": "Again", "community_id": on_beta},
                          token=spammer.token) == "banned_from_community"
    alpha.api.post("/community/ban_user", {
        "community_id": community["id"], "person_id": alpha_post["creator_id"], "ban": False},
        token=alpha.admin)
    for instance, post_id in ((beta, post["id"]), (gamma, gamma_post["id"])):
        eventually(lambda i=instance, p=post_id: not _post(i, p)["creator_banned_from_community"],
                   what=f"community unban on {instance.host}")

    # beta's admin bans the spammer from beta, removing their content: alpha and gamma follow.
    again = beta.api.post("/post", {"name": "Cheap pills", "community_id": on_beta},
                          token=spammer.token)["post_view"]["post"]
    copies = [(alpha, _post_on(alpha, community["id"], again["ap_id"])),
              (gamma, _post_on(gamma, on_gamma, again["ap_id"]))]
    beta.api.post("/user/ban", {"person_id": spammer.person_id, "ban": True,
                                "remove_data": True, "reason": "spammer"}, token=beta.admin)
    for instance, seen in copies:
        creator = seen["creator"]["id"]
        eventually(lambda i=instance, c=creator: _banned(i, c), what=f"site ban on {instance.host}")
        assert _post(instance, seen["post"]["id"])["post"]["removed"] is True
    assert alpha.api.get("/modlog", token=alpha.admin)["banned"][0]["mod_ban"]["reason"] == \
        "spammer"
    beta.api.post("/user/ban", {"person_id": spammer.person_id, "ban": False}, token=beta.admin)
    for instance, seen in copies:
        creator = seen["creator"]["id"]
        eventually(lambda i=instance, c=creator: not _banned(i, c),
                   what=f"site unban on {instance.host}")


def _messages(instance: Instance, person: Person) -> list[dict[str, Any]]:
    return instance.api.get("/private_message/list", token=person.token)["private_messages"]  # type: ignore[no-any-return]


def _contents(instance: Instance, person: Person) -> list[str]:
    return sorted(m["private_message"]["content"] for m in _messages(instance, person))


def test_messages_reports_and_account_deletion_federate(instances: dict[str, Instance]) -> None:
    alpha, beta, gamma = instances["alpha"], instances["beta"], instances["gamma"]
    alice, bea = _new_person(alpha), _new_person(beta)

    # Private messages both ways, edited and deleted.
    alice_on_beta = beta.api.get("/resolve_object", q=f"@{alice.name}@{alpha.host}",
                                 token=bea.token)["person"]["person"]
    sent = beta.api.post("/private_message", {"content": "hi *alice*",
                                              "recipient_id": alice_on_beta["id"]},
                         token=bea.token)["private_message_view"]["private_message"]
    eventually(lambda: _contents(alpha, alice) == ["hi *alice*"], what="message on alpha")
    [received] = _messages(alpha, alice)
    assert (received["creator"]["name"], received["private_message"]["local"]) == \
        (bea.name, False)
    beta.api.put("/private_message", {"private_message_id": sent["id"], "content": "hello alice"},
                 token=bea.token)
    eventually(lambda: _contents(alpha, alice) == ["hello alice"], what="edit on alpha")
    alpha.api.post("/private_message", {"content": "hi bea",
                                        "recipient_id": received["creator"]["id"]},
                   token=alice.token)
    eventually(lambda: "hi bea" in _contents(beta, bea), what="reply on beta")
    beta.api.post("/private_message/delete", {"private_message_id": sent["id"], "deleted": True},
                  token=bea.token)
    eventually(lambda: _contents(alpha, alice) == ["hi bea"], what="deletion on alpha")

    # Reports of a post and a comment of alpha's community, filed on beta, reach alpha's mods.
    community = _community(alpha)
    on_beta = _follow(beta, alpha, community["name"])
    on_gamma = _follow(gamma, alpha, community["name"])
    post = alpha.api.post("/post", {"name": "Reported", "community_id": community["id"]},
                          token=alpha.admin)["post_view"]["post"]
    beta_post = _post_on(beta, on_beta, post["ap_id"])["post"]
    gamma_post = _post_on(gamma, on_gamma, post["ap_id"])["post"]
    bea_comment = beta.api.post("/comment", {"post_id": beta_post["id"], "content": "mine"},
                                token=bea.token)["comment_view"]["comment"]
    beta.api.post("/post/report", {"post_id": beta_post["id"], "reason": "off topic"},
                  token=bea.token)
    beta.api.post("/comment/report", {"comment_id": bea_comment["id"], "reason": "oops"},
                  token=bea.token)
    reports = eventually(lambda: alpha.api.get("/post/report/list", community_id=community["id"],
                                               token=alpha.admin)["post_reports"],
                         what="post report on alpha")
    assert (reports[0]["post_report"]["reason"], reports[0]["creator"]["name"]) == \
        ("off topic", bea.name)
    comment_reports = eventually(lambda: alpha.api.get(
        "/comment/report/list", community_id=community["id"], token=alpha.admin)[
        "comment_reports"], what="comment report on alpha")
    assert comment_reports[0]["comment_report"]["reason"] == "oops"

    # gamma's person comments, then deletes their account with its content: alpha and beta
    # (known to gamma through bea's comment) mark them deleted and their comment too.
    _comment_on(gamma, gamma_post["id"], bea_comment["ap_id"])
    gus = _new_person(gamma)
    gus_comment = gamma.api.post("/comment", {"post_id": gamma_post["id"], "content": "bye"},
                                 token=gus.token)["comment_view"]["comment"]
    copies = [(alpha, _comment_on(alpha, post["id"], gus_comment["ap_id"])),
              (beta, _comment_on(beta, beta_post["id"], gus_comment["ap_id"]))]
    gamma.api.post("/user/delete_account", {"password": PASSWORD, "delete_content": True},
                   token=gus.token)
    for instance, seen in copies:
        eventually(lambda i=instance, c=seen["creator"]["id"]: _gone(i, c),
                   what=f"account deletion on {instance.host}")
        assert _comment_on(instance, seen["post"]["id"], gus_comment["ap_id"])["comment"][
            "deleted"] is True


def _gone(instance: Instance, person_id: int) -> bool:
    try:
        instance.api.get("/user", person_id=person_id)
    except ApiError:
        return True  # a deleted account is not found, as in Lemmy
    return False


def test_a_remote_moderators_ban_reaches_the_community_and_the_banned_persons_instance(
        instances: dict[str, Instance]) -> None:
    """The community is on alpha, its moderator on beta, the person banned on gamma: beta sends
    the Block to alpha (which checks the moderator, applies and announces it) and to the
    person's own inbox on gamma."""
    alpha, beta, gamma = instances["alpha"], instances["beta"], instances["gamma"]
    community = _community(alpha)
    on_beta = _follow(beta, alpha, community["name"])
    on_gamma = _follow(gamma, alpha, community["name"])
    beta_admin = alpha.api.get("/resolve_object", q=f"http://{beta.host}/u/admin",
                               token=alpha.admin)["person"]["person"]
    alpha.api.post("/community/mod", {"community_id": community["id"], "added": True,
                                      "person_id": beta_admin["id"]}, token=alpha.admin)
    eventually(lambda: len(beta.api.get("/community", id=on_beta)["moderators"]) == 2,
               what="beta's admin a moderator on beta")
    troll = _new_person(gamma)
    post = gamma.api.post("/post", {"name": "Flamebait", "community_id": on_gamma},
                          token=troll.token)["post_view"]["post"]
    on_alpha = _post_on(alpha, community["id"], post["ap_id"])
    beta_post = _post_on(beta, on_beta, post["ap_id"])

    beta.api.post("/community/ban_user", {
        "community_id": on_beta, "person_id": beta_post["creator"]["id"], "ban": True,
        "reason": "trolling"}, token=beta.admin)
    eventually(lambda: _post(alpha, on_alpha["post"]["id"])["creator_banned_from_community"],
               what="the ban on alpha")
    eventually(lambda: _post(gamma, post["id"])["creator_banned_from_community"],
               what="the ban on gamma")
    log = alpha.api.get("/modlog", community_id=community["id"], token=alpha.admin)
    entry = log["banned_from_community"][0]
    assert (entry["mod_ban_from_community"]["reason"], entry["moderator"]["actor_id"]) == \
        ("trolling", f"http://{beta.host}/u/admin")
    assert gamma.api.error("POST", "/post", {"name": "Again", "community_id": on_gamma},
                           token=troll.token) == "banned_from_community"
