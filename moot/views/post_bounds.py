"""Bounds that let a listing choose its page among a few candidates instead of a whole window
(docs/decisions/0036-bounded-listing-candidates.md).

*Hot, Active, Scaled.* A ranked segment holds every post of the last seven days; at scale L
that is about 30,000 posts, and ranking them all took 160 ms. The ``wanted`` newest rows of
the segment (the pilot, read through all the listing's filters) rank at least as high as the
lowest of them, so the ``wanted`` best rows do too: that rank is a floor for the page
(``least``; for Scaled, after the smallest divisor, log10(2), and ``least{k}`` after the
least divisor of each class of communities, docs/decisions/0043). A post's rank grows with its
score and falls with its age, so the highest score on the site turns the floor into an age
(``floor``) and each score band into its own age (``band{j}``): the database tells most
posts apart with an integer comparison on the (time, score) index before it reads a row,
and ranks only the rest. The bounds only ever drop posts that cannot be on the page, so the
page is exactly the one the whole window gives.

*Top windows up to a week.* The best scores of the window among every post (from the index
alone) give a floor that keeps at least as many posts as the page needs before the
listing's filters; if the filters leave a full page above it, no post below it can be on
that page, and otherwise the page is read without the floor.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql import Select

from moot.db import prepared
from moot.ranking import (
    HOT_WINDOW,
    SCALED_DIVISOR_MIN,
    hours_ranking_at_least,
    least_score_ranking,
    scaled_class_divisors,
)
from moot.views.post_sorts import (
    ARM_FLOORS,
    ARM_SCORES,
    ARM_SCORES_LEAST,
    BAND_SCORES,
    BANDS,
    CLASS_LEASTS,
    NO_SCORE_FLOOR,
    Segment,
)

# A page deeper than this (page/limit offset plus limit) is read without bounds.
BOUNDED_DEPTH = 1000
# How many of a ranked segment's newest rows set its floor: more rows cost more to read and
# give a higher floor, so fewer candidates (scale L, 20 posts: 100 rows leave 40-130).
PILOT_ROWS = 100
# How many more scores than the page needs each Top floor keeps, for the listing's filters:
# a first floor, then a lower one for a listing whose filters leave few of the window's best
# posts (a Subscribed page while the day's most voted posts are elsewhere).
SCORE_SLACKS = (2, 20)
# How much of a remembered floor, after the most it can fall with time, a page is read above
# (remembered_bounds): the rest leaves room for votes since.
REMEMBERED_SHARE = 0.95
TOP_SCORE_ANY = 2 ** 31 - 1  # no score is higher (PostgreSQL's score is a 32-bit integer)


def hot_bounds(conn: Connection, pilot: Select[Any], segment: Segment, run: dict[str, Any],
               wanted: int, hinted: tuple[Select[Any], list[int]] | None = None
               ) -> dict[str, Any] | None:
    """The parameters ``least``, ``ranked``, ``floor``, ``band{j}`` and ``score_min`` for a
    ranked segment's first ``wanted`` rows, Scaled's ``least{k}`` per divisor class, and
    the arms' ``arm_score{k}_{i}`` and ``arm_floor{k}_{i}`` (post_sorts.followed_arms);
    None if the segment has no rows at all.

    ``hinted``: the pilot's statement for given post ids (parameter ``hint``) and the ids of
    the last first page of this listing. Any rows of the segment give a valid floor, and
    these are likely the best ones: on a front page whose newest posts have not been voted
    on yet, the floor from the newest rows alone let through 300 candidates at scale L.
    When at least ``wanted`` of them are in the segment, the newest rows are not read."""
    hints = [] if hinted is None else \
        prepared.run(conn, hinted[0], dict(run, hint=hinted[1])).all()
    if len(hints) >= wanted:
        # Enough of the hinted posts are in the segment now (read through the same filters; a
        # hint that has since been removed, blocked, voted down or aged out is not among the
        # rows): their ranks give the floor, and the newest rows are not read.
        rows = hints
    else:
        rows = prepared.run(conn, pilot,
                            dict(run, limit=max(wanted, PILOT_ROWS), offset=0)).all() + hints
    if not rows:
        return None
    by_id = {row[2]: row[0] for row in rows}  # a post read by both counts once
    ranks = sorted(by_id.values(), reverse=True)
    return bounds_of(run, segment, ranks[min(wanted, len(ranks)) - 1], rows[0][1] or 0)


def remembered_bounds(run: dict[str, Any], segment: Segment, ranked: float,
                      then: datetime) -> dict[str, Any]:
    """The bounds of a floor remembered from this listing's last full first page, whose last
    post ranked ``ranked`` at ``then`` (post_list._bounded_rows). Any floor that leaves a full
    page above it is exact, wherever it comes from; this one is lowered by the most a rank
    can fall since (a post's rank falls fastest at age 0: by ``(2 / (2 + hours)) ** 1.8``) and
    a share for votes, so that the page is likely full again. The site's top score is not
    known without reading it, so the time bounds take the highest score there can be."""
    hours = max(0.0, (run["now"] - then).total_seconds() / 3600)
    lowered = ranked * (2 / (2 + hours)) ** 1.8 * REMEMBERED_SHARE
    return bounds_of(run, segment, lowered, TOP_SCORE_ANY)



def bounds_of(run: dict[str, Any], segment: Segment, ranked: float, top: int
              ) -> dict[str, Any]:
    """The bounds of a ranked segment's page whose posts rank ``ranked`` or more, when no post
    scores more than ``top`` (hot_bounds)."""
    least = ranked * (SCALED_DIVISOR_MIN if segment.scaled else 1.0)
    least *= 1 - 1e-9  # float rounding between the rank and its scaled form
    bounds = {"least": least, "ranked": ranked, "floor": _time_bound(run, least, top)}
    score_min = least_score_ranking(least)
    if score_min is not None:
        bounds["score_min"] = score_min  # on the time index (PostgreSQL; post_sorts.index_test)
    for below, band in zip(BAND_SCORES, BANDS, strict=True):
        bounds[band.key] = _time_bound(run, least, min(top, below - 1))
    leasts = [least]
    if segment.scaled:
        # Each divisor class's own least rank (the bands above stay those of the least divisor).
        for param, divisor in zip(CLASS_LEASTS, scaled_class_divisors()[1:], strict=True):
            bounds[param.key] = ranked * divisor * (1 - 1e-9)
            leasts.append(bounds[param.key])
    for least_k, scores, floors in zip(leasts, ARM_SCORES_LEAST, ARM_FLOORS, strict=False):
        bounds.update(_arms(run, least_k, top, scores, floors))
    return bounds


def _arms(run: dict[str, Any], least: float, top: int, scores: tuple[Any, ...],
          floors: tuple[Any, ...]) -> dict[str, Any]:
    """One class's arms (post_sorts.followed_arms): arm i holds the scores from ARM_SCORES[i -
    1] (from the least score that can rank ``least`` for the first) to under ARM_SCORES[i],
    and reaches back to when its highest score could still rank ``least``. A post that can
    rank ``least`` is in the arm of its score: its score is at least the arm's, and it is
    younger than the arm's highest score allows (a lower score must be younger)."""
    lowest = least_score_ranking(least)
    lowest = NO_SCORE_FLOOR if lowest is None else lowest
    lows = (lowest, *(max(score, lowest) for score in ARM_SCORES))
    highs = (*(score - 1 for score in ARM_SCORES), top)
    params: dict[str, Any] = {}
    for param, floor, low, high in zip(scores, floors, lows, highs, strict=True):
        params[param.key] = low
        params[floor.key] = _time_bound(run, least, min(top, high))
    return params


def _time_bound(run: dict[str, Any], least: float, top_score: int) -> Any:
    """The oldest time at which a post scoring at most ``top_score`` can rank ``least``."""
    hours = hours_ranking_at_least(least, top_score)
    if hours >= HOT_WINDOW.total_seconds() / 3600:
        return run["cut"]
    return max(run["cut"], run["now"] - timedelta(hours=hours, seconds=1))


def score_floors(conn: Connection, superset: Select[Any], run: dict[str, Any],
                 wanted: int) -> list[int]:
    """The lowest of the window's best ``slack * wanted`` scores among every post, for each
    of SCORE_SLACKS, highest first and each once; a slack the window holds fewer posts than
    gives none (a window that small is read without a floor)."""
    scores = [row[0] for row in prepared.run(
        conn, superset, dict(run, limit=SCORE_SLACKS[-1] * wanted)).all()]
    floors: list[int] = []
    for slack in SCORE_SLACKS:
        if len(scores) < slack * wanted:
            break
        floor = int(scores[slack * wanted - 1])
        if not floors or floor < floors[-1]:
            floors.append(floor)
    return floors
