"""Full-text matching over the indexes of moot/db/search_sql.py, on either database.

``matching(table, q)`` gives a selectable of matching row ids, to be joined into the ordinary
listing queries so that search results are filtered, ordered and paged like any listing.
"""

from __future__ import annotations

import re

from sqlalchemy import column, literal_column, select, table, text
from sqlalchemy.sql import Select

from moot.db import tables as t
from moot.db.search_sql import pg_document

_WORD = re.compile(r"\w+", re.UNICODE)
_FTS_TABLES = {"post": "fts_post", "comment": "fts_comment", "community": "fts_community",
               "person": "fts_person"}
_TABLES = {"post": t.post, "comment": t.comment, "community": t.community, "person": t.person}
MAX_TERMS = 16


def terms(q: str) -> list[str]:
    """The words of a query, lower-cased; punctuation and operators are dropped."""
    return [w.lower() for w in _WORD.findall(q)][:MAX_TERMS]


def matching(dialect: str, kind: str, q: str,
             title_only: bool = False) -> Select[tuple[int]] | None:
    """Ids of rows of ``kind`` whose text has every word of ``q`` as a word or word prefix.

    ``title_only`` (posts) looks at the title alone. None when the query has no words (the
    caller returns no results rather than everything).
    """
    words = terms(q)
    if not words:
        return None
    if dialect == "sqlite":
        fts = table(_FTS_TABLES[kind], column("rowid"))
        expression = " ".join('"' + w + '"*' for w in words)
        if title_only:
            expression = "{name} : (" + expression + ")"
        return (select(fts.c.rowid.label("id"))
                .where(literal_column(_FTS_TABLES[kind]).op("MATCH")(expression)))
    source = _TABLES[kind]
    tsquery = " & ".join(f"{w}:*" for w in words)
    query = select(source.c.id).where(
        text(f"{pg_document(kind)} @@ to_tsquery('simple'::regconfig, :tsq)").bindparams(tsq=tsquery))
    if title_only:
        # The index narrows the rows; this rechecks them against the title alone.
        query = query.where(text("to_tsvector('simple'::regconfig, post.name) "
                                 "@@ to_tsquery('simple'::regconfig, :tsq2)").bindparams(tsq2=tsquery))
    return query
