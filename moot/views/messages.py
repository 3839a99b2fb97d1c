"""PrivateMessageView and PersonMentionView (a CommentView plus the mention and its recipient)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, exists, func, not_, or_, select
from sqlalchemy.sql import ColumnElement, Select

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.ranking import hot_rank_sql
from moot.views.comments import comment_view_from, comment_view_query, creator
from moot.views.paging import limit_and_offset
from moot.views.people import Viewer
from moot.views.shape import PERSON, cols, pick

PRIVATE_MESSAGE = ("id", "creator_id", "recipient_id", "content", "deleted", "read", "published",
                   "updated", "ap_id", "local")
MENTION = ("id", "recipient_id", "comment_id", "read", "published")
_sender = t.person.alias("pm_creator")
_recipient = t.person.alias("recipient")


def _not_blocked(viewer: Viewer, author: ColumnElement[Any]) -> ColumnElement[bool]:
    block = t.person_block
    return not_(exists().where(block.c.person_id == viewer.person_id, block.c.target_id == author))


# Private messages.

def message_view_query() -> Select[Any]:
    pm = t.private_message
    return (select(*cols(pm, "pm_", PRIVATE_MESSAGE), *cols(_sender, "u_", PERSON),
                   *cols(_recipient, "rp_", PERSON))
            .join(_sender, _sender.c.id == pm.c.creator_id)
            .join(_recipient, _recipient.c.id == pm.c.recipient_id))


def message_view_from(row: Any, viewer: Viewer) -> dict[str, Any]:
    message = pick(row, "pm_", PRIVATE_MESSAGE)
    if message["creator_id"] == viewer.person_id:
        message["read"] = True  # read is the recipient's flag; a sender has read their own words
    return {"private_message": message, "creator": pick(row, "u_", PERSON),
            "recipient": pick(row, "rp_", PERSON)}


def get_message_view(conn: Connection, message_id: int, viewer: Viewer) -> dict[str, Any]:
    row = conn.execute(message_view_query().where(t.private_message.c.id == message_id)
                       ).mappings().first()
    if row is None:
        raise MootError("couldnt_find_private_message", status=404)
    return message_view_from(row, viewer)


def message_response(ctx: Context, message_id: int, viewer: Viewer) -> dict[str, Any]:
    with ctx.db.read() as conn:
        return {"private_message_view": get_message_view(conn, message_id, viewer)}


def list_messages(ctx: Context, viewer: Viewer, unread_only: bool, page: int | None,
                  limit: int | None, creator_id: int | None) -> list[dict[str, Any]]:
    """Messages sent and received, newest first; unread_only means unread ones received.
    Deleted messages and those from people the viewer blocks are left out, as in Lemmy."""
    size, offset = limit_and_offset(page, limit)
    pm, me = t.private_message.c, viewer.person_id
    query = message_view_query().where(pm.deleted.is_(False), _not_blocked(viewer, pm.creator_id))
    if unread_only:
        query = query.where(pm.recipient_id == me, pm.read.is_(False))
    else:
        query = query.where(or_(pm.recipient_id == me, pm.creator_id == me))
    if creator_id is not None:
        query = query.where(pm.creator_id == creator_id)
    query = query.order_by(pm.published.desc(), pm.id.desc()).limit(size).offset(offset)
    with ctx.db.read() as conn:
        return [message_view_from(r, viewer) for r in conn.execute(query).mappings()]


def unread_messages(conn: Connection, viewer: Viewer) -> int:
    pm = t.private_message.c
    query = select(func.count()).select_from(t.private_message).where(
        pm.recipient_id == viewer.person_id, pm.read.is_(False), pm.deleted.is_(False),
        _not_blocked(viewer, pm.creator_id))
    return int(conn.execute(query).scalar_one())


# Mentions.

def mention_view_query(viewer: Viewer) -> Select[Any]:
    mention = t.person_mention
    return (comment_view_query(viewer)
            .add_columns(*cols(mention, "pmn_", MENTION), *cols(_recipient, "rp_", PERSON))
            .join(mention, mention.c.comment_id == t.comment.c.id)
            .join(_recipient, _recipient.c.id == mention.c.recipient_id))


def mention_view_from(row: Any, viewer: Viewer) -> dict[str, Any]:
    view = comment_view_from(row, viewer)
    view["person_mention"] = pick(row, "pmn_", MENTION)
    view["recipient"] = pick(row, "rp_", PERSON)
    return view


def mention_order(sort: str | None) -> list[ColumnElement[Any]]:
    n, c = t.person_mention.c, t.comment.c
    if sort == "Old":
        return [n.published.asc(), n.id.asc()]
    keys = {
        "Hot": [hot_rank_sql(c.score, c.published, utcnow()).desc()],
        "Top": [c.score.desc()],
        "Controversial": [c.controversy_rank.desc()],
    }.get(sort or "New", [n.published.desc()])
    return [*keys, n.id.desc()]


def list_mentions(ctx: Context, viewer: Viewer, sort: str | None, page: int | None,
                  limit: int | None, unread_only: bool) -> list[dict[str, Any]]:
    size, offset = limit_and_offset(page, limit)
    mention = t.person_mention.c
    query = mention_view_query(viewer).where(mention.recipient_id == viewer.person_id,
                                             _not_blocked(viewer, t.comment.c.creator_id))
    if unread_only:
        query = query.where(mention.read.is_(False))
    if not viewer.local_user["show_bot_accounts"]:
        query = query.where(creator.c.bot_account.is_(False))
    with ctx.db.read() as conn:
        rows = conn.execute(query.order_by(*mention_order(sort)).limit(size).offset(offset))
        return [mention_view_from(r, viewer) for r in rows.mappings()]


def get_mention_view(conn: Connection, mention_id: int, viewer: Viewer) -> dict[str, Any]:
    row = conn.execute(mention_view_query(viewer).where(t.person_mention.c.id == mention_id)
                       ).mappings().first()
    if row is None:
        raise MootError("couldnt_find_person_mention", status=404)
    return mention_view_from(row, viewer)


def unread_mentions(conn: Connection, viewer: Viewer) -> int:
    """Unread mentions the list would show, leaving out deleted and removed comments."""
    mention, c = t.person_mention, t.comment
    query = (select(func.count()).select_from(mention)
             .join(c, c.c.id == mention.c.comment_id)
             .join(creator, creator.c.id == c.c.creator_id)
             .where(mention.c.recipient_id == viewer.person_id, mention.c.read.is_(False),
                    c.c.deleted.is_(False), c.c.removed.is_(False),
                    _not_blocked(viewer, c.c.creator_id)))
    if not viewer.local_user["show_bot_accounts"]:
        query = query.where(creator.c.bot_account.is_(False))
    return int(conn.execute(query).scalar_one())
