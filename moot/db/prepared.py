"""Prebuilt statements run straight on SQLite's DB-API cursor, on the hot write paths.

``Connection.execute`` costs some 40-50 µs of Python per statement before SQLite sees it (the
statement's cache key is rebuilt from its tree, parameters are processed, events are asked, a
result object is set up), while SQLite runs a key lookup in a few µs: for a vote's fifteen
statements that was most of its CPU (bench/README.md, "Votes with readers", decision 0038).
``run`` compiles a module-level statement once per set of parameter names, then on SQLite binds
positionally with the types' own bind processors, executes on the DB-API connection of the same
transaction, and applies the types' result processors: the same values SQLAlchemy returns.

An expanding ``IN`` list is spelled with one ``?`` per item, the statement's text kept per
list length. What it does not handle goes to ``Connection.execute`` unchanged: other
databases, statements whose compiled form needs SQLAlchemy at run time (Python-side column
defaults, literal-rendered parameters), an empty ``IN`` list, and parameters passed as a list
(executemany: ``run_many`` does that one on the DB-API cursor, for statements without result
rows). Only statements built once at import time may be passed: they are cached by identity.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql import ClauseElement, visitors

from moot.db.engine import pg_execute

_MISSING = object()
MAX_PLANS = 4096


@dataclass(frozen=True)
class _Plan:
    sql: str
    binds: tuple[tuple[str, Any, Callable[[Any], Any] | None], ...]  # name, fixed value, proc
    row: Any  # a namedtuple class of the result's columns, or None
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]  # the columns that have one
    expanding: tuple[str, ...] = ()  # names of IN-list parameters
    texts: dict[tuple[int, ...], str] | None = None  # the SQL per IN-list lengths


_plans: dict[tuple[int, tuple[str, ...], str], tuple[ClauseElement, Any]] = {}


def run(conn: Connection, statement: Any, params: Mapping[str, Any] | None = None) -> Any:
    """Execute like ``conn.execute(statement, params)``; the result answers ``first``, ``one``,
    ``all``, ``scalar``, ``scalar_one``, ``scalars``, ``mappings`` and ``rowcount``."""
    dialect = conn.dialect.name
    if dialect not in ("sqlite", "postgresql") or not isinstance(params, Mapping | None):
        return conn.execute(statement, params)
    names = tuple(params) if params else ()
    key = (id(statement), names, dialect)
    found = _plans.get(key)
    if found is None:
        if len(_plans) >= MAX_PLANS:
            _plans.clear()  # statements built per shape (views/post_list.py) come and go
        made = _plan(conn, statement, names) if dialect == "sqlite" \
            else _pg_plan(conn, statement, names)
        found = (statement, made)
        _plans[key] = found  # the statement is kept, so its id stays its own
    plan = found[1]
    if plan is None:
        return conn.execute(statement, params)
    if isinstance(plan, _PgPlan):
        return _run_pg(conn, plan, params or {})
    values = params or {}
    sql: str | None = plan.sql
    if plan.expanding:
        sql = _expanded(plan, values)
        if sql is None:
            return conn.execute(statement, params)
    args: list[Any] = []
    for name, fixed, proc in plan.binds:
        value = values.get(name, fixed)
        if name in plan.expanding:
            args.extend(value if proc is None else [proc(v) for v in value])
        else:
            args.append(proc(value) if proc is not None and value is not None else value)
    cursor = conn.connection.driver_connection.execute(sql, args)  # type: ignore[union-attr]
    if plan.row is None:
        return Result(None, [], cursor.rowcount)
    rows = cursor.fetchall()
    if plan.processors:
        rows = [_processed(row, plan.processors) for row in rows]
    return Result(plan.row, [plan.row._make(r) for r in rows], cursor.rowcount)


def run_many(conn: Connection, statement: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    """Execute a statement without result rows once per parameter set (executemany), on
    SQLite's DB-API cursor like ``run``; every set must name the same parameters."""
    if not rows:
        return
    plan = None
    if conn.dialect.name == "sqlite":
        names = tuple(rows[0])
        key = (id(statement), names, "sqlite")
        found = _plans.get(key)
        if found is None:
            found = (statement, _plan(conn, statement, names))
            _plans[key] = found
        plan = found[1]
    if plan is None or plan.expanding or plan.row is not None:
        conn.execute(statement, list(rows))
        return
    args = [_bound(plan.binds, values) for values in rows]
    conn.connection.driver_connection.executemany(plan.sql, args)  # type: ignore[union-attr]


def _bound(binds: tuple[tuple[str, Any, Any], ...], values: Mapping[str, Any]) -> list[Any]:
    out = []
    for name, fixed, proc in binds:
        value = values.get(name, fixed)
        out.append(proc(value) if proc is not None and value is not None else value)
    return out


def _processed(row: tuple[Any, ...], processors: tuple[tuple[int, Any], ...]) -> list[Any]:
    values = list(row)
    for index, process in processors:
        if values[index] is not None:
            values[index] = process(values[index])
    return values


def _plan(conn: Connection, statement: Any, names: tuple[str, ...]) -> _Plan | None:
    # A copy is compiled, not the statement: compiling fills in the column collection of every
    # join in the tree, each holding the columns of all that was joined before it, and they
    # stay with the statement, which is kept. For the ten front-page listings at scale L that
    # was 12 of 15 MB that a server kept; the copy's collections go with the copy.
    copy = visitors.cloned_traverse(statement, {}, {})
    compiled: Any = copy.compile(dialect=conn.dialect, column_keys=list(names))
    if compiled.insert_prefetch or compiled.update_prefetch \
            or compiled.literal_execute_params or compiled.positiontup is None:
        return None  # needs SQLAlchemy's execution context
    expanding = tuple(sorted({compiled.bind_names[bind] for bind in compiled.post_compile_params}))
    if any(name not in names for name in expanding):
        return None
    processors = compiled._bind_processors
    binds = []
    for name in compiled.positiontup:
        bind = compiled.binds[name]
        fixed = _MISSING if name in names else bind.effective_value
        if fixed is _MISSING and name not in names:
            return None
        binds.append((name, None if fixed is _MISSING else fixed, processors.get(name)))
    columns = compiled._result_columns
    if not columns:
        return _Plan(compiled.string, tuple(binds), None, (), expanding, {})
    dialect = conn.dialect
    result_processors = tuple(
        (index, process) for index, column in enumerate(columns)
        if (process := column[3]._cached_result_processor(dialect, None)) is not None)
    return _Plan(compiled.string, tuple(binds), _row_class(columns), result_processors,
                 expanding, {})


def _row_class(columns: Sequence[Any]) -> Any:
    """A namedtuple class of a compiled statement's result columns, with their names as
    ``keys_`` (for ``mappings``)."""
    keys = [column[0] for column in columns]
    row = namedtuple("Row", keys, rename=True)  # type: ignore[misc]
    row.keys_ = tuple(keys)  # type: ignore[attr-defined]
    return row


# PostgreSQL ----------------------------------------------------------------------------------
# The same idea on psycopg: the statement's text and bind processors compiled once, the
# parameters bound by name, the rows fetched as tuples and processed with the types' result
# processors. Through ``Connection.execute`` a listing's eight statements cost ~3.5 ms of
# Python a request at scale L beyond PostgreSQL's own time (SQLAlchemy's context, psycopg's
# cursor description of 80 columns, the result's metadata); decision 0051. The execution
# options of moot/db/engine.py (the plan modes) are honoured, and a driver error is
# raised as SQLAlchemy raises it (a dropped connection invalidates the pool, as one_read needs).


@dataclass
class _PgPlan:
    sql: str
    binds: tuple[tuple[str, Any, Callable[[Any], Any] | None], ...]  # name, fixed value, proc
    row: Any  # a namedtuple class of the result's columns, or None
    columns: tuple[Any, ...]  # the result columns' types, for their processors
    processors: tuple[tuple[int, Callable[[Any], Any]], ...] | None = None  # after a first run
    options: Mapping[str, Any] | None = None


def _pg_plan(conn: Connection, statement: Any, names: tuple[str, ...]) -> _PgPlan | None:
    copy = visitors.cloned_traverse(statement, {}, {})  # as _plan: the kept statement stays lean
    compiled: Any = copy.compile(dialect=conn.dialect, column_keys=list(names))
    if compiled.insert_prefetch or compiled.update_prefetch or compiled.literal_execute_params \
            or compiled.positiontup is not None or getattr(compiled, "escaped_bind_names", None):
        return None  # needs SQLAlchemy's execution context
    sql = compiled.string
    # An expanding IN list becomes one array parameter: ``IN (__[POSTCOMPILE_ids])`` is
    # ``= ANY(%(ids)s)``, which PostgreSQL plans the same, and the text stays one statement
    # whatever the list's length (an empty list matches nothing either way).
    expanding = set()
    for bind in compiled.post_compile_params:
        name = compiled.bind_names[bind]
        placeholder = f"IN (__[POSTCOMPILE_{name}])"
        if name not in names or f"NOT {placeholder}" in sql or placeholder not in sql:
            return None
        sql = sql.replace(placeholder, f"= ANY(%({name})s)")
        expanding.add(name)
    if "__[POSTCOMPILE_" in sql:
        return None
    sql, order = _native(sql)
    processors = compiled._bind_processors
    binds = []
    for name in order:
        bind = compiled.binds.get(name)
        if bind is None or (name not in names and bind.required):
            return None  # SQLAlchemy's error for a missing value
        fixed = None if name in names else bind.effective_value
        proc = processors.get(name)
        if name in expanding:
            proc = _each(proc)
        binds.append((name, fixed, proc))
    options = statement.get_execution_options() if hasattr(statement, "get_execution_options") \
        else {}
    columns = compiled._result_columns
    if not columns:
        return _PgPlan(sql, tuple(binds), None, (), (), options)
    return _PgPlan(sql, tuple(binds), _row_class(columns), tuple(c[3] for c in columns), None,
                   options)


_PLACEHOLDER = re.compile(r"%%|%\((\w+)\)s")


def _native(sql: str) -> tuple[str, list[str]]:
    """The statement with PostgreSQL's own placeholders (``$1``…), and the parameters' names
    in their order: run on psycopg's RawCursor, which sends the text as it is. psycopg's
    cursor parses ``%(name)s`` out of a statement's text on every run, and only caches that
    for texts under 4 KB; a listing's statements are 5-7 KB (0.4 ms a Hot page)."""
    order: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "%"  # the driver's escape of a literal %
        if name not in order:
            order.append(name)
        return f"${order.index(name) + 1}"
    return _PLACEHOLDER.sub(number, sql), order


def _each(proc: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    """An IN list's values as a list (psycopg sends it as an array), each processed."""
    if proc is None:
        return list
    return lambda values: [None if v is None else proc(v) for v in values]


def _run_pg(conn: Connection, plan: _PgPlan, values: Mapping[str, Any]) -> Result:
    import psycopg  # here: a server on SQLite never loads it (5.5 MB, decision 0057)

    args = _bound(plan.binds, values)
    raw: Any = conn.connection.driver_connection
    cursor: Any = psycopg.RawCursor(raw)
    try:
        pg_execute(cursor, plan.sql, args, plan.options or {})
        if plan.row is None:
            return Result(None, [], cursor.rowcount)
        rows = cursor.fetchall()
        if plan.processors is None:
            plan.processors = _pg_processors(conn, plan, cursor)
        rowcount = cursor.rowcount
    except psycopg.Error as exc:
        conn._handle_dbapi_exception(exc, plan.sql, args, cursor, None)  # raises SQLAlchemy's
        raise
    finally:
        cursor.close()
    if plan.processors:
        rows = [_processed(row, plan.processors) for row in rows]
    return Result(plan.row, [plan.row._make(r) for r in rows], rowcount)


def _pg_processors(conn: Connection, plan: _PgPlan, cursor: Any
                   ) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """The result processors, as SQLAlchemy picks them from the columns' types and the types
    the server sent (a float column's depends on it)."""
    codes = [column.type_code for column in cursor.description]
    dialect = conn.dialect
    return tuple((index, process) for index, (type_, code) in enumerate(
        zip(plan.columns, codes, strict=True))
        if (process := type_._cached_result_processor(dialect, code)) is not None)


def _expanded(plan: _Plan, values: Mapping[str, Any]) -> str | None:
    """The statement's text for these IN-list lengths; None for an empty or odd list."""
    lists = [values[name] for name in plan.expanding]
    if not all(isinstance(v, list | tuple) and v and not isinstance(v[0], list | tuple)
               for v in lists):
        return None  # SQLAlchemy spells an empty IN its own way; tuples are not handled here
    lengths = tuple(len(v) for v in lists)
    assert plan.texts is not None
    sql = plan.texts.get(lengths)
    if sql is None:
        sql = plan.sql
        for name, length in zip(plan.expanding, lengths, strict=True):
            sql = sql.replace(f"__[POSTCOMPILE_{name}]", ", ".join("?" * length))
        plan.texts[lengths] = sql
    return sql


class Result:
    """The rows of one execution, already fetched."""

    def __init__(self, row: Any, rows: list[Any], rowcount: int) -> None:
        self._keys: tuple[str, ...] = row.keys_ if row is not None else ()
        self._rows = rows
        self.rowcount = rowcount

    def keys(self) -> tuple[str, ...]:
        return self._keys

    def all(self) -> list[Any]:
        return self._rows

    def first(self) -> Any:
        return self._rows[0] if self._rows else None

    def one(self) -> Any:
        if len(self._rows) != 1:
            raise LookupError(f"expected one row, got {len(self._rows)}")
        return self._rows[0]

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None

    def scalar_one(self) -> Any:
        return self.one()[0]

    def scalars(self) -> list[Any]:
        return [row[0] for row in self._rows]

    def mappings(self) -> _Mappings:
        return _Mappings(self._keys, self._rows)


class _Mappings:
    def __init__(self, keys: tuple[str, ...], rows: list[Any]) -> None:
        self._keys = keys
        self._rows = rows

    def all(self) -> list[dict[str, Any]]:
        return [dict(zip(self._keys, row, strict=True)) for row in self._rows]

    def first(self) -> dict[str, Any] | None:
        return dict(zip(self._keys, self._rows[0], strict=True)) if self._rows else None

    def one(self) -> dict[str, Any]:
        if len(self._rows) != 1:
            raise LookupError(f"expected one row, got {len(self._rows)}")
        return dict(zip(self._keys, self._rows[0], strict=True))
