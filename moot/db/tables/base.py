"""The shared MetaData and small column helpers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, MetaData, text

from moot.db.types import UtcDateTime, utcnow

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def only_on(dialect: str, index: Index) -> Index:
    """An index that ``create_all`` makes on one database only (``Index.ddl_if``), which the
    migrations, the schema comparison and bench.upgrade_counts also keep to it
    (``made_on``)."""
    return index.ddl_if(dialect=dialect)


def made_on(index: Index, dialect: str) -> bool:
    """Whether the schema has ``index`` on ``dialect`` (only_on)."""
    condition = index._ddl_if
    return condition is None or condition.dialect in (None, dialect)


def id_column() -> Column[Any]:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def flag(name: str, default: bool = False) -> Column[Any]:
    return Column(name, Boolean, nullable=False, default=default,
                  server_default=text("true" if default else "false"))


def count(name: str) -> Column[Any]:
    return Column(name, Integer, nullable=False, default=0, server_default=text("0"))


def published() -> Column[Any]:
    return Column("published", UtcDateTime, nullable=False, default=utcnow)


def updated() -> Column[Any]:
    return Column("updated", UtcDateTime, nullable=True)


def ref(name: str, target: str, *, nullable: bool = False, index: bool = False,
        primary_key: bool = False) -> Column[Any]:
    return Column(name, Integer, ForeignKey(target, ondelete="CASCADE"), nullable=nullable,
                  index=index, primary_key=primary_key)
