"""A comment tree's views, built straight from their rows (docs/decisions/0034, 0041).

A tree fetch first orders and cuts the thread on narrow rows (ids only, in comments.py), then
reads the chosen comments with their creators, the thread's post and community once, and the
flags in one small statement (moot/views/flags.py). The views are built here in one pass over
plain row tuples: each object is a comprehension over its fields' positions, and every flag
is a dictionary lookup. The earlier way (a dict per row with prefixed keys, ``pick`` per
object, the flags written into the row and read back) cost more than the SQL at scale L, and
held two copies of each row while a response was built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.sql import Select

from moot.db import tables as t
from moot.db.prepared import run
from moot.views.communities import subscribed_state
from moot.views.flags import Flags, comment_flags_statement, read_flags
from moot.views.people import Viewer
from moot.views.shape import (
    COMMENT,
    COMMENT_COUNTS,
    COMMUNITY,
    PERSON,
    POST,
    cols,
    pick,
)

_creator = t.person.alias("creator")

# The positions of each object's fields in a _BY_IDS row.
_C_END = len(COMMENT)
_CC_END = _C_END + len(COMMENT_COUNTS)
_U_END = _CC_END + len(PERSON)
_ID, _CREATOR_ID, _POST_ID = (COMMENT.index(name) for name in ("id", "creator_id", "post_id"))

# The chosen comments and their creators, times as RFC 3339 text (UtcText).
_BY_IDS = (select(*cols(t.comment, "c_", COMMENT, True),
                  *cols(t.comment, "cc_", COMMENT_COUNTS, True), *cols(_creator, "u_", PERSON, True))
           .select_from(t.comment.outerjoin(_creator, _creator.c.id == t.comment.c.creator_id))
           .where(t.comment.c.id.in_(bindparam("ids", expanding=True))))

# The posts and communities of a tree's comments (all one post but for parent-less oddities).
_THREAD = (select(*cols(t.post, "p_", POST, True), *cols(t.community, "m_", COMMUNITY, True))
           .join(t.community, t.community.c.id == t.post.c.community_id)
           .where(t.post.c.id.in_(bindparam("post_ids", expanding=True))))


def _fields(names: tuple[str, ...], values: Sequence[Any]) -> dict[str, Any]:
    # Lemmy leaves null fields out (skip_serializing_none); the names are in Lemmy's order.
    return {name: value for name, value in zip(names, values, strict=True) if value is not None}


def tree_views(conn: Connection, query: Select[Any], viewer: Viewer | None,
               params: dict[str, Any]) -> list[dict[str, Any]]:
    """The views of the comments ``query`` chooses, in its order.

    Sorting a 3,000-comment thread with every CommentView column made the database carry
    ~80 columns of each row through the sort before ``LIMIT 300`` threw 90 % of them away:
    the sort runs on ids, the views are read by id."""
    ids = [row[0] for row in conn.execute(query.with_only_columns(t.comment.c.id), params).all()]
    if not ids:
        return []
    # On SQLite straight on the driver's cursor (moot/db/prepared.py): SQLAlchemy's own
    # result set up and fetch one row at a time cost about a millisecond here.
    rows = run(conn, _BY_IDS, {"ids": ids}).all()
    # A thread's 300 rows share one post and one community: read and built once, and the
    # same dicts go into every view (nothing edits a view's objects after it is built).
    threads: dict[int, tuple[dict[str, Any], dict[str, Any], int]] = {}
    for thread in conn.execute(_THREAD, {"post_ids": sorted({r[_POST_ID] for r in rows})}
                               ).mappings():
        threads[thread["p_id"]] = (pick(thread, "p_", POST), pick(thread, "m_", COMMUNITY),
                                   thread["m_id"])
    statement = comment_flags_statement(viewer is None, conn.dialect.name != "sqlite")
    flags = read_flags(conn, statement, None if viewer is None else viewer.person_id,
                       params["now"], ids, (row[_CREATOR_ID] for row in rows),
                       (community for _, _, community in threads.values()))
    build = _Builder(flags, threads, viewer is not None and viewer.admin)
    by_id = {row[_ID]: build.view(row) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


class _Builder:
    """One view per row; the flags looked up by key, the creators' objects shared."""

    def __init__(self, flags: Flags, threads: dict[int, tuple[dict[str, Any], dict[str, Any],
                                                              int]], admin: bool) -> None:
        found = flags.found
        self.bans, self.mods, self.admins, self.banned, self.follow, self.blocked, \
            self.saved, self.votes = (found.get(kind, {}) for kind in (
                "creator_ban", "creator_mod", "admin", "banned", "follow", "blocked", "saved",
                "vote"))
        self.threads = threads
        self.admin = admin  # an admin reads deleted and removed comments' words
        self.creators: dict[int, dict[str, Any]] = {}

    def view(self, row: Sequence[Any]) -> dict[str, Any]:
        comment = _fields(COMMENT, row[:_C_END])
        if (comment["deleted"] or comment["removed"]) and not self.admin:
            comment["content"] = ""  # the tree keeps its shape; the words are gone
        counts = _fields(COMMENT_COUNTS, row[_C_END:_CC_END])
        counts["comment_id"] = comment_id = row[_ID]
        creator_id = row[_CREATOR_ID]
        creator = self.creators.get(creator_id)
        if creator is None:
            creator = self.creators[creator_id] = _fields(PERSON, row[_CC_END:_U_END])
        post, community, community_id = self.threads[row[_POST_ID]]
        view = {
            "comment": comment,
            "creator": creator,
            "post": post,
            "community": community,
            "counts": counts,
            "creator_banned_from_community": (community_id, creator_id) in self.bans,
            "banned_from_community": (community_id, None) in self.banned,
            "creator_is_moderator": (community_id, creator_id) in self.mods,
            "creator_is_admin": (creator_id, None) in self.admins,
            "subscribed": _subscribed(self.follow, community_id),
            "saved": (comment_id, None) in self.saved,
            "creator_blocked": (creator_id, None) in self.blocked,
        }
        vote = self.votes.get((comment_id, None))
        if vote is not None:
            view["my_vote"] = int(vote)
        return view


def _subscribed(follow: dict[tuple[int, int | None], int | None], community: int) -> str:
    if (community, None) not in follow:
        return subscribed_state(None)
    return subscribed_state(bool(follow[(community, None)]))
