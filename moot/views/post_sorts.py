"""The sorts of GET /post/list as index-friendly segments, and the keyset cursor between pages.

Every sort is a list of *segments*, each one query whose ORDER BY an index can serve, read in
turn until the page is full. Featured posts form the first segment. Hot, Active and Scaled
rank with ``moot_hot_rank`` at query time, so their ranked segment only covers the seven days
in which a rank is above zero (an index range on the rank's time column); the rest rank 0 and
follow, newest first. The order inside and across segments is exactly Lemmy's: featured first,
then the sort key, then ``published`` DESC (except New, Old and NewComments), then id DESC.

Segments hold no values: the clock, the window's edges and the cursor's keys are the named
parameters ``now``, ``cut``, ``since`` and ``after0``…, so that each listing's statement is
built once (moot/views/post_list.py) and ``params`` supplies the values of one request.

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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Float, Integer, and_, case, cast, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.expression import bindparam
from sqlalchemy.sql.sqltypes import NullType
from sqlalchemy.sql.visitors import InternalTraversal

from moot.db import tables as t
from moot.db.types import UtcDateTime, from_micros, to_micros
from moot.errors import unknown
from moot.ranking import HOT_WINDOW, SCALED_CLASS_USERS, hot_rank_sql
from moot.views.posts import my_saved

HOT_SORTS = ("Hot", "Active", "Scaled")
# Top windows: (days, months); months are calendar months, as PostgreSQL's interval.
TOP_WINDOWS: dict[str, tuple[float, int]] = {
    "TopHour": (1 / 24, 0), "TopSixHour": (6 / 24, 0), "TopTwelveHour": (12 / 24, 0),
    "TopDay": (1, 0), "TopWeek": (7, 0), "TopMonth": (0, 1), "TopThreeMonths": (0, 3),
    "TopSixMonths": (0, 6), "TopNineMonths": (0, 9), "TopYear": (0, 12),
}

# The parameters every listing statement may use (one object each, shared by all statements).
NOW = bindparam("now", type_=UtcDateTime())
CUT = bindparam("cut", type_=UtcDateTime())  # the start of the hot window: now - 7 days
# A ranked segment's bounds for one page (post_bounds.hot_bounds): no candidate is older than
# ``floor`` or ranks (unscaled) below ``least``. By default they bound nothing: cut and 0.
FLOOR = bindparam("floor", type_=UtcDateTime())
LEAST = bindparam("least", type_=Float())
RANKED = bindparam("ranked", type_=Float())  # Scaled: the same floor, after the divisor
# Scaled: ``least{k}`` for the communities of divisor class k >= 1 (moot/ranking.py), whose
# divisor is at least k; LEAST (after the least divisor of all, log10(2)) for the rest.
CLASS_LEASTS = tuple(bindparam(f"least{k}", type_=Float())
                     for k in range(1, len(SCALED_CLASS_USERS) + 1))
# A Subscribed page of a reader of few communities (PostgreSQL) reads each followed community's
# window in arms, split at these scores (followed_arms): the posts scoring under 6, those under
# 62, and the rest. Most posts score little, and a low score ranks high for a few hours only.
ARM_SCORES = (6, 62)
ARMS = len(ARM_SCORES) + 1
CLASSES = len(SCALED_CLASS_USERS) + 1  # Scaled's divisor classes, the rest (0) included
# Arm i of class k (Hot and Active have class 0 only): its posts score at least
# ``arm_score{k}_{i}`` and are younger than ``arm_floor{k}_{i}`` (post_bounds.hot_bounds).
ARM_SCORES_LEAST = tuple(tuple(bindparam(f"arm_score{k}_{i}", type_=Integer())
                               for i in range(ARMS)) for k in range(CLASSES))
ARM_FLOORS = tuple(tuple(bindparam(f"arm_floor{k}_{i}", type_=UtcDateTime())
                         for i in range(ARMS)) for k in range(CLASSES))
SCORE_FLOOR = bindparam("score_floor", type_=Integer())  # a Top window's candidates
NO_SCORE_FLOOR = -(2 ** 31)  # the least 32-bit integer: PostgreSQL's score is one
# A ranked segment's least score (post_bounds.hot_bounds), for PostgreSQL only (index_test).
SCORE_MIN = bindparam("score_min", type_=Integer())
# And per score band: a post scoring under BAND_SCORES[j] is younger than ``band{j}``. Most
# posts score little and are told apart by one or two integer comparisons, where the rank
# itself costs about a microsecond a row (two math functions); only the rest are ranked.
BAND_SCORES = tuple(2 ** j - 2 for j in range(1, 17))  # 0, 2, 6, 14, … 65534
BANDS = tuple(bindparam(f"band{j}", type_=UtcDateTime()) for j in range(len(BAND_SCORES)))
SINCE = bindparam("since", type_=UtcDateTime())  # the start of a Top window
ME = bindparam("me", type_=Integer())  # the viewer's person id (-1 for nobody)
# The ids of the communities the viewer follows.
FOLLOWED = (select(t.community_follower.c.community_id)
            .where(t.community_follower.c.person_id == ME))
_TYPES: dict[str, Any] = {"time": UtcDateTime(), "float": Float(), "int": Integer()}


def index_test(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """A condition PostgreSQL tests on the index tuples of a time index ``(time, score,
    community_id)`` before it reads a row; SQLite gets ``1`` (true).

    PostgreSQL applies a plain comparison of an index column after the first (``score >=
    :x``) inside the index scan, and every other condition only after fetching the row from
    the heap: a Hot window at scale L fetched 2,000-10,000 rows to keep 20-50. SQLite tests any
    condition on the index's columns before it reads a row (the score bands below), and keeps
    its plans as they were measured. Decision 0050."""
    return _Spelled(condition, "1")


def unindexed(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """``column + 0`` on SQLite, where it keeps the planner off that column's own index
    (a Top window is read through its time range); the column itself on PostgreSQL, whose
    planner weighs both, so that ``score >= :floor`` is tested inside the time index's scan."""
    return _Spelled(column, "({} + 0)")


class _Spelled(ColumnElement[Any]):
    """An expression as it is on PostgreSQL, and on SQLite as ``sqlite`` spells it (``{}``
    standing for the expression)."""

    inherit_cache = True
    _traverse_internals = [("element", InternalTraversal.dp_clauseelement),  # noqa: RUF012
                           ("sqlite", InternalTraversal.dp_string)]

    def __init__(self, element: ColumnElement[Any], sqlite: str) -> None:
        self.element = element
        self.sqlite = sqlite
        self.type = element.type

    @property
    def _from_objects(self) -> list[Any]:
        return self.element._from_objects


@compiles(_Spelled)
def _spelled(element: _Spelled, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.element, **kw)  # type: ignore[no-any-return]


@compiles(_Spelled, "sqlite")
def _spelled_sqlite(element: _Spelled, compiler: Any, **kw: Any) -> str:
    if "{}" not in element.sqlite:
        return element.sqlite
    return element.sqlite.format(compiler.process(element.element, **kw))


def guarded(guard: ColumnElement[bool], condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """``condition``, evaluated by PostgreSQL only where ``guard`` holds: ``CASE WHEN guard
    THEN condition END`` (NULL, so false, where it does not). For a WHERE that also tests
    ``guard`` itself; SQLite gets ``condition``, and tests the conditions in their order.

    PostgreSQL orders a filter's conditions by its cost estimates, which put the hot rank (an
    inlined function: two math calls and an epoch) before the score bands (sixteen integer
    comparisons): a Subscribed Hot window at scale L ranked all 2,900 rows of its time range,
    where the bands leave 64 (2 of the page's 2.2 ms). Guarded, the rank costs more than the
    bands to the planner and comes after them; only rows within the bands are ranked. A
    single ``CASE`` of both would be estimated as one boolean of unknown selectivity (0.5
    instead of the two conditions' 1/9) and change the plans around it. Decision 0052."""
    return _Guarded(guard, condition)


class _Pair(ColumnElement[bool]):
    """A condition of two clauses, spelled by each database its own way (the subclasses'
    compilers); its FROM objects are the first clause's."""

    type = NullType()  # type: ignore[assignment]  # not Boolean: SQLite would add "= 1"
    inherit_cache = True
    _traverse_internals = [("first", InternalTraversal.dp_clauseelement),  # noqa: RUF012
                           ("second", InternalTraversal.dp_clauseelement)]

    def __init__(self, first: ColumnElement[Any], second: Any) -> None:
        self.first = first
        self.second = second

    @property
    def _from_objects(self) -> list[Any]:
        return self.first._from_objects


class _Guarded(_Pair):
    """(guard, condition)."""

    inherit_cache = True


@compiles(_Guarded)
def _guarded(element: _Guarded, compiler: Any, **kw: Any) -> str:
    return (f"CASE WHEN {compiler.process(element.first, **kw)} "
            f"THEN {compiler.process(element.second, **kw)} END")


@compiles(_Guarded, "sqlite")
def _guarded_sqlite(element: _Guarded, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.second, **kw)  # type: ignore[no-any-return]


def in_array(column: ColumnElement[Any], subquery: Select[Any]) -> ColumnElement[bool]:
    """``column IN (subquery)``; on PostgreSQL ``column = ANY(ARRAY(subquery))`` (_InArray)."""
    return _InArray(column, subquery)


class _InArray(_Pair):
    """``column IN (subquery)``, which PostgreSQL reads as ``column = ANY(ARRAY(subquery))``:
    the subquery becomes one array, computed once, and the column is looked up by its index
    for each element. As ``IN`` PostgreSQL planned a join with the subquery's estimated rows,
    the average person's follows (about 3,000 in the L seed): Scaled's divisor classes read
    all 10,000 communities for a reader who follows 100 (10 ms of an 18 ms page). The
    estimate of an array PostgreSQL cannot see is ten elements. Decision 0050.
    (column, subquery)."""

    inherit_cache = True


@compiles(_InArray)
def _in_array(element: _InArray, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.first, **kw)
    return f"{column} = ANY(ARRAY({compiler.process(element.second, asfrom=False, **kw)}))"


@compiles(_InArray, "sqlite")
def _in_array_sqlite(element: _InArray, compiler: Any, **kw: Any) -> str:
    condition = element.first.in_(element.second)
    return compiler.process(condition, **kw)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Key:
    expr: ColumnElement[Any]
    desc: bool
    kind: str  # "int", "float" or "time": how the cursor stores it


@dataclass(frozen=True)
class Segment:
    where: tuple[ColumnElement[bool], ...]
    keys: tuple[Key, ...]
    # A ranked segment's time range (after ``where``), which followed_arms replaces.
    window: tuple[ColumnElement[bool], ...] = ()
    # A hot-style ranked segment: the time column its rank decays with, and whether the rank
    # is Scaled (divided by a community's log10(2 + users_active_month), at least log10(2)).
    decays_with: ColumnElement[Any] | None = None
    scaled: bool = False
    # A Top window short enough to read by time: its candidates can be bounded by score.
    scored: bool = False
    # Conditions that only narrow the candidates through the bounds' parameters, true for
    # every row at their defaults; the pilot leaves them out (post_list._pilot_statement).
    bounds: tuple[ColumnElement[bool], ...] = ()


@dataclass(frozen=True)
class Cursor:
    shape: str
    now: datetime
    segment: int
    values: tuple[Any, ...]


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


def after(keys: tuple[Key, ...]) -> ColumnElement[bool]:
    """Rows strictly after the cursor's keys (parameters ``after0``…) in the order of
    ``keys``, directions mixed or not."""
    bound: list[Any] = [bindparam(f"after{i}", type_=_TYPES[k.kind])
                        for i, k in enumerate(keys)]
    branches = []
    for i, key in enumerate(keys):
        equal = [keys[j].expr == bound[j] for j in range(i)]
        beyond = key.expr < bound[i] if key.desc else key.expr > bound[i]
        branches.append(and_(*equal, beyond))
    first = keys[0].expr <= bound[0] if keys[0].desc else keys[0].expr >= bound[0]
    # The redundant bound on the first key lets the database seek in its index.
    return and_(first, or_(*branches))


def after_params(keys: tuple[Key, ...], values: tuple[Any, ...]) -> dict[str, Any]:
    """The values of ``after(keys)`` from a cursor's JSON values."""
    if len(values) != len(keys):
        raise unknown("Could not parse pagination token")
    try:
        return {f"after{i}": from_micros(int(v)) if k.kind == "time"
                else (float(v) if k.kind == "float" else int(v))
                for i, (k, v) in enumerate(zip(keys, values, strict=True))}
    except (ValueError, TypeError, OverflowError) as exc:
        raise unknown("Could not parse pagination token") from exc


def months_before(now: datetime, months: int) -> datetime:
    month_index = now.year * 12 + now.month - 1 - months
    year, month = divmod(month_index, 12)
    day = now.day
    while True:
        try:
            return now.replace(year=year, month=month + 1, day=day)
        except ValueError:
            day -= 1  # 31 March minus a month is 28/29 February, as PostgreSQL has it


def window_params(sort: str, now: datetime) -> dict[str, Any]:
    """The values of ``now``, ``cut`` and ``since`` for a listing read at ``now``."""
    cut = now - HOT_WINDOW
    params: dict[str, Any] = {"now": now, "cut": cut, "floor": cut, "least": 0.0, "ranked": 0.0,
                              "score_floor": NO_SCORE_FLOOR, "score_min": NO_SCORE_FLOOR,
                              **{least.key: 0.0 for least in CLASS_LEASTS},
                              **{arm.key: NO_SCORE_FLOOR for arms in ARM_SCORES_LEAST
                                 for arm in arms},
                              **{arm.key: cut for arms in ARM_FLOORS for arm in arms},
                              **{band.key: cut for band in BANDS}}
    if sort in TOP_WINDOWS:
        days, months = TOP_WINDOWS[sort]
        params["since"] = months_before(now, months) if months else now - timedelta(days=days)
    return params


def _rank(sort: str) -> tuple[ColumnElement[Any], ColumnElement[Any], ColumnElement[Any]]:
    """The rank expression of a hot-style sort, its unscaled hot rank, and the time column it
    decays with."""
    post = t.post
    time_col = post.c.newest_comment_time_necro if sort == "Active" else post.c.published
    hot = hot_rank_sql(post.c.score, time_col, NOW)
    if sort == "Scaled":
        return hot / func.log10(cast(2 + t.community.c.users_active_month, Float)), hot, time_col
    return hot, hot, time_col


def _class_least(subscribed: bool, few: bool) -> ColumnElement[Any]:
    """Scaled's least unscaled rank for the divisor class of a post's community.

    The class is told from ``post.community_id``, which the time indexes hold, so that the
    database drops most candidates of big communities before it reads their rows. Each
    class's communities are an uncorrelated subquery, which the database reads once per
    statement (through ix_community_users_active_month) into a set it probes per row; the
    biggest divisors come first. ``subscribed``: the page only holds posts of the viewer's
    follows (parameter ``me``), so the sets only need those, a few instead of thousands.
    ``few``: the page of a reader of few communities, whose followed communities and their
    classes are read once for the statement (FOLLOWED_CLASSES). Decision 0043."""
    classed = FOLLOWED_CLASSES.alias("divisor_class") if few else t.community.alias("divisor_class")
    whens = []
    for users, least in reversed(list(zip(SCALED_CLASS_USERS, CLASS_LEASTS, strict=True))):
        members = select(classed.c.id).where(classed.c.users_active_month >= users)
        if subscribed and not few:
            members = members.where(in_array(classed.c.id, FOLLOWED))
        whens.append((t.post.c.community_id.in_(members), least))
    return case(*whens, else_=LEAST)


# The viewer's followed communities with their monthly users, read once per statement (a
# MATERIALIZED CTE) for a Scaled page's class arms and class tests: read per class, they cost
# nine reads of the follows and nine of their communities (~1 ms of a 3.9 ms page at scale L).
FOLLOWED_CLASSES = (select(t.community.c.id, t.community.c.users_active_month)
                    .where(in_array(t.community.c.id, FOLLOWED))
                    .cte("followed_class").prefix_with("MATERIALIZED"))


def followed_arms(time_col: ColumnElement[Any], scaled: bool) -> ColumnElement[bool]:
    """A ranked page's posts in the viewer's followed communities (parameter ``me``), for a
    reader of few communities on PostgreSQL: the OR of one arm per score range (ARM_SCORES)
    and, for Scaled, per divisor class. Arm i of class k holds the class's posts that score
    at least ``arm_score{k}_{i}`` and are younger than ``arm_floor{k}_{i}``; post_bounds
    sets them so that the arms hold every post the bands and ranks keep, and these are
    tested after. Each arm is an index condition on ``(community_id, time, score)``
    (ix_post_community_*_score), so PostgreSQL reads a BitmapOr of the arms and skips a
    community's low-scoring posts inside the index: a low score ranks high for hours, a
    high score for days. Subscribed Active at scale L: 117 rows read instead of 3,900;
    Scaled 174 instead of 1,650 (decisions 0053, 0054). The arms hold the window's time
    range and least score too, so the page leaves those out (they made PostgreSQL read one
    range of the index and test the arms on every row of it)."""
    post = t.post
    classes: list[Select[Any]] = [FOLLOWED]
    if scaled:
        users = FOLLOWED_CLASSES.c.users_active_month
        edges = (None, *SCALED_CLASS_USERS, None)
        classes = []
        for k in range(CLASSES):
            members = select(FOLLOWED_CLASSES.c.id)
            if edges[k] is not None:
                members = members.where(users >= edges[k])
            if edges[k + 1] is not None:
                members = members.where(users < edges[k + 1])
            classes.append(members)
    return or_(*[and_(in_array(post.c.community_id, members), time_col > floor,
                      time_col < NOW, post.c.score >= least)
                 for members, floors, leasts in zip(classes, ARM_FLOORS, ARM_SCORES_LEAST,
                                                    strict=False)
                 for floor, least in zip(floors, leasts, strict=True)])


def segments(sort: str, featured: ColumnElement[bool], saved_only: bool,
             subscribed: bool = False, few: bool = False) -> list[Segment]:
    """``subscribed``: a logged-in Subscribed listing (only followed communities' posts);
    ``few``: of a reader of few communities (post_list.Shape.few_follows)."""
    post = t.post
    by_id = Key(post.c.id, True, "int")
    newest = Key(post.c.published, True, "time")
    if saved_only:
        # Lemmy orders saved posts by when they were saved, before any sort key.
        return [Segment((), (Key(my_saved.c.published, True, "time"), by_id))]
    if sort in HOT_SORTS:
        rank, hot, time_col = _rank(sort)
        ranked = (Key(rank, True, "float"), newest, by_id)
        # The bounds are written on the post's own columns, so that the database applies them
        # while it walks the time index, before any join.
        # FLOOR is never before CUT (it defaults to it): one lower bound, for the index range.
        banded = case(*[(t.post.c.score < below, band)
                        for below, band in zip(BAND_SCORES, BANDS, strict=True)], else_=FLOOR)
        window = (time_col > FLOOR, time_col < NOW)
        least_score = index_test(post.c.score >= SCORE_MIN)
        bounds: tuple[ColumnElement[bool], ...] = (least_score, time_col > banded, hot >= LEAST)
        if sort == "Scaled":
            # The least rank of the post's divisor class, then (once the community is joined)
            # the exact scaled rank.
            bounds = (least_score, time_col > banded, hot >= _class_least(subscribed, few),
                      rank >= RANKED)
        return [Segment((featured,), ranked),
                Segment((~featured,), ranked, window=window, decays_with=time_col,
                        scaled=sort == "Scaled", bounds=bounds),
                Segment((~featured, or_(time_col <= CUT, time_col >= NOW)), (newest, by_id))]
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
            where = (post.c.published > SINCE,)
            if 0 < TOP_WINDOWS[sort][0] <= 7:
                # A short window holds few posts: read its time range and sort them, rather
                # than walk the all-time score index (SQLite's choice without statistics),
                # and only those above a score floor (post_bounds.score_floors).
                keys = (Key(post.c.score + 0, True, "int"), newest, by_id)
                return [Segment((featured, *where), keys),
                        Segment((~featured, *where, unindexed(post.c.score) >= SCORE_FLOOR), keys,
                                scored=True)]
    return [Segment((featured, *where), keys), Segment((~featured, *where), keys)]
