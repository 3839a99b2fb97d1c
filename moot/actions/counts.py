"""The counts kept on write: how many posts and comments a community, a post, a person and the
site have, and the votes' tallies and scores (active users: moot/actions/activity.py).

Lemmy keeps these with database triggers; Moot keeps them in the actions, so every action that
makes a post or comment start or stop counting, or changes a vote, calls one of these in the same
transaction. A post or comment counts while it is neither deleted nor removed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, case, update

from moot.actions.activity import SITE_ROW, mark_active
from moot.db import tables as t
from moot.db.prepared import run, run_many
from moot.db.types import UtcDateTime
from moot.ranking import NECRO_WINDOW, controversy_rank


def count_post(conn: Connection, post: dict[str, Any], delta: int) -> None:
    """A post starts (+1) or stops (-1) counting: its creator's post count and its community's
    post count, and the community's comment count by the post's counted comments; the site's
    post count if it is local; and, coming into count, its creator's activity clocks."""
    person = conn.execute(update(t.person).where(t.person.c.id == post["creator_id"])
                          .values(post_count=t.person.c.post_count + delta)
                          .returning(*_ACTIVITY)).one()
    conn.execute(update(t.community).where(t.community.c.id == post["community_id"])
                 .values(posts=t.community.c.posts + delta,
                         comments=t.community.c.comments + delta * post["comments"]))
    if delta > 0 and post.get("published") is not None:
        mark_active(conn, person, post["creator_id"], post["community_id"], post["published"])
    if person.local:  # a local person's posts are the local posts
        count_site(conn, posts=delta)


def count_comment(conn: Connection, post: Any, creator_id: int, published: datetime,
                  diff: int) -> None:
    """A comment starts (+1) or stops (-1) counting: post, community and creator counts.

    Coming into count also moves the post's newest-comment clocks forward, the Active clock
    only for someone else's comment while the post is under two days old.
    """
    p = t.post.c
    values: dict[str, Any] = {"comments": p.comments + diff}
    if diff > 0:
        values["newest_comment_time"] = _later(p.newest_comment_time, published)
        if creator_id != post.creator_id and published - post.published < NECRO_WINDOW:
            values["newest_comment_time_necro"] = _later(p.newest_comment_time_necro, published)
    conn.execute(update(t.post).where(p.id == post.id).values(**values))
    # Person before community, as in count_post: on PostgreSQL the two would otherwise wait for
    # each other when one person posts and comments in one community at the same instant.
    person = conn.execute(update(t.person).where(t.person.c.id == creator_id).values(
        comment_count=t.person.c.comment_count + diff).returning(*_ACTIVITY)).one()
    if not (post.deleted or post.removed):
        conn.execute(update(t.community).where(t.community.c.id == post.community_id).values(
            comments=t.community.c.comments + diff))
    if diff > 0:
        mark_active(conn, person, creator_id, post.community_id, published)
    if person.local:
        count_site(conn, comments=diff)


# Read back from the count update (which locks the person's row on PostgreSQL, so that two
# writes of one person see each other's clocks).
_ACTIVITY = (t.person.c.local, t.person.c.bot_account, t.person.c.last_active)


def count_site(conn: Connection, **changes: int) -> None:
    """Add to the site's totals (SiteAggregates: local people, posts, comments, communities).

    Called last in each change: the one site row is the most contended lock, held shortest."""
    s = t.site_aggregates.c
    values = {name: s[name] + change for name, change in changes.items() if change}
    if values:
        conn.execute(update(t.site_aggregates).where(s.id == SITE_ROW).values(values))


def community_counted(community: Any) -> bool:
    """Whether a community counts in the site's total (Lemmy: local, neither deleted nor
    removed)."""
    return bool(community["local"] and not (community["deleted"] or community["removed"]))


def _later(column: Any, value: datetime) -> Any:
    # Portable GREATEST(column, value); the value is bound as a time so SQLite compares numbers.
    bound = bindparam(None, value, type_=UtcDateTime())
    return case((column < bound, bound), else_=column)


def apply_post_vote(conn: Connection, post: dict[str, Any], old: int, new: int) -> None:
    """One person's vote on a post goes from old to new (-1, 0 or 1): the post's tallies, score
    and controversy, and its creator's post score. ``post`` is the row as read before."""
    if old == new:
        return
    upvotes = post["upvotes"] + (new == 1) - (old == 1)
    downvotes = post["downvotes"] + (new == -1) - (old == -1)
    run(conn, _POST_TALLY, {"post": post["id"], "up": upvotes, "down": downvotes,
                            "score": upvotes - downvotes,
                            "controversy": controversy_rank(upvotes, downvotes)})
    run(conn, _POST_SCORE, {"person": post["creator_id"], "change": new - old})


# Run on every vote on a post: built once.
_POST_TALLY = update(t.post).where(t.post.c.id == bindparam("post")).values(
    upvotes=bindparam("up"), downvotes=bindparam("down"), score=bindparam("score"),
    controversy_rank=bindparam("controversy"))
_POST_SCORE = update(t.person).where(t.person.c.id == bindparam("person")).values(
    post_score=t.person.c.post_score + bindparam("change"))


def apply_post_votes(conn: Connection, posts: list[tuple[dict[str, Any], int, int]]) -> None:
    """A batch's votes on posts, summed (actions/vote_posts.py): for each (post row as read
    before, change of upvotes, change of downvotes), one tally UPDATE, and one post-score
    UPDATE per creator; what apply_post_vote gives applied vote by vote."""
    _apply_summed(conn, posts, _POST_TALLY, "post", _POST_SCORE)


def apply_comment_votes(conn: Connection,
                        comments: list[tuple[dict[str, Any], int, int]]) -> None:
    """A batch's votes on comments, summed (actions/vote_comments.py), as apply_post_votes."""
    _apply_summed(conn, comments, _COMMENT_TALLY, "comment", _COMMENT_SCORE)


def _apply_summed(conn: Connection, targets: list[tuple[dict[str, Any], int, int]],
                  tally: Any, key: str, creator_score: Any) -> None:
    """One tally UPDATE per target (from its row as read, locked, before) and one score UPDATE
    per creator. Rows are written in id order, so that two PostgreSQL writers lock them in the
    same order."""
    tallies: list[dict[str, Any]] = []
    creators: dict[int, int] = {}
    for row, up_change, down_change in sorted(targets, key=lambda item: item[0]["id"]):
        if not (up_change or down_change):
            continue
        upvotes, downvotes = row["upvotes"] + up_change, row["downvotes"] + down_change
        tallies.append({key: row["id"], "up": upvotes, "down": downvotes,
                        "score": upvotes - downvotes,
                        "controversy": controversy_rank(upvotes, downvotes)})
        creator = row["creator_id"]
        creators[creator] = creators.get(creator, 0) + up_change - down_change
    run_many(conn, tally, tallies)
    run_many(conn, creator_score, [{"person": person, "change": change}
                                   for person, change in sorted(creators.items()) if change])


_COMMENT_TALLY = update(t.comment).where(t.comment.c.id == bindparam("comment")).values(
    upvotes=bindparam("up"), downvotes=bindparam("down"), score=bindparam("score"),
    controversy_rank=bindparam("controversy"))
_COMMENT_SCORE = update(t.person).where(t.person.c.id == bindparam("person")).values(
    comment_score=t.person.c.comment_score + bindparam("change"))


def apply_comment_vote(conn: Connection, comment_id: int, creator_id: int, old: int,
                       new: int) -> None:
    """One person's vote on a comment goes from old to new (-1, 0 or 1): the comment's tallies,
    score and controversy, and its creator's comment score (added in the database, so that the
    comment row need not be read first)."""
    if old == new:
        return
    up = (new == 1) - (old == 1)
    down = (new == -1) - (old == -1)
    c = t.comment.c
    row = conn.execute(update(t.comment).where(c.id == comment_id).values(
        upvotes=c.upvotes + up, downvotes=c.downvotes + down, score=c.score + up - down,
    ).returning(c.upvotes, c.downvotes)).one()
    conn.execute(update(t.comment).where(c.id == comment_id).values(
        controversy_rank=controversy_rank(row.upvotes, row.downvotes)))
    conn.execute(update(t.person).where(t.person.c.id == creator_id).values(
        comment_score=t.person.c.comment_score + up - down))
