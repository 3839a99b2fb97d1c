"""The reply inbox: who is told about a new comment, and marking replies (or everything) read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, exists, insert, or_, select, update

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.views.people import Viewer


def _blocks_author(conn: Connection, recipient_id: int, author_id: int, community_id: int) -> bool:
    """Whether the recipient blocks the author, the community or the community's instance."""
    pb, cb, ib = t.person_block, t.community_block, t.instance_block
    instance_id = select(t.community.c.instance_id).where(
        t.community.c.id == community_id).scalar_subquery()
    query = select(or_(
        exists().where(pb.c.person_id == recipient_id, pb.c.target_id == author_id),
        exists().where(cb.c.person_id == recipient_id, cb.c.community_id == community_id),
        exists().where(ib.c.person_id == recipient_id, ib.c.instance_id == instance_id)))
    return bool(conn.execute(query).scalar())


def notify_reply(conn: Connection, comment_id: int, author_id: int, post: Any,
                 parent: Any | None) -> list[int]:
    """Tells the parent comment's author (or the post's, for a top-level comment) of a reply.

    Returns the local_user ids told, as Lemmy's ``recipient_ids``: nobody for a reply to
    yourself, to a remote person, or to someone who blocks you, the community or its instance.
    """
    recipient_id = parent.creator_id if parent is not None else post.creator_id
    if recipient_id == author_id or _blocks_author(conn, recipient_id, author_id,
                                                     post.community_id):
        return []
    local_user_id = conn.execute(select(t.local_user.c.id).where(
        t.local_user.c.person_id == recipient_id)).scalar()
    if local_user_id is None:
        return []
    reply = t.comment_reply
    known = conn.execute(select(reply.c.id).where(
        reply.c.comment_id == comment_id, reply.c.recipient_id == recipient_id)).first()
    if known is None:
        conn.execute(insert(reply).values(recipient_id=recipient_id, comment_id=comment_id,
                                          read=False, published=utcnow()))
    return [int(local_user_id)]


def reply_recipients(conn: Connection, comment_id: int) -> list[int]:
    """The local users notified of a comment (what an edit, delete or vote reports back)."""
    rows = conn.execute(
        select(t.local_user.c.id)
        .join(t.comment_reply, t.comment_reply.c.recipient_id == t.local_user.c.person_id)
        .where(t.comment_reply.c.comment_id == comment_id)
        .order_by(t.local_user.c.id))
    return [int(r[0]) for r in rows]


def mark_reply_read_for(conn: Connection, comment_id: int, person_id: int) -> None:
    conn.execute(update(t.comment_reply).where(
        t.comment_reply.c.comment_id == comment_id,
        t.comment_reply.c.recipient_id == person_id,
        t.comment_reply.c.read.is_(False)).values(read=True))


def do_mark_reply_read(ctx: Context, viewer: Viewer, reply_id: int, read: bool) -> None:
    with ctx.db.write() as conn:
        recipient = conn.execute(select(t.comment_reply.c.recipient_id).where(
            t.comment_reply.c.id == reply_id)).scalar()
        if recipient is None:
            raise MootError("couldnt_find_comment_reply", status=404)
        if recipient != viewer.person_id:
            raise MootError("couldnt_update_comment")  # Lemmy's answer to someone else's reply
        conn.execute(update(t.comment_reply).where(t.comment_reply.c.id == reply_id)
                     .values(read=read))


def do_mark_all_read(ctx: Context, viewer: Viewer) -> None:
    """Lemmy's mark_all_as_read: every reply to the viewer, every mention of them and every
    private message to them, in one transaction so that no client sees half of it done."""
    with ctx.db.write() as conn:
        for table in (t.comment_reply, t.person_mention, t.private_message):
            conn.execute(update(table).where(table.c.recipient_id == viewer.person_id,
                                             table.c.read.is_(False)).values(read=True))
