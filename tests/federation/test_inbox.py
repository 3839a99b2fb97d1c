"""The inbox on a real database: signed deliveries are stored once, applied by the worker through
the actions the API uses, and answered (Accept, Announce) through the delivery log."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from moot.db import tables as t
from moot.federation import delivery, inbox_worker
from moot.federation.http import Http
from moot.federation.objects import PUBLIC
from tests.conftest import PUBLIC_URL
from tests.federation.fake import PUBLIC_IP, FakeRemote
from tests.helpers import ApiClient

AP_ACCEPT = {"Accept": "application/activity+json"}


@pytest.fixture
def remote(app: Any) -> FakeRemote:
    fake = FakeRemote()
    ctx = app.state.ctx
    ctx.http = Http(ctx.settings, fake.transport(), resolver=lambda host: [PUBLIC_IP])
    return fake


def _deliver(api: ApiClient, remote: FakeRemote, path: str, activity: dict[str, Any],
             expect: int = 202) -> dict[str, Any]:
    inbox = PUBLIC_URL + path
    body, headers = remote.signed(inbox, activity)
    response = api.client.post(inbox, content=body, headers=headers)
    assert response.status_code == expect, response.text
    return response.json()  # type: ignore[no-any-return]


def _inbox_rows(app: Any) -> list[Any]:
    with app.state.ctx.db.read() as conn:
        return list(conn.execute(select(t.ap_inbox).order_by(t.ap_inbox.c.id)).mappings())


def _follow(api: ApiClient, remote: FakeRemote, community: dict[str, Any], actor: str) -> None:
    follow = {"id": remote.activity_id("Follow"), "type": "Follow", "actor": actor,
              "object": community["actor_id"], "to": [community["actor_id"]]}
    _deliver(api, remote, f"/c/{community['name']}/inbox", follow)


def _group_key(api: ApiClient, community: dict[str, Any]) -> str:
    group = api.client.get(community["actor_id"], headers=AP_ACCEPT)
    assert group.headers["content-type"] == "application/activity+json"
    return str(group.json()["publicKey"]["publicKeyPem"])


def test_a_follow_is_stored_once_applied_and_accepted(app: Any, api: ApiClient, admin: str,
                                                      remote: FakeRemote) -> None:
    community = api.make_community(admin)["community"]
    bob = remote.person("bob")
    follow = {"id": remote.activity_id("Follow"), "type": "Follow", "actor": bob,
              "object": community["actor_id"], "to": [community["actor_id"]]}
    path = f"/c/{community['name']}/inbox"
    assert _deliver(api, remote, path, follow) == {"status": "accepted"}
    assert _deliver(api, remote, path, follow, expect=200) == {"status": "already received"}
    assert [row["state"] for row in _inbox_rows(app)] == ["queued"]

    assert inbox_worker.run_once(app.state.ctx) == 1
    assert [(r["state"], r["reason"]) for r in _inbox_rows(app)] == [("done", "follower added")]
    view = api.get("/community", id=community["id"])["community_view"]
    assert view["counts"]["subscribers"] == 2

    assert delivery.run_once(app.state.ctx) == 1
    [sent] = remote.delivered
    assert sent.url == bob + "/inbox"
    assert sent.activity["type"] == "Accept" and sent.activity["object"]["id"] == follow["id"]
    assert sent.activity["actor"] == community["actor_id"]
    sent.verify_with(_group_key(api, community))
    assert delivery.run_once(app.state.ctx) == 0  # the cursor moved past it


def test_a_remote_post_vote_and_undo_are_applied_and_announced(
        app: Any, api: ApiClient, admin: str, remote: FakeRemote) -> None:
    community = api.make_community(admin)["community"]
    bob = remote.person("bob")
    _follow(api, remote, community, bob)
    inbox_worker.run_once(app.state.ctx)
    delivery.run_once(app.state.ctx)
    remote.delivered.clear()

    page_id = remote.url("/post/7")
    create = {"id": remote.activity_id("Create"), "type": "Create", "actor": bob,
              "to": [PUBLIC], "cc": [community["actor_id"]], "audience": community["actor_id"],
              "object": {"id": page_id, "type": "Page", "attributedTo": bob, "name": "From afar",
                         "to": [community["actor_id"], PUBLIC], "content": "<p>hi</p>",
                         "source": {"content": "hi", "mediaType": "text/markdown"},
                         "attachment": [{"type": "Link", "href": "https://example.com/x"}],
                         "published": "2026-01-02T03:04:05Z"}}
    _deliver(api, remote, "/inbox", create)
    inbox_worker.run_once(app.state.ctx)
    [post] = api.get("/post/list", community_id=community["id"])["posts"]
    assert (post["post"]["name"], post["post"]["body"], post["post"]["url"]) == \
        ("From afar", "hi", "https://example.com/x")
    assert post["post"]["ap_id"] == page_id and post["post"]["local"] is False
    assert post["creator"]["actor_id"] == bob and post["creator"]["local"] is False

    carol = remote.person("carol")
    like = {"id": remote.activity_id("Like"), "type": "Like", "actor": carol, "object": page_id}
    _deliver(api, remote, "/inbox", like)
    inbox_worker.run_once(app.state.ctx)
    assert api.get("/post", id=post["post"]["id"])["post_view"]["counts"]["upvotes"] == 2
    undo = {"id": remote.activity_id("Undo"), "type": "Undo", "actor": carol,
            "object": {**like, "id": remote.activity_id("Like")}}  # Lemmy rebuilds the id
    _deliver(api, remote, "/inbox", undo)
    inbox_worker.run_once(app.state.ctx)
    assert api.get("/post", id=post["post"]["id"])["post_view"]["counts"]["upvotes"] == 1

    # The community announced each of them, unchanged, to its follower instance.
    delivery.run_once(app.state.ctx)
    announced = [d.activity for d in remote.delivered]
    assert [a["type"] for a in announced] == ["Announce"] * 4
    # After the Create, the Page itself is announced too (Mastodon reads only that).
    assert [a["object"]["id"] for a in announced] == [create["id"], create["object"]["id"],
                                                      like["id"], undo["id"]]
    assert announced[0]["object"]["object"] == create["object"] == announced[1]["object"]
    key = _group_key(api, community)
    for sent in remote.delivered:
        assert sent.url == remote.url("/inbox")  # the shared inbox
        sent.verify_with(key)


def test_unknown_activities_are_accepted_and_recorded_as_ignored(
        app: Any, api: ApiClient, remote: FakeRemote) -> None:
    bob = remote.person("bob")
    _deliver(api, remote, "/inbox", {"id": remote.activity_id("Travel"), "type": "Travel",
                                     "actor": bob})
    inbox_worker.run_once(app.state.ctx)
    [row] = _inbox_rows(app)
    assert (row["state"], row["reason"]) == ("ignored", "Travel activities are not handled (yet)")


def test_refusals(app: Any, api: ApiClient, remote: FakeRemote) -> None:
    bob = remote.person("bob")
    activity = {"id": remote.activity_id("Like"), "type": "Like", "actor": bob,
                "object": PUBLIC_URL + "/post/1"}
    body, headers = remote.signed(PUBLIC_URL + "/inbox", activity)
    unsigned = {"content-type": "application/activity+json"}
    assert api.client.post(PUBLIC_URL + "/inbox", content=body, headers=unsigned
                           ).status_code == 401
    # Signed for another inbox: the (request-target) differs.
    assert api.client.post(PUBLIC_URL + "/u/admin/inbox", content=body, headers=headers
                           ).status_code == 401
    elsewhere = {**activity, "id": "https://other.example/activities/like/1"}
    body, headers = remote.signed(PUBLIC_URL + "/inbox", elsewhere)
    response = api.client.post(PUBLIC_URL + "/inbox", content=body, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"error": "activity id and actor are on different hosts"}
    response = api.client.post(PUBLIC_URL + "/inbox", content=b"[1, 2]", headers=unsigned)
    assert response.status_code == 400
    assert _inbox_rows(app) == []


@pytest.mark.parametrize("answer", ["Accept", "Reject"])
@pytest.mark.parametrize("embedded", [True, False], ids=["embedded", "by-id"])
def test_a_local_follow_of_a_remote_community_is_pending_until_answered(
        app: Any, api: ApiClient, admin: str, remote: FakeRemote, embedded: bool,
        answer: str) -> None:
    group = remote.url("/c/far")
    remote.person("far")  # a key pair and a document to adapt into a Group
    remote.documents[group] = {**remote.documents.pop(remote.url("/u/far")), "type": "Group",
                               "id": group, "inbox": group + "/inbox",
                               "followers": group + "/followers"}
    remote.keys[group] = remote.keys[remote.url("/u/far")]
    found = api.get("/resolve_object", q=group, token=admin)["community"]
    assert found["community"]["actor_id"] == group
    view = api.post("/community/follow", {"community_id": found["community"]["id"],
                                          "follow": True}, token=admin)["community_view"]
    assert view["subscribed"] == "Pending"
    delivery.run_once(app.state.ctx)
    [sent] = remote.delivered
    assert (sent.url, sent.activity["type"], sent.activity["object"]) == \
        (group + "/inbox", "Follow", group)
    reply = {"id": remote.activity_id(answer), "type": answer, "actor": group,
             "object": sent.activity if embedded else sent.activity["id"]}
    _deliver(api, remote, "/inbox", reply)
    inbox_worker.run_once(app.state.ctx)
    view = api.get("/community", id=found["community"]["id"], token=admin)["community_view"]
    assert view["subscribed"] == ("Subscribed" if answer == "Accept" else "NotSubscribed")
    assert _inbox_rows(app)[-1]["state"] == "done"
    with app.state.ctx.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.ap_outbox)).scalar() == 1


def test_a_rotated_key_is_refetched_once(app: Any, api: ApiClient, remote: FakeRemote) -> None:
    from moot.federation.keys import generate_keypair

    bob = remote.person("bob")
    first = {"id": remote.activity_id("Travel"), "type": "Travel", "actor": bob}
    _deliver(api, remote, "/inbox", first)  # bob and his first key are now known here
    private, public = generate_keypair()
    remote.keys[bob] = private
    remote.documents[bob]["publicKey"]["publicKeyPem"] = public
    second = {"id": remote.activity_id("Travel"), "type": "Travel", "actor": bob}
    _deliver(api, remote, "/inbox", second)
    with app.state.ctx.db.read() as conn:
        stored = conn.execute(select(t.person.c.public_key)
                              .where(t.person.c.actor_id == bob)).scalar()
    assert stored == public
    assert len(_inbox_rows(app)) == 2


def test_a_local_only_community_neither_takes_remote_followers_nor_federates(
        app: Any, api: ApiClient, admin: str, remote: FakeRemote) -> None:
    community = api.make_community(admin, visibility="LocalOnly")["community"]
    _follow(api, remote, community, remote.person("bob"))
    inbox_worker.run_once(app.state.ctx)
    [row] = _inbox_rows(app)
    assert (row["state"], row["reason"]) == \
        ("ignored", "a local-only community cannot be followed from elsewhere")
    api.make_post(admin, community["id"])
    with app.state.ctx.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.ap_outbox)).scalar() == 0


def test_the_inbox_door_refuses_what_is_not_a_delivery(api: ApiClient) -> None:
    too_big = b'{"id": "' + b"x" * (1024 * 1024) + b'"}'
    response = api.client.post(PUBLIC_URL + "/inbox", content=too_big)
    assert response.status_code == 413 and response.json() == {"error": "activity is over 1 MiB"}
    response = api.client.post(PUBLIC_URL + "/c/nobody/inbox", content=b"[1, 2]")
    assert response.status_code == 400
    assert response.json() == {"error": "activity is not a JSON object"}
    # Only POSTs to the inbox paths are taken; the rest reaches the routes as before.
    page = api.client.get(PUBLIC_URL + "/inbox")  # the web page of the same name
    assert page.headers["content-type"].startswith("text/html")
    assert api.client.post(PUBLIC_URL + "/inboxes", content=b"{}").status_code in (404, 405)
