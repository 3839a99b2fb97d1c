"""The admin's federation allow and block lists (PUT /site) at every door of federation: the
inbox refuses senders, fetches refuse hosts, and delivery passes blocked instances over."""

from __future__ import annotations

from typing import Any

import pytest

from moot.federation import delivery, inbox_worker
from moot.federation.actors import http_for
from moot.federation.http import FetchError, Http
from moot.federation.policy import refusal
from moot.federation.resolve import resolve
from tests.conftest import PUBLIC_URL
from tests.federation.fake import PUBLIC_IP, FakeRemote
from tests.helpers import ApiClient


@pytest.fixture
def remote(app: Any) -> FakeRemote:
    fake = FakeRemote()
    ctx = app.state.ctx
    ctx.http = Http(ctx.settings, fake.transport(), resolver=lambda host: [PUBLIC_IP],
                    policy=lambda url: refusal(ctx, url))
    return fake


def _post_follow(api: ApiClient, remote: FakeRemote, community: dict[str, Any]) -> Any:
    follow = {"id": remote.activity_id("Follow"), "type": "Follow",
              "actor": remote.person("bob"), "object": community["actor_id"]}
    inbox = PUBLIC_URL + "/inbox"
    body, headers = remote.signed(inbox, follow)
    return api.client.post(inbox, content=body, headers=headers)


def test_the_inbox_refuses_blocked_and_unlisted_instances(app: Any, api: ApiClient, admin: str,
                                                          remote: FakeRemote) -> None:
    community = api.make_community(admin)["community"]
    api.put("/site", {"blocked_instances": ["remote.example"]}, token=admin)
    refused = _post_follow(api, remote, community)
    assert refused.status_code == 403 and "domain_blocked" in refused.text

    api.put("/site", {"blocked_instances": [], "allowed_instances": ["friends.example"]},
            token=admin)
    refused = _post_follow(api, remote, community)
    assert refused.status_code == 403 and "domain_not_in_allow_list" in refused.text

    api.put("/site", {"allowed_instances": ["friends.example", "remote.example"]}, token=admin)
    assert _post_follow(api, remote, community).status_code == 202
    assert inbox_worker.run_once(app.state.ctx) == 1
    view = api.get("/community", id=community["id"])["community_view"]
    assert view["counts"]["subscribers"] == 2


def test_fetches_refuse_blocked_hosts(app: Any, api: ApiClient, admin: str,
                                      remote: FakeRemote) -> None:
    ctx = app.state.ctx
    bob = remote.person("bob")
    api.put("/site", {"blocked_instances": ["remote.example"]}, token=admin)
    with pytest.raises(FetchError, match="domain_blocked"):
        http_for(ctx).fetch_json(bob)
    with pytest.raises(Exception, match="domain_blocked"):
        resolve(ctx, bob)
    api.put("/site", {"blocked_instances": []}, token=admin)
    assert http_for(ctx).fetch_json(bob)["id"] == bob


def test_delivery_passes_a_blocked_instance_over(app: Any, api: ApiClient, admin: str,
                                                 remote: FakeRemote) -> None:
    community = api.make_community(admin)["community"]
    assert _post_follow(api, remote, community).status_code == 202
    assert inbox_worker.run_once(app.state.ctx) == 1
    api.put("/site", {"blocked_instances": ["remote.example"]}, token=admin)
    api.make_post(admin, community["id"], "not for them")
    # The Accept and both Announces are passed over without a request; the cursor moves on.
    assert delivery.run_once(app.state.ctx) == 3
    assert remote.delivered == [] and remote.refused == []

    api.put("/site", {"blocked_instances": []}, token=admin)
    api.make_post(admin, community["id"], "for them")
    assert delivery.run_once(app.state.ctx) == 2  # Announce(Create) and Announce(Page)
    assert [d.activity["object"]["object"]["name"] for d in remote.delivered[:1]] == ["for them"]


def test_federation_disabled_refuses_everything(app: Any, api: ApiClient, admin: str,
                                                remote: FakeRemote) -> None:
    community = api.make_community(admin)["community"]
    api.put("/site", {"federation_enabled": False}, token=admin)
    refused = _post_follow(api, remote, community)
    assert refused.status_code == 403 and "federation_disabled" in refused.text
