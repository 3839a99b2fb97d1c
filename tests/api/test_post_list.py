"""GET /post/list: every sort's order, featured posts, page/limit and cursor pagination, and the
indexes the listing queries use."""

from __future__ import annotations

import base64
import json
import math
import random
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, update

from moot.db import prepared
from moot.db import tables as t
from moot.db.engine import Database
from moot.db.types import utcnow
from moot.ranking import controversy_rank, hot_rank
from moot.views import post_bounds, post_list, post_sorts
from tests.helpers import ApiClient

SORTS = ["Active", "Hot", "New", "Old", "TopDay", "TopWeek", "TopMonth", "TopYear", "TopAll",
         "MostComments", "NewComments", "TopHour", "TopSixHour", "TopTwelveHour",
         "TopThreeMonths", "TopSixMonths", "TopNineMonths", "Controversial", "Scaled"]
# Top windows in days; no test post is near a boundary, so calendar months need no care here.
WINDOWS = {"TopHour": 1 / 24, "TopSixHour": 0.25, "TopTwelveHour": 0.5, "TopDay": 1,
           "TopWeek": 7, "TopMonth": 30, "TopThreeMonths": 91, "TopSixMonths": 182,
           "TopNineMonths": 273, "TopYear": 365}
# (age in hours, upvotes, downvotes, comments, hours from publishing to the newest comment)
SPECS = [
    (0.5, 1, 0, 0, None), (2, 3, 0, 2, 1), (5, 3, 0, 5, 0.5), (10, 12, 2, 2, 9),
    (20, 1, 1, 0, None), (72, 40, 10, 9, 60), (144, 3, 0, 5, 2), (192, 25, 24, 2, 190),
    (480, 3, 0, 0, None), (1080, 60, 5, 9, 5), (1920, 1, 0, 1, 1), (2400, 12, 2, 2, 30),
    (3600, 8, 8, 0, None), (4800, 3, 0, 5, 4), (6000, 100, 1, 20, 2), (7200, 1, 0, 0, None),
    (9600, 5, 0, 3, 1),
]
# Two posts published at the same instant, so that the id tie-break shows.
TWIN_AGE = 30.0


def db(api: ApiClient) -> Database:
    return api.client.app.state.ctx.db  # type: ignore[attr-defined,no-any-return]


def ids(views: list[dict[str, Any]]) -> list[int]:
    return [v["post"]["id"] for v in views]


def listed(api: ApiClient, token: str | None = None, **query: Any) -> list[int]:
    query.setdefault("type_", "All")
    query.setdefault("limit", 50)
    return ids(api.get("/post/list", token=token, **query)["posts"])


def build(api: ApiClient) -> tuple[int, int]:
    """Posts with controlled times and counts in two communities; returns their ids."""
    alice = api.make_person()
    c1 = api.make_community(alice.token)["community"]["id"]
    c2 = api.make_community(alice.token)["community"]["id"]
    now = utcnow()
    specs = SPECS + [(TWIN_AGE, 2, 0, 0, None), (TWIN_AGE, 2, 0, 0, None)]
    with db(api).write() as conn:
        conn.execute(update(t.community).where(t.community.c.id == c2)
                     .values(users_active_month=500))
    for i, (age, up, down, comments, comment_after) in enumerate(specs):
        post_id = api.make_post(alice.token, c1 if i % 3 else c2)["post"]["id"]
        published = now - timedelta(hours=age)
        newest = published + timedelta(hours=comment_after) if comment_after else published
        necro = newest if comment_after and comment_after < 48 else published
        with db(api).write() as conn:
            conn.execute(update(t.post).where(t.post.c.id == post_id).values(
                published=published, newest_comment_time=newest, newest_comment_time_necro=necro,
                upvotes=up, downvotes=down, score=up - down, comments=comments,
                controversy_rank=controversy_rank(up, down)))
    return c1, c2


def feature(api: ApiClient, c1: int) -> tuple[int, int]:
    """The oldest post featured on the front page; an old one of c1 featured in c1."""
    with db(api).write() as conn:
        oldest = conn.execute(select(t.post.c.id).order_by(t.post.c.published)).scalars().first()
        in_c1 = conn.execute(select(t.post.c.id).where(t.post.c.community_id == c1,
                                                       t.post.c.id != oldest)
                             .order_by(t.post.c.published)).scalars().first()
        conn.execute(update(t.post).where(t.post.c.id == oldest).values(featured_local=True))
        conn.execute(update(t.post).where(t.post.c.id == in_c1).values(featured_community=True))
    return oldest, in_c1


def expected(api: ApiClient, sort: str, community_id: int | None = None) -> list[int]:
    """Lemmy's order, computed here from the rows: featured, sort key, published, id."""
    now = utcnow()
    with db(api).read() as conn:
        rows = conn.execute(select(t.post, t.community.c.users_active_month)
                            .join(t.community, t.community.c.id == t.post.c.community_id)
                            ).mappings().all()
    if community_id is not None:
        rows = [r for r in rows if r["community_id"] == community_id]
    if sort in WINDOWS:
        rows = [r for r in rows if r["published"] > now - timedelta(days=WINDOWS[sort])]
    featured = "featured_local" if community_id is None else "featured_community"

    def main(r: Any) -> float:
        published = r["published"].timestamp()
        return {
            "Hot": lambda: hot_rank(r["score"], r["published"], now),
            "Active": lambda: hot_rank(r["score"], r["newest_comment_time_necro"], now),
            "Scaled": lambda: hot_rank(r["score"], r["published"], now)
            / math.log10(2 + r["users_active_month"]),
            "Controversial": lambda: r["controversy_rank"],
            "New": lambda: published, "Old": lambda: -published,
            "NewComments": lambda: r["newest_comment_time"].timestamp(),
            "MostComments": lambda: r["comments"],
        }.get(sort, lambda: r["score"])()

    def key(r: Any) -> tuple[float, ...]:
        tie = 0.0 if sort in ("New", "Old", "NewComments") else r["published"].timestamp()
        return (r[featured], main(r), tie, r["id"])

    return [r["id"] for r in sorted(rows, key=key, reverse=True)]


def walk(api: ApiClient, limit: int, **query: Any) -> list[int]:
    """All pages through next_page; checks that each page is full but the last."""
    found: list[int] = []
    cursor = None
    for _ in range(100):
        page = api.get("/post/list", type_="All", limit=limit, page_cursor=cursor, **query)
        found += ids(page["posts"])
        if not page["posts"]:
            assert "next_page" not in page
            return found
        assert len(page["posts"]) == limit or not listed_after(api, page["next_page"], **query)
        cursor = page["next_page"]
    raise AssertionError("pagination did not end")


def listed_after(api: ApiClient, cursor: str, **query: Any) -> list[int]:
    return ids(api.get("/post/list", type_="All", page_cursor=cursor, **query)["posts"])


# Orders ------------------------------------------------------------------------------------


def test_every_sort_orders_like_lemmy(api: ApiClient) -> None:
    c1, _c2 = build(api)
    oldest, in_c1 = feature(api, c1)
    for sort in SORTS:
        want = expected(api, sort)
        assert listed(api, sort=sort) == want, sort
        assert listed(api, sort=sort, community_id=c1) == expected(api, sort, c1), sort
        if sort not in WINDOWS:
            assert want[0] == oldest, sort  # featured on the front page leads
        if sort not in WINDOWS or sort in ("TopNineMonths", "TopYear"):
            assert listed(api, sort=sort, community_id=c1)[0] == in_c1, sort


def test_orders_by_hand(api: ApiClient) -> None:
    """A few orders spelled out, so the oracle above is not the only witness."""
    build(api)
    with db(api).read() as conn:
        by_age = conn.execute(select(t.post.c.id).order_by(t.post.c.published.desc(),
                                                           t.post.c.id.desc())).scalars().all()
    assert listed(api, sort="New") == list(by_age)
    twins = [pid for pid in by_age if pid in (max(by_age), max(by_age) - 1)]
    assert twins == sorted(twins, reverse=True)  # same instant: higher id first
    old = listed(api, sort="Old")
    assert old[0] == by_age[-1] and old[-1] == by_age[0]
    # Hot: the half-hour-old post (score 1) outranks the one of 3 days (score 30); everything
    # older than a week ranks 0 and follows in order of publication.
    hot = listed(api, sort="Hot")
    assert hot[0] == by_age[0]
    assert hot[-10:] == list(by_age[-10:])
    assert listed(api, sort="TopHour") == [by_age[0]]
    assert listed(api, sort="TopDay") == [pid for pid in listed(api, sort="TopAll")
                                          if pid in by_age[:5]]  # 0.5 h … 20 h old
    top_all = api.get("/post/list", type_="All", sort="TopAll", limit=3)["posts"]
    assert [v["counts"]["score"] for v in top_all] == [99, 55, 30]


def build_week(api: ApiClient, count: int = 36) -> None:
    """Posts all inside the hot window whose best ranks belong to older, higher-scored posts,
    not to the newest: what the ranked listings' bounds must not cut off."""
    rng = random.Random(6)
    alice = api.make_person()
    c1 = api.make_community(alice.token)["community"]["id"]
    c2 = api.make_community(alice.token)["community"]["id"]
    now = utcnow()
    with db(api).write() as conn:
        conn.execute(update(t.community).where(t.community.c.id == c2)
                     .values(users_active_month=3000))
    for i in range(count):
        post_id = api.make_post(alice.token, c1 if i % 2 else c2)["post"]["id"]
        age = timedelta(hours=rng.uniform(0.05, 160))
        score = rng.choice([-3, 0, 1, 1, 2, 5, 9, 40, 300, 5000]) if age.days else \
            rng.choice([-1, 0, 1])
        with db(api).write() as conn:
            conn.execute(update(t.post).where(t.post.c.id == post_id).values(
                published=now - age, newest_comment_time=now - age / 3,
                newest_comment_time_necro=now - age / 2, score=score, upvotes=max(score, 0),
                downvotes=max(-score, 0)))


def test_ranked_bounds_keep_the_exact_order(api: ApiClient,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Hot, Active and Scaled choose a page from bounded candidates (post_list._bounds): with
    the bounds taken from as few rows as possible, every page, cursor walk and offset page is
    still exactly the full ranking."""
    build_week(api)
    for pilot_rows in (1, 5, post_bounds.PILOT_ROWS):
        monkeypatch.setattr(post_bounds, "PILOT_ROWS", pilot_rows)
        for sort in ("Hot", "Active", "Scaled"):
            want = expected(api, sort)
            assert listed(api, sort=sort) == want, (sort, pilot_rows)
            assert walk(api, 3, sort=sort) == want, (sort, pilot_rows)
            assert walk(api, 1, sort=sort) == want, (sort, pilot_rows)
            pages = [listed(api, sort=sort, page=n, limit=7) for n in range(1, 7)]
            assert [pid for page in pages for pid in page] == want, (sort, pilot_rows)


class _Hints(dict):  # type: ignore[type-arg]
    """post_list's page hints, all answering one given list of post ids."""

    def __init__(self, ids: list[int]) -> None:
        super().__init__()
        self.ids = ids

    def get(self, _key: Any, default: Any = None) -> list[int]:
        return self.ids


def test_page_hints_raise_the_floor_but_never_change_a_page(
        api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ranks of the last first page's posts raise the floor (post_bounds.hot_bounds). Hints
    of every post, of the worst-ranked ones, of removed ones and of ids that do not exist all
    leave every page, cursor walk and offset page exactly the full ranking."""
    build_week(api)
    with db(api).read() as conn:
        every = list(conn.execute(select(t.post.c.id)).scalars())
    with db(api).write() as conn:
        removed = every[:5]
        conn.execute(update(t.post).where(t.post.c.id.in_(removed)).values(removed=True))
    for sort in ("Hot", "Active", "Scaled"):
        want = [pid for pid in expected(api, sort) if pid not in removed]  # the oracle has all
        worst = [pid for pid in every if pid not in removed and pid not in want[:3]][-7:]
        for hint in (every, want[-7:], worst, removed, [10**9], want[:3]):
            monkeypatch.setattr(post_list, "_HINTS", _Hints(hint))
            for pilot_rows in (1, post_bounds.PILOT_ROWS):
                monkeypatch.setattr(post_bounds, "PILOT_ROWS", pilot_rows)
                case_ = (sort, hint[:3], pilot_rows)
                assert listed(api, sort=sort) == want, case_
                assert walk(api, 3, sort=sort) == want, case_
                pages = [listed(api, sort=sort, page=n, limit=7) for n in range(1, 7)]
                assert [pid for page in pages for pid in page] == want, case_


def test_a_first_page_leaves_its_posts_as_the_next_ones_hint(api: ApiClient) -> None:
    build_week(api)
    first = listed(api, sort="Hot", limit=6)
    assert first
    assert first in [list(ids) for ids in post_list._HINTS.values()]


# Monthly users across Scaled's divisor classes (moot/ranking.py), each class's edges too.
CLASS_USERS = [0, 5, 7, 8, 50, 97, 98, 500, 997, 998, 5000, 9997, 9998, 20000]


def build_classes(api: ApiClient) -> tuple[str, list[int]]:
    """Posts of the last week in communities of every divisor class; a reader who follows
    every other community. Returns the reader's token and the communities followed."""
    rng = random.Random(43)
    alice, bob = api.make_person(), api.make_person()
    communities = [api.make_community(alice.token)["community"]["id"] for _ in CLASS_USERS]
    now = utcnow()
    with db(api).write() as conn:
        for cid, users in zip(communities, CLASS_USERS, strict=True):
            conn.execute(update(t.community).where(t.community.c.id == cid)
                         .values(users_active_month=users))
    for i in range(3 * len(communities)):
        post_id = api.make_post(alice.token, communities[i % len(communities)])["post"]["id"]
        age = timedelta(hours=rng.uniform(0.05, 160))
        score = rng.choice([-2, 0, 1, 2, 4, 9, 30, 200, 3000])
        with db(api).write() as conn:
            conn.execute(update(t.post).where(t.post.c.id == post_id).values(
                published=now - age, newest_comment_time=now - age,
                newest_comment_time_necro=now - age, score=score, upvotes=max(score, 0),
                downvotes=max(-score, 0)))
    followed = communities[::2]
    for cid in followed:
        api.post("/community/follow", {"community_id": cid, "follow": True}, token=bob.token)
    return bob.token, followed


def test_scaled_divisor_classes_keep_the_exact_order(api: ApiClient,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Scaled bounds each divisor class's candidates with that class's least divisor: with
    communities of every class (and at each class's edges), every page, cursor walk and
    offset page of All and of a Subscribed listing is exactly the full ranking."""
    token, followed = build_classes(api)
    with db(api).read() as conn:
        in_followed = set(conn.execute(select(t.post.c.id).where(
            t.post.c.community_id.in_(followed))).scalars())
    for pilot_rows in (1, 5, post_bounds.PILOT_ROWS):
        monkeypatch.setattr(post_bounds, "PILOT_ROWS", pilot_rows)
        want = expected(api, "Scaled")
        mine = [pid for pid in want if pid in in_followed]
        for type_, token_, order in (("All", None, want), ("All", token, want),
                                     ("Subscribed", token, mine)):
            case_ = (type_, token_ is not None, pilot_rows)
            assert listed(api, token_, sort="Scaled", type_=type_) == order, case_
            for limit in (1, 4):
                assert walk_as(api, token_, limit, sort="Scaled", type_=type_) == order, case_
            pages = [listed(api, token_, sort="Scaled", type_=type_, page=n, limit=5)
                     for n in range(1, 10)]
            assert [pid for page in pages for pid in page] == order, case_


@pytest.mark.parametrize("few", [True, False])
def test_subscribed_ranked_pages_by_community_or_by_walk_keep_the_exact_order(
        api: ApiClient, monkeypatch: pytest.MonkeyPatch, few: bool) -> None:
    """A reader of few communities gets the ranked pages of a Subscribed listing read
    community by community, Scaled's divisor classes each within their own window, on
    PostgreSQL (post_list.FEW_FOLLOWS; SQLite always walks the window); one of many gets the
    walk. Either way every page, cursor walk and offset page is exactly the full ranking of
    the followed communities' posts, for communities of every class and at each class's
    edges."""
    monkeypatch.setattr(post_list, "FEW_FOLLOWS", 500 if few else -1)
    monkeypatch.setattr(post_list, "_FOLLOWS", {})
    token, followed = build_classes(api)
    with db(api).read() as conn:
        in_followed = set(conn.execute(select(t.post.c.id).where(
            t.post.c.community_id.in_(followed))).scalars())
    for sort in ("Scaled", "Hot", "Active"):
        mine = [pid for pid in expected(api, sort) if pid in in_followed]
        for pilot_rows in (1, post_bounds.PILOT_ROWS):
            monkeypatch.setattr(post_bounds, "PILOT_ROWS", pilot_rows)
            case_ = (sort, pilot_rows)
            query = {"sort": sort, "type_": "Subscribed"}
            assert listed(api, token, **query) == mine, case_
            assert walk_as(api, token, 4, **query) == mine, case_
            pages = [listed(api, token, page=n, limit=5, **query) for n in range(1, 6)]
            assert [pid for page in pages for pid in page] == mine, case_
    if not db(api).is_sqlite:
        with db(api).read() as conn:
            assert post_list._follows_few(conn, _viewer_of(api, token),
                                          post_list.PostQuery(sort="Hot",
                                                              listing_type="Subscribed")) is few


def test_subscribed_arms_keep_the_posts_at_each_score_edge(
        api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader of few communities gets each followed community's posts read in arms split
    at post_sorts.ARM_SCORES, each arm back to when its highest score can still rank
    (post_bounds._arms). Posts scoring on both sides of every split, of all ages, in a small
    and a big community: every page and cursor walk of Hot, Active and Scaled is exactly the
    full ranking. (An arm reaching back only as far as its lowest score allows fails here on
    PostgreSQL.)"""
    monkeypatch.setattr(post_list, "FEW_FOLLOWS", 500)
    monkeypatch.setattr(post_list, "_FOLLOWS", {})
    alice, bob = api.make_person(), api.make_person()
    small, big = (api.make_community(alice.token)["community"]["id"] for _ in range(2))
    scores = [-1, 0, *[edge + step for edge in post_sorts.ARM_SCORES for step in (-1, 0)], 900]
    now = utcnow()
    rng = random.Random(5)
    for community in (small, big):
        for score in scores:
            for _ in range(3):
                post_id = api.make_post(alice.token, community)["post"]["id"]
                age = timedelta(hours=rng.uniform(0.05, 100))
                with db(api).write() as conn:
                    conn.execute(update(t.post).where(t.post.c.id == post_id).values(
                        published=now - age, newest_comment_time=now - age,
                        newest_comment_time_necro=now - age, score=score,
                        upvotes=max(score, 0), downvotes=max(-score, 0)))
    _follow_with_users(api, bob.token, {small: 3, big: 20000})
    for sort in ("Hot", "Active", "Scaled"):
        want = expected(api, sort)
        for pilot_rows in (1, post_bounds.PILOT_ROWS):
            monkeypatch.setattr(post_bounds, "PILOT_ROWS", pilot_rows)
            query = {"sort": sort, "type_": "Subscribed"}
            for limit in (1, 3, 10):
                assert listed(api, bob.token, limit=limit, **query) == want[:limit], sort
            assert walk_as(api, bob.token, 3, **query) == want, sort


def test_a_remembered_floor_reads_no_pilot_and_never_changes_the_page(
        api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader of few communities (PostgreSQL) gets the next first page of a ranked listing
    read above the floor of the last full one, lowered for the time since, without the pilot
    (post_bounds.remembered_bounds): any floor that leaves a full page is exact. A floor too
    high for the page now (posts voted down, or one planted) leaves it short, and the page is
    read as without it; one too low only reads more candidates. Every page is the full
    ranking."""
    monkeypatch.setattr(post_list, "FEW_FOLLOWS", 500)
    monkeypatch.setattr(post_list, "_FOLLOWS", {})
    monkeypatch.setattr(post_list, "_RANKED", {})
    token, followed = build_classes(api)
    with db(api).read() as conn:
        in_followed = set(conn.execute(select(t.post.c.id).where(
            t.post.c.community_id.in_(followed))).scalars())
    pilots = []
    real_bounds = post_bounds.hot_bounds
    monkeypatch.setattr(post_list, "hot_bounds",
                        lambda *args, **kw: pilots.append(1) or real_bounds(*args, **kw))
    pg = not db(api).is_sqlite
    for sort in ("Hot", "Active", "Scaled"):
        query = {"sort": sort, "type_": "Subscribed", "limit": 4}

        def mine(sort: str = sort) -> list[int]:
            return [pid for pid in expected(api, sort) if pid in in_followed][:4]
        assert listed(api, token, **query) == mine(), sort
        pilots.clear()
        assert listed(api, token, **query) == mine(), sort
        assert len(pilots) == (0 if pg else 1), sort  # the remembered floor, no pilot
        # The page's best post voted down: the floor is now too high for a full page.
        top = listed(api, token, **query)[0]
        with db(api).write() as conn:
            conn.execute(update(t.post).where(t.post.c.id == top).values(score=-5))
        assert listed(api, token, **query) == mine(), sort
        for ranked in (1e9, 1e-9):  # far too high, far too low
            for key in list(post_list._RANKED):
                post_list._RANKED[key] = (ranked, post_list._RANKED[key][1])
            assert listed(api, token, **query) == mine(), (sort, ranked)
        # The floor of a full page of one (the best post's rank): a page of four above it
        # holds only that post, and is read again.
        assert listed(api, token, **{**query, "limit": 1}) == mine()[:1], sort
        for key in list(post_list._RANKED):
            ranked, then = post_list._RANKED[key]
            post_list._RANKED[key] = (ranked / post_bounds.REMEMBERED_SHARE, then)
        assert listed(api, token, **query) == mine(), sort
        assert walk_as(api, token, 4, sort=sort, type_="Subscribed") == [
            pid for pid in expected(api, sort) if pid in in_followed], sort
    if pg:
        assert post_list._RANKED


def test_scaled_class_windows_keep_a_small_communitys_older_post(
        api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A post of a community of few monthly users can outrank a big community's newer posts
    for days: its class's arms (post_sorts.followed_arms) reach back that far, where
    the big community's is hours. Here a 30-hour-old post of a community of no users ranks
    second, older than the biggest class's floor (7 hours with these posts)."""
    monkeypatch.setattr(post_list, "FEW_FOLLOWS", 500)
    monkeypatch.setattr(post_list, "_FOLLOWS", {})
    monkeypatch.setattr(post_bounds, "PILOT_ROWS", 1)
    alice, bob = api.make_person(), api.make_person()
    small, big = (api.make_community(alice.token)["community"]["id"] for _ in range(2))
    now = utcnow()
    posts = [(small, 0.5, 0), (small, 30, 3000), *[(big, hours, 1) for hours in range(1, 7)]]
    made = []
    for community, hours, score in posts:
        post_id = api.make_post(alice.token, community)["post"]["id"]
        made.append(post_id)
        with db(api).write() as conn:
            conn.execute(update(t.post).where(t.post.c.id == post_id).values(
                published=now - timedelta(hours=hours), score=score, upvotes=score))
    _follow_with_users(api, bob.token, {small: 0, big: 20000})
    want = expected(api, "Scaled")
    assert want[:2] == made[:2]  # the small community's two posts, the old one second
    assert listed(api, bob.token, sort="Scaled", type_="Subscribed", limit=2) == want[:2]
    assert walk_as(api, bob.token, 2, sort="Scaled", type_="Subscribed") == want


def _follow_with_users(api: ApiClient, token: str, users: dict[int, int]) -> None:
    """The communities given monthly users (their Scaled divisors), and followed by ``token``."""
    with db(api).write() as conn:
        for community, count in users.items():
            conn.execute(update(t.community).where(t.community.c.id == community)
                         .values(users_active_month=count))
    for community in users:
        api.post("/community/follow", {"community_id": community, "follow": True}, token=token)


def _viewer_of(api: ApiClient, token: str) -> Any:
    person_id = api.get("/site", token=token)["my_user"]["local_user_view"]["person"]["id"]
    return type("Viewer", (), {"person_id": person_id})()


def test_how_many_follows_are_few_is_counted_once_a_while(
        api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """post_list._follows_few: at most FEW_FOLLOWS followed communities are few; the count is
    kept for FOLLOWS_KEPT_SECONDS (a stale one only picks the slower of two statements giving
    the same page); only Subscribed ranked listings on PostgreSQL ask."""
    token, followed = build_classes(api)  # follows seven communities
    viewer = _viewer_of(api, token)
    hot = post_list.PostQuery(sort="Hot", listing_type="Subscribed")
    monkeypatch.setattr(post_list, "_FOLLOWS", {})
    clock = [1000.0]
    monkeypatch.setattr(post_list.time, "monotonic", lambda: clock[0])
    with db(api).read() as conn:
        if db(api).is_sqlite:
            assert not post_list._follows_few(conn, viewer, hot)
            return
        monkeypatch.setattr(post_list, "FEW_FOLLOWS", len(followed))
        assert post_list._follows_few(conn, viewer, hot)
        monkeypatch.setattr(post_list, "FEW_FOLLOWS", len(followed) - 1)
        assert post_list._follows_few(conn, viewer, hot)  # kept
        clock[0] += post_list.FOLLOWS_KEPT_SECONDS + 1
        assert not post_list._follows_few(conn, viewer, hot)
        for other in (post_list.PostQuery(sort="New", listing_type="Subscribed"),
                      post_list.PostQuery(sort="Hot", listing_type="All")):
            assert not post_list._follows_few(conn, viewer, other)
        assert not post_list._follows_few(conn, None, hot)


def walk_as(api: ApiClient, token: str | None, limit: int, **query: Any) -> list[int]:
    """All pages through next_page, as ``token``."""
    found: list[int] = []
    cursor = None
    for _ in range(200):
        page = api.get("/post/list", token=token, limit=limit, page_cursor=cursor, **query)
        found += ids(page["posts"])
        if "next_page" not in page:
            return found
        cursor = page["next_page"]
    raise AssertionError("pagination did not end")


def test_top_window_floor_keeps_the_exact_order(api: ApiClient,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Short Top windows read only posts above a score floor taken from every post in the
    window (post_bounds.score_floors); removed posts hold the best scores here, so some pages
    fall short above a floor and must be read again below it, or without one."""
    rng = random.Random(7)
    alice = api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    made = [api.make_post(alice.token, cid)["post"]["id"] for _ in range(24)]
    now = utcnow()
    with db(api).write() as conn:
        for post_id in made:
            conn.execute(update(t.post).where(t.post.c.id == post_id).values(
                published=now - timedelta(hours=rng.uniform(0.1, 20)),
                score=rng.choice([0, 1, 1, 2, 3, 8, 8, 20])))
        best = conn.execute(select(t.post.c.id).order_by(t.post.c.score.desc(),
                                                         t.post.c.id).limit(4)).scalars().all()
        conn.execute(update(t.post).where(t.post.c.id.in_(best)).values(removed=True))
    floors: list[list[int]] = []
    real_floors = post_list.score_floors

    def spy(*args: Any) -> list[int]:
        floors.append(real_floors(*args))
        return floors[-1]

    monkeypatch.setattr(post_list, "score_floors", spy)
    # Every page from the window's own floors (the last first page's floor has its own test).
    monkeypatch.setattr(post_list, "_remember_floor", lambda *_args: None)
    for sort in ("TopDay", "TopTwelveHour", "TopWeek"):
        want = [pid for pid in expected(api, sort) if pid not in best]
        assert listed(api, sort=sort) == want, sort
        for limit in (1, 2, 3, 5):
            assert walk(api, limit, sort=sort) == want, (sort, limit)
        pages = [listed(api, sort=sort, page=n, limit=3) for n in range(1, 10)]
        assert [pid for page in pages for pid in page] == want, sort
    assert any(floors)
    assert any(len(each) == 2 for each in floors)  # some pages were tried at both floors


def test_a_top_first_page_tries_the_last_first_pages_floor(
        api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lowest score of a short Top listing's last first page is its next first floor: the
    window's best scores are not read again while it still leaves a full page, and when it
    no longer does (the page's posts removed), the page is read below it, the same as ever."""
    alice = api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    made = [api.make_post(alice.token, cid)["post"]["id"] for _ in range(12)]
    with db(api).write() as conn:
        for n, post_id in enumerate(made):
            conn.execute(update(t.post).where(t.post.c.id == post_id).values(score=n))
    reads: list[int] = []
    real_floors = post_list.score_floors

    def spy(*args: Any) -> list[int]:
        reads.append(1)
        return real_floors(*args)

    monkeypatch.setattr(post_list, "score_floors", spy)
    post_list._FLOORS.clear()  # logged in: no page cache in front of the listing
    want = expected(api, "TopDay")
    assert listed(api, alice.token, sort="TopDay", limit=3) == want[:3]
    assert reads == [1]
    for _ in range(2):
        assert listed(api, alice.token, sort="TopDay", limit=3) == want[:3]
    assert reads == [1]  # the remembered floor left a full page
    with db(api).write() as conn:
        conn.execute(update(t.post).where(t.post.c.id.in_(want[:2])).values(removed=True))
    assert listed(api, alice.token, sort="TopDay", limit=3) == want[2:5]
    assert reads == [1, 1]
    assert listed(api, alice.token, sort="TopDay", limit=3) == want[2:5]
    assert reads == [1, 1]


def test_ranked_bounds_with_nothing_scored(api: ApiClient) -> None:
    """Every score negative (the highest score bounds the candidates' age), or no post in the
    window at all: the listing is still the full ranking."""
    alice = api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    made = [api.make_post(alice.token, cid)["post"]["id"] for _ in range(4)]
    now = utcnow()
    with db(api).write() as conn:
        for i, post_id in enumerate(made):
            conn.execute(update(t.post).where(t.post.c.id == post_id).values(
                score=-5 - i, published=now - timedelta(hours=1 + 3 * i)))
    for sort in ("Hot", "Active", "Scaled"):
        assert listed(api, sort=sort) == expected(api, sort), sort
        assert walk(api, 1, sort=sort) == expected(api, sort), sort
    with db(api).write() as conn:
        conn.execute(update(t.post).values(published=now - timedelta(days=9)))
    assert listed(api, sort="Hot") == expected(api, "Hot")


def test_featured_in_community_only_counts_there(api: ApiClient) -> None:
    alice = api.make_person()
    c1 = api.make_community(alice.token)["community"]["id"]
    first, second, third = (api.make_post(alice.token, c1)["post"]["id"] for _ in range(3))
    with db(api).write() as conn:
        conn.execute(update(t.post).where(t.post.c.id == first).values(featured_community=True))
        conn.execute(update(t.post).where(t.post.c.id == second).values(featured_local=True))
    assert listed(api, sort="New", community_id=c1) == [first, third, second]
    assert listed(api, sort="New") == [second, third, first]


# Pagination --------------------------------------------------------------------------------


def test_cursor_walks_every_sort_without_gaps_or_duplicates(api: ApiClient) -> None:
    c1, _c2 = build(api)
    feature(api, c1)
    for sort in SORTS:
        everything = listed(api, sort=sort)
        walked = walk(api, 4, sort=sort)
        assert walked == everything, sort
        assert len(set(walked)) == len(walked), sort
    for sort in ("Hot", "Active", "New", "TopAll", "Old"):
        assert walk(api, 2, sort=sort, community_id=c1) == listed(api, sort=sort,
                                                                   community_id=c1), sort
    assert walk(api, 1, sort="Hot") == listed(api, sort="Hot")


def test_page_and_limit_slice_the_same_order(api: ApiClient) -> None:
    c1, _c2 = build(api)
    feature(api, c1)
    for sort in ("Hot", "Active", "Scaled", "New", "TopAll", "TopYear", "Controversial"):
        everything = listed(api, sort=sort)
        pages = [listed(api, sort=sort, page=n, limit=4) for n in range(1, 8)]
        assert [pid for page in pages for pid in page] == everything, sort
        assert pages[-1] == []
    first = api.get("/post/list", type_="All", sort="New", limit=10)
    assert len(first["posts"]) == 10  # the default limit
    # A cursor from a page/limit page continues after it.
    page2 = api.get("/post/list", type_="All", sort="Hot", limit=5, page=2)
    assert listed_after(api, page2["next_page"], sort="Hot", limit=5) == \
        listed(api, sort="Hot", page=3, limit=5)


def test_hot_cursor_keeps_its_clock(api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Page 2 of Hot ranks with page 1's clock: a post that crossed the 7-day line between the
    two requests is neither served twice nor lost."""
    alice = api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    start = utcnow()
    ages = {"young": timedelta(hours=1), "edge": timedelta(days=7) - timedelta(minutes=5),
            "six_days": timedelta(days=6), "old": timedelta(days=10)}
    scores = {"young": 1, "edge": 1000, "six_days": 1, "old": 1}
    made = {}
    for name, age in ages.items():
        made[name] = api.make_post(alice.token, cid, name)["post"]["id"]
        with db(api).write() as conn:
            conn.execute(update(t.post).where(t.post.c.id == made[name]).values(
                published=start - age, score=scores[name]))
    monkeypatch.setattr(post_list, "utcnow", lambda: start)
    page1 = api.get("/post/list", type_="All", sort="Hot", limit=2)
    assert ids(page1["posts"]) == [made["young"], made["edge"]]
    later = start + timedelta(minutes=10)
    monkeypatch.setattr(post_list, "utcnow", lambda: later)
    page2 = api.get("/post/list", type_="All", sort="Hot", limit=2,
                    page_cursor=page1["next_page"])
    assert ids(page2["posts"]) == [made["six_days"], made["old"]]
    # A fresh first page at the later time ranks the edge post 0 now.
    assert listed(api, sort="Hot") == [made["young"], made["six_days"], made["edge"], made["old"]]


def test_cursor_format(api: ApiClient) -> None:
    alice = api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    api.make_post(alice.token, cid)
    cursor = api.get("/post/list", type_="All", sort="Hot")["next_page"]
    assert cursor.startswith("M")
    shape, now_us, segment, keys = json.loads(base64.urlsafe_b64decode(
        cursor[1:] + "=" * (-len(cursor[1:]) % 4)))
    assert shape == "Hot|featured_local" and segment == 1 and len(keys) == 3
    assert abs(datetime.fromtimestamp(now_us / 1e6).timestamp() - utcnow().timestamp()) < 60
    assert api.get("/post/list", type_="All", sort="Hot", page_cursor=cursor) == {"posts": []}


def test_bad_pagination_and_filters(api: ApiClient) -> None:
    alice = api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    api.make_post(alice.token, cid)
    cursor = api.get("/post/list", type_="All", sort="New")["next_page"]

    def refused(**query: Any) -> dict[str, Any]:
        body = api.get("/post/list", expect=400, **query)
        assert set(body) <= {"error", "message"}
        return body  # type: ignore[no-any-return]

    for query in ({"page": 0}, {"page": 101}, {"limit": 0}, {"limit": 51}, {"page": "x"},
                  {"limit": -3}, {"sort": "Bogus"}, {"type_": "Everything"},
                  {"page": 2, "page_cursor": cursor}, {"page_cursor": "garbage"},
                  {"page_cursor": "P1"}, {"page_cursor": "M" + "e30"},
                  {"sort": "Old", "page_cursor": cursor},
                  {"sort": "New", "saved_only": True, "page_cursor": cursor}):
        body = refused(**query)
        assert body["error"] == "unknown" and body.get("message"), query
    assert refused(liked_only=True, disliked_only=True)["error"] == "contradicting_filters"
    assert api.get("/post/list", page=1, page_cursor=cursor, sort="New", type_="All") == \
        {"posts": []}
    assert api.get("/post/list", page=100, limit=50) == {"posts": []}
    assert "next_page" not in api.get("/post/list", community_id=999)


# Query plans -------------------------------------------------------------------------------


def test_listing_queries_use_indexes(api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """On SQLite (no statistics), every post read of Hot, New, TopDay and Scaled goes through
    an index, Hot's ranked part reads only the week it ranks, and Scaled reads its divisor
    classes' communities from their index, not the whole table."""
    database = db(api)
    if not database.is_sqlite:
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    # The listings run their statements on the DB-API cursor (moot/db/prepared.py), past the
    # event below; through SQLAlchemy here, they are the same SQL.
    monkeypatch.setattr(prepared, "run", lambda conn, statement, params=None:
                        conn.execute(statement, params))
    alice = api.make_person()
    cid = api.make_community(alice.token)["community"]["id"]
    api.make_post(alice.token, cid)
    seen: list[tuple[str, Any]] = []

    def grab(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if statement.startswith("SELECT post.id") and "ORDER BY" in statement:
            seen.append((statement, params))

    event.listen(database.engine, "before_cursor_execute", grab)
    plans: dict[str, list[str]] = {}
    classes: list[str] = []  # Scaled's divisor classes' reads
    try:
        for sort in ("Hot", "New", "TopDay", "Scaled"):
            seen.clear()
            page = api.get("/post/list", type_="All", sort=sort, token=alice.token)
            api.get("/post/list", type_="All", sort=sort, page_cursor=page["next_page"])
            api.get("/post/list", sort=sort, community_id=cid)
            plans[sort] = []
            with database.engine.connect() as conn:
                for statement, params in list(seen):
                    rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)
                    details = [r[3] for r in rows]
                    plans[sort] += [d for d in details if " post " in f" {d} "]
                    classes += [d for d in details if "divisor_class" in d] if sort == "Scaled" \
                        else []
    finally:
        event.remove(database.engine, "before_cursor_execute", grab)
    for sort, lines in plans.items():
        assert lines, sort
        for line in lines:
            assert "USING INDEX" in line or "USING COVERING INDEX" in line, (sort, line)
    assert any("ix_post_published_score (published>? AND published<?)" in line
               for line in plans["Hot"])
    assert any("ix_post_featured_local" in line for line in plans["New"])
    assert any("ix_post_published_score (published>?)" in line for line in plans["TopDay"])
    assert classes and all("ix_community_users_active_month" in line for line in classes)
