"""Applying a remote private message (``ChatMessage`` in ``Create``/``Update``) and its
``Delete``/``Undo Delete``, through the actions the API uses.

As Lemmy 0.19 checks: the message is attributed to the activity's actor and sits on its host,
and is addressed to one person of this instance; only its author edits or deletes it (the
action refuses anyone else). It never travels through a community.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from moot.actions.messages import do_create_message, do_delete_message, do_edit_message
from moot.actions.remote import RemoteObject, remote_viewer
from moot.context import Context
from moot.db import tables as t
from moot.federation.actors import find_known, get_actor
from moot.federation.parse import (
    Unusable,
    as_list,
    content_text,
    id_of,
    is_public,
    parse_time,
)
from moot.views.people import Viewer


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def is_private_message(obj: Any) -> bool:
    """Lemmy 0.19's ChatMessage, or a Note addressed to nobody public (Lemmy 1.0 sends its
    messages so, Mastodon its direct messages)."""
    return isinstance(obj, dict) and (obj.get("type") == "ChatMessage" or (
        obj.get("type") == "Note" and not is_public(obj)))


def find_message(ctx: Context, ap_id: str) -> int | None:
    with ctx.db.read() as conn:
        found = conn.execute(select(t.private_message.c.id)
                             .where(t.private_message.c.ap_id == ap_id)).scalar()
    return int(found) if found is not None else None


def _sender(ctx: Context, actor_id: str) -> Viewer:
    person = get_actor(ctx, actor_id)
    if person.kind != "person" or person.local:
        raise Unusable("a private message must come from a remote person")
    with ctx.db.read() as conn:
        viewer = remote_viewer(conn, person.id)
    if viewer.person["banned"]:  # Lemmy's verify_person: a banned sender is refused
        raise Unusable("person_is_banned")
    return viewer


def _recipient(ctx: Context, message: dict[str, Any]) -> int:
    addressed = [a for a in (id_of(v) for v in as_list(message.get("to"))) if a]
    if len(addressed) != 1:
        raise Unusable("a private message must be addressed to exactly one person")
    recipient = find_known(ctx, addressed[0])
    if recipient is None or recipient.kind != "person" or not recipient.local:
        raise Unusable("private message recipient is not a person of this instance")
    return recipient.id


def apply_message(ctx: Context, message: Any, actor_id: str) -> str:
    """Create (or, when known, edit) the message; returns the reason recorded."""
    if not isinstance(message, dict) or not isinstance(message.get("id"), str):
        raise Unusable("private message is not embedded")
    ap_id = message["id"]
    if id_of(message.get("attributedTo")) != actor_id:
        raise Unusable("object is not attributed to the activity's actor")
    if _host(ap_id) != _host(actor_id):
        raise Unusable("object and author are on different hosts")
    viewer = _sender(ctx, actor_id)
    remote = RemoteObject(ap_id, parse_time(message.get("published")),
                          parse_time(message.get("updated")))
    existing = find_message(ctx, ap_id)
    if existing is None:
        do_create_message(ctx, viewer, content_text(message), _recipient(ctx, message), remote)
        return "private message created"
    do_edit_message(ctx, viewer, existing, content_text(message), remote)
    return "private message edited"


def delete_message(ctx: Context, message_id: int, actor_id: str, deleted: bool) -> str:
    do_delete_message(ctx, _sender(ctx, actor_id), message_id, deleted)
    return "private message " + ("deleted" if deleted else "restored")
