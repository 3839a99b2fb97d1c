"""The one migration history creates exactly the schema that moot/db/tables describes."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from moot.db.engine import Database, make_engine
from moot.db.migrate import _head_revision, is_current
from moot.db.tables import metadata


def test_migrated_database_matches_the_tables(database_url: str) -> None:
    db = Database(make_engine(database_url, pool_size=1))
    try:
        assert is_current(db)
        assert _head_revision()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True,
                "include_object": lambda obj, name, *_: not (name or "").startswith("fts_"),
            })
            assert compare_metadata(context, metadata) == []
    finally:
        db.dispose()
