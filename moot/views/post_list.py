"""GET /post/list: filters, the 19 sorts, page/limit and keyset (cursor) pagination.

Every sort is a list of *segments*, each one query whose ORDER BY an index can serve, read in
turn until the page is full. Featured posts form the first segment. Hot, Active and Scaled
rank with ``moot_hot_rank`` at query time, so their ranked segment only covers the seven days
in which a rank is above zero (an index range on the rank's time column); the rest rank 0 and
follow, newest first. The order inside and across segments is exactly Lemmy's: featured first,
then the sort key, then ``published`` DESC (except New, Old and NewComments), then id DESC.

Cursor (``page_cursor`` / ``next_page``) format, opaque to clients::

    "M" + base64url(JSON [shape, now_us, segment, [key, ...]])

``shape`` is the sort plus what decides the segments (``"Hot|featured_local"``,
``"New|saved"``), so a cursor is refused by a listing of another shape; ``now_us`` is the clock
of the first page (epoch microseconds), reused on every later page so that time-decaying ranks
and Top windows do not move under the reader; ``segment`` and the keys are those of the last
post served, and the next page starts strictly after that post. Times are epoch microseconds,
ranks floats (JSON keeps doubles exact), counts integers.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Float, Integer, and_, cast, exists, func, or_, select
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.expression import bindparam

from moot.api.v3 import models as m
from moot.context import Context
from moot.db import tables as t
from moot.db.types import UtcDateTime, from_micros, to_micros, utcnow
from moot.errors import MootError, unknown
from moot.ranking import HOT_WINDOW, hot_rank_sql
from moot.views.communities import find_community_id
from moot.views.languages import chosen_languages, in_languages
from moot.views.paging import limit_and_offset
from moot.views.people import Viewer
from moot.views.posts import (
    creator,
    my_block,
    my_follow,
    my_hide,
    my_like,
    my_read,
    my_saved,
    post_view_from,
    post_view_query,
)

LIMIT_DEFAULT = 10
HOT_SORTS = ("Hot", "Active", "Scaled")
# Top windows: (days, months); months are calendar months, as PostgreSQL's interval.
TOP_WINDOWS: dict[str, tuple[float, int]] = {
    "TopHour": (1 / 24, 0), "TopSixHour": (6 / 24, 0), "TopTwelveHour": (12 / 24, 0),
    "TopDay": (1, 0), "TopWeek": (7, 0), "TopMonth": (0, 1), "TopThreeMonths": (0, 3),
    "TopSixMonths": (0, 6), "TopNineMonths": (0, 9), "TopYear": (0, 12),
}


@dataclass(frozen=True)
class Key:
    expr: ColumnElement[Any]
    desc: bool
    kind: str  # "int", "float" or "time": how the cursor stores it


@dataclass(frozen=True)
class Segment:
    where: tuple[ColumnElement[bool], ...]
    keys: tuple[Key, ...]


@dataclass(frozen=True)
class Cursor:
    shape: str
    now: datetime
    segment: int
    values: tuple[Any, ...]


@dataclass(frozen=True)
class PostQuery:
    sort: str
    listing_type: str | None = None
    community_id: int | None = None
    creator_id: int | None = None
    # A select of post ids to keep (search results from the full-text index).
    matching: Any = None
    url: str | None = None
    exclude_id: int | None = None
    saved_only: bool = False
    liked_only: bool = False
    disliked_only: bool = False
    show_hidden: bool = False
    show_read: bool | None = None
    show_nsfw: bool | None = None
    limit: int = LIMIT_DEFAULT
    offset: int = 0
    cursor: Cursor | None = None


# Cursors -----------------------------------------------------------------------------------


def encode_cursor(cursor: Cursor, keys: tuple[Key, ...]) -> str:
    values = [to_micros(v) if k.kind == "time" else (float(v) if k.kind == "float" else int(v))
              for k, v in zip(keys, cursor.values, strict=True)]
    raw = json.dumps([cursor.shape, to_micros(cursor.now), cursor.segment, values],
                     separators=(",", ":")).encode()
    return "M" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str, shape: str, segments: int) -> Cursor:
    try:
        if not text.startswith("M"):
            raise ValueError("not a Moot cursor")
        body = text[1:]
        raw = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        got_shape, now_us, segment, values = raw
        if not isinstance(segment, int) or not 0 <= segment < segments \
                or not isinstance(values, list) or not isinstance(now_us, int):
            raise ValueError("bad cursor fields")
    except (ValueError, TypeError, binascii.Error) as exc:
        raise unknown("Could not parse pagination token") from exc
    if got_shape != shape:
        raise unknown("page_cursor belongs to a listing with another sort")
    return Cursor(shape, from_micros(now_us), segment, tuple(values))


def _bind(key: Key, value: Any) -> Any:
    if key.kind == "time":
        return bindparam(None, from_micros(int(value)), type_=UtcDateTime())
    if key.kind == "float":
        return bindparam(None, float(value), type_=Float())
    return bindparam(None, int(value), type_=Integer())


def after(keys: tuple[Key, ...], values: tuple[Any, ...]) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the order of ``keys``, directions mixed or not."""
    if len(values) != len(keys):
        raise unknown("Could not parse pagination token")
    bound = [_bind(k, v) for k, v in zip(keys, values, strict=True)]
    branches = []
    for i, key in enumerate(keys):
        equal = [keys[j].expr == bound[j] for j in range(i)]
        beyond = key.expr < bound[i] if key.desc else key.expr > bound[i]
        branches.append(and_(*equal, beyond))
    first = keys[0].expr <= bound[0] if keys[0].desc else keys[0].expr >= bound[0]
    # The redundant bound on the first key lets the database seek in its index.
    return and_(first, or_(*branches))


# Sorts -------------------------------------------------------------------------------------


def months_before(now: datetime, months: int) -> datetime:
    month_index = now.year * 12 + now.month - 1 - months
    year, month = divmod(month_index, 12)
    day = now.day
    while True:
        try:
            return now.replace(year=year, month=month + 1, day=day)
        except ValueError:
            day -= 1  # 31 March minus a month is 28/29 February, as PostgreSQL has it


def _rank(sort: str, now: datetime) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The rank expression of a hot-style sort, and the time column it decays with."""
    post = t.post
    if sort == "Active":
        time_col = post.c.newest_comment_time_necro
        return hot_rank_sql(post.c.score, time_col, now), time_col
    rank = hot_rank_sql(post.c.score, post.c.published, now)
    if sort == "Scaled":
        rank = rank / func.log10(cast(2 + t.community.c.users_active_month, Float))
    return rank, post.c.published


def segments(sort: str, featured: ColumnElement[bool], now: datetime,
             saved_only: bool) -> list[Segment]:
    post = t.post
    by_id = Key(post.c.id, True, "int")
    newest = Key(post.c.published, True, "time")
    if saved_only:
        # Lemmy orders saved posts by when they were saved, before any sort key.
        return [Segment((), (Key(my_saved.c.published, True, "time"), by_id))]
    if sort in HOT_SORTS:
        rank, time_col = _rank(sort, now)
        ranked = (Key(rank, True, "float"), newest, by_id)
        cut = now - HOT_WINDOW
        return [Segment((featured,), ranked),
                Segment((~featured, time_col > cut, time_col < now), ranked),
                Segment((~featured, or_(time_col <= cut, time_col >= now)), (newest, by_id))]
    where: tuple[ColumnElement[bool], ...] = ()
    keys: tuple[Key, ...]
    if sort == "New":
        keys = (newest, by_id)
    elif sort == "Old":
        keys = (Key(post.c.published, False, "time"), by_id)
    elif sort == "NewComments":
        keys = (Key(post.c.newest_comment_time, True, "time"), by_id)
    elif sort == "MostComments":
        keys = (Key(post.c.comments, True, "int"), newest, by_id)
    elif sort == "Controversial":
        keys = (Key(post.c.controversy_rank, True, "float"), newest, by_id)
    else:  # TopAll and the Top windows
        keys = (Key(post.c.score, True, "int"), newest, by_id)
        if sort in TOP_WINDOWS:
            days, months = TOP_WINDOWS[sort]
            since = months_before(now, months) if months else now - timedelta(days=days)
            where = (post.c.published > since,)
            if 0 < days <= 7:
                # A short window holds few posts: read its time range and sort them, rather
                # than walk the all-time score index (SQLite's choice without statistics).
                keys = (Key(post.c.score + 0, True, "int"), newest, by_id)
    return [Segment((featured, *where), keys), Segment((~featured, *where), keys)]


# Filters -----------------------------------------------------------------------------------


def _listing_filter(viewer: Viewer | None, listing_type: str | None) -> list[Any]:
    community = t.community
    if viewer is None:
        if listing_type == "Local":
            return [community.c.local, ~community.c.hidden]
        return [~community.c.hidden]
    subscribed = my_follow.c.person_id.is_not(None)
    if listing_type == "Subscribed":
        return [subscribed]
    if listing_type == "ModeratorView":
        mod = t.community_moderator
        return [exists().where(mod.c.community_id == t.post.c.community_id,
                               mod.c.person_id == viewer.person_id)]
    visible = or_(~community.c.hidden, subscribed)
    return [community.c.local, visible] if listing_type == "Local" else [visible]


def _viewer_filters(viewer: Viewer, q: PostQuery) -> list[Any]:
    post = t.post
    me = viewer.person_id
    settings = viewer.local_user
    found: list[Any] = [or_(~post.c.deleted, post.c.creator_id == me)]
    if not settings["show_bot_accounts"]:
        found.append(~creator.c.bot_account)
    if q.saved_only:
        found.append(my_saved.c.person_id.is_not(None))
    elif q.creator_id is None and \
            not (settings["show_read_posts"] if q.show_read is None else q.show_read):
        found.append(my_read.c.person_id.is_(None))
    if not q.show_hidden and q.creator_id is None:  # a profile shows everything
        found.append(my_hide.c.person_id.is_(None))
    if q.liked_only or q.disliked_only:
        found += [post.c.creator_id != me, my_like.c.score == (1 if q.liked_only else -1)]
    if q.listing_type != "ModeratorView":
        blocks, instances = t.community_block, t.instance_block
        found += [
            ~exists().where(blocks.c.community_id == post.c.community_id,
                            blocks.c.person_id == me),
            ~exists().where(instances.c.instance_id == t.community.c.instance_id,
                            instances.c.person_id == me),
            my_block.c.person_id.is_(None),
        ]
    return found


def filters(ctx: Context, viewer: Viewer | None, q: PostQuery) -> list[Any]:
    post, community = t.post, t.community
    found: list[Any] = [~community.c.deleted]
    if not (q.creator_id is not None and viewer is not None and viewer.admin):
        # An admin looking at someone's profile sees what was removed, as in Lemmy.
        found += [~community.c.removed, ~post.c.removed]
    if q.community_id is not None:
        found.append(post.c.community_id == q.community_id)
    if q.creator_id is not None:
        found.append(post.c.creator_id == q.creator_id)
    if q.matching is not None:
        found.append(post.c.id.in_(q.matching))
    if q.url is not None:
        found.append(post.c.url == q.url)
    if q.exclude_id is not None:
        found.append(post.c.id != q.exclude_id)
    found += _listing_filter(viewer, q.listing_type)
    default_nsfw = (bool(viewer.local_user["show_nsfw"]) if viewer is not None
                    else ctx.site().site.get("content_warning") is not None)
    if not (default_nsfw if q.show_nsfw is None else q.show_nsfw):
        found += [~post.c.nsfw, ~community.c.nsfw]
    if viewer is None:
        found += [~post.c.deleted, community.c.visibility == "Public"]
        return found
    return found + _viewer_filters(viewer, q)


# Running -----------------------------------------------------------------------------------


def _shape(q: PostQuery) -> str:
    return f"{q.sort}|{'saved' if q.saved_only else _featured_name(q)}"


def _featured_name(q: PostQuery) -> str:
    return "featured_local" if q.community_id is None else "featured_community"


def _fetch(conn: Connection, base: Select[Any], plan: list[Segment],
           q: PostQuery) -> list[tuple[Any, int]]:
    found: list[tuple[Any, int]] = []
    skip = q.offset
    for index in range(q.cursor.segment if q.cursor else 0, len(plan)):
        need = q.limit - len(found)
        if need <= 0:
            break
        segment = plan[index]
        query = base.where(*segment.where)
        if q.cursor is not None and index == q.cursor.segment:
            query = query.where(after(segment.keys, q.cursor.values))
        labels = [(k.expr.label(f"k{i}"), k.desc) for i, k in enumerate(segment.keys)]
        ordered = query.add_columns(*[label for label, _ in labels]).order_by(
            *[label.desc() if desc else label.asc() for label, desc in labels])
        rows = conn.execute(ordered.limit(need).offset(skip)).mappings().all()
        if skip and not rows:
            # The page starts past this segment: skip all of its rows (at most ``skip``).
            capped = query.with_only_columns(t.post.c.id).limit(skip).subquery()
            skip -= conn.execute(select(func.count()).select_from(capped)).scalar_one()
            continue
        skip = 0
        found += [(row, index) for row in rows]
    return found


def run_query(ctx: Context, conn: Connection, viewer: Viewer | None,
              q: PostQuery) -> tuple[list[dict[str, Any]], str | None]:
    """The page of PostViews and the cursor after its last post (None if the page is empty)."""
    if viewer is None and q.saved_only:
        return [], None  # nobody anonymous has saved anything (and there is no save to join)
    now = q.cursor.now if q.cursor is not None else utcnow()
    featured = t.post.c.featured_local if q.community_id is None else t.post.c.featured_community
    plan = segments(q.sort, featured, now, q.saved_only)
    base = post_view_query(viewer).where(*filters(ctx, viewer, q))
    chosen = (chosen_languages(conn, viewer)
              if q.creator_id is None and not q.saved_only else None)
    if chosen is not None and viewer is not None:
        base = base.where(in_languages(t.post.c.language_id, t.post.c.creator_id, viewer, chosen))
    rows = _fetch(conn, base, plan, q)
    if not rows:
        return [], None
    last, index = rows[-1]
    keys = plan[index].keys
    values = tuple(last[f"k{i}"] for i in range(len(keys)))
    return ([post_view_from(row) for row, _ in rows],
            encode_cursor(Cursor(_shape(q), now, index, values), keys))


def cross_posts(ctx: Context, conn: Connection, viewer: Viewer | None, url: str,
                post_id: int) -> list[dict[str, Any]]:
    """Other posts of the same link, as Lemmy's GetPost lists them (Hot, first page)."""
    views, _ = run_query(ctx, conn, viewer, PostQuery(sort="Hot", url=url, exclude_id=post_id))
    return views


def person_posts(ctx: Context, conn: Connection, viewer: Viewer | None, creator_id: int | None,
                 *, sort: str | None = None, limit: int = LIMIT_DEFAULT, offset: int = 0,
                 community_id: int | None = None,
                 saved_only: bool = False) -> list[dict[str, Any]]:
    """The posts of GetPersonDetails: one person's (or, with saved_only and no creator, what the
    viewer saved). Lemmy sorts them Hot unless told, and hides neither read nor hidden ones."""
    views, _ = run_query(ctx, conn, viewer, PostQuery(
        sort=sort or "Hot", creator_id=creator_id, community_id=community_id,
        saved_only=saved_only, limit=limit, offset=offset))
    return views


# The request -------------------------------------------------------------------------------


def post_query_from(ctx: Context, conn: Connection, viewer: Viewer | None,
                    form: m.GetPosts) -> PostQuery:
    """Lemmy's defaults: sort from the request, the user, then the site; listing type likewise,
    but All inside a community."""
    if form.liked_only and form.disliked_only:
        raise MootError("contradicting_filters")
    limit, offset = limit_and_offset(form.page, form.limit)
    if offset and form.page_cursor:
        raise unknown("legacy pagination cannot be combined with v2 pagination")
    community_id = form.community_id
    if form.community_name:
        community_id = find_community_id(ctx, conn, form.community_name)
    local_site = ctx.site().local_site
    user = viewer.local_user if viewer is not None else None
    sort = form.sort or (user["default_sort_type"] if user else local_site["default_sort_type"])
    listing_type = "All" if community_id is not None else (
        form.type_ or (user["default_listing_type"] if user
                       else local_site["default_post_listing_type"]))
    q = PostQuery(sort=sort, listing_type=listing_type, community_id=community_id,
                  saved_only=bool(form.saved_only), liked_only=bool(form.liked_only),
                  disliked_only=bool(form.disliked_only), show_hidden=bool(form.show_hidden),
                  show_read=form.show_read, show_nsfw=form.show_nsfw, limit=limit,
                  offset=offset)
    if form.page_cursor:
        count = len(segments(sort, t.post.c.featured_local, utcnow(), q.saved_only))
        q = replace(q, cursor=decode_cursor(form.page_cursor, _shape(q), count))
    return q


def list_posts(ctx: Context, viewer: Viewer | None, form: m.GetPosts) -> dict[str, Any]:
    with ctx.db.read() as conn:
        q = post_query_from(ctx, conn, viewer, form)
        views, next_page = run_query(ctx, conn, viewer, q)
    result: dict[str, Any] = {"posts": views}
    if next_page is not None:
        result["next_page"] = next_page
    return result
