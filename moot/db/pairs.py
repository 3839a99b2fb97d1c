"""Pairs of ids as a table to join on a two-column key.

A batch of votes asks about (post, voter) or (community, voter) pairs. Two IN lists, one per
column, make the database probe every combination (64 posts × 48 voters: 3,072 index lookups,
and the rows of combinations nobody asked about); a ``WITH v(a, b) AS (VALUES …)`` joined on
the key probes each pair once.

The VALUES list has one bound parameter per id, so that a statement using it is built once
and runs through moot.db.prepared (a statement with literal data would be compiled on every
execution: ~10 ms for a batch's flags). Its length is rounded up to a power of two, the last
pair repeated: a handful of statements per use, and a repeated pair only finds the same rows
again, which callers that collect into a dict or set do not notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Integer, bindparam, column, values
from sqlalchemy.sql.selectable import CTE


def size_for(count: int) -> int:
    """The number of rows a VALUES list for ``count`` pairs gets."""
    size = 1
    while size < count:
        size *= 2
    return size


@cache
def pairs_cte(name: str, size: int) -> CTE:
    """A CTE ``name`` with integer columns ``a`` and ``b`` and ``size`` rows of parameters
    ``{name}_a{i}``, ``{name}_b{i}`` (filled by pairs_params)."""
    rows = [(bindparam(f"{name}_a{i}", type_=Integer()), bindparam(f"{name}_b{i}", type_=Integer()))
            for i in range(size)]
    return values(column("a", Integer()), column("b", Integer()), name=name).data(rows).cte(name)


def pairs_params(name: str, pairs: Iterable[tuple[int, int]], size: int) -> dict[str, Any]:
    """The parameters of pairs_cte(name, size) for these pairs (at least one, at most size)."""
    rows = sorted(set(pairs))
    assert 0 < len(rows) <= size
    rows += [rows[-1]] * (size - len(rows))
    params: dict[str, Any] = {}
    for i, (a, b) in enumerate(rows):
        params[f"{name}_a{i}"] = a
        params[f"{name}_b{i}"] = b
    return params
