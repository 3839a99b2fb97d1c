"""The ActivityPub document behind a path (actors, posts, comments), for content negotiation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, func, select

from moot.context import Context
from moot.db import tables as t
from moot.federation.fetch_access import signed_by_one_of
from moot.federation.objects import (
    group_json,
    instance_json,
    note_json,
    page_json,
    person_json,
    tombstone,
    with_context,
)
from moot.federation.outbox_people import chat_message_json

# The paths that are both web pages and ActivityPub documents.
PATHS = re.compile(r"^/(?:(?P<kind>u|c|post|comment|private_message)/(?P<key>[^/]+))?/?$")


def document_for(ctx: Context, path: str, headers: Mapping[str, str] | None = None
                 ) -> tuple[int, dict[str, Any]] | None:
    """(status, JSON) for an AP path; None when the path is not one of ours. ``headers``
    (lower-case names) tell who fetches, for a private message."""
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
        if kind == "private_message":
            return _message(ctx, conn, int(key), path, headers or {})
        table = t.post if kind == "post" else t.comment
        row = conn.execute(select(table).where(table.c.id == int(key),
                                               table.c.local.is_(True))).mappings().first()
        if row is None:
            return 404, {"error": "not_found"}
        document = page_json(conn, row) if kind == "post" else note_json(conn, row)
    return (410 if document["type"] == "Tombstone" else 200), with_context(document)


def _message(ctx: Context, conn: Connection, message_id: int, path: str,
             headers: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
    """A local message to a remote person, only for a fetch signed from the recipient's
    instance (decision 0023); anyone else, and a message between two local people (it never
    left this instance), finds nothing."""
    recipient = t.person.alias("recipient")
    row = conn.execute(select(t.private_message, recipient.c.actor_id.label("to")).join(
        recipient, recipient.c.id == t.private_message.c.recipient_id).where(
        t.private_message.c.id == message_id, t.private_message.c.local.is_(True),
        recipient.c.local.is_(False))).mappings().first()
    if row is None or not signed_by_one_of(ctx, path, headers, {urlsplit(row["to"]).netloc}):
        return 404, {"error": "not_found"}
    if row["deleted"]:
        return 410, with_context(tombstone(row["ap_id"]))
    return 200, with_context(chat_message_json(conn, row))
