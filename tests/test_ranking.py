"""The least score a ranked listing's candidates need (moot.ranking.least_score_ranking): below
it no post ranks high enough at any age, and a little above it a new post does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from moot.ranking import hot_rank, least_score_ranking

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
JUST = NOW - timedelta(microseconds=1)  # the highest rank a score can have


@pytest.mark.parametrize("least", [0.09, 0.0865, 0.1, 0.2371, 0.5, 0.75, 1.0, 1.3, 2.0])
def test_no_score_below_the_least_reaches_the_floor(least: float) -> None:
    score = least_score_ranking(least)
    assert score is not None
    for below in {-5, 0, score // 2, score - 1} - {score}:
        assert hot_rank(below, JUST, NOW) < least, (least, below)
    # Two above it is past the rounding margin: a post that new does reach the floor.
    assert hot_rank(score + 2, JUST, NOW) >= least, (least, score)
    # And it does not at an age where the floor's own time bound would have dropped it.
    assert hot_rank(score + 2, NOW - timedelta(days=6), NOW) < least


def test_floors_every_score_reaches_bound_nothing() -> None:
    # log10(2) / 2 ** 1.8: the rank of a new post scoring 0 or less.
    for least in (0.0, -1.0, 0.05, 0.0864):
        assert least_score_ranking(least) is None
        assert hot_rank(-10, JUST, NOW) >= least


def test_a_floor_beyond_any_score_keeps_the_bound_in_range() -> None:
    assert least_score_ranking(5.0) == 2 ** 31 - 1
