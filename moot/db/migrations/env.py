"""Alembic environment: Moot passes an open connection in ``config.attributes``."""

from alembic import context

from moot.db.tables import metadata
from moot.db.tables.base import made_on

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `moot migrate`, which supplies the connection")

def _include(obj, name, type_, reflected, compare_to):
    # Full-text tables and indexes are created by hand in the initial migration, and so are
    # the indexes of one database only (tables.base.only_on).
    if type_ == "index" and not reflected and not made_on(obj, connection.dialect.name):
        return False
    return not (name or "").startswith("fts_")


context.configure(connection=connection, target_metadata=metadata, include_object=_include,
                  render_as_batch=connection.dialect.name == "sqlite",
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
