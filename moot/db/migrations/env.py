"""Alembic environment: Moot passes an open connection in ``config.attributes``."""

from alembic import context

from moot.db.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `moot migrate`, which supplies the connection")

def _include(obj, name, type_, reflected, compare_to):
    # Full-text tables and indexes are created by hand in the initial migration.
    return not (name or "").startswith("fts_")


context.configure(connection=connection, target_metadata=metadata, include_object=_include,
                  render_as_batch=connection.dialect.name == "sqlite",
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
