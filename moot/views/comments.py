"""CommentView, one joined query, and comment listings (pages and tree fetches)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    and_,
    bindparam,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.sql import ColumnElement, Select

from moot.actions.comments import MAX_DEPTH
from moot.context import Context
from moot.db import tables as t
from moot.db.tables.comment import comment_parent_path
from moot.db.types import UtcDateTime, utcnow
from moot.errors import MootError
from moot.ranking import hot_rank_sql
from moot.views.comment_tree import tree_views
from moot.views.communities import find_community_id, subscribed_state
from moot.views.languages import chosen_languages, in_languages
from moot.views.paging import limit_and_offset
from moot.views.people import Viewer
from moot.views.shape import (
    COMMENT,
    COMMENT_COUNTS,
    COMMUNITY,
    PERSON,
    POST,
    cols,
    pick,
    plain_rows,
)

TREE_LIMIT = 300  # Lemmy's cap on a tree fetch, which ignores page and limit

creator = t.person.alias("creator")
_creator_ban = t.community_person_ban.alias("creator_ban")
_creator_mod = t.community_moderator.alias("creator_mod")
_creator_user = t.local_user.alias("creator_user")
_my_ban = t.community_person_ban.alias("my_ban")
_follow = t.community_follower.alias("my_follow")
_saved = t.comment_saved.alias("my_saved")
_like = t.comment_like.alias("my_like")
_block = t.person_block.alias("my_block")


ME = bindparam("me", type_=Integer())
NOW = bindparam("now", type_=UtcDateTime())


def _ban_active(ban: Any, now: ColumnElement[datetime]) -> ColumnElement[bool]:
    return or_(ban.c.expires.is_(None), ban.c.expires > now)


def comment_view_query(viewer: Viewer | None) -> Select[Any]:
    """Comment as ``c_*``, counts ``cc_*``, creator ``u_*``, post ``p_*``, community ``m_*``,
    plus the flags of CommentView; the viewer's relations come from outer joins on keys."""
    return _view_select(None if viewer is None else literal(viewer.person_id),
                        literal(utcnow(), UtcDateTime()))


@lru_cache(maxsize=2)
def _listing_select(anonymous: bool) -> Select[Any]:
    """comment_view_query built once, with parameters ``me`` and ``now`` (list_comments)."""
    return _view_select(None if anonymous else ME, NOW)


def _view_select(me: ColumnElement[int] | None, now: ColumnElement[datetime],
                 narrow: bool = False) -> Select[Any]:
    """``narrow``: the post and the community as ``p_id`` and ``m_id`` only."""
    c, m = t.comment, t.community
    around = ([t.post.c.id.label("p_id"), m.c.id.label("m_id")] if narrow
              else [*cols(t.post, "p_", POST), *cols(m, "m_", COMMUNITY)])
    columns = [*cols(c, "c_", COMMENT), *cols(c, "cc_", COMMENT_COUNTS),
               *cols(creator, "u_", PERSON), *around,
               _creator_ban.c.person_id.is_not(None).label("creator_banned"),
               _creator_mod.c.person_id.is_not(None).label("creator_is_moderator"),
               func.coalesce(_creator_user.c.admin, False).label("creator_is_admin")]
    # The creator always exists (a foreign key); an outer join lets the database skip it in
    # a select that uses none of its columns (a tree's id query: 3,000 person rows fewer).
    source = (c.outerjoin(creator, creator.c.id == c.c.creator_id)
              .join(t.post, t.post.c.id == c.c.post_id)
              .join(m, m.c.id == t.post.c.community_id)
              .outerjoin(_creator_ban, and_(_creator_ban.c.community_id == m.c.id,
                                            _creator_ban.c.person_id == c.c.creator_id,
                                            _ban_active(_creator_ban, now)))
              .outerjoin(_creator_mod, and_(_creator_mod.c.community_id == m.c.id,
                                            _creator_mod.c.person_id == c.c.creator_id))
              .outerjoin(_creator_user, _creator_user.c.person_id == c.c.creator_id))
    if me is None:
        columns += [literal(False).label("banned"), literal(None).label("follow_pending"),
                    literal(False).label("saved"), literal(False).label("creator_blocked"),
                    literal(None).label("my_vote")]
        return select(*columns).select_from(source)
    source = (source
              .outerjoin(_my_ban, and_(_my_ban.c.community_id == m.c.id,
                                       _my_ban.c.person_id == me, _ban_active(_my_ban, now)))
              .outerjoin(_follow, and_(_follow.c.community_id == m.c.id,
                                       _follow.c.person_id == me))
              .outerjoin(_saved, and_(_saved.c.comment_id == c.c.id, _saved.c.person_id == me))
              .outerjoin(_like, and_(_like.c.comment_id == c.c.id, _like.c.person_id == me))
              .outerjoin(_block, and_(_block.c.person_id == me,
                                      _block.c.target_id == c.c.creator_id)))
    columns += [_my_ban.c.person_id.is_not(None).label("banned"),
                _follow.c.pending.label("follow_pending"),
                _saved.c.person_id.is_not(None).label("saved"),
                _block.c.person_id.is_not(None).label("creator_blocked"),
                _like.c.score.label("my_vote")]
    return select(*columns).select_from(source)


def comment_view_from(row: Any, viewer: Viewer | None,
                      seen: dict[tuple[str, Any], dict[str, Any]] | None = None) -> dict[str, Any]:
    """``seen`` shares one dict per creator, post and community across the views of a list."""
    comment = pick(row, "c_", COMMENT)
    if (comment["deleted"] or comment["removed"]) and not (viewer and viewer.admin):
        comment["content"] = ""  # the tree keeps its shape; the words are gone
    counts = pick(row, "cc_", COMMENT_COUNTS)
    counts["comment_id"] = comment["id"]
    view = {
        "comment": comment,
        "creator": _shared(seen, row, "u_", PERSON),
        "post": _shared(seen, row, "p_", POST),
        "community": _shared(seen, row, "m_", COMMUNITY),
        "counts": counts,
        "creator_banned_from_community": bool(row["creator_banned"]),
        "banned_from_community": bool(row["banned"]),
        "creator_is_moderator": bool(row["creator_is_moderator"]),
        "creator_is_admin": bool(row["creator_is_admin"]),
        "subscribed": subscribed_state(row["follow_pending"]),
        "saved": bool(row["saved"]),
        "creator_blocked": bool(row["creator_blocked"]),
    }
    if row["my_vote"] is not None:
        view["my_vote"] = int(row["my_vote"])
    return view


def _shared(seen: dict[tuple[str, Any], dict[str, Any]] | None, row: Any, prefix: str,
            names: tuple[str, ...]) -> dict[str, Any]:
    # A thread's 300 comments carry one post and one community: building those dicts once
    # halved the time of a tree fetch (bench/README.md). The JSON is the same; nothing edits
    # these dicts after they are built.
    if seen is None:
        return pick(row, prefix, names)
    key = (prefix, row[prefix + "id"])
    found = seen.get(key)
    if found is None:
        found = seen[key] = pick(row, prefix, names)
    return found


def _visible(query: Select[Any], viewer: Viewer | None) -> Select[Any]:
    if viewer is None:  # LocalOnly communities are for this instance's users
        return query.where(t.community.c.visibility == "Public")
    return query


def get_comment_view(conn: Connection, comment_id: int, viewer: Viewer | None) -> dict[str, Any]:
    """One comment; a logged-in viewer who has not voted gets ``my_vote: 0``."""
    query = _visible(comment_view_query(viewer).where(t.comment.c.id == comment_id), viewer)
    row = conn.execute(query).mappings().first()
    if row is None:
        raise MootError("couldnt_find_comment", status=404)
    view = comment_view_from(row, viewer)
    if viewer is not None:
        view.setdefault("my_vote", 0)
    return view


def comment_response(ctx: Context, comment_id: int, viewer: Viewer | None,
                     recipient_ids: list[int] | None = None) -> dict[str, Any]:
    with ctx.db.read() as conn:
        return {"comment_view": get_comment_view(conn, comment_id, viewer),
                "recipient_ids": recipient_ids or []}


def comment_order(sort: str | None, now: datetime) -> list[ColumnElement[Any]]:
    """Lemmy's comment sorts (Hot by default), with the id as a stable last key."""
    c = t.comment.c
    if sort == "Old":
        return [c.published.asc(), c.id.asc()]
    keys = {
        "Top": [c.score.desc()],
        "New": [c.published.desc()],
        "Controversial": [c.controversy_rank.desc()],
    }.get(sort or "Hot", [hot_rank_sql(c.score, c.published, now).desc(), c.score.desc()])
    return [*keys, c.id.desc()]


@dataclass(frozen=True)
class CommentFilter:
    type_: str | None = None
    sort: str | None = None
    max_depth: int | None = None
    page: int | None = None
    limit: int | None = None
    community_id: int | None = None
    community_name: str | None = None
    post_id: int | None = None
    parent_id: int | None = None
    saved_only: bool = False
    liked_only: bool = False
    disliked_only: bool = False
    creator_id: int | None = None
    # A select of comment ids to keep (search results from the full-text index).
    matching: Any = None
    # How many comments a tree fetch returns: Lemmy's 300 for the API; the web's thread page
    # shows more before it pages.
    tree_limit: int = TREE_LIMIT


def subtree(path: str) -> ColumnElement[bool]:
    """The comment at ``path`` and everything under it, as one range scan of the path index.

    Paths hold only digits and dots, and "/" follows "." in byte order, so [P, "P/") holds P
    and every "P.…", but not "P0…" (comment 10 is not under comment 1)."""
    p = t.comment.c.path
    return and_(p >= path, p < path + "/")


def parent_path_key() -> ColumnElement[Any]:
    # "0.12.45" -> "0.12.": orders like Lemmy's subpath(path, 0, -1) for digit labels. The
    # same expression as the index ix_comment_post_parent, so that a tree walks it in order.
    return comment_parent_path


def _listing_filter(query: Select[Any], listing: str, viewer: Viewer | None) -> Select[Any]:
    m = t.community.c
    # EXISTS rather than the view's outer join: the databases then drop the unused joins from a
    # tree's id query and test the follow once per community, not on each of 10,000 comments.
    fc = t.community_follower.c
    followed = (exists().where(fc.community_id == m.id, fc.person_id == ME) if viewer
                else literal(False))
    if listing == "Subscribed":
        return query.where(followed)
    if listing == "ModeratorView":
        me = viewer.person_id if viewer else -1
        cm = t.community_moderator
        return query.where(exists().where(cm.c.community_id == m.id, cm.c.person_id == me))
    if listing == "Local":
        query = query.where(m.local)
    return query.where(or_(m.hidden.is_(False), followed))


def _viewer_filters(query: Select[Any], f: CommentFilter, listing: str,
                    viewer: Viewer) -> Select[Any]:
    me = viewer.person_id
    c, m = t.comment.c, t.community.c
    if f.saved_only:
        query = query.where(_saved.c.person_id.is_not(None))
    if f.liked_only or f.disliked_only:
        query = query.where(c.creator_id != me, _like.c.score == (1 if f.liked_only else -1))
    if not viewer.local_user["show_bot_accounts"]:
        query = query.where(creator.c.bot_account.is_(False))
    if listing == "ModeratorView":
        return query  # a moderator sees everything in what they moderate
    ib, cb, pb = t.instance_block, t.community_block, t.person_block
    return query.where(
        not_(exists().where(ib.c.person_id == me, ib.c.instance_id == m.instance_id)),
        not_(exists().where(cb.c.person_id == me, cb.c.community_id == m.id)),
        not_(exists().where(pb.c.person_id == me, pb.c.target_id == c.creator_id)))


def list_comments(ctx: Context, viewer: Viewer | None, f: CommentFilter) -> list[dict[str, Any]]:
    if f.liked_only and f.disliked_only:
        raise MootError("contradicting_filters")
    c = t.comment.c
    with ctx.db.read() as conn:
        community_id = f.community_id
        if f.community_name:
            community_id = find_community_id(ctx, conn, f.community_name)
        query = _visible(_listing_select(viewer is None), viewer)
        params = {"me": viewer.person_id if viewer is not None else -1, "now": utcnow()}
        parent = None
        if f.parent_id is not None:
            parent = conn.execute(select(c.path, c.depth, c.post_id).where(
                c.id == f.parent_id)).first()
            if parent is None:
                raise MootError("couldnt_find_comment", status=404)
            query = query.where(c.post_id == parent.post_id, subtree(parent.path))
        if f.post_id is not None:
            query = query.where(c.post_id == f.post_id)
        if f.creator_id is not None:
            query = query.where(c.creator_id == f.creator_id)
        if f.matching is not None:
            query = query.where(c.id.in_(f.matching))
        if community_id is not None:
            query = query.where(t.post.c.community_id == community_id)
        listing = _listing_type(ctx, viewer, f, community_id)
        query = _listing_filter(query, listing, viewer)
        if viewer is not None:
            query = _viewer_filters(query, f, listing, viewer)
        elif f.saved_only or f.liked_only or f.disliked_only:
            return []  # Lemmy's anonymous "my saved" is nothing
        in_thread = f.post_id is not None or parent is not None
        chosen = (chosen_languages(conn, viewer)
                  if not in_thread and f.creator_id is None and not f.saved_only else None)
        if chosen is not None and viewer is not None:
            query = query.where(in_languages(c.language_id, c.creator_id, viewer, chosen))
        order: list[ColumnElement[Any]] = []
        if f.saved_only and viewer is not None:
            order.append(_saved.c.published.desc())
        if f.max_depth is not None:
            # A tree fetch: levels below the parent (or the root), capped, pages ignored.
            base = parent.depth if parent is not None else 0
            query = query.where(c.depth <= base + min(f.max_depth, MAX_DEPTH))
            if in_thread:
                order.append(parent_path_key())
            limit, offset = f.tree_limit, 0
        else:
            limit, offset = limit_and_offset(f.page, f.limit)
        if in_thread:
            order.append(c.distinguished.desc())
        order += comment_order(f.sort, utcnow())
        query = query.order_by(*order).limit(limit).offset(offset)
        if f.max_depth is not None:
            return tree_views(conn, query, viewer, params)
        seen: dict[tuple[str, Any], dict[str, Any]] = {}
        return [comment_view_from(r, viewer, seen)
                for r in plain_rows(conn.execute(query, params))]


def _listing_type(ctx: Context, viewer: Viewer | None, f: CommentFilter,
                  community_id: int | None) -> str:
    if community_id is not None:
        return "All"  # inside a community everything shows, as in Lemmy
    if f.type_:
        return f.type_
    if f.post_id is not None or f.parent_id is not None:
        # Lemmy would apply the front page's default (Local) here and hide a remote post's
        # whole thread from a client that sends no type_.
        return "All"
    if viewer is not None:
        return str(viewer.local_user["default_listing_type"])
    return str(ctx.site().local_site["default_post_listing_type"])
