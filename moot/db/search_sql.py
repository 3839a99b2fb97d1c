"""Full-text search indexes: SQLite FTS5 tables kept by triggers, PostgreSQL GIN indexes.

Both are created by the initial migration; ``moot/views/search.py`` queries them.
"""

from __future__ import annotations

# (table, fts table, indexed text columns)
FTS_SOURCES = (
    ("post", "fts_post", ("name", "body")),
    ("comment", "fts_comment", ("content",)),
    ("community", "fts_community", ("name", "title", "description")),
    ("person", "fts_person", ("name", "display_name")),
)


def sqlite_statements() -> list[str]:
    out: list[str] = []
    for table, fts, cols in FTS_SOURCES:
        col_list = ", ".join(cols)
        new_vals = ", ".join(f"new.{c}" for c in cols)
        old_vals = ", ".join(f"old.{c}" for c in cols)
        out += [
            (f"CREATE VIRTUAL TABLE {fts} USING fts5({col_list}, content='{table}', "
             f"content_rowid='id', tokenize='unicode61 remove_diacritics 2')"),
            (f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
             f"INSERT INTO {fts}(rowid, {col_list}) VALUES (new.id, {new_vals}); END"),
            (f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
             f"INSERT INTO {fts}({fts}, rowid, {col_list}) VALUES ('delete', old.id, {old_vals}); END"),
            (f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {col_list} ON {table} BEGIN "
             f"INSERT INTO {fts}({fts}, rowid, {col_list}) VALUES ('delete', old.id, {old_vals}); "
             f"INSERT INTO {fts}(rowid, {col_list}) VALUES (new.id, {new_vals}); END"),
        ]
    return out


def pg_document(table: str) -> str:
    """The tsvector expression a GIN index is built on; queries must repeat it exactly."""
    cols = {t: c for t, _, c in FTS_SOURCES}[table]
    joined = " || ' ' || ".join(f"coalesce({table}.{c}, '')" for c in cols)
    return f"to_tsvector('simple'::regconfig, {joined})"


def pg_statements() -> list[str]:
    return [f"CREATE INDEX {fts}_gin ON {table} USING gin (({pg_document(table)}))"
            for table, fts, _ in FTS_SOURCES]
