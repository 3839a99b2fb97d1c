"""Lemmy's ranking formulas, in one place, for Python and for SQL.

Hot-style ranks decay with time, so they are not stored: listings compute them in SQL over the
posts of the last seven days (older ones rank 0 and fall back to ``published``), which an index
on the time column bounds. Controversy does not decay, so it is stored on every vote.
See docs/decisions/0002-ranking-without-refresh-jobs.md.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.expression import bindparam
from sqlalchemy.sql.functions import FunctionElement

from moot.db.types import UtcDateTime

HOT_WINDOW = timedelta(days=7)
# Comments made while a post is younger than this bump its Active rank.
NECRO_WINDOW = timedelta(days=2)
_HOT_WINDOW_US = int(HOT_WINDOW.total_seconds() * 1_000_000)


def hot_rank(score: int, published: datetime, now: datetime) -> float:
    age = (now - published).total_seconds()
    if age <= 0 or age >= HOT_WINDOW.total_seconds():
        return 0.0
    return math.log10(max(2, score + 2)) / math.pow(age / 3600 + 2, 1.8)


def hot_rank_micros(score: int | None, published_us: int | None, now_us: int | None) -> float:
    """The SQLite implementation of ``moot_hot_rank`` (times as epoch microseconds)."""
    if score is None or published_us is None or now_us is None:
        return 0.0
    age = now_us - published_us
    if age <= 0 or age >= _HOT_WINDOW_US:
        return 0.0
    return math.log10(max(2, score + 2)) / math.pow(age / 3_600_000_000 + 2, 1.8)


def hours_ranking_at_least(least: float, top_score: int) -> float:
    """The greatest age, in hours, at which a post scoring at most ``top_score`` still has a
    hot rank of ``least`` or more (infinite for a bound of 0): the rank grows with the score
    and falls with age, so ``log10(max(2, top + 2)) / (hours + 2) ** 1.8 >= least`` bounds it."""
    if least <= 0:
        return math.inf
    return max(0.0, (math.log10(max(2, top_score + 2)) / least) ** (1 / 1.8) - 2)


def least_score_ranking(least: float) -> int | None:
    """A score below which no post's hot rank reaches ``least`` at any age (None: every score
    can). The rank is highest for a post just published, ``log10(max(2, score + 2)) / 2 **
    1.8``, so a post needs ``score + 2 > 10 ** (least * 2 ** 1.8)``; one lower for rounding."""
    need = least * 2 ** 1.8
    if need <= math.log10(2):
        return None
    if need > 9.5:
        return 2 ** 31 - 1  # beyond any score (PostgreSQL's score is a 32-bit integer)
    return math.floor(10 ** need - 2) - 1


# Scaled divides the hot rank by log10(2 + users_active_month): by this much at the least.
SCALED_DIVISOR_MIN = math.log10(2)
# Scaled's divisor classes: a community with at least SCALED_CLASS_USERS[k - 1] monthly users
# divides by at least log10(10 ** k) = k, and one with fewer than the first by
# SCALED_DIVISOR_MIN. Listings bound each class's candidates with its own least divisor
# (docs/decisions/0043-scaled-divisor-classes.md).
SCALED_CLASS_USERS = (8, 98, 998, 9998)


def controversy_rank(upvotes: int, downvotes: int) -> float:
    if upvotes <= 0 or downvotes <= 0:
        return 0.0
    return float((upvotes + downvotes) ** (min(upvotes, downvotes) / max(upvotes, downvotes)))


def scaled_divisor(users_active_month: int) -> float:
    return math.log10(2 + users_active_month)


def scaled_class_divisors() -> tuple[float, ...]:
    """The least divisor of each class: SCALED_DIVISOR_MIN, then one per SCALED_CLASS_USERS."""
    return (SCALED_DIVISOR_MIN, *(scaled_divisor(users) for users in SCALED_CLASS_USERS))


# PostgreSQL twin of hot_rank_micros, created by the initial migration. The age is cast to
# double precision: extract() gives numeric, and numeric power() cost ~30 µs a row (a Hot
# page at scale S spent 10 ms in it).
PG_HOT_RANK_FUNCTION = """
CREATE OR REPLACE FUNCTION moot_hot_rank(score integer, published timestamptz, now timestamptz)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN now - published > interval '0' AND now - published < interval '7 days'
    THEN log(greatest(2, score + 2)::double precision)
         / power(extract(epoch FROM (now - published))::double precision / 3600 + 2, 1.8)
    ELSE 0::double precision END
$$
"""


class _HotRank(FunctionElement[float]):
    """``moot_hot_rank(score, time, now)``: on PostgreSQL the SQL function (which the planner
    inlines); on SQLite the same arithmetic written out in SQL, since calling the registered
    Python function cost about 1.5 µs a row, and a Hot listing or a big thread ranks
    thousands of rows (bench/README.md)."""

    name = "moot_hot_rank"
    type = Float()
    inherit_cache = True


@compiles(_HotRank)
def _hot_rank_function(element: _HotRank, compiler: Any, **kw: Any) -> str:
    return f"moot_hot_rank({compiler.process(element.clauses, **kw)})"


@compiles(_HotRank, "sqlite")
def _hot_rank_sqlite(element: _HotRank, compiler: Any, **kw: Any) -> str:
    score, time, now = (compiler.process(arg, **kw) for arg in element.clauses)
    age = f"({now} - {time})"  # SQLite keeps times as epoch microseconds
    return (f"(CASE WHEN {age} > 0 AND {age} < {_HOT_WINDOW_US} "
            f"THEN log10(max(2, {score} + 2)) / pow({age} / 3600000000.0 + 2, 1.8) "
            f"ELSE 0.0 END)")


def hot_rank_sql(score: ColumnElement[int], time: ColumnElement[datetime],
                 now: datetime | ColumnElement[datetime]) -> ColumnElement[float]:
    """``now`` is a value, or an expression (a named bindparam in a statement built once)."""
    if isinstance(now, datetime):
        now = bindparam(None, now, type_=UtcDateTime())
    return _HotRank(score, time, now)
