"""Delivery through per-instance cursors: in order, retried with backoff after failures, skipped
past permanent refusals, dead instances left alone until they speak again."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from moot.db import tables as t
from moot.db.types import utcnow
from moot.federation import delivery, fanout, inbox_worker
from moot.federation.http import Http
from tests.conftest import PUBLIC_URL
from tests.federation.fake import PUBLIC_IP, FakeRemote
from tests.helpers import ApiClient


@pytest.fixture
def remote(app: Any) -> FakeRemote:
    fake = FakeRemote()
    ctx = app.state.ctx
    ctx.http = Http(ctx.settings, fake.transport(), resolver=lambda host: [PUBLIC_IP])
    return fake


def _followed(app: Any, api: ApiClient, admin: str, remote: FakeRemote) -> dict[str, Any]:
    """A local community that a person on the fake remote instance follows."""
    community = api.make_community(admin)["community"]
    bob = remote.person("bob")
    follow = {"id": remote.activity_id("Follow"), "type": "Follow", "actor": bob,
              "object": community["actor_id"]}
    inbox = PUBLIC_URL + "/inbox"
    body, headers = remote.signed(inbox, follow)
    assert api.client.post(inbox, content=body, headers=headers).status_code == 202
    assert inbox_worker.run_once(app.state.ctx) == 1
    # The delivery worker opens the instance's cursor, just before the Accept (decision 0038).
    assert fanout.open_cursors(app.state.ctx) == 1
    return community


def _cursor(app: Any) -> Any:
    with app.state.ctx.db.read() as conn:
        return conn.execute(select(t.ap_delivery).where(
            t.ap_delivery.c.domain == "remote.example")).mappings().one()


def _set_cursor(app: Any, **values: Any) -> None:
    with app.state.ctx.db.write() as conn:
        conn.execute(update(t.ap_delivery).values(**values))


def test_failures_back_off_and_nothing_is_lost_or_reordered(
        app: Any, api: ApiClient, admin: str, remote: FakeRemote) -> None:
    community = _followed(app, api, admin, remote)
    remote.inbox_status = 503
    for title in ("one", "two"):
        api.make_post(admin, community["id"], title)
    assert delivery.run_once(app.state.ctx) == 0
    cursor = _cursor(app)
    assert cursor["fail_count"] == 1 and cursor["next_attempt"] > utcnow()
    # A healthy instance gets several sends in flight; all failed, none was passed. (Each
    # post is announced twice: Announce(Create) and, for Mastodon, Announce(Page).)
    refused = len(remote.refused)
    assert {d.activity["type"] for d in remote.refused} == {"Accept", "Announce"}
    assert delivery.run_once(app.state.ctx) == 0  # not due yet: no new attempt
    assert len(remote.refused) == refused

    remote.inbox_status = 202
    _set_cursor(app, next_attempt=utcnow() - timedelta(seconds=1))
    assert delivery.run_once(app.state.ctx) == 5
    sent = [d.activity for d in remote.delivered]
    assert [a["type"] for a in sent] == ["Accept"] + ["Announce"] * 4
    assert [a["object"]["object"]["name"] for a in sent[1::2]] == ["one", "two"]
    assert [a["object"]["name"] for a in sent[2::2]] == ["one", "two"]  # Announce(Page)
    cursor = _cursor(app)
    assert cursor["fail_count"] == 0 and cursor["last_success"] is not None


def test_a_permanent_refusal_is_skipped(app: Any, api: ApiClient, admin: str,
                                        remote: FakeRemote) -> None:
    community = _followed(app, api, admin, remote)
    remote.inbox_status = 400
    api.make_post(admin, community["id"], "refused")
    assert delivery.run_once(app.state.ctx) == 3
    assert _cursor(app)["fail_count"] == 0
    remote.inbox_status = 202
    api.make_post(admin, community["id"], "accepted")
    assert delivery.run_once(app.state.ctx) == 2
    assert [d.activity["object"]["object"]["name"] for d in remote.delivered[:1]] == ["accepted"]


def test_an_instance_failing_for_days_is_dead_until_it_speaks(
        app: Any, api: ApiClient, admin: str, remote: FakeRemote) -> None:
    _followed(app, api, admin, remote)
    remote.inbox_status = 500
    long_ago = utcnow() - timedelta(days=4)
    _set_cursor(app, published=long_ago, last_success=long_ago)
    assert delivery.run_once(app.state.ctx) == 0
    assert _cursor(app)["dead"] is True
    _set_cursor(app, next_attempt=None)
    assert delivery.run_once(app.state.ctx) == 0
    assert len(remote.refused) == 1  # a dead instance is not tried again

    carol = remote.person("carol")
    travel = {"id": remote.activity_id("Travel"), "type": "Travel", "actor": carol}
    body, headers = remote.signed(PUBLIC_URL + "/inbox", travel)
    api.client.post(PUBLIC_URL + "/inbox", content=body, headers=headers)
    assert _cursor(app)["dead"] is False
    remote.inbox_status = 202
    assert delivery.run_once(app.state.ctx) == 1


def test_a_failure_in_flight_holds_the_cursor_before_it(
        app: Any, api: ApiClient, admin: str, remote: FakeRemote) -> None:
    """Sends in flight together: one that fails stops the cursor just before it, and what
    follows is sent again (receivers drop repeats by activity id); nothing is lost."""
    community = _followed(app, api, admin, remote)
    assert delivery.run_once(app.state.ctx) == 1  # the Accept
    titles = ["one", "two", "three", "four"]
    for title in titles:
        api.make_post(admin, community["id"], title)
    original = remote.handler

    def flaky(request: Any) -> Any:
        if request.method == "POST" and b'"two"' in request.content:
            return httpx.Response(503)
        return original(request)

    app.state.ctx.http = Http(app.state.ctx.settings, httpx.MockTransport(flaky),
                              resolver=lambda host: [PUBLIC_IP])
    assert delivery.run_once(app.state.ctx) == 2  # "one" passed; the cursor waits at "two"
    assert _cursor(app)["fail_count"] == 1
    app.state.ctx.http = Http(app.state.ctx.settings, remote.transport(),
                              resolver=lambda host: [PUBLIC_IP])
    _set_cursor(app, next_attempt=utcnow() - timedelta(seconds=1))
    assert delivery.run_once(app.state.ctx) == 6  # two, three, four: each announced twice
    names = [d.activity["object"]["object"]["name"] for d in remote.delivered[1:]
             if d.activity["object"]["type"] == "Create"]
    assert set(names) == set(titles)
    # After the failure the instance was probed one send at a time, in log order.
    assert names[-3:] == ["two", "three", "four"]
    assert _cursor(app)["fail_count"] == 0


def test_activities_about_one_object_share_a_chain() -> None:
    post = "https://moot.test/post/1"
    like = {"type": "Like", "id": "https://moot.test/activities/like/1", "object": post}
    undo = {"type": "Undo", "id": "https://moot.test/activities/undo/1", "object": like}
    create = {"type": "Create", "object": {"type": "Page", "id": post}}
    announce = {"type": "Announce", "object": undo}
    subjects = {delivery.subject(json.dumps(a)) for a in (like, undo, create, announce)}
    assert subjects == {post}
    other = {"type": "Announce", "object": {"type": "Like", "object": "https://moot.test/post/2"}}
    assert delivery.subject(json.dumps(other)) == "https://moot.test/post/2"
