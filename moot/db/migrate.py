"""Bring a database to the newest schema (``moot migrate``, and every ``moot serve``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from moot.db.engine import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _head_revision() -> str:
    """The newest revision, read from the scripts' text: importing Alembic to learn it would
    cost a noticeable part of start-up."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        source = script.read_text()
        revision = re.search(r"^revision = ['\"]([^'\"]+)", source, re.MULTILINE)
        parent = re.search(r"^down_revision = ['\"]([^'\"]+)", source, re.MULTILINE)
        if revision:
            revisions.add(revision.group(1))
        if parent:
            parents.add(parent.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have one head, found {sorted(heads)}")
    return heads.pop()


def is_current(db: Database) -> bool:
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return current == _head_revision()


def upgrade(db: Database) -> None:
    if is_current(db):
        return
    with db.engine.connect() as conn:
        empty = not inspect(conn).get_table_names()
    if empty:
        create_fresh(db)
    else:
        run_migrations(db)


def create_fresh(db: Database) -> None:
    """An empty database gets the newest schema directly and is stamped with the head revision
    (Alembic's "building an up to date database from scratch"): quicker than replaying every
    migration, and tests/test_migrations.py checks both ways give the same schema."""
    from moot.db import fill_counts, search_sql
    from moot.db.tables import metadata
    from moot.ranking import PG_HOT_RANK_FUNCTION

    with db.engine.begin() as conn:
        metadata.create_all(conn)
        if db.is_sqlite:
            statements = search_sql.sqlite_statements()
        else:
            statements = [PG_HOT_RANK_FUNCTION, *search_sql.pg_statements()]
        for statement in statements:
            conn.exec_driver_sql(statement)
        fill_counts.fill(conn)  # the site aggregates row, all zeros
        conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                             "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"),
                     {"v": _head_revision()})


def run_migrations(db: Database) -> None:
    from alembic import command

    config = alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
