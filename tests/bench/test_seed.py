"""`moot bench seed`: a tiny synthetic forum, checked through the API as a client sees it.

Every count the seed computes in bulk must agree with the rows it wrote (and so with what the
actions would have kept), the comment trees must be valid materialised paths, and the listings,
search, log-in and later writes must work on the seeded data.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, text, union_all

from moot.bench.forum import SCALES
from moot.bench.seed import BENCH_PASSWORD, LOAD_ORDER, SeedError, SeedReport, seed
from moot.config import Settings
from moot.db import tables as t
from moot.db.engine import make_engine
from moot.db.tables.base import made_on
from moot.db.types import utcnow
from tests.helpers import ApiClient

XS = SCALES["XS"]


@pytest.fixture
def seeded(settings: Settings) -> SeedReport:
    return seed(settings, XS, 7, show_progress=False)


def all_posts(api: ApiClient, **params: Any) -> list[dict[str, Any]]:
    posts, cursor = [], None
    while True:
        page = api.get("/post/list", type_="All", sort="New", limit=50, page_cursor=cursor,
                       **params)
        posts += page["posts"]
        cursor = page.get("next_page")
        if not page["posts"] or cursor is None:
            return posts


def thread(api: ApiClient, post_id: int) -> list[dict[str, Any]]:
    return api.get("/comment/list", post_id=post_id, max_depth=50, type_="All")["comments"]


def check_tree(post: dict[str, Any], comments: list[dict[str, Any]]) -> None:
    by_path = {c["comment"]["path"]: c for c in comments}
    for view in comments:
        c = view["comment"]
        ids = c["path"].split(".")
        assert ids[0] == "0" and ids[-1] == str(c["id"])
        assert c["post_id"] == post["post"]["id"]
        parent_path = ".".join(ids[:-1])
        assert parent_path == "0" or parent_path in by_path, "parent missing"
        descendants = sum(1 for p in by_path if p.startswith(c["path"] + "."))
        assert view["counts"]["child_count"] == descendants
        counts = view["counts"]
        assert counts["score"] == counts["upvotes"] - counts["downvotes"]
        assert counts["upvotes"] >= 1  # the creator's own vote
        assert c["published"] >= post["post"]["published"]


def test_counts_match_the_rows(seeded: SeedReport, api: ApiClient) -> None:
    posts = all_posts(api)
    assert len(posts) == seeded.rows["post"] == XS.posts
    assert len({p["post"]["id"] for p in posts}) == len(posts)
    comment_total, comments_by = 0, Counter()
    for post in posts:
        counts = post["counts"]
        assert counts["score"] == counts["upvotes"] - counts["downvotes"]
        comments = thread(api, post["post"]["id"])
        assert counts["comments"] == len(comments)
        check_tree(post, comments)
        comment_total += len(comments)
        comments_by.update(c["creator"]["id"] for c in comments)
    assert comment_total == seeded.rows["comment"]
    assert max(p["counts"]["comments"] for p in posts) == XS.biggest_thread
    assert seeded.rows["post_like"] + seeded.rows["comment_like"] >= XS.posts + XS.comments / 2

    posts_in = Counter(p["community"]["id"] for p in posts)
    comments_in = Counter()
    for p in posts:
        comments_in[p["community"]["id"]] += p["counts"]["comments"]
    communities = api.get("/community/list", type_="All", limit=50)["communities"]
    assert len(communities) == XS.communities
    for view in communities:
        cid = view["community"]["id"]
        assert view["counts"]["posts"] == posts_in[cid]
        assert view["counts"]["comments"] == comments_in[cid]

    by_creator = Counter(p["creator"]["id"] for p in posts)
    for person_id in list(by_creator)[:10] + list(comments_by)[:10]:
        person_counts = api.get("/user", person_id=person_id)["person_view"]["counts"]
        assert person_counts["post_count"] == by_creator[person_id]
        assert person_counts["comment_count"] == comments_by[person_id]


def test_reader_listings_search_and_new_writes(seeded: SeedReport, api: ApiClient) -> None:
    token = api.login("bench_reader", BENCH_PASSWORD)
    followed = api.get("/community/list", type_="Subscribed", limit=50, token=token)
    followed_ids = {c["community"]["id"] for c in followed["communities"]}
    assert len(followed_ids) == min(100, XS.communities)
    subscribed = api.get("/post/list", type_="Subscribed", sort="Hot", limit=20, token=token)
    assert subscribed["posts"]
    assert {p["community"]["id"] for p in subscribed["posts"]} <= followed_ids

    first = api.get("/post/list", type_="All", sort="Hot", limit=5)
    second = api.get("/post/list", type_="All", sort="Hot", limit=5,
                     page_cursor=first["next_page"])
    ids = [p["post"]["id"] for p in first["posts"] + second["posts"]]
    assert len(ids) == len(set(ids)) == 10

    word = first["posts"][0]["post"]["name"].split()[-1]
    found = api.get("/search", q=word, type_="Posts", listing_type="All", limit=50)["posts"]
    assert any(word in p["post"]["name"].split() for p in found)

    biggest = api.get("/post/list", type_="All", sort="MostComments", limit=1)["posts"][0]
    post_id = biggest["post"]["id"]
    comment = api.make_comment(token, post_id, "A comment after the seed")
    assert comment["comment"]["id"] > max(c["comment"]["id"] for c in thread(api, post_id)
                                          if c["comment"]["id"] != comment["comment"]["id"])
    after = api.get("/post", id=post_id)["post_view"]["counts"]
    assert after["comments"] == biggest["counts"]["comments"] + 1

    person = api.make_person()
    new_post = api.make_post(person.token, biggest["community"]["id"])
    assert new_post["post"]["id"] > max(p["post"]["id"] for p in all_posts(api)
                                        if p["post"]["id"] != new_post["post"]["id"])


def test_a_seeded_database_is_not_seeded_again(seeded: SeedReport, settings: Settings) -> None:
    with pytest.raises(SeedError):
        seed(settings, XS, 7, show_progress=False)


def test_the_seed_puts_back_every_index(seeded: SeedReport, settings: Settings) -> None:
    # The load drops the secondary indexes; the listings' plans depend on them coming back.
    engine = make_engine(settings.database_url, pool_size=1)
    try:
        found = inspect(engine)
        for name in (*LOAD_ORDER, "community_activity"):
            table = getattr(t, name)
            wanted = {ix.name for ix in table.indexes
                      if not ix.unique and made_on(ix, engine.dialect.name)}
            present = {ix["name"] for ix in found.get_indexes(name)}
            if engine.dialect.name == "sqlite":
                # SQLite's inspector leaves out indexes on expressions (ix_comment_post_parent).
                with engine.connect() as conn:
                    present |= set(conn.execute(text(
                        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"),
                        {"t": name}).scalars())
            assert wanted <= present, name
    finally:
        engine.dispose()


WINDOWS = {"users_active_day": 1, "users_active_week": 7, "users_active_month": 30,
           "users_active_half_year": 182}


def _recount_active(settings: Settings) -> tuple[dict[str, int], dict[int, dict[str, int]]]:
    """Who posted or commented in each window, counted from the posts and comments."""
    p, c = t.post.c, t.comment.c
    both = union_all(select(p.community_id, p.creator_id.label("who"), p.published),
                     select(p.community_id, c.creator_id, c.published)
                     .join(t.post, p.id == c.post_id)).subquery()
    now = utcnow()
    site: dict[str, int] = {}
    communities: dict[int, dict[str, int]] = {}
    engine = make_engine(settings.database_url, pool_size=1)
    try:
        with engine.connect() as conn:
            for name, days in WINDOWS.items():
                since = both.c.published > now - timedelta(days=days)
                site[name] = conn.execute(select(func.count(func.distinct(both.c.who)))
                                          .where(since)).scalar_one()
                for cid, n in conn.execute(select(both.c.community_id,
                                                  func.count(func.distinct(both.c.who)))
                                           .where(since).group_by(both.c.community_id)):
                    communities.setdefault(cid, {k: 0 for k in WINDOWS})[name] = n
    finally:
        engine.dispose()
    return site, communities


def test_site_totals_and_active_counts_match_the_rows(seeded: SeedReport, settings: Settings,
                                                      api: ApiClient) -> None:
    counts = api.get("/site")["site_view"]["counts"]
    assert (counts["users"], counts["posts"], counts["comments"], counts["communities"]) == \
        (seeded.rows["person"] + 1, seeded.rows["post"], seeded.rows["comment"],
         seeded.rows["community"])  # and the setup admin
    site, communities = _recount_active(settings)
    assert {k: counts[k] for k in WINDOWS} == site
    assert site["users_active_half_year"] > site["users_active_day"]  # a real spread
    listed = api.get("/community/list", type_="All", limit=50)["communities"]
    assert len(listed) == XS.communities
    for view in listed:
        expected = communities.get(view["community"]["id"], {k: 0 for k in WINDOWS})
        assert {k: view["counts"][k] for k in WINDOWS} == expected


def test_upgrade_counts_brings_an_older_database_to_the_same_counts(
        seeded: SeedReport, settings: Settings, api: ApiClient) -> None:
    from bench.upgrade_counts import upgrade

    before = api.get("/site")["site_view"]["counts"]
    listed = api.get("/community/list", type_="All", limit=50)["communities"]
    engine = make_engine(settings.database_url, pool_size=1)
    try:  # the database as the seed left it before the counts kept on write existed
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP INDEX ix_person_local_last_active")
            conn.exec_driver_sql("ALTER TABLE person DROP COLUMN last_active")
            conn.exec_driver_sql("DROP TABLE community_activity")
            conn.exec_driver_sql("DROP TABLE site_aggregates")
            conn.exec_driver_sql("DROP TABLE ap_fanout")  # added later (0038)
            conn.exec_driver_sql("DROP INDEX ix_post_published_score")  # 0036
            if conn.dialect.name == "postgresql":  # 0054 replaced these on PostgreSQL
                conn.exec_driver_sql("DROP INDEX ix_post_community_published_score")
                conn.exec_driver_sql("CREATE INDEX ix_post_community_published "
                                     "ON post (community_id, published)")
            conn.exec_driver_sql("UPDATE community SET users_active_day = 0, "
                                 "users_active_week = 0, users_active_month = 0, "
                                 "users_active_half_year = 0")
    finally:
        engine.dispose()
    upgrade(settings.database_url)
    upgrade(settings.database_url)  # a second run changes nothing
    engine = make_engine(settings.database_url, pool_size=1)
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            assert found.has_table("ap_fanout")
            names = {ix["name"] for ix in found.get_indexes("post")}
            assert "ix_post_published_score" in names
            replaced = ("ix_post_community_published", "ix_post_community_published_score")
            if conn.dialect.name == "postgresql":
                replaced = replaced[::-1]
            assert replaced[0] in names
            assert replaced[1] not in names
    finally:
        engine.dispose()
    assert api.get("/site")["site_view"]["counts"] == before
    assert api.get("/community/list", type_="All", limit=50)["communities"] == listed
