"""Moderator actions from a remote person to a local community: refused unless that person is
one of its moderators, then applied through the moderation actions and announced."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from moot.db import tables as t
from moot.federation import delivery, inbox_worker
from moot.federation.objects import PUBLIC
from tests.federation.fake import FakeRemote
from tests.federation.test_inbox import _deliver, _follow, _inbox_rows, remote  # noqa: F401
from tests.helpers import ApiClient


def _mod_activity(fake: FakeRemote, kind: str, actor: str, community: dict[str, Any],
                  obj: Any, **extra: Any) -> dict[str, Any]:
    return {"id": fake.activity_id(kind), "type": kind, "actor": actor, "to": [PUBLIC],
            "cc": [community["actor_id"]], "audience": community["actor_id"], "object": obj,
            **extra}


def test_remote_removal_and_lock_need_a_moderator(app: Any, api: ApiClient, admin: str,
                                                  remote: FakeRemote) -> None:  # noqa: F811
    community = api.make_community(admin)["community"]
    bob, carol = remote.person("bob"), remote.person("carol")
    _follow(api, remote, community, bob)
    page = {"id": remote.url("/post/9"), "type": "Page", "attributedTo": bob, "name": "Spam?",
            "to": [community["actor_id"], PUBLIC], "content": "<p>buy</p>"}
    _deliver(api, remote, "/inbox", _mod_activity(remote, "Create", bob, community, page))
    inbox_worker.run_once(app.state.ctx)
    [post] = api.get("/post/list", community_id=community["id"])["posts"]
    post_id = post["post"]["id"]

    removal = _mod_activity(remote, "Delete", carol, community, page["id"], summary="spam")
    _deliver(api, remote, "/inbox", removal)
    inbox_worker.run_once(app.state.ctx)
    assert (_inbox_rows(app)[-1]["state"], _inbox_rows(app)[-1]["reason"]) == \
        ("failed", "not_a_mod_or_admin")
    assert api.get("/post", id=post_id, token=admin)["post_view"]["post"]["removed"] is False

    with app.state.ctx.db.read() as conn:
        carol_id = conn.execute(select(t.person.c.id)
                                .where(t.person.c.actor_id == carol)).scalar_one()
    api.post("/community/mod", {"community_id": community["id"], "person_id": carol_id,
                                "added": True}, token=admin)
    removal = {**removal, "id": remote.activity_id("Delete")}
    _deliver(api, remote, "/inbox", removal)
    # Lemmy before 0.19 locked with an Update of the Page, sent by the moderator.
    lock = _mod_activity(remote, "Update", carol, community, {**page, "commentsEnabled": False})
    _deliver(api, remote, "/inbox", lock)
    inbox_worker.run_once(app.state.ctx)
    assert [r["state"] for r in _inbox_rows(app)[-2:]] == ["done", "done"]
    seen = api.get("/post", id=post_id, token=admin)["post_view"]["post"]
    assert (seen["removed"], seen["locked"]) == (True, True)
    log = api.get("/modlog", community_id=community["id"], token=admin)
    assert log["removed_posts"][0]["mod_remove_post"]["reason"] == "spam"
    assert log["removed_posts"][0]["moderator"]["actor_id"] == carol

    _deliver(api, remote, "/inbox", _mod_activity(remote, "Undo", carol, community, removal))
    inbox_worker.run_once(app.state.ctx)
    assert api.get("/post", id=post_id, token=admin)["post_view"]["post"]["removed"] is False
    delivery.run_once(app.state.ctx)
    announced = [d.activity["object"]["type"] for d in remote.delivered
                 if d.activity["type"] == "Announce"]
    # The Add of carol to the moderators (the local admin's doing) is announced too; several
    # sends are in flight together, so their order of arrival may vary.
    assert {"Add", "Delete", "Undo", "Update"} <= set(announced)
    # Each Create/Update of a Page is followed by an Announce of the Page itself (Mastodon).
    assert announced.count("Page") == announced.count("Create") + announced.count("Update")
