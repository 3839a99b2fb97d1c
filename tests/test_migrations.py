"""The schema is the same whichever way a database gets it: replaying the migration history
(an existing database being upgraded) or creating it fresh (an empty one), and both match the
tables in moot/db/tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from moot.db.engine import Database, make_engine
from moot.db.migrate import _head_revision, is_current, run_migrations
from moot.db.tables import metadata
from moot.db.tables.base import made_on


def _differences(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        def include(obj: object, name: str | None, type_: str, reflected: bool, *_: object
                    ) -> bool:
            if type_ == "index" and not reflected and not made_on(obj, conn.dialect.name):
                return False  # an index of the other database only (tables.base.only_on)
            return not (name or "").startswith("fts_")
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "include_object": include})
        return list(compare_metadata(context, metadata))


def _objects(db: Database) -> set[str]:
    """Everything the schema has, including what autogenerate does not see (FTS, functions)."""
    with db.engine.connect() as conn:
        if db.is_sqlite:
            return set(conn.execute(text("SELECT type || ':' || name FROM sqlite_master "
                                         "WHERE name NOT LIKE 'sqlite_%'")).scalars())
        indexes = conn.execute(text("SELECT 'index:' || indexname FROM pg_indexes "
                                    "WHERE schemaname = 'public'")).scalars()
        functions = conn.execute(text("SELECT 'function:' || proname FROM pg_proc "
                                      "WHERE proname LIKE 'moot_%'")).scalars()
        return set(indexes) | set(functions) | {f"table:{n}" for n in inspect(conn).get_table_names()}


def _empty(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(database_url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    db = Database(make_engine(database_url, pool_size=1))
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
        conn.execute(text("DROP FUNCTION IF EXISTS moot_hot_rank"))
    db.dispose()


# SQLite cannot reflect indexes on expressions (ix_comment_post_parent); the test still checks
# that both ways create them (_objects), and PostgreSQL compares them in full.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_fresh_and_migrated_schemas_match_the_tables(database_url: str) -> None:
    # The test database was created fresh (create_fresh) from the template.
    fresh = Database(make_engine(database_url, pool_size=1))
    try:
        assert is_current(fresh)
        assert _differences(fresh) == []
        fresh_objects = _objects(fresh)
    finally:
        fresh.dispose()
    _empty(database_url)
    replayed = Database(make_engine(database_url, pool_size=1))
    try:
        run_migrations(replayed)
        assert is_current(replayed)
        assert _head_revision()
        assert _differences(replayed) == []
        assert _objects(replayed) == fresh_objects
        assert any("fts_post" in name or "fts_post_gin" in name for name in fresh_objects)
    finally:
        replayed.dispose()
