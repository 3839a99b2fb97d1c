"""The ActivityPub document behind a path (actors, posts, comments), for content negotiation."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from moot.context import Context
from moot.db import tables as t
from moot.federation.objects import (
    group_json,
    instance_json,
    note_json,
    page_json,
    person_json,
    with_context,
)

# The paths that are both web pages and ActivityPub documents.
PATHS = re.compile(r"^/(?:(?P<kind>u|c|post|comment)/(?P<key>[^/]+))?/?$")


def document_for(ctx: Context, path: str) -> tuple[int, dict[str, Any]] | None:
    """(status, JSON) for an AP path; None when the path is not one of ours."""
    match = PATHS.match(path)
    if match is None:
        return None
    kind, key = match.group("kind"), match.group("key")
    with ctx.db.read() as conn:
        if kind is None:
            return 200, with_context(instance_json(ctx.site().site))
        if kind in ("u", "c"):
            table = t.person if kind == "u" else t.community
            row = conn.execute(select(table).where(
                func.lower(table.c.name) == key.lower(), table.c.local.is_(True),
                table.c.deleted.is_(False))).mappings().first()
            if row is None:
                return 404, {"error": "not_found"}
            return 200, with_context(person_json(row) if kind == "u" else group_json(row))
        if not key.isdigit():
            return 404, {"error": "not_found"}
        table = t.post if kind == "post" else t.comment
        row = conn.execute(select(table).where(table.c.id == int(key),
                                               table.c.local.is_(True))).mappings().first()
        if row is None:
            return 404, {"error": "not_found"}
        document = page_json(conn, row) if kind == "post" else note_json(conn, row)
    return (410 if document["type"] == "Tombstone" else 200), with_context(document)
