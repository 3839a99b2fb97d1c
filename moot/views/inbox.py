"""The reply inbox: CommentReplyView (a CommentView plus the reply and its recipient), counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, exists, func, not_, select
from sqlalchemy.sql import ColumnElement, Select

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.ranking import hot_rank_sql
from moot.views.comments import comment_view_from, comment_view_query, creator
from moot.views.messages import unread_mentions, unread_messages
from moot.views.paging import limit_and_offset
from moot.views.people import Viewer
from moot.views.shape import PERSON, cols, pick

REPLY = ("id", "recipient_id", "comment_id", "read", "published")
_recipient = t.person.alias("recipient")


def reply_view_query(viewer: Viewer) -> Select[Any]:
    reply = t.comment_reply
    return (comment_view_query(viewer)
            .add_columns(*cols(reply, "r_", REPLY), *cols(_recipient, "rp_", PERSON))
            .join(reply, reply.c.comment_id == t.comment.c.id)
            .join(_recipient, _recipient.c.id == reply.c.recipient_id))


def reply_view_from(row: Any, viewer: Viewer) -> dict[str, Any]:
    view = comment_view_from(row, viewer)
    view["comment_reply"] = pick(row, "r_", REPLY)
    view["recipient"] = pick(row, "rp_", PERSON)
    return view


def _not_from_blocked(viewer: Viewer) -> ColumnElement[bool]:
    block = t.person_block
    return not_(exists().where(block.c.person_id == viewer.person_id,
                               block.c.target_id == t.comment.c.creator_id))


def reply_order(sort: str | None) -> list[ColumnElement[Any]]:
    r, c = t.comment_reply.c, t.comment.c
    if sort == "Old":
        return [r.published.asc(), r.id.asc()]
    keys = {
        "Hot": [hot_rank_sql(c.score, c.published, utcnow()).desc()],
        "Top": [c.score.desc()],
        "Controversial": [c.controversy_rank.desc()],
    }.get(sort or "New", [r.published.desc()])
    return [*keys, r.id.desc()]


def list_replies(ctx: Context, viewer: Viewer, sort: str | None, page: int | None,
                 limit: int | None, unread_only: bool) -> list[dict[str, Any]]:
    # Lemmy lets the database refuse a bad page here, so the error is "unknown".
    size, offset = limit_and_offset(page, limit)
    query = reply_view_query(viewer).where(t.comment_reply.c.recipient_id == viewer.person_id,
                                           _not_from_blocked(viewer))
    if unread_only:
        query = query.where(t.comment_reply.c.read.is_(False))
    if not viewer.local_user["show_bot_accounts"]:
        query = query.where(creator.c.bot_account.is_(False))
    with ctx.db.read() as conn:
        rows = conn.execute(query.order_by(*reply_order(sort)).limit(size).offset(offset))
        return [reply_view_from(r, viewer) for r in rows.mappings()]


def get_reply_view(conn: Connection, reply_id: int, viewer: Viewer) -> dict[str, Any]:
    row = conn.execute(reply_view_query(viewer).where(t.comment_reply.c.id == reply_id)
                       ).mappings().first()
    if row is None:
        raise MootError("couldnt_find_comment_reply", status=404)
    return reply_view_from(row, viewer)


def unread_replies(conn: Connection, viewer: Viewer) -> int:
    """Unread replies the inbox would show, leaving out deleted and removed comments."""
    reply, c = t.comment_reply, t.comment
    query = (select(func.count()).select_from(reply)
             .join(c, c.c.id == reply.c.comment_id)
             .join(creator, creator.c.id == c.c.creator_id)
             .where(reply.c.recipient_id == viewer.person_id, reply.c.read.is_(False),
                    c.c.deleted.is_(False), c.c.removed.is_(False), _not_from_blocked(viewer)))
    if not viewer.local_user["show_bot_accounts"]:
        query = query.where(creator.c.bot_account.is_(False))
    return int(conn.execute(query).scalar_one())


def unread_counts(ctx: Context, viewer: Viewer) -> dict[str, int]:
    with ctx.db.read() as conn:
        return {"replies": unread_replies(conn, viewer),
                "mentions": unread_mentions(conn, viewer),
                "private_messages": unread_messages(conn, viewer)}
