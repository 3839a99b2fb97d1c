"""PostView, built by one joined query: the post, its creator and community, and the viewer's
relations to it (vote, save, read, hide, follow, block, ban) as left joins on primary keys."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    and_,
    bindparam,
    false,
    literal,
    null,
    or_,
    select,
)
from sqlalchemy.sql import ColumnElement, Select

from moot.actions.communities import is_moderator
from moot.context import Context
from moot.db import tables as t
from moot.db.prepared import run
from moot.db.types import UtcDateTime, utcnow
from moot.errors import MootError
from moot.views.communities import get_community_view, moderators, subscribed_state
from moot.views.flags import (
    creator_post_flags,
    post_flags_statement,
    read_flags,
    read_post_flags_of_pairs,
    set_post_flags,
    viewer_post_flags,
)
from moot.views.people import Viewer
from moot.views.shape import (
    COMMUNITY,
    PERSON,
    POST,
    POST_COUNTS,
    cols,
    pick,
    plain_rows,
)

# The joined tables, each under its own name so that one query can hold them all.
creator = t.person.alias("creator")
creator_user = t.local_user.alias("creator_user")
creator_ban = t.community_person_ban.alias("creator_ban")
creator_mod = t.community_moderator.alias("creator_mod")
my_ban = t.community_person_ban.alias("my_ban")
my_follow = t.community_follower.alias("my_follow")
my_saved = t.post_saved.alias("my_saved")
my_read = t.post_read.alias("my_read")
my_hide = t.post_hide.alias("my_hide")
my_block = t.person_block.alias("my_block")
my_like = t.post_like.alias("my_like")
my_seen = t.person_post_aggregates.alias("my_seen")


def _ban_active(ban: Any, now: ColumnElement[datetime]) -> ColumnElement[bool]:
    return or_(ban.c.expires.is_(None), ban.c.expires > now)


def post_view_query(viewer: Viewer | None, now: datetime | None = None) -> Select[Any]:
    """Post columns as ``p_*``, counts ``pc_*``, creator ``u_*``, community ``c_*``, and flags."""
    me = None if viewer is None else literal(viewer.person_id)
    return post_view_select(me, literal(now or utcnow(), UtcDateTime()))


def post_view_select(me: ColumnElement[int] | None, now: ColumnElement[datetime]
                      ) -> Select[Any]:
    """The view's select for a viewer whose person id is ``me`` (None: anonymous); both values
    are expressions, so that a statement can be built once with bound parameters."""
    post = t.post
    columns: list[Any] = [
        *cols(post, "p_", POST), *cols(post, "pc_", POST_COUNTS),
        *cols(creator, "u_", PERSON), *cols(t.community, "c_", COMMUNITY),
        creator_ban.c.person_id.is_not(None).label("creator_banned"),
        creator_mod.c.person_id.is_not(None).label("creator_is_moderator"),
        creator_user.c.admin.label("creator_is_admin"),
    ]
    source = (
        # An outer join to the creator, who always exists (a foreign key), lets the database
        # drop the join from a listing's id query, which uses none of the creator's columns.
        post.outerjoin(creator, creator.c.id == post.c.creator_id)
        .join(t.community, t.community.c.id == post.c.community_id)
        .outerjoin(creator_user, creator_user.c.person_id == post.c.creator_id)
        .outerjoin(creator_ban, and_(creator_ban.c.community_id == post.c.community_id,
                                     creator_ban.c.person_id == post.c.creator_id,
                                     _ban_active(creator_ban, now)))
        .outerjoin(creator_mod, and_(creator_mod.c.community_id == post.c.community_id,
                                     creator_mod.c.person_id == post.c.creator_id))
    )
    if me is None:
        columns += [false().label("banned"), null().label("follow_pending"),
                    false().label("saved"), false().label("read"), false().label("hidden"),
                    false().label("creator_blocked"), null().label("my_vote"),
                    null().label("read_comments")]
        return select(*columns).select_from(source)

    def mine(table: Any) -> ColumnElement[bool]:
        return and_(table.c.post_id == post.c.id, table.c.person_id == me)

    source = (
        source
        .outerjoin(my_ban, and_(my_ban.c.community_id == post.c.community_id,
                                my_ban.c.person_id == me, _ban_active(my_ban, now)))
        .outerjoin(my_follow, and_(my_follow.c.community_id == post.c.community_id,
                                   my_follow.c.person_id == me))
        .outerjoin(my_saved, mine(my_saved))
        .outerjoin(my_read, mine(my_read))
        .outerjoin(my_hide, mine(my_hide))
        .outerjoin(my_like, mine(my_like))
        .outerjoin(my_seen, mine(my_seen))
        .outerjoin(my_block, and_(my_block.c.person_id == me,
                                  my_block.c.target_id == post.c.creator_id))
    )
    columns += [
        my_ban.c.person_id.is_not(None).label("banned"),
        my_follow.c.pending.label("follow_pending"),
        my_saved.c.person_id.is_not(None).label("saved"),
        my_read.c.person_id.is_not(None).label("read"),
        my_hide.c.person_id.is_not(None).label("hidden"),
        my_block.c.person_id.is_not(None).label("creator_blocked"),
        my_like.c.score.label("my_vote"),
        my_seen.c.read_comments.label("read_comments"),
    ]
    return select(*columns).select_from(source)


@cache
def _keys(prefix: str, names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((name, prefix + name) for name in names)


def timeless(row: Mapping[str, Any], prefix: str, names: tuple[str, ...]) -> dict[str, Any]:
    """``pick`` for rows whose times are already text (``cols(..., text_times=True)``): no
    pass over the values looking for a ``datetime``."""
    return {name: value for name, key in _keys(prefix, names) if (value := row[key]) is not None}


def post_view_from(row: Any, fields: Callable[[Any, str, tuple[str, ...]], dict[str, Any]]
                   = pick) -> dict[str, Any]:
    """``fields``: how an entity is read from the row (``timeless`` for rows of ``_CORE``)."""
    counts = fields(row, "pc_", POST_COUNTS)
    counts["post_id"] = row["p_id"]
    comments = row["pc_comments"]
    seen = row["read_comments"]
    view: dict[str, Any] = {
        "post": fields(row, "p_", POST),
        "creator": fields(row, "u_", PERSON),
        "community": fields(row, "c_", COMMUNITY),
        "creator_banned_from_community": bool(row["creator_banned"]),
        "banned_from_community": bool(row["banned"]),
        "creator_is_moderator": bool(row["creator_is_moderator"]),
        "creator_is_admin": bool(row["creator_is_admin"]),
        "counts": counts,
        "subscribed": subscribed_state(row["follow_pending"]),
        "saved": bool(row["saved"]),
        "read": bool(row["read"]),
        "hidden": bool(row["hidden"]),
        "creator_blocked": bool(row["creator_blocked"]),
        # Lemmy: comments minus those seen when last opened, or all of them if never opened.
        "unread_comments": comments if seen is None else comments - seen,
    }
    if row["my_vote"] is not None:
        view["my_vote"] = row["my_vote"]
    return view


def visible_to(viewer: Viewer | None, mod_or_admin: bool) -> list[ColumnElement[bool]]:
    """Who may read a post by id: deleted or removed ones only their creator, mods and admins;
    LocalOnly communities nobody anonymous."""
    return _visible(viewer is None, mod_or_admin,
                    literal(viewer.person_id if viewer else -1))


def _visible(anonymous: bool, mod_or_admin: bool, me: ColumnElement[int]
             ) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if anonymous:
        conditions.append(t.community.c.visibility == "Public")
    if not mod_or_admin:
        mine = t.post.c.creator_id == me
        for flag in (t.community.c.removed, t.post.c.removed, t.community.c.deleted,
                     t.post.c.deleted):
            conditions.append(or_(~flag, mine))
    return conditions


def is_mod_or_admin(conn: Connection, viewer: Viewer | None, community_id: int) -> bool:
    return viewer is not None and (viewer.admin or is_moderator(conn, community_id,
                                                                viewer.person_id))


# A post view's own rows: the post, its creator and its community. The flags come from
# moot.views.flags in a second small query (docs/decisions/0034): with them joined in, the
# select had 17 tables and PostgreSQL spent 10-40 ms planning it.
_CORE = (select(*cols(t.post, "p_", POST, True), *cols(t.post, "pc_", POST_COUNTS, True),
                *cols(creator, "u_", PERSON, True), *cols(t.community, "c_", COMMUNITY, True))
         .select_from(t.post.outerjoin(creator, creator.c.id == t.post.c.creator_id)
                      .join(t.community, t.community.c.id == t.post.c.community_id)))
_CORE_BY_IDS = _CORE.where(t.post.c.id.in_(bindparam("ids", expanding=True)))


@cache
def _by_id(anonymous: bool, mod_or_admin: bool) -> Select[Any]:
    """One post's own rows, if this kind of viewer may see it; parameters: post_id, me."""
    me = bindparam("me", type_=Integer())
    return _CORE.where(t.post.c.id == bindparam("post_id", type_=Integer()),
                       *_visible(anonymous, mod_or_admin, me))


def with_flags(conn: Connection, rows: list[dict[str, Any]], viewer_id: int | None,
               now: datetime) -> list[dict[str, Any]]:
    """PostViews of rows of ``_CORE``, with the flags of the viewer (None: anonymous)."""
    statement = post_flags_statement(viewer_id is None, conn.dialect.name != "sqlite")
    flags = read_flags(conn, statement, viewer_id, now,
                       (row["p_id"] for row in rows), (row["p_creator_id"] for row in rows),
                       (row["c_id"] for row in rows))
    set_post_flags(rows, flags, viewer_id is None)
    return [post_view_from(row, timeless) for row in rows]


def views_by_ids(conn: Connection, ids: list[int], viewer_id: int | None,
                 now: datetime) -> list[dict[str, Any]]:
    """The PostViews of ``ids``, in that order (ids not found are left out)."""
    rows = plain_rows(run(conn, _CORE_BY_IDS, {"ids": ids}))
    views = {view["post"]["id"]: view for view in with_flags(conn, rows, viewer_id, now)}
    return [views[i] for i in ids if i in views]


def views_of_pairs(conn: Connection, pairs: list[tuple[int, int]], now: datetime
                   ) -> dict[tuple[int, int], dict[str, Any]]:
    """The PostViews of (post id, viewer's person id) pairs, by pair, with two queries for
    all (a batch of votes' answers, actions/vote_posts.py): the posts' own rows, and the flags
    of all viewers. Each post is shaped once; each pair gets a copy with its viewer's flags.
    The caller knows each viewer may see each post (they have just voted on it)."""
    ids = sorted({post for post, _ in pairs})
    rows = {row["p_id"]: row for row in plain_rows(run(conn, _CORE_BY_IDS, {"ids": ids}))}
    found = [(post, me) for post, me in pairs if post in rows]
    if not found:
        return {}
    flags = read_post_flags_of_pairs(conn, found, {
        post: (row["c_id"], row["p_creator_id"]) for post, row in rows.items()}, now)
    shaped: dict[int, dict[str, Any]] = {}
    views: dict[tuple[int, int], dict[str, Any]] = {}
    for post_id, me in found:
        row = rows[post_id]
        if (post_id, me) in views:
            continue
        mine = viewer_post_flags(flags, row["c_id"], post_id, row["p_creator_id"], me)
        first = shaped.get(post_id)
        if first is None:
            creator_post_flags(flags, row)
            row.update(mine)
            views[(post_id, me)] = shaped[post_id] = post_view_from(row, timeless)
        else:
            views[(post_id, me)] = _with_viewer(first, mine)
    return views


def _with_viewer(view: dict[str, Any], mine: dict[str, Any]) -> dict[str, Any]:
    """A copy of a shaped PostView with another viewer's flags (as post_view_from sets them,
    keys in the same order)."""
    copy = dict(view)
    comments, seen = view["counts"]["comments"], mine["read_comments"]
    copy.update(banned_from_community=bool(mine["banned"]),
                subscribed=subscribed_state(mine["follow_pending"]), saved=mine["saved"],
                read=mine["read"], hidden=mine["hidden"],
                creator_blocked=mine["creator_blocked"],
                unread_comments=comments if seen is None else comments - seen)
    copy.pop("my_vote", None)
    if mine["my_vote"] is not None:
        copy["my_vote"] = mine["my_vote"]
    return copy


_COMMUNITY_OF = select(t.post.c.community_id).where(t.post.c.id == bindparam("post_id"))


def get_post_view(conn: Connection, post_id: int, viewer: Viewer | None) -> dict[str, Any]:
    community_id = run(conn, _COMMUNITY_OF, {"post_id": post_id}).scalar()
    if community_id is None:
        raise MootError("couldnt_find_post", status=404)
    mod_or_admin = is_mod_or_admin(conn, viewer, community_id)
    me = viewer.person_id if viewer else None
    rows = plain_rows(run(conn, _by_id(viewer is None, mod_or_admin),
                          {"post_id": post_id, "me": -1 if me is None else me}))
    if not rows:
        raise MootError("couldnt_find_post", status=404)
    return with_flags(conn, rows, me, utcnow())[0]


def post_id_for(conn: Connection, post_id: int | None, comment_id: int | None) -> int:
    if post_id is not None:
        return post_id
    if comment_id is not None:
        found = conn.execute(select(t.comment.c.post_id).where(t.comment.c.id == comment_id)
                             ).scalar()
        if found is None:
            raise MootError("couldnt_find_comment", status=404)
        return int(found)
    raise MootError("couldnt_find_post", status=404)


def get_post(ctx: Context, viewer: Viewer | None, post_id: int | None,
             comment_id: int | None) -> dict[str, Any]:
    """GetPostResponse. The view is as it was before this read marks the post read, as in Lemmy."""
    from moot.views.post_list import cross_posts

    with ctx.db.read() as conn:
        post_id = post_id_for(conn, post_id, comment_id)
        view = get_post_view(conn, post_id, viewer)
        community_id = view["community"]["id"]
        url = view["post"].get("url")
        return {
            "post_view": view,
            "community_view": get_community_view(conn, community_id, viewer),
            "moderators": moderators(conn, community_id),
            "cross_posts": cross_posts(ctx, conn, viewer, url, post_id) if url else [],
        }
