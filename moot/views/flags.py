"""The flags of post and comment views, read for a page's ids in one small query.

A view's flags (is the creator banned from the community, a moderator, an admin; has the viewer
saved, read, hidden or voted on it, blocked its creator, been banned from or followed its
community) were outer joins of the view's select, one table each: 17 tables for a logged-in
post view. PostgreSQL spent 10-40 ms planning each such statement (its execution took under a
millisecond), and hash-joined whole tables for a page of ids. Here each flag is one branch of a
UNION ALL, a lookup of one table by its key: cheap to plan, one round trip, and the views'
selects keep only the rows they show (docs/decisions/0034).

Each branch yields (kind, a, b, v): the keys of a found row and an optional value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    Connection,
    Integer,
    and_,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql import ColumnElement, Select

from moot.db import tables as t
from moot.db.pairs import pairs_cte, pairs_params, size_for
from moot.db.prepared import run
from moot.db.types import UtcDateTime

ME = bindparam("me", type_=Integer())
NOW = bindparam("now", type_=UtcDateTime())


def _in(column: Any, name: str, postgres: bool) -> ColumnElement[bool]:
    """``column`` among the list parameter ``name``. PostgreSQL gets one array parameter: an
    expanded IN list is a parameter per id, which makes the statement's text differ with the
    page's length (psycopg then parses it anew each time) and is planned per element."""
    if postgres:
        return column == any_(bindparam(name, type_=ARRAY(Integer())))
    return column.in_(bindparam(name, expanding=True, type_=Integer()))


def _row(kind: str, a: Any, b: Any = None, v: Any = None) -> list[ColumnElement[Any]]:
    none = cast(null(), Integer())
    return [literal_column(f"'{kind}'").label("k"), cast(a, Integer()).label("a"),
            none.label("b") if b is None else cast(b, Integer()).label("b"),
            none.label("v") if v is None else cast(v, Integer()).label("v")]


def _active(ban: Any) -> ColumnElement[bool]:
    return or_(ban.c.expires.is_(None), ban.c.expires > NOW)


def _creator_branches(pg: bool) -> list[Select[Any]]:
    """What any viewer sees of the creators: bans in the community, moderators, admins."""
    ban, mod, user = t.community_person_ban, t.community_moderator, t.local_user
    return [
        select(*_row("creator_ban", ban.c.community_id, ban.c.person_id))
        .where(_in(ban.c.community_id, "communities", pg), _in(ban.c.person_id, "creators", pg),
               _active(ban)),
        select(*_row("creator_mod", mod.c.community_id, mod.c.person_id))
        .where(_in(mod.c.community_id, "communities", pg), _in(mod.c.person_id, "creators", pg)),
        select(*_row("admin", user.c.person_id))
        .where(_in(user.c.person_id, "creators", pg), user.c.admin),
    ]


def _viewer_branches(pg: bool) -> list[Select[Any]]:
    """The viewer's relations to the communities and creators of a page."""
    ban, follow, block = t.community_person_ban, t.community_follower, t.person_block
    pending = case((follow.c.pending, 1), else_=0)
    return [
        select(*_row("banned", ban.c.community_id))
        .where(ban.c.person_id == ME, _in(ban.c.community_id, "communities", pg), _active(ban)),
        _looked_up(pg, "follow", follow, "community_id", "communities", pending),
        select(*_row("blocked", block.c.target_id))
        .where(block.c.person_id == ME, _in(block.c.target_id, "creators", pg)),
    ]


def _mine(pg: bool, kind: str, table: Any, key: str, value: Any = None) -> Select[Any]:
    return _looked_up(pg, kind, table, key, "ids", value)


def _looked_up(pg: bool, kind: str, table: Any, key: str, ids: str, value: Any = None
               ) -> Select[Any]:
    """The viewer's rows of ``table``, keyed (``key``, person), for the list parameter
    ``ids``: (kind, id, None, ``value``).

    PostgreSQL looks each id up by the key, one subquery per id: as ``person_id = :me AND key
    = ANY(:ids)`` a plan made without the values could read all of the viewer's rows through
    the person's index instead (estimated at the average person's seven; 5,049 for a reader
    who has read that many posts, 10 ms), so that statement had to be planned on every
    request (decision 0047). A subquery per id has only one plan, its key; the statement can
    keep one plan for every request (decision 0052)."""
    if not pg:
        return (select(*_row(kind, table.c[key], v=value))
                .where(table.c.person_id == ME, _in(table.c[key], ids, pg)))
    each = (func.unnest(bindparam(ids, type_=ARRAY(Integer()))).table_valued("id")
            .render_derived(name="each_id"))
    found = (select(literal_column("1") if value is None else value)
             .where(table.c[key] == each.c.id, table.c.person_id == ME).scalar_subquery())
    return (select(*_row(kind, each.c.id, v=None if value is None else found))
            .select_from(each).where(found.is_not(None)))


@cache
def comment_flags_statement(anonymous: bool, pg: bool) -> Any:
    """Parameters: now, creators, communities; logged in also me and ids (comment ids).
    ``pg``: for PostgreSQL (list parameters as arrays)."""
    if anonymous:
        return union_all(*_creator_branches(pg))
    saved, like = t.comment_saved, t.comment_like
    return union_all(*_creator_branches(pg), *_viewer_branches(pg),
                     _mine(pg, "saved", saved, "comment_id"),
                     _mine(pg, "vote", like, "comment_id", like.c.score))


@cache
def post_flags_statement(anonymous: bool, pg: bool) -> Any:
    """Parameters: now, creators, communities; logged in also me and ids (post ids)."""
    if anonymous:
        return union_all(*_creator_branches(pg))  # nobody's own rows: prepared as before
    like, seen = t.post_like, t.person_post_aggregates
    # Prepared as any statement is; PostgreSQL keeps its generic plan after five runs, as the
    # values cannot change it (_looked_up). Decision 0052.
    return union_all(*_creator_branches(pg), *_viewer_branches(pg),
                     _mine(pg, "saved", t.post_saved, "post_id"),
                     _mine(pg, "read", t.post_read, "post_id"),
                     _mine(pg, "hidden", t.post_hide, "post_id"),
                     _mine(pg, "vote", like, "post_id", like.c.score),
                     _mine(pg, "seen", seen, "post_id", seen.c.read_comments))


def read_post_flags_of_pairs(conn: Connection, pairs: list[tuple[int, int]],
                             posts: dict[int, tuple[int, int]], now: datetime) -> Flags:
    """post_flags_statement's flags for several viewers at once (a batch of votes' answers):
    ``pairs`` are (post id, viewer's person id), ``posts`` each post's (community, creator).
    The viewer branches join each pair once (moot/db/pairs.py) and yield the viewer as ``b``;
    read them with viewer_post_flags."""
    size = size_for(len(pairs))
    params = {"now": now, "creators": sorted({creator for _, creator in posts.values()}),
              "communities": sorted({community for community, _ in posts.values()}),
              **pairs_params("pp", pairs, size),
              **pairs_params("cp", ((posts[post][0], me) for post, me in pairs), size),
              **pairs_params("up", ((posts[post][1], me) for post, me in pairs), size)}
    flags = Flags()
    statement = _post_flags_of_pairs(conn.dialect.name != "sqlite", size)
    for kind, a, b, v in run(conn, statement, params).all():
        flags.found.setdefault(kind, {})[(a, b)] = v
    return flags


@cache
def _post_flags_of_pairs(pg: bool, size: int) -> Any:
    of_posts, of_communities, of_creators = (pairs_cte(name, size)
                                             for name in ("pp", "cp", "up"))
    ban, follow, block = t.community_person_ban, t.community_follower, t.person_block
    like, seen = t.post_like, t.person_post_aggregates

    def on(pairs: Any, kind: str, table: Any, key: str, value: Any = None) -> Select[Any]:
        return select(*_row(kind, pairs.c.a, pairs.c.b, value)).join_from(
            pairs, table, and_(table.c[key] == pairs.c.a, table.c.person_id == pairs.c.b))

    return union_all(
        *_creator_branches(pg),
        on(of_communities, "banned", ban, "community_id").where(_active(ban)),
        on(of_communities, "follow", follow, "community_id",
           case((follow.c.pending, 1), else_=0)),
        on(of_creators, "blocked", block, "target_id"),
        on(of_posts, "saved", t.post_saved, "post_id"),
        on(of_posts, "read", t.post_read, "post_id"),
        on(of_posts, "hidden", t.post_hide, "post_id"),
        on(of_posts, "vote", like, "post_id", like.c.score),
        on(of_posts, "seen", seen, "post_id", seen.c.read_comments))


def viewer_post_flags(flags: Flags, community: int, post: int, creator: int,
                      me: int) -> dict[str, Any]:
    """One viewer's flag columns (as set_post_flags fills them) from a
    read_post_flags_of_pairs read."""
    found = flags.found
    follow = found.get("follow", {})
    pending = follow.get((community, me), -1)
    return {"banned": (community, me) in found.get("banned", {}),
            "follow_pending": None if pending == -1 else bool(pending),
            "saved": (post, me) in found.get("saved", {}),
            "read": (post, me) in found.get("read", {}),
            "hidden": (post, me) in found.get("hidden", {}),
            "creator_blocked": (creator, me) in found.get("blocked", {}),
            "my_vote": found.get("vote", {}).get((post, me)),
            "read_comments": found.get("seen", {}).get((post, me))}


def creator_post_flags(flags: Flags, row: dict[str, Any]) -> None:
    """The viewer-independent flag columns of a post row (as set_post_flags fills them)."""
    _creator_flags(flags)(row, row["c_id"], row["p_creator_id"])


@dataclass
class Flags:
    """kind -> {(a, b): v} for the rows found."""

    found: dict[str, dict[tuple[int, int | None], int | None]] = field(default_factory=dict)


def read_flags(conn: Connection, statement: Any, me: int | None, now: datetime,
               ids: Iterable[int], creators: Iterable[int],
               communities: Iterable[int]) -> Flags:
    params = {"me": -1 if me is None else me, "now": now, "ids": sorted(set(ids)),
              "creators": sorted(set(creators)), "communities": sorted(set(communities))}
    flags = Flags()
    if not params["creators"]:
        return flags
    for kind, a, b, v in run(conn, statement, params).all():
        flags.found.setdefault(kind, {})[(a, b)] = v
    return flags


def set_post_flags(rows: list[dict[str, Any]], flags: Flags, anonymous: bool) -> None:
    """Fill in the flag columns post_view_from reads."""
    creator_flags = _creator_flags(flags)
    banned, follow, blocked, saved, read, hidden, votes, seen = (
        flags.found.get(kind, {}) for kind in ("banned", "follow", "blocked", "saved", "read",
                                               "hidden", "vote", "seen"))
    for row in rows:
        community, post, creator = row["c_id"], row["p_id"], row["p_creator_id"]
        creator_flags(row, community, creator)
        if anonymous:
            row.update(banned=False, follow_pending=None, saved=False, read=False,
                       hidden=False, creator_blocked=False, my_vote=None, read_comments=None)
            continue
        row.update(banned=(community, None) in banned,
                   follow_pending=_pending(follow, community),
                   saved=(post, None) in saved, read=(post, None) in read,
                   hidden=(post, None) in hidden, creator_blocked=(creator, None) in blocked,
                   my_vote=votes.get((post, None)), read_comments=seen.get((post, None)))


def _creator_flags(flags: Flags) -> Callable[[dict[str, Any], int, int], None]:
    bans, mods, admins = (flags.found.get(kind, {})
                          for kind in ("creator_ban", "creator_mod", "admin"))

    def put(row: dict[str, Any], community: int, creator: int) -> None:
        row.update(creator_banned=(community, creator) in bans,
                   creator_is_moderator=(community, creator) in mods,
                   creator_is_admin=(creator, None) in admins)
    return put


def _pending(follow: dict[tuple[int, int | None], int | None], community: int) -> bool | None:
    if (community, None) not in follow:
        return None
    return bool(follow[(community, None)])
