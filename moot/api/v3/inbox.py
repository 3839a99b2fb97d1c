"""The reply inbox: unread counts, replies, marking them read."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from moot.actions.inbox import do_mark_all_read, do_mark_reply_read
from moot.api.v3 import models as m
from moot.api.v3.deps import Api, Ctx, User
from moot.views.inbox import get_reply_view, list_replies, unread_counts

api = Api()


@api.get("/user/unread_count", m.GetUnreadCountResponse)
def unread_count(ctx: Ctx, user: User) -> dict[str, Any]:
    return unread_counts(ctx, user)


@api.get("/user/replies", m.GetRepliesResponse)
def replies(ctx: Ctx, user: User, q: Annotated[m.GetReplies, Query()]) -> dict[str, Any]:
    return {"replies": list_replies(ctx, user, q.sort, q.page, q.limit, bool(q.unread_only))}


@api.post("/comment/mark_as_read", m.CommentReplyResponse)
def mark_reply_read(ctx: Ctx, user: User, form: m.MarkCommentReplyAsRead) -> dict[str, Any]:
    do_mark_reply_read(ctx, user, form.comment_reply_id, form.read)
    with ctx.db.read() as conn:
        return {"comment_reply_view": get_reply_view(conn, form.comment_reply_id, user)}


@api.post("/user/mark_all_as_read", m.GetRepliesResponse)
def mark_all_read(ctx: Ctx, user: User) -> dict[str, Any]:
    do_mark_all_read(ctx, user)
    return {"replies": []}  # Lemmy answers with an empty list, not the replies just read
