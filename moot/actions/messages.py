"""Private messages: send, edit, delete, mark read. The only code that writes them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, exists, insert, select, update

from moot.actions.comments import check_comment_content
from moot.actions.content_filters import check_body_links, remove_slurs
from moot.actions.remote import RemoteObject
from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.federation.outbox_people import federate_message
from moot.views.people import Viewer


def check_message_content(ctx: Context, content: str) -> str:
    # Lemmy's checks (slurs masked, then at most 10,000 UTF-16 units); an empty message is
    # refused too, as comments are, under the name a client shows for a bad body.
    return check_comment_content(remove_slurs(ctx, content) or "")


def load_message(conn: Connection, message_id: int) -> Any:
    row = conn.execute(select(t.private_message).where(
        t.private_message.c.id == message_id)).first()
    if row is None:
        raise MootError("couldnt_find_private_message", status=404)
    return row


def _blocked_by(conn: Connection, sender_id: int, recipient_id: int) -> bool:
    block = t.person_block
    return bool(conn.execute(select(exists().where(
        block.c.person_id == recipient_id, block.c.target_id == sender_id))).scalar())


def check_create_message(ctx: Context, conn: Connection, viewer: Viewer, content: str,
                         recipient_id: int) -> str:
    """The content to store (slurs masked), after Lemmy's checks."""
    content = check_message_content(ctx, content)
    check_body_links(conn, content)
    found = conn.execute(select(t.person.c.id).where(t.person.c.id == recipient_id)).first()
    if found is None:
        raise MootError("couldnt_find_person", status=404)
    if _blocked_by(conn, viewer.person_id, recipient_id):
        raise MootError("person_is_blocked")
    return content


def do_create_message(ctx: Context, viewer: Viewer, content: str, recipient_id: int,
                      remote: RemoteObject | None = None) -> int:
    """``remote``: the message arrived from the sender's instance, under that id."""
    with ctx.db.write() as conn:
        content = check_create_message(ctx, conn, viewer, content, recipient_id)
        message_id = int(conn.execute(insert(t.private_message).values(
            creator_id=viewer.person_id, recipient_id=recipient_id, content=content,
            published=(remote and remote.published) or utcnow(), local=remote is None,
            ap_id=remote.ap_id if remote else f"urn:moot:pending:{uuid.uuid4().hex}",
        ).returning(t.private_message.c.id)).scalar_one())
        if remote is None:
            conn.execute(update(t.private_message).where(t.private_message.c.id == message_id)
                         .values(ap_id=ctx.url(f"/private_message/{message_id}")))
            federate_message(ctx, conn, message_id, "Create")
    return message_id


def _own_message(conn: Connection, viewer: Viewer, message_id: int) -> Any:
    message = load_message(conn, message_id)
    if message.creator_id != viewer.person_id:
        raise MootError("edit_private_message_not_allowed")
    return message


def do_edit_message(ctx: Context, viewer: Viewer, message_id: int, content: str,
                    remote: RemoteObject | None = None) -> None:
    with ctx.db.write() as conn:
        _own_message(conn, viewer, message_id)
        content = check_message_content(ctx, content)
        check_body_links(conn, content)
        conn.execute(update(t.private_message).where(t.private_message.c.id == message_id)
                     .values(content=content, updated=(remote and remote.updated) or utcnow()))
        if remote is None:
            federate_message(ctx, conn, message_id, "Update")


def do_delete_message(ctx: Context, viewer: Viewer, message_id: int, deleted: bool) -> None:
    with ctx.db.write() as conn:
        message = _own_message(conn, viewer, message_id)
        if message.deleted == deleted:
            return  # nothing changes, and nothing is sent
        conn.execute(update(t.private_message).where(t.private_message.c.id == message_id)
                     .values(deleted=deleted))
        federate_message(ctx, conn, message_id, "Delete" if deleted else "Undo")


def do_mark_message_read(ctx: Context, viewer: Viewer, message_id: int, read: bool) -> None:
    with ctx.db.write() as conn:
        message = load_message(conn, message_id)
        if message.recipient_id != viewer.person_id:
            raise MootError("couldnt_update_private_message")  # only the recipient reads it
        conn.execute(update(t.private_message).where(t.private_message.c.id == message_id)
                     .values(read=read))
