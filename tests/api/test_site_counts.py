"""SiteAggregates and the active-user counts, kept on write (decision 0035): every change that
moves a total moves it in the same request, and the stored totals always equal a recount."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update

from moot.actions.activity import refresh_active_counts
from moot.db import tables as t
from moot.db.types import utcnow
from tests.helpers import ApiClient

TOTALS = ("users", "posts", "comments", "communities")
ACTIVE = ("users_active_day", "users_active_week", "users_active_month",
          "users_active_half_year")


def _site(api: ApiClient) -> dict[str, int]:
    counts = api.get("/site")["site_view"]["counts"]
    nodeinfo = api.get("/nodeinfo/2.1")["usage"]
    assert (nodeinfo["users"]["total"], nodeinfo["localPosts"], nodeinfo["localComments"],
            nodeinfo["users"]["activeMonth"]) == (counts["users"], counts["posts"],
                                                 counts["comments"], counts["users_active_month"])
    return {k: counts[k] for k in TOTALS + ACTIVE}


def _recount(app: Any) -> dict[str, int]:
    """The totals counted from the tables, as Lemmy's triggers define them."""
    def count(table: Any, counted: bool = True) -> int:
        query = select(func.count()).select_from(table).where(table.c.local.is_(True))
        if counted:
            query = query.where(table.c.deleted.is_(False), table.c.removed.is_(False))
        return int(conn.execute(query).scalar_one())

    with app.state.ctx.db.read() as conn:
        return {"users": count(t.person, counted=False), "posts": count(t.post),
                "comments": count(t.comment), "communities": count(t.community)}


def _check(api: ApiClient, app: Any, before: dict[str, int], **change: int) -> dict[str, int]:
    now = _site(api)
    assert {k: now[k] - before[k] for k in TOTALS} == {k: change.get(k, 0) for k in TOTALS}
    assert {k: now[k] for k in TOTALS} == _recount(app)
    return now


def test_site_totals_follow_every_change(app: Any, api: ApiClient, admin: str) -> None:
    start = _site(api)
    assert {k: start[k] for k in TOTALS} == _recount(app) == {
        "users": 1, "posts": 0, "comments": 0, "communities": 0}
    alice = api.make_person()
    now = _check(api, app, start, users=1)
    community = api.make_community(alice.token)["community"]
    now = _check(api, app, now, communities=1)
    post = api.make_post(alice.token, community["id"])["post"]
    now = _check(api, app, now, posts=1)
    comment = api.make_comment(alice.token, post["id"])["comment"]
    other = api.make_comment(alice.token, post["id"])["comment"]
    now = _check(api, app, now, comments=2)

    api.post("/comment/delete", {"comment_id": comment["id"], "deleted": True}, token=alice.token)
    now = _check(api, app, now, comments=-1)
    api.post("/comment/delete", {"comment_id": comment["id"], "deleted": False},
             token=alice.token)
    now = _check(api, app, now, comments=1)
    api.post("/comment/remove", {"comment_id": comment["id"], "removed": True}, token=admin)
    now = _check(api, app, now, comments=-1)
    api.post("/post/delete", {"post_id": post["id"], "deleted": True}, token=alice.token)
    now = _check(api, app, now, posts=-1)  # its comments still count, as in Lemmy
    api.post("/post/delete", {"post_id": post["id"], "deleted": False}, token=alice.token)
    now = _check(api, app, now, posts=1)
    api.post("/post/remove", {"post_id": post["id"], "removed": True}, token=admin)
    now = _check(api, app, now, posts=-1)
    api.post("/post/remove", {"post_id": post["id"], "removed": False}, token=admin)
    now = _check(api, app, now, posts=1)

    api.post("/community/delete", {"community_id": community["id"], "deleted": True},
             token=alice.token)
    now = _check(api, app, now, communities=-1)
    api.post("/community/remove", {"community_id": community["id"], "removed": True},
             token=admin)
    now = _check(api, app, now)  # deleted and removed: still not counted, once
    api.post("/community/delete", {"community_id": community["id"], "deleted": False},
             token=alice.token)
    now = _check(api, app, now)
    api.post("/community/remove", {"community_id": community["id"], "removed": False},
             token=admin)
    now = _check(api, app, now, communities=1)

    api.post("/admin/purge/comment", {"comment_id": other["id"]}, token=admin)
    now = _check(api, app, now, comments=-1)
    api.post("/admin/purge/post", {"post_id": post["id"]}, token=admin)
    now = _check(api, app, now, posts=-1)  # the removed comment was not counted
    api.post("/admin/purge/community", {"community_id": community["id"]}, token=admin)
    now = _check(api, app, now, communities=-1)
    api.post("/admin/purge/person", {"person_id": alice.person_id}, token=admin)
    _check(api, app, now, users=-1)


def _community_active(api: ApiClient, community_id: int) -> tuple[int, ...]:
    counts = api.get("/community", id=community_id)["community_view"]["counts"]
    return tuple(counts[k] for k in ACTIVE)


def _site_active(api: ApiClient) -> tuple[int, ...]:
    counts = _site(api)
    return tuple(counts[k] for k in ACTIVE)


def test_purging_a_person_takes_their_content_and_activity(app: Any, api: ApiClient,
                                                          admin: str) -> None:
    bob, carol = api.make_person(), api.make_person()
    community = api.make_community(carol.token)["community"]
    post = api.make_post(bob.token, community["id"])["post"]
    api.make_comment(bob.token, post["id"])
    api.make_comment(carol.token, post["id"])
    before = _site(api)
    assert _site_active(api) == _community_active(api, community["id"]) == (2, 2, 2, 2)
    api.post("/admin/purge/person", {"person_id": bob.person_id}, token=admin)
    # Bob's post went with him, and carol's comment under it.
    _check(api, app, before, users=-1, posts=-1, comments=-2)
    assert _site_active(api) == _community_active(api, community["id"]) == (1, 1, 1, 1)


def test_active_counts_enter_on_write(app: Any, api: ApiClient, admin: str) -> None:
    alice, bob, robot = api.make_person(), api.make_person(), api.make_person()
    first = api.make_community(alice.token)["community"]
    second = api.make_community(alice.token)["community"]
    assert _site_active(api) == (0, 0, 0, 0)  # making communities is not activity
    post = api.make_post(alice.token, first["id"])["post"]
    assert _site_active(api) == _community_active(api, first["id"]) == (1, 1, 1, 1)
    api.make_comment(alice.token, post["id"])
    assert _site_active(api) == (1, 1, 1, 1)  # the same person, counted once
    api.make_comment(bob.token, post["id"])
    assert _site_active(api) == _community_active(api, first["id"]) == (2, 2, 2, 2)
    api.make_post(alice.token, second["id"])
    assert _site_active(api) == (2, 2, 2, 2)
    assert _community_active(api, second["id"]) == (1, 1, 1, 1)
    api.put("/user/save_user_settings", {"bot_account": True}, token=robot.token)
    api.make_comment(robot.token, post["id"])  # bots are not counted (as Lemmy)
    assert _site_active(api) == _community_active(api, first["id"]) == (2, 2, 2, 2)


def _age_clocks(app: Any, person_id: int, age: timedelta) -> None:
    """Time travel: the person's clocks as if their last activity were ``age`` ago, and the
    active counts as they were before (the upkeep ran a minute ago, and the clock entered
    every window it was in then)."""
    with app.state.ctx.db.write() as conn:
        when = utcnow() - age
        conn.execute(update(t.person).where(t.person.c.id == person_id)
                     .values(last_active=when))
        conn.execute(update(t.community_activity)
                     .where(t.community_activity.c.person_id == person_id)
                     .values(last_active=when))
        conn.execute(update(t.site_aggregates).values(
            active_counted_at=utcnow() - timedelta(minutes=1)))


def _upkeep(app: Any) -> int:
    with app.state.ctx.db.write() as conn:
        return refresh_active_counts(conn)


def test_active_counts_leave_their_windows_at_the_edges(app: Any, api: ApiClient,
                                                         admin: str) -> None:
    alice = api.make_person()
    community = api.make_community(alice.token)["community"]
    quiet = api.make_community(alice.token)["community"]
    api.make_post(alice.token, community["id"])
    with app.state.ctx.db.write() as conn:  # a wrong count that only a recount would fix
        conn.execute(update(t.community).where(t.community.c.id == quiet["id"])
                     .values(users_active_day=99))
    steps = [
        (timedelta(days=1) - timedelta(seconds=30), (1, 1, 1, 1)),
        (timedelta(days=1) + timedelta(seconds=30), (0, 1, 1, 1)),
        (timedelta(days=7) - timedelta(seconds=30), (0, 1, 1, 1)),
        (timedelta(days=7) + timedelta(seconds=30), (0, 0, 1, 1)),
        (timedelta(days=30) - timedelta(seconds=30), (0, 0, 1, 1)),
        (timedelta(days=30) + timedelta(seconds=30), (0, 0, 0, 1)),
        (timedelta(days=182) - timedelta(seconds=30), (0, 0, 0, 1)),
        (timedelta(days=182) + timedelta(seconds=30), (0, 0, 0, 0)),
    ]
    for age, expected in steps:
        _age_clocks(app, alice.person_id, age)
        crossed = age.total_seconds() % 86400 < 43200  # just past an edge
        assert _upkeep(app) == (1 if crossed else 0)
        assert _site_active(api) == _community_active(api, community["id"]) == expected, age
    assert _upkeep(app) == 0  # nothing crossed since
    assert _community_active(api, quiet["id"])[0] == 99  # never recounted: nobody active there

    # Coming back after ten days enters the day and the week windows only.
    _age_clocks(app, alice.person_id, timedelta(days=10))
    with app.state.ctx.db.write() as conn:
        conn.execute(update(t.site_aggregates).values(active_counted_at=None))
    assert _upkeep(app) == 2  # the first run (or a lost clock) recounts every community
    assert _site_active(api) == _community_active(api, community["id"]) == (0, 0, 1, 1)
    assert _community_active(api, quiet["id"]) == (0, 0, 0, 0)
    api.make_post(alice.token, community["id"])
    assert _site_active(api) == _community_active(api, community["id"]) == (1, 1, 1, 1)


def test_a_ban_that_removes_data_takes_it_off_the_totals(app: Any, api: ApiClient,
                                                         admin: str) -> None:
    eve, other = api.make_person(), api.make_person()
    own = api.make_community(eve.token)["community"]
    elsewhere = api.make_community(other.token)["community"]
    post = api.make_post(eve.token, own["id"])["post"]
    api.make_post(eve.token, elsewhere["id"])
    api.make_comment(eve.token, post["id"])
    api.make_comment(other.token, post["id"])
    before = _site(api)
    api.post("/user/ban", {"person_id": eve.person_id, "ban": True, "remove_data": True},
             token=admin)
    # Her posts and comment are removed, and the community she founded; the other comment
    # still counts in the site's total (Lemmy counts comments of removed posts there).
    _check(api, app, before, posts=-2, comments=-1, communities=-1)
