"""Bans (Block / Undo Block), private messages, reports (Flag) and account deletion from a
remote instance, applied through the actions the API uses and checked through the API; and
what Moot sends for the same actions by its own people."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from moot.db import tables as t
from moot.federation import delivery, inbox_worker
from moot.federation.keys import generate_keypair
from moot.federation.objects import PUBLIC
from moot.federation.signatures import sign_headers
from tests.federation.fake import FakeRemote
from tests.federation.test_inbox import (  # noqa: F401
    AP_ACCEPT,
    _deliver,
    _follow,
    _inbox_rows,
    remote,
)
from tests.helpers import PASSWORD, ApiClient


def _person_id(app: Any, actor: str) -> int:
    with app.state.ctx.db.read() as conn:
        return int(conn.execute(select(t.person.c.id)
                                .where(t.person.c.actor_id == actor)).scalar_one())


def _apply(app: Any, api: ApiClient, remote: FakeRemote,  # noqa: F811
           activity: dict[str, Any]) -> tuple[str, str]:
    _deliver(api, remote, "/inbox", activity)
    inbox_worker.run_once(app.state.ctx)
    row = _inbox_rows(app)[-1]
    return row["state"], row["reason"]


def _site_actor(remote: FakeRemote, host: str | None = None) -> str:  # noqa: F811
    """The remote instance actor (an Application), the target of its site bans."""
    actor = f"https://{host}/" if host else remote.url("/")
    _, public = generate_keypair()
    remote.documents[actor] = {
        "id": actor, "type": "Application", "preferredUsername": remote.host,
        "inbox": remote.url("/inbox"),
        "publicKey": {"id": actor + "#main-key", "owner": actor, "publicKeyPem": public}}
    return actor


def _remote_post(app: Any, api: ApiClient, remote: FakeRemote,  # noqa: F811
                 community: dict[str, Any], author: str, number: int) -> int:
    page = {"id": remote.url(f"/post/{number}"), "type": "Page", "attributedTo": author,
            "name": f"Post {number}", "to": [community["actor_id"], PUBLIC]}
    assert _apply(app, api, remote, {"id": remote.activity_id("Create"), "type": "Create",
                                     "actor": author, "to": [PUBLIC], "object": page})[0] == \
        "done"
    [post] = [p for p in api.get("/post/list", community_id=community["id"])["posts"]
              if p["post"]["ap_id"] == page["id"]]
    return int(post["post"]["id"])


def _block(remote: FakeRemote, actor: str, person: str, target: str,  # noqa: F811
           **extra: Any) -> dict[str, Any]:
    return {"id": remote.activity_id("Block"), "type": "Block", "actor": actor,
            "to": [PUBLIC], "object": person, "cc": [target], "target": target, **extra}


def _undo(remote: FakeRemote, inner: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    return {"id": remote.activity_id("Undo"), "type": "Undo", "actor": inner["actor"],
            "to": [PUBLIC], "object": inner}


def test_community_ban_from_a_remote_moderator(app: Any, api: ApiClient, admin: str,
                                               remote: FakeRemote) -> None:  # noqa: F811
    community = api.make_community(admin)["community"]
    bob, carol = remote.person("bob"), remote.person("carol")
    _follow(api, remote, community, bob)
    post_id = _remote_post(app, api, remote, community, carol, 1)
    ban = _block(remote, bob, carol, community["actor_id"], removeData=True, summary="spam",
                 expires="2027-06-01T00:00:00Z")
    assert _apply(app, api, remote, ban) == ("failed", "not_a_mod_or_admin")
    api.post("/community/mod", {"community_id": community["id"],
                                "person_id": _person_id(app, bob), "added": True}, token=admin)
    assert _apply(app, api, remote, {**ban, "id": remote.activity_id("Block")}) == \
        ("done", "community ban applied")
    view = api.get("/post", id=post_id, token=admin)["post_view"]
    assert (view["post"]["removed"], view["creator_banned_from_community"]) == (True, True)
    logged = api.get("/modlog", community_id=community["id"],
                    token=admin)["banned_from_community"][0]
    assert (logged["mod_ban_from_community"]["reason"], logged["moderator"]["actor_id"],
            logged["mod_ban_from_community"]["expires"][:4]) == ("spam", bob, "2027")

    assert _apply(app, api, remote, _undo(remote, ban)) == ("done", "community unban applied")
    assert api.get("/post", id=post_id, token=admin)["post_view"][
        "creator_banned_from_community"] is False
    delivery.run_once(app.state.ctx)  # the community announced both to its follower
    announced = [d.activity["object"] for d in remote.delivered
                 if d.activity["type"] == "Announce"]
    assert {"Block", "Undo"} <= {a["type"] for a in announced}


def test_site_ban_only_from_the_persons_own_instance(app: Any, api: ApiClient, admin: str,
                                                     remote: FakeRemote) -> None:  # noqa: F811
    community = api.make_community(admin)["community"]
    site, boss, carol = _site_actor(remote), remote.person("boss"), remote.person("carol")
    post_id = _remote_post(app, api, remote, community, carol, 2)
    local = api.make_person()
    assert _apply(app, api, remote, _block(remote, boss, api.get(
        "/user", person_id=local.person_id)["person_view"]["person"]["actor_id"], site)) == \
        ("failed", "a site ban from another instance cannot affect a person of this one")
    elsewhere = _site_actor(remote, "elsewhere.example")
    assert _apply(app, api, remote, _block(remote, boss, carol, elsewhere)) == \
        ("failed", "a site ban must come from the banned person's own instance")

    ban = _block(remote, boss, carol, site, removeData=True, summary="troll")
    assert _apply(app, api, remote, ban) == ("done", "site ban applied")
    person = api.get("/user", person_id=_person_id(app, carol))["person_view"]["person"]
    assert person["banned"] is True
    assert api.get("/post", id=post_id, token=admin)["post_view"]["post"]["removed"] is True
    assert api.get("/modlog", token=admin)["banned"][0]["mod_ban"]["reason"] == "troll"
    assert _apply(app, api, remote, _undo(remote, ban)) == ("done", "site unban applied")
    person = api.get("/user", person_id=_person_id(app, carol))["person_view"]["person"]
    assert person["banned"] is False


def _chat(remote: FakeRemote, author: str, to: str, number: int,  # noqa: F811
          text: str) -> dict[str, Any]:
    return {"type": "ChatMessage", "id": remote.url(f"/private_message/{number}"),
            "attributedTo": author, "to": [to], "content": f"<p>{text}</p>",
            "mediaType": "text/html", "source": {"content": text, "mediaType": "text/markdown"},
            "published": "2026-01-02T03:04:05Z"}


def test_private_messages_from_a_remote_person(app: Any, api: ApiClient, admin: str,
                                               remote: FakeRemote) -> None:  # noqa: F811
    me = api.make_person()
    my_actor = api.get("/user", person_id=me.person_id)["person_view"]["person"]["actor_id"]
    bob, carol = remote.person("bob"), remote.person("carol")
    chat = _chat(remote, bob, my_actor, 1, "hello *there*")
    create = {"id": remote.activity_id("Create"), "type": "Create", "actor": bob,
              "to": [my_actor], "object": chat}
    assert _apply(app, api, remote, create) == ("done", "private message created")
    [seen] = api.get("/private_message/list", token=me.token)["private_messages"]
    assert (seen["private_message"]["content"], seen["creator"]["actor_id"],
            seen["private_message"]["local"]) == ("hello *there*", bob, False)
    assert seen["private_message"]["published"].startswith("2026-01-02T03:04:05")

    update = {**create, "id": remote.activity_id("Update"), "type": "Update",
              "object": {**chat, "source": {"content": "edited", "mediaType": "text/markdown"}}}
    assert _apply(app, api, remote, update) == ("done", "private message edited")
    [seen] = api.get("/private_message/list", token=me.token)["private_messages"]
    assert seen["private_message"]["content"] == "edited"

    forged = {"id": remote.activity_id("Delete"), "type": "Delete", "actor": carol,
              "to": [my_actor], "object": chat["id"]}
    assert _apply(app, api, remote, forged) == ("failed", "edit_private_message_not_allowed")
    delete = {**forged, "id": remote.activity_id("Delete"), "actor": bob}
    assert _apply(app, api, remote, delete) == ("done", "private message deleted")
    assert api.get("/private_message/list", token=me.token)["private_messages"] == []
    assert _apply(app, api, remote, _undo(remote, delete)) == \
        ("done", "private message restored")
    assert len(api.get("/private_message/list", token=me.token)["private_messages"]) == 1

    # From a person banned here, or addressed to someone who is not a person here: refused.
    api.post("/user/ban", {"person_id": _person_id(app, carol), "ban": True}, token=admin)
    banned = {**create, "id": remote.activity_id("Create"), "actor": carol,
              "object": _chat(remote, carol, my_actor, 3, "spam")}
    assert _apply(app, api, remote, banned) == ("failed", "person_is_banned")
    stray = {**create, "id": remote.activity_id("Create"),
             "object": _chat(remote, bob, carol, 2, "hi")}
    assert _apply(app, api, remote, stray) == \
        ("failed", "private message recipient is not a person of this instance")


def test_local_private_messages_are_sent_to_the_recipient(app: Any, api: ApiClient,
                                                          remote: FakeRemote) -> None:  # noqa: F811
    me, bob = api.make_person(), remote.person("bob")
    found = api.get("/resolve_object", q=bob, token=me.token)["person"]["person"]
    message = api.post("/private_message", {"content": "hi **bob**", "recipient_id": found["id"]},
                       token=me.token)["private_message_view"]["private_message"]
    api.put("/private_message", {"private_message_id": message["id"], "content": "hi again"},
            token=me.token)
    for deleted in (True, False):
        api.post("/private_message/delete", {"private_message_id": message["id"],
                                             "deleted": deleted}, token=me.token)
    delivery.run_once(app.state.ctx)
    sent = [d.activity for d in remote.delivered]
    assert [a["type"] for a in sent] == ["Create", "Update", "Delete", "Undo"]
    assert {d.url for d in remote.delivered} == {remote.url("/inbox")}
    chat = sent[0]["object"]
    assert (chat["type"], chat["id"], chat["to"], chat["source"]["content"]) == \
        ("ChatMessage", message["ap_id"], [bob], "hi **bob**")
    assert sent[1]["object"]["source"]["content"] == "hi again"
    assert sent[2]["object"] == message["ap_id"] and sent[2]["to"] == [bob]
    assert (sent[3]["object"]["type"], sent[3]["object"]["object"]) == ("Delete", message["ap_id"])

    # Served only to a fetch signed from the recipient's instance.
    def fetch(url: str, signer: str | None) -> int:
        signed = sign_headers("GET", url, signer + "#main-key", keys[signer]) if signer else {}
        return api.client.get(url, headers={**AP_ACCEPT, **signed}).status_code

    keys = remote.keys
    outsider = FakeRemote(host="elsewhere.example")
    eve = outsider.person("eve")
    remote.documents[eve], keys[eve] = outsider.documents[eve], outsider.keys[eve]
    assert (fetch(message["ap_id"], None), fetch(message["ap_id"], eve)) == (404, 404)
    served = api.client.get(message["ap_id"], headers={
        **AP_ACCEPT, **sign_headers("GET", message["ap_id"], bob + "#main-key", keys[bob])})
    assert served.status_code == 200 and served.json()["content"] == "<p>hi again</p>\n"
    api.post("/private_message/delete", {"private_message_id": message["id"], "deleted": True},
             token=me.token)
    assert fetch(message["ap_id"], bob) == 410
    # A message between two local people never left the instance: not served.
    other = api.make_person()
    local = api.post("/private_message", {"content": "psst", "recipient_id": other.person_id},
                     token=me.token)["private_message_view"]["private_message"]
    assert fetch(local["ap_id"], bob) == 404


def test_flags_become_reports_for_the_moderators(app: Any, api: ApiClient, admin: str,
                                                 remote: FakeRemote) -> None:  # noqa: F811
    community = api.make_community(admin)["community"]
    bob = remote.person("bob")
    post = api.make_post(admin, community["id"])["post"]
    comment = api.make_comment(admin, post["id"])["comment"]
    flag = {"id": remote.activity_id("Flag"), "type": "Flag", "actor": bob,
            "to": [community["actor_id"]], "object": post["ap_id"], "summary": "spam",
            "audience": community["actor_id"]}
    assert _apply(app, api, remote, flag) == ("done", "post report filed")
    # Mbin's shape: a list naming the comment and its author, the reason in content too.
    mbin = {**flag, "id": remote.activity_id("Flag"), "summary": None, "content": "rude",
            "object": [comment["ap_id"], admin_actor(api, admin)]}
    assert _apply(app, api, remote, mbin) == ("done", "comment report filed")
    [post_report] = api.get("/post/report/list", community_id=community["id"],
                            token=admin)["post_reports"]
    [comment_report] = api.get("/comment/report/list", community_id=community["id"],
                               token=admin)["comment_reports"]
    assert (post_report["post_report"]["reason"], post_report["creator"]["actor_id"]) == \
        ("spam", bob)
    assert comment_report["comment_report"]["reason"] == "rude"
    people_only = {**flag, "id": remote.activity_id("Flag"), "object": [bob]}
    assert _apply(app, api, remote, people_only)[1].startswith(
        "Flag names no post or comment known here")


def test_a_mastodon_flag_from_its_instance_actor_reports_each_known_post(
        app: Any, api: ApiClient, admin: str, remote: FakeRemote) -> None:  # noqa: F811
    """Mastodon's shape (shared fixture mastodon/activities/flag.json): sent by the instance
    actor, ``object`` the account and its statuses, ``content`` the comment, often empty."""
    community = api.make_community(admin)["community"]
    post = api.make_post(admin, community["id"])["post"]
    comment = api.make_comment(admin, post["id"])["comment"]
    actor = remote.url("/actor")
    private, public = generate_keypair()
    remote.keys[actor] = private
    remote.documents[actor] = {
        "id": actor, "type": "Application", "preferredUsername": remote.host,
        "inbox": remote.url("/actor/inbox"), "endpoints": {"sharedInbox": remote.url("/inbox")},
        "publicKey": {"id": actor + "#main-key", "owner": actor, "publicKeyPem": public}}
    flag = {"id": remote.url("/ccb4f39a-506a-490e-9a8c-71831c7713a4"), "type": "Flag",
            "actor": actor, "content": "",
            "object": [admin_actor(api, admin), post["ap_id"], comment["ap_id"],
                       remote.url("/statuses/unknown")],
            "to": admin_actor(api, admin)}
    assert _apply(app, api, remote, flag) == ("done", "2 reports filed")
    [post_report] = api.get("/post/report/list", community_id=community["id"],
                            token=admin)["post_reports"]
    [comment_report] = api.get("/comment/report/list", community_id=community["id"],
                               token=admin)["comment_reports"]
    for report, key in ((post_report, "post_report"), (comment_report, "comment_report")):
        assert report["creator"]["actor_id"] == actor and report["creator"]["bot_account"]
        assert report[key]["reason"] == f"(reported from {remote.host} without a reason)"
    # A comment given is the reason; a Flag naming only the account is refused by name.
    again = {**flag, "id": remote.url("/flag-2"), "content": "Spam", "object": [post["ap_id"]]}
    assert _apply(app, api, remote, again) == ("done", "post report filed")
    assert api.get("/post/report/list", community_id=community["id"], token=admin)[
        "post_reports"][0]["post_report"]["reason"] == "Spam"
    account_only = {**flag, "id": remote.url("/flag-3"), "object": [admin_actor(api, admin)]}
    assert _apply(app, api, remote, account_only)[1].startswith(
        "Flag names no post or comment known here")


def admin_actor(api: ApiClient, admin: str) -> str:
    return str(api.get("/site", token=admin)["my_user"]["local_user_view"]["person"]["actor_id"])


def test_account_deletion_only_by_the_person(app: Any, api: ApiClient, admin: str,
                                             remote: FakeRemote) -> None:  # noqa: F811
    community = api.make_community(admin)["community"]
    bob, carol = remote.person("bob"), remote.person("carol")
    post_id = _remote_post(app, api, remote, community, bob, 3)
    forged = {"id": remote.activity_id("Delete"), "type": "Delete", "actor": carol,
              "to": [PUBLIC], "object": bob, "removeData": True}
    assert _apply(app, api, remote, forged)[0] == "ignored"
    assert api.get("/user", person_id=_person_id(app, bob))["person_view"]["person"][
        "deleted"] is False
    delete = {**forged, "id": remote.activity_id("Delete"), "actor": bob}
    assert _apply(app, api, remote, delete) == ("done", "account deleted with its content")
    # A deleted account is not found, as in Lemmy.
    assert api.error("GET", "/user", person_id=_person_id(app, bob), expect=404) == \
        "couldnt_find_person"
    assert api.get("/post", id=post_id, token=admin)["post_view"]["post"]["deleted"] is True


def test_local_bans_and_account_deletion_are_sent(app: Any, api: ApiClient, admin: str,
                                                  remote: FakeRemote) -> None:  # noqa: F811
    community = api.make_community(admin)["community"]
    bob = remote.person("bob")
    _follow(api, remote, community, bob)
    inbox_worker.run_once(app.state.ctx)
    api.post("/community/ban_user", {"community_id": community["id"],
                                     "person_id": _person_id(app, bob), "ban": True,
                                     "reason": "spam", "remove_data": True}, token=admin)
    local = api.make_person()
    api.post("/user/ban", {"person_id": local.person_id, "ban": True, "reason": "troll",
                           "expires": 4_000_000_000}, token=admin)
    gone = api.make_person()
    api.post("/user/delete_account", {"password": PASSWORD, "delete_content": True},
             token=gone.token)
    delivery.run_once(app.state.ctx)
    # Different subjects may arrive in any order (delivery.subject).
    sent = {d.activity["type"]: d.activity for d in remote.delivered}
    block = sent["Announce"]["object"]
    assert (block["type"], block["object"], block["target"], block["summary"],
            block["removeData"]) == ("Block", bob, community["actor_id"], "spam", True)
    site_ban = sent["Block"]
    assert (site_ban["type"], site_ban["target"], site_ban["summary"]) == \
        ("Block", api.get("/site")["site_view"]["site"]["actor_id"], "troll")
    assert site_ban["expires"].startswith("2096-") and site_ban["endTime"] == site_ban["expires"]
    deletion = sent["Delete"]
    assert (deletion["type"], deletion["object"], deletion["removeData"]) == \
        ("Delete", deletion["actor"], True)
