"""``moot bench seed``: fill the configured database with a synthetic forum, in bulk.

The rows come from ``moot.bench.forum`` with every count already computed, so the seed can skip
what makes single writes safe and slow: secondary indexes and full-text triggers are dropped for
the load and rebuilt once at the end (a sorted build beats millions of random inserts), rows go
in as multi-row executemany batches in large transactions, and on SQLite the load runs with
``synchronous=OFF`` and foreign-key checks off. Whatever happens, the indexes and triggers are
put back before the command returns.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, insert, select, text, update
from sqlalchemy.schema import CreateIndex, DropIndex

from moot.actions.activity import refresh_active_counts
from moot.bench.forum import ACTIVE_WINDOWS, Forum, Ids, Scale
from moot.bench.progress import Progress
from moot.config import Settings
from moot.db import tables as t
from moot.db.engine import Database, make_engine
from moot.db.search_sql import FTS_SOURCES, pg_statements, sqlite_statements
from moot.db.tables.base import made_on
from moot.db.types import utcnow
from moot.security import hash_password

BENCH_PASSWORD = "bench-password-1"  # every seeded account's password (the runner logs in)
# Parents before children: foreign keys hold at every commit on PostgreSQL.
LOAD_ORDER = ("person", "local_user", "community", "community_moderator", "community_follower",
              "post", "post_like", "post_read", "comment", "comment_like")
FLUSH_ROWS = 50_000


class SeedError(RuntimeError):
    """The database cannot be seeded (it already holds posts)."""


@dataclass
class SeedReport:
    scale: str
    seed: int
    database: str
    seconds: float
    rows: dict[str, int]


def expected_rows(scale: Scale) -> int:
    follows = min(scale.followers, scale.people - 1) * min(scale.follows_each, scale.communities)
    return (2 * scale.people + 2 * scale.communities + follows + 2 * scale.posts
            + scale.comments + scale.votes)


def seed(settings: Settings, scale: Scale, seed_value: int, *, show_progress: bool = True
         ) -> SeedReport:
    from moot.cli import prepare_database

    prepare_database(settings)
    db = Database(make_engine(settings.database_url, pool_size=1, parallel=True))
    started = time.perf_counter()
    try:
        with db.engine.connect() as conn:
            forum = _forum(conn, settings, scale, seed_value)
            _load_pragmas(conn)
            with _without_secondary_indexes(conn):
                rows = _load(conn, forum, Progress(expected_rows(scale), "people",
                                                   enabled=show_progress))
                _write_totals(conn, forum, rows)
            with conn.begin():  # the clocks crossed edges while the seed ran
                refresh_active_counts(conn)
            _finish(conn)
    finally:
        db.dispose()
    return SeedReport(scale.name, seed_value, db.dialect, time.perf_counter() - started, rows)


def _forum(conn: Connection, settings: Settings, scale: Scale, seed_value: int) -> Forum:
    with conn.begin():
        if conn.execute(select(t.post.c.id).limit(1)).first() is not None:
            raise SeedError("the database already has posts: seed a fresh database")
        site = conn.execute(select(t.site.c.instance_id, t.site.c.public_key)).one()

        def next_id(table: Table) -> int:
            return int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()) + 1

        ids = Ids(next_id(t.person), next_id(t.community), next_id(t.post), next_id(t.comment))
    # One hash for every account: hashing is deliberately slow, and all share the password.
    return Forum(scale, seed_value, utcnow().replace(microsecond=0), settings.base_url, ids,
                 hash_password(BENCH_PASSWORD), site.public_key, site.instance_id)


def _load_pragmas(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    # Outside any transaction (foreign_keys is ignored inside one). A crash mid-load loses the
    # seed, never a real database: seeding refuses a database that has posts.
    for pragma in ("synchronous=OFF", "foreign_keys=OFF", "cache_size=-200000",
                   "temp_store=MEMORY"):
        raw.execute(f"PRAGMA {pragma}")


def _seeded_tables() -> list[Table]:
    return [getattr(t, name) for name in LOAD_ORDER] + [t.community_activity]


@contextmanager
def _without_secondary_indexes(conn: Connection) -> Iterator[None]:
    """Drop the non-unique indexes and full-text upkeep of the seeded tables; rebuild after."""
    sqlite = conn.dialect.name == "sqlite"
    indexes = [ix for table in _seeded_tables() for ix in table.indexes
               if not ix.unique and made_on(ix, conn.dialect.name)]
    with conn.begin():
        for ix in indexes:
            # IF EXISTS rather than checkfirst: SQLite cannot reflect an index on an expression
            # (ix_comment_post_parent), so checkfirst would not see it.
            conn.execute(DropIndex(ix, if_exists=True))
        for _table, fts, _cols in FTS_SOURCES:
            if sqlite:
                for suffix in ("ai", "ad", "au"):
                    conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            else:
                conn.exec_driver_sql(f"DROP INDEX IF EXISTS {fts}_gin")
    try:
        yield
    finally:
        with conn.begin():
            for ix in indexes:
                conn.execute(CreateIndex(ix, if_not_exists=True))
            _restore_full_text(conn, sqlite)


def _restore_full_text(conn: Connection, sqlite: bool) -> None:
    if not sqlite:
        for statement in pg_statements():
            conn.exec_driver_sql(statement.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))
        return
    for statement in sqlite_statements():
        if statement.startswith("CREATE TRIGGER"):
            conn.exec_driver_sql(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))
    for _table, fts, _cols in FTS_SOURCES:
        # External-content FTS5 tables re-read their source table.
        conn.exec_driver_sql(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def _batches(forum: Forum) -> Iterator[tuple[str, dict[str, list[dict[str, Any]]]]]:
    for batch in forum.people():
        yield "people", batch
    for batch in forum.communities():
        yield "communities", batch
    for batch in forum.follows():
        yield "follows", batch
    for batch in forum.threads():
        yield "threads", batch


def _load(conn: Connection, forum: Forum, progress: Progress) -> dict[str, int]:
    rows = {name: 0 for name in LOAD_ORDER}
    buffer: dict[str, list[dict[str, Any]]] = {name: [] for name in LOAD_ORDER}
    pending = 0
    for label, batch in _batches(forum):
        for name, new in batch.items():
            buffer[name].extend(new)
            pending += len(new)
        if pending >= FLUSH_ROWS:
            _flush(conn, buffer, rows)
            progress.advance(pending, label)
            pending = 0
    _flush(conn, buffer, rows)
    progress.advance(pending)
    progress.close()
    return rows


def _flush(conn: Connection, buffer: dict[str, list[dict[str, Any]]], rows: dict[str, int]
           ) -> None:
    with conn.begin():
        for name in LOAD_ORDER:
            if buffer[name]:
                if conn.dialect.name == "postgresql":
                    _copy(conn, name, buffer[name])
                else:
                    conn.execute(insert(getattr(t, name)), buffer[name])
                rows[name] += len(buffer[name])
                buffer[name] = []


def _copy(conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """COPY … FROM STDIN: PostgreSQL's bulk path (executemany ran at under 1,000 rows/s)."""
    names = list(rows[0])
    raw: Any = conn.connection.driver_connection  # psycopg, inside this transaction
    columns = ", ".join(f'"{n}"' for n in names)
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[n] for n in names])


def _write_totals(conn: Connection, forum: Forum, rows: dict[str, int]) -> None:
    totals, ids, now = forum.totals, forum.ids, forum.now
    person_rows = [{"pid": ids.person + i, "pc": totals.post_count[i], "ps": totals.post_score[i],
                    "cc": totals.comment_count[i], "cs": totals.comment_score[i],
                    "la": totals.last_active[i]}
                   for i in range(totals.people)]
    active = {name: totals.active_counts(name, now) for name, _days in ACTIVE_WINDOWS}
    community_rows = [{"cid": ids.community + i, "posts_": totals.posts[i],
                       "comments_": totals.comments[i], "subs": totals.subscribers[i],
                       **{f"{name}_": active[name][i] for name, _days in ACTIVE_WINDOWS}}
                      for i in range(totals.communities)]
    p, c = t.person.c, t.community.c
    with conn.begin():
        conn.execute(update(t.person).where(p.id == bindparam("pid")).values(
            post_count=bindparam("pc"), post_score=bindparam("ps"),
            comment_count=bindparam("cc"), comment_score=bindparam("cs"),
            last_active=bindparam("la")), person_rows)
        conn.execute(update(t.community).where(c.id == bindparam("cid")).values(
            posts=bindparam("posts_"), comments=bindparam("comments_"),
            subscribers=bindparam("subs"), subscribers_local=bindparam("subs"),
            **{name: bindparam(f"{name}_") for name, _days in ACTIVE_WINDOWS}), community_rows)
        _write_activity(conn, forum)
        _write_site_totals(conn, forum, rows)


def _write_activity(conn: Connection, forum: Forum) -> None:
    people, ids = forum.scale.people, forum.ids
    pairs = iter(sorted(forum.totals.recent.items()))  # in primary-key order
    while batch := [{"community_id": ids.community + key // people,
                     "person_id": ids.person + key % people, "last_active": when}
                    for key, when in itertools.islice(pairs, FLUSH_ROWS)]:
        if conn.dialect.name == "postgresql":
            _copy(conn, "community_activity", batch)
        else:
            conn.execute(insert(t.community_activity), batch)


def _write_site_totals(conn: Connection, forum: Forum, rows: dict[str, int]) -> None:
    """Every seeded row is local and counted; the seed refuses a database with posts, so nobody
    was active before it (the clocks are as of ``forum.now``; the refresh after the load
    brings them to the end of the seed)."""
    totals, s = forum.totals, t.site_aggregates.c
    conn.execute(update(t.site_aggregates).values(
        users=s.users + rows["person"], posts=s.posts + rows["post"],
        comments=s.comments + rows["comment"], communities=s.communities + rows["community"],
        active_counted_at=forum.now,
        **{name: totals.site_active(name, forum.now) for name, _days in ACTIVE_WINDOWS}))


def _finish(conn: Connection) -> None:
    """Sequences past the explicit ids and planner statistics (PostgreSQL), a compact WAL.

    SQLite gets no ANALYZE: a Moot database never runs one, and with sqlite_stat1 present the
    planner picks other plans (measured: a deep Hot page went from 0.2 ms to 170 ms, scanning
    communities first and sorting), so statistics would measure a database nobody runs.
    """
    if conn.dialect.name == "postgresql":
        with conn.begin():
            for name in ("person", "local_user", "community", "post", "comment"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                  f"(SELECT coalesce(max(id), 1) FROM {name}))"))
            conn.exec_driver_sql("ANALYZE")
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
