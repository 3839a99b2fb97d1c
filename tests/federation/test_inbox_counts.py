"""Counts kept on write when posts and comments come from other instances (decision 0035):
federated content moves a community's counts and active users, never the site's totals, which
count local content only (as Lemmy's SiteAggregates)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from moot.db.types import utcnow
from moot.federation.objects import PUBLIC
from tests.federation.fake import FakeRemote
from tests.federation.test_inbox import remote  # noqa: F401
from tests.federation.test_inbox_people import _apply, _remote_post
from tests.helpers import ApiClient

ACTIVE = ("users_active_day", "users_active_week", "users_active_month",
          "users_active_half_year")


def _counts(api: ApiClient, community_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    site = api.get("/site")["site_view"]["counts"]
    community = api.get("/community", id=community_id)["community_view"]["counts"]
    return site, community


def _active(counts: dict[str, Any]) -> tuple[int, ...]:
    return tuple(counts[k] for k in ACTIVE)


def _note(remote: FakeRemote, author: str, page: str, number: int,  # noqa: F811
          published: str | None = None) -> dict[str, Any]:
    note = {"id": remote.url(f"/comment/{number}"), "type": "Note", "attributedTo": author,
            "inReplyTo": page, "content": f"<p>reply {number}</p>", "to": [PUBLIC]}
    if published:
        note["published"] = published
    return {"id": remote.activity_id("Create"), "type": "Create", "actor": author,
            "to": [PUBLIC], "object": note}


def test_federated_content_counts_in_its_community_not_in_the_site(
        app: Any, api: ApiClient, admin: str, remote: FakeRemote) -> None:  # noqa: F811
    community = api.make_community(admin)["community"]
    alice = api.make_person()
    site_before, _ = _counts(api, community["id"])
    bob, carol, dave = remote.person("bob"), remote.person("carol"), remote.person("dave")

    post_id = _remote_post(app, api, remote, community, bob, 1)
    page = remote.url("/post/1")
    site, counts = _counts(api, community["id"])
    assert (counts["posts"], _active(counts)) == (1, (1, 1, 1, 1))
    assert site == site_before  # neither bob nor his post is local

    assert _apply(app, api, remote, _note(remote, carol, page, 2))[0] == "done"
    api.make_comment(alice.token, post_id)
    site, counts = _counts(api, community["id"])
    assert (counts["comments"], _active(counts)) == (2, (3, 3, 3, 3))
    assert site["comments"] == site_before["comments"] + 1  # alice's only
    assert _active(site) == (1, 1, 1, 1)  # alice: the site counts its own people

    # A reply written ten days ago (fetched late) enters the month and half-year windows only.
    ten_days = (utcnow() - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _apply(app, api, remote, _note(remote, dave, page, 3, ten_days))[0] == "done"
    site, counts = _counts(api, community["id"])
    assert _active(counts) == (3, 3, 4, 4) and _active(site) == (1, 1, 1, 1)

    delete = {"id": remote.activity_id("Delete"), "type": "Delete", "actor": bob,
              "to": [PUBLIC], "object": page}
    assert _apply(app, api, remote, delete)[0] == "done"
    site, counts = _counts(api, community["id"])
    assert (counts["posts"], counts["comments"]) == (0, 0)
    assert (site["posts"], site["comments"]) == (site_before["posts"],
                                                 site_before["comments"] + 1)
