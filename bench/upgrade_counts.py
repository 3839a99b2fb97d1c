"""Bring a database made before the current schema up to it, in bulk: the counts kept on write
(decision 0035) and what came after.

    MOOT_DATABASE_URL=sqlite:////tmp/counts-l.db python -m bench.upgrade_counts

(from the checkout's root, so that it imports this checkout's moot).

Until the first release Moot keeps one initial migration and regenerates it, so a database that
already carries that revision (the seeded scale-L database, for one) gets no new tables from
`moot migrate`. This adds every missing table (`site_aggregates`, `community_activity`,
`ap_fanout` of decision 0038, …), `person.last_active` and every missing index (the post
indexes of decision 0036, the comment tree's of 0034), replaces PostgreSQL's functions (the
hot rank in double precision), then fills the counts with a few set-based statements
(moot/db/fill_counts.py) and recounts every community's active users.
Idempotent: what exists is left alone, and a second run does nothing.
"""

from __future__ import annotations

import os
import sys
import time

from sqlalchemy import Connection, inspect
from sqlalchemy.schema import CreateIndex

from moot.db import fill_counts
from moot.db import tables as t
from moot.db.engine import make_engine
from moot.db.tables.base import made_on
from moot.ranking import PG_HOT_RANK_FUNCTION


def _add_schema(conn: Connection) -> list[str]:
    """The tables and the column (the person index is built after the fill)."""
    done = []
    found = inspect(conn)
    for table in t.metadata.sorted_tables:
        if not found.has_table(table.name):
            table.create(conn)  # with its indexes: the recount of every community needs them
            done.append(f"table {table.name}")
    if "last_active" not in {c["name"] for c in found.get_columns("person")}:
        kind = "BIGINT" if conn.dialect.name == "sqlite" else "TIMESTAMP WITH TIME ZONE"
        conn.exec_driver_sql(f"ALTER TABLE person ADD COLUMN last_active {kind}")
        done.append("column person.last_active")
    return done


def _add_indexes(conn: Connection) -> None:
    # Every table's, among them the listings' (time, score) indexes of decision 0036 and the
    # tree's (post_id, parent path) of 0034. IF NOT EXISTS rather than a reflection, which
    # SQLite cannot do for an index on an expression.
    # An index the tables keep to the other database (tables.base.only_on) is one this
    # database's index replaced: the (community, time) indexes of 0053 by 0054's with the score.
    for table in t.metadata.sorted_tables:
        for index in table.indexes:
            if made_on(index, conn.dialect.name):
                conn.execute(CreateIndex(index, if_not_exists=True))
            else:
                conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")
    if conn.dialect.name == "postgresql":  # CREATE OR REPLACE: the current definition
        conn.exec_driver_sql(PG_HOT_RANK_FUNCTION)


def upgrade(url: str) -> None:
    engine = make_engine(url, pool_size=1, parallel=True)
    try:
        started = time.perf_counter()
        with engine.begin() as conn:
            added = _add_schema(conn)
            filled = fill_counts.fill(conn)
            _add_indexes(conn)
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("ANALYZE person, community_activity")
        took = time.perf_counter() - started
        print(f"added: {', '.join(added) or 'nothing'}; counts "
              f"{'filled' if filled else 'were already there'} ({took:.1f} s)")
    finally:
        engine.dispose()


def main() -> None:
    url = os.environ.get("MOOT_DATABASE_URL") or (sys.argv[1] if len(sys.argv) > 1 else "")
    if not url:
        sys.exit("usage: MOOT_DATABASE_URL=<url> python -m bench.upgrade_counts")
    upgrade(url)


if __name__ == "__main__":
    main()
