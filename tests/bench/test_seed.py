"""`moot bench seed`: a tiny synthetic forum, checked through the API as a client sees it.

Every count the seed computes in bulk must agree with the rows it wrote (and so with what the
actions would have kept), the comment trees must be valid materialised paths, and the listings,
search, log-in and later writes must work on the seeded data.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import inspect, text

from moot.bench.forum import SCALES
from moot.bench.seed import BENCH_PASSWORD, LOAD_ORDER, SeedError, SeedReport, seed
from moot.config import Settings
from moot.db import tables as t
from moot.db.engine import make_engine
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
        for name in LOAD_ORDER:
            table = getattr(t, name)
            wanted = {ix.name for ix in table.indexes if not ix.unique}
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
