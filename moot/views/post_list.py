"""GET /post/list: filters, the 19 sorts, page/limit and keyset (cursor) pagination.

The sorts and the cursor are in moot/views/post_sorts.py. A listing's statements depend on a
few choices (the sort, the listing type, whether someone is logged in, which filters apply:
``Shape``), not on values: each is built once with named parameters and cached, since building
a select of 17 joined tables cost several times what running it does (bench/README.md).
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Integer, String, exists, func, or_, select
from sqlalchemy.sql import Select
from sqlalchemy.sql.expression import bindparam

from moot.api.v3 import models as m
from moot.context import Context
from moot.db import prepared
from moot.db import tables as t
from moot.db.engine import CUSTOM_PLAN, GENERIC_PLAN
from moot.db.languages import UNDETERMINED_LANGUAGE_ID
from moot.db.types import utcnow
from moot.errors import MootError, unknown
from moot.views.communities import find_community_id
from moot.views.languages import chosen_languages
from moot.views.paging import limit_and_offset
from moot.views.people import Viewer
from moot.views.post_bounds import (
    BOUNDED_DEPTH,
    hot_bounds,
    remembered_bounds,
    score_floors,
)
from moot.views.post_sorts import (
    FOLLOWED,
    HOT_SORTS,
    ME,
    NOW,
    SINCE,
    Cursor,
    Segment,
    after,
    after_params,
    decode_cursor,
    encode_cursor,
    followed_arms,
    guarded,
    segments,
    window_params,
)
from moot.views.posts import (
    creator,
    my_block,
    my_follow,
    my_hide,
    my_like,
    my_read,
    my_saved,
    post_view_select,
    views_by_ids,
)

LIMIT_DEFAULT = 10
LIMIT = bindparam("limit", type_=Integer())
OFFSET = bindparam("offset", type_=Integer())


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


@dataclass(frozen=True)
class Shape:
    """What decides a listing's statements; the values go in as parameters."""

    sort: str
    listing_type: str | None
    anonymous: bool
    in_community: bool  # featured_community instead of featured_local, and community_id
    by_creator: bool
    by_url: bool
    excluding: bool
    saved_only: bool
    liked: int  # 1 liked only, -1 disliked only, 0 either
    show_removed: bool  # an admin looking at a profile
    show_nsfw: bool
    hide_bots: bool
    hide_read: bool
    hide_hidden: bool
    languages: bool
    # A Subscribed listing of a viewer who follows few communities (FEW_FOLLOWS), on
    # PostgreSQL: its ranked pages read each followed community's window by its own index.
    few_follows: bool = False


# Filters -----------------------------------------------------------------------------------


def _listing_filter(shape: Shape) -> list[Any]:
    community = t.community
    if shape.anonymous:
        if shape.listing_type == "Local":
            return [community.c.local, ~community.c.hidden]
        return [~community.c.hidden]
    subscribed = my_follow.c.person_id.is_not(None)
    if shape.listing_type == "Subscribed":
        return [subscribed]
    if shape.listing_type == "ModeratorView":
        mod = t.community_moderator
        return [exists().where(mod.c.community_id == t.post.c.community_id,
                               mod.c.person_id == ME)]
    visible = or_(~community.c.hidden, subscribed)
    return [community.c.local, visible] if shape.listing_type == "Local" else [visible]


def _viewer_filters(shape: Shape) -> list[Any]:
    post = t.post
    found: list[Any] = [or_(~post.c.deleted, post.c.creator_id == ME)]
    if shape.hide_bots:
        found.append(~creator.c.bot_account)
    if shape.saved_only:
        found.append(my_saved.c.person_id.is_not(None))
    elif shape.hide_read:
        found.append(my_read.c.person_id.is_(None))
    if shape.hide_hidden:
        found.append(my_hide.c.person_id.is_(None))
    if shape.liked:
        found += [post.c.creator_id != ME, my_like.c.score == shape.liked]
    if shape.listing_type != "ModeratorView":
        blocks, instances = t.community_block, t.instance_block
        found += [
            ~exists().where(blocks.c.community_id == post.c.community_id,
                            blocks.c.person_id == ME),
            ~exists().where(instances.c.instance_id == t.community.c.instance_id,
                            instances.c.person_id == ME),
            my_block.c.person_id.is_(None),
        ]
    if shape.languages:
        # Content in a chosen language, of undetermined language, or the viewer's own.
        found.append(or_(post.c.language_id.in_(bindparam("languages", expanding=True)),
                         post.c.creator_id == ME))
    return found


def filters(shape: Shape) -> list[Any]:
    """The WHERE of a listing; parameters: me, community_id, creator_id, url, exclude_id,
    languages."""
    post, community = t.post, t.community
    found: list[Any] = [~community.c.deleted]
    if not shape.show_removed:
        found += [~community.c.removed, ~post.c.removed]
    if shape.in_community:
        found.append(post.c.community_id == bindparam("community_id", type_=Integer()))
    if shape.by_creator:
        found.append(post.c.creator_id == bindparam("creator_id", type_=Integer()))
    if shape.by_url:
        found.append(post.c.url == bindparam("url", type_=String()))
    if shape.excluding:
        found.append(post.c.id != bindparam("exclude_id", type_=Integer()))
    found += _listing_filter(shape)
    if not shape.show_nsfw:
        found += [~post.c.nsfw, ~community.c.nsfw]
    if shape.anonymous:
        return [*found, ~post.c.deleted, community.c.visibility == "Public"]
    return found + _viewer_filters(shape)


def shape_of(ctx: Context, viewer: Viewer | None, q: PostQuery, languages: bool,
             few_follows: bool = False) -> Shape:
    settings = viewer.local_user if viewer is not None else None
    default_nsfw = (bool(settings["show_nsfw"]) if settings is not None
                    else ctx.site().site.get("content_warning") is not None)
    profile = q.creator_id is not None
    hide_read = (settings is not None and not q.saved_only and not profile
                 and not (settings["show_read_posts"] if q.show_read is None else q.show_read))
    return Shape(
        sort=q.sort, listing_type=q.listing_type, anonymous=viewer is None,
        in_community=q.community_id is not None, by_creator=profile, by_url=q.url is not None,
        excluding=q.exclude_id is not None, saved_only=q.saved_only,
        liked=1 if q.liked_only else (-1 if q.disliked_only else 0),
        show_removed=profile and viewer is not None and viewer.admin,
        show_nsfw=default_nsfw if q.show_nsfw is None else q.show_nsfw,
        hide_bots=settings is not None and not settings["show_bot_accounts"],
        hide_read=hide_read, hide_hidden=not q.show_hidden and not profile,
        languages=languages, few_follows=few_follows)


# A viewer who follows at most this many communities reads the ranked pages of a Subscribed
# listing community by community (Shape.few_follows; PostgreSQL). The count is kept a while:
# a stale one only picks the slower of two statements that give the same page.
FEW_FOLLOWS = 500
FOLLOWS_KEPT_SECONDS = 300.0
_FOLLOWS: dict[tuple[Any, ...], tuple[bool, float]] = {}
_FOLLOWS_CAPPED = (select(t.community_follower.c.person_id)
                   .where(t.community_follower.c.person_id == ME)
                   .limit(bindparam("cap", type_=Integer())).subquery())
_FOLLOW_COUNT = select(func.count()).select_from(_FOLLOWS_CAPPED)


def _follows_few(conn: Connection, viewer: Viewer | None, q: PostQuery) -> bool:
    if (viewer is None or q.listing_type != "Subscribed" or q.sort not in HOT_SORTS
            or conn.dialect.name == "sqlite"):
        return False
    key = (viewer.person_id,)
    now = time.monotonic()
    kept = _FOLLOWS.get(key)
    if kept is not None and kept[1] > now:
        return kept[0]
    count = prepared.run(conn, _FOLLOW_COUNT,
                         {"me": viewer.person_id, "cap": FEW_FOLLOWS + 1}).scalar_one()
    few = count <= FEW_FOLLOWS
    _keep(_FOLLOWS, key, (few, now + FOLLOWS_KEPT_SECONDS))
    return few


# Statements --------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def plan(shape: Shape) -> tuple[Segment, ...]:
    featured = t.post.c.featured_community if shape.in_community else t.post.c.featured_local
    subscribed = shape.listing_type == "Subscribed" and not shape.anonymous
    return tuple(segments(shape.sort, featured, shape.saved_only, subscribed, shape.few_follows))


@lru_cache(maxsize=512)
def _cached_statement(shape: Shape, index: int, resumed: bool, bounded: bool = True
                      ) -> tuple[Select[Any], Select[Any]]:
    return _statement(shape, index, resumed, None, bounded)


def _statement(shape: Shape, index: int, resumed: bool, matching: Any, bounded: bool = True
               ) -> tuple[Select[Any], Select[Any]]:
    """Segment ``index`` of a listing (``resumed``: after the cursor's keys): the page's ids
    and keys (``k0``…), ordered, with parameters limit and offset; and the bare filtered
    select, for counting what a page/offset skips.

    The page is chosen on narrow rows and its views read by id afterwards (``_views``): the
    sort then carries a few columns per candidate instead of the view's ~80 (the hot window
    holds a few hundred posts at scale S, and the sort took most of the query's time).
    ``bounded``: with the segment's bound conditions (Segment.bounds)."""
    segment = plan(shape)[index]
    followed: list[Any] = []
    # A reader of few communities: the followed communities' posts read arm by arm, each
    # through the (community, time, score) index, in place of the window's range and least
    # score (post_sorts.followed_arms). For a reader of 3,000 that is two to three times
    # slower than the walk below, and the pilot reads the newest rows by time: both walk.
    # Decisions 0053, 0054.
    arms = (shape.few_follows and bounded and segment.decays_with is not None
            and bool(segment.bounds))
    if arms:
        assert segment.decays_with is not None
        followed.append(followed_arms(segment.decays_with, segment.scaled))
    elif (shape.listing_type == "Subscribed" and not shape.anonymous
            and segment.decays_with is not None):
        # What the follow join says, again, as a test the database makes on the (time,
        # score, community) index while it walks the window, before it reads a row or joins
        # anything: a pilot for quiet followed communities walked 20,000 rows at L, 100 ms.
        # ``+ 0``: the walk stays on the time index (seeking each followed community instead
        # reads all of their week, then sorts it).
        followed.append((t.post.c.community_id + 0).in_(FOLLOWED))
    # SQLite tests the conditions it can on the index in this order. Scaled's divisor classes
    # cost more a row (a rank and up to four set probes) than the follow test, so they come
    # after it; Hot and Active keep theirs first (decision 0043). PostgreSQL orders them by
    # its own cost estimates, so there the ranks are guarded by the bands (decision 0052).
    bounds = segment.bounds if bounded else ()
    conditions: tuple[Any, ...] = tuple(followed)
    # The arms hold the least score themselves.
    scored = bounds[:1] if bounds and not arms else ()
    if bounds and segment.scaled:
        _, banded, classed, exact = bounds
        conditions = (*scored, banded, *followed, guarded(banded, classed), exact)
    elif bounds:
        _, banded, ranked = bounds
        conditions = (*scored, banded, guarded(banded, ranked), *followed)
    window = () if arms else segment.window
    query = (post_view_select(None if shape.anonymous else ME, NOW)
             .where(*filters(shape), *segment.where, *window, *conditions))
    if matching is not None:
        query = query.where(t.post.c.id.in_(matching))
    if resumed:
        query = query.where(after(segment.keys))
    labels = [(k.expr.label(f"k{i}"), k.desc) for i, k in enumerate(segment.keys)]
    ordered = query.with_only_columns(t.post.c.id, *[label for label, _ in labels]).order_by(
        *[label.desc() if desc else label.asc() for label, desc in labels])
    page = ordered.limit(LIMIT).offset(OFFSET).execution_options(**_plan_mode(shape, segment))
    return page, query


def _plan_mode(shape: Shape, segment: Segment) -> dict[str, Any]:
    """How PostgreSQL plans a segment's page (decision 0050): once for all requests where one
    plan suits every value (planning a listing costs 1-1.5 ms at scale L), for each request
    where the values choose the plan (a Top window's floor, Scaled's divisor classes)."""
    if segment.scaled and shape.few_follows:
        return GENERIC_PLAN  # its class windows are parameters; one plan suits them (0053)
    if segment.scaled or segment.scored:
        return CUSTOM_PLAN
    if shape.sort in ("Hot", "Active", "New"):
        return GENERIC_PLAN
    return {}


def _views(conn: Connection, anonymous: bool, ids: list[int], params: dict[str, Any]
           ) -> list[dict[str, Any]]:
    return views_by_ids(conn, ids, None if anonymous else params["me"], params["now"])


def _fetch(conn: Connection, shape: Shape, q: PostQuery, params: dict[str, Any]
           ) -> list[tuple[Any, int]]:
    found: list[tuple[Any, int]] = []
    skip = q.offset
    segments_ = plan(shape)
    for index in range(q.cursor.segment if q.cursor else 0, len(segments_)):
        need = q.limit - len(found)
        if need <= 0:
            break
        resumed = q.cursor is not None and index == q.cursor.segment
        run = dict(params, limit=need, offset=skip)
        if resumed:
            assert q.cursor is not None
            run.update(after_params(segments_[index].keys, q.cursor.values))
        ordered, query = (_cached_statement(shape, index, resumed) if q.matching is None
                          else _statement(shape, index, resumed, q.matching))
        rows = _bounded_rows(conn, shape, index, resumed, run, q.matching is None)
        if rows is None:
            if q.matching is None:
                rows = prepared.run(conn, ordered, run).all()
            else:  # a search's statement, built per request: not one for prepared's cache
                rows = conn.execute(ordered, run).all()
        if skip and not rows:
            # The page starts past this segment: skip all of its rows (at most ``skip``).
            capped = query.with_only_columns(t.post.c.id).limit(skip).subquery()
            skip -= conn.execute(select(func.count()).select_from(capped), run).scalar_one()
            continue
        skip = 0
        found += [(row, index) for row in rows]
    return found


def _bounded_rows(conn: Connection, shape: Shape, index: int, resumed: bool,
                  run: dict[str, Any], cached: bool) -> Sequence[Any] | None:
    """A segment's page read among bounded candidates (moot/views/post_bounds.py), or None
    when its sort has no bounds or they cannot be trusted for this page."""
    segment = plan(shape)[index]
    wanted = run["limit"] + run["offset"]
    if not cached or wanted > BOUNDED_DEPTH:
        return None
    ordered, _ = _cached_statement(shape, index, resumed)
    if segment.decays_with is not None:
        key = (shape, index, run["me"], run["community_id"])
        first_page = not resumed and run["offset"] == 0
        kept = _RANKED.pop(key, None) if first_page and shape.few_follows else None
        if kept is not None:
            # The floor of this listing's last full first page, lowered for the time since: if
            # the page above it is full it is the page, and no pilot is read (post_bounds.
            # remembered_bounds; a reader of few communities, whose arms reach back no further
            # for the unknown top score than their last arm's few high scores).
            rows = prepared.run(conn, ordered, {
                **run, **remembered_bounds(run, segment, *kept)}).all()
            if len(rows) == run["limit"]:
                _remember_page(key, rows, run)
                return rows
        hint = _HINTS.get(key) if not resumed else None
        bounds = hot_bounds(conn, _pilot_statement(shape, index, resumed), segment, run, wanted,
                            None if hint is None else (_hint_statement(shape, index), list(hint)))
        # No row in the pilot: none in the segment, so an empty page and nothing to skip.
        if bounds is None:
            return []
        rows = prepared.run(conn, ordered, {**run, **bounds}).all()
        if first_page and rows:
            _remember_page(key, rows, run if shape.few_follows else None)
        return rows
    if segment.scored:
        # Any floor that leaves a full page above it is exact: no post below it can be on the
        # page. The lowest score of this listing's last first page is likely still one, and
        # trying it saves reading the window's best scores (1.5-2.5 ms on PostgreSQL at L).
        key = (shape, index, run["me"], run["community_id"])
        first_page = not resumed and run["offset"] == 0
        last = _FLOORS.get(key) if first_page else None
        rows = None if last is None else _full_above(conn, ordered, run, last)
        if rows is None:
            for floor in score_floors(conn, _superset_statement(shape, index, resumed), run,
                                      wanted):
                if floor != last and (rows := _full_above(conn, ordered, run, floor)):
                    break
        if rows is not None and first_page:
            _remember_floor(key, min(row[1] for row in rows))
        return rows
    return None


@lru_cache(maxsize=256)
def _pilot_statement(shape: Shape, index: int, resumed: bool) -> Select[Any]:
    """The ranks of a ranked segment's newest rows, newest first, each with the highest score
    of any post; parameters as the segment's.

    Ordered by time alone, which the time index gives as it is walked, and without the bound
    conditions (true for every row at the pilot's default parameters), so that the database
    can stop after ``limit`` rows. With them PostgreSQL guessed that few rows would match
    (their rank expressions get default selectivities), and with the id as a second key it
    could not use the index order: it read and sorted the whole week (1,600 rows at scale M,
    29 ms). Which of two rows of one instant comes first does not matter: any rows of the
    segment give a valid floor (post_bounds.py)."""
    segment = plan(shape)[index]
    assert segment.decays_with is not None
    return (_ranked_rows(shape, index, resumed).order_by(segment.decays_with.desc())
            .limit(LIMIT).execution_options(**GENERIC_PLAN))


@lru_cache(maxsize=256)
def _hint_statement(shape: Shape, index: int) -> Select[Any]:
    """The pilot's columns for the posts of parameter ``hint`` that are in the segment (first
    pages only)."""
    return _ranked_rows(shape, index, False).where(
        t.post.c.id.in_(bindparam("hint", expanding=True))).execution_options(**GENERIC_PLAN)


def _ranked_rows(shape: Shape, index: int, resumed: bool) -> Select[Any]:
    """A ranked segment's rows, without its bounds, as (rank, the highest score of any post,
    post id): what post_bounds.hot_bounds reads from the pilot and the hints alike."""
    segment = plan(shape)[index]
    _, query = _cached_statement(shape, index, resumed, bounded=False)
    top = select(func.max(t.post.c.score)).scalar_subquery()  # the end of an index
    return query.with_only_columns(segment.keys[0].expr, top, t.post.c.id)


# The post ids of the last first page of each ranked listing (its shape and segment, viewer and
# community): the next request's pilot reads their ranks again (post_bounds.hot_bounds). A hint
# only ever raises the floor to a rank some post of the segment has now, so a stale or wrong
# one costs speed, never a post; the worst case is the floor of the newest rows alone.
# Kept as arrays of 64-bit ints: 0.2 KB for a page of 20 where a list of ints takes 0.9 KB, so
# that the 4,096 listings take at most ~1.7 MB.
_HINTS: dict[tuple[Any, ...], Sequence[int]] = {}
MAX_HINTS = 4096


def _remember(key: tuple[Any, ...], ids: list[int]) -> None:
    _keep(_HINTS, key, array("q", ids))


# The rank of the last post of the last full first page of each ranked listing of a reader
# of few communities (post_list.Shape.few_follows), with the clock of that page: the next
# request's first floor (post_bounds.remembered_bounds). One that leaves the page short is
# dropped, and the page is read as without it.
_RANKED: dict[tuple[Any, ...], tuple[float, Any]] = {}


def _remember_page(key: tuple[Any, ...], rows: Sequence[Any], run: dict[str, Any] | None
                   ) -> None:
    """A first page's ids as the next one's hints, and (``run`` given) its floor, if full."""
    _remember(key, [row[0] for row in rows])
    if run is not None and len(rows) == run["limit"]:
        _keep(_RANKED, key, (float(rows[-1][1]), run["now"]))


def _keep(store: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
    """One entry per listing asked, at most MAX_HINTS of them."""
    if len(store) >= MAX_HINTS and key not in store:
        store.clear()  # rarely
    store[key] = value


def _full_above(conn: Connection, ordered: Select[Any], run: dict[str, Any], floor: int
                ) -> Sequence[Any] | None:
    """The page read above a score floor if that leaves it full (then no post below the floor
    can be on it), else None."""
    rows = prepared.run(conn, ordered, {**run, "score_floor": floor}).all()
    return rows if len(rows) == run["limit"] else None


# The lowest score of the last first page of each short Top listing (its shape and segment,
# viewer and community): the next request's first floor. A floor too high for the page now is
# seen (a page short of its limit) and the window's own floors follow.
_FLOORS: dict[tuple[Any, ...], int] = {}


def _remember_floor(key: tuple[Any, ...], floor: int) -> None:
    _keep(_FLOORS, key, floor)


@lru_cache(maxsize=64)
def _superset_statement(shape: Shape, index: int, resumed: bool) -> Select[Any]:
    """The best scores in a Top window among every post, whatever the filters say: read from
    the (published, score) index alone. Parameters: since, the cursor's, limit."""
    segment = plan(shape)[index]
    post = t.post
    query = select(post.c.score).where(post.c.published > SINCE)
    if resumed:
        query = query.where(after(segment.keys))
    return query.order_by((post.c.score + 0).desc()).limit(LIMIT).execution_options(**CUSTOM_PLAN)


def run_query(ctx: Context, conn: Connection, viewer: Viewer | None,
              q: PostQuery) -> tuple[list[dict[str, Any]], str | None]:
    """The page of PostViews and the cursor after its last post (None if the page is empty)."""
    if viewer is None and q.saved_only:
        return [], None  # nobody anonymous has saved anything (and there is no save to join)
    now = q.cursor.now if q.cursor is not None else utcnow()
    chosen = (chosen_languages(conn, viewer)
              if q.creator_id is None and not q.saved_only else None)
    shape = shape_of(ctx, viewer, q, chosen is not None and viewer is not None,
                     _follows_few(conn, viewer, q))
    params: dict[str, Any] = {
        **window_params(q.sort, now), "me": viewer.person_id if viewer is not None else -1,
        "community_id": q.community_id, "creator_id": q.creator_id, "url": q.url,
        "exclude_id": q.exclude_id, "languages": [*(chosen or ()), UNDETERMINED_LANGUAGE_ID]}
    rows = _fetch(conn, shape, q, params)
    if not rows:
        return [], None
    last, index = rows[-1]
    keys = plan(shape)[index].keys
    views = _views(conn, shape.anonymous, [row[0] for row, _ in rows], params)
    return views, encode_cursor(Cursor(_shape_name(q), now, index, tuple(last[1:])), keys)


def _shape_name(q: PostQuery) -> str:
    featured = "featured_local" if q.community_id is None else "featured_community"
    return f"{q.sort}|{'saved' if q.saved_only else featured}"


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
        count = len(segments(sort, t.post.c.featured_local, q.saved_only))
        q = replace(q, cursor=decode_cursor(form.page_cursor, _shape_name(q), count))
    return q


def list_posts(ctx: Context, viewer: Viewer | None, form: m.GetPosts) -> dict[str, Any]:
    with ctx.db.read() as conn:
        q = post_query_from(ctx, conn, viewer, form)
        views, next_page = run_query(ctx, conn, viewer, q)
    result: dict[str, Any] = {"posts": views}
    if next_page is not None:
        result["next_page"] = next_page
    return result
