"""/private_message routes and the mention inbox (/user/mention)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from moot.actions.mentions import do_mark_mention_read
from moot.actions.messages import (
    do_create_message,
    do_delete_message,
    do_edit_message,
    do_mark_message_read,
)
from moot.api.v3 import models as m
from moot.api.v3.deps import Api, Ctx, User
from moot.views.messages import (
    get_mention_view,
    list_mentions,
    list_messages,
    message_response,
)

api = Api()


@api.post("/private_message", m.PrivateMessageResponse)
def create_message(ctx: Ctx, user: User, form: m.CreatePrivateMessage) -> dict[str, Any]:
    message_id = do_create_message(ctx, user, form.content, form.recipient_id)
    return message_response(ctx, message_id, user)


@api.put("/private_message", m.PrivateMessageResponse)
def edit_message(ctx: Ctx, user: User, form: m.EditPrivateMessage) -> dict[str, Any]:
    do_edit_message(ctx, user, form.private_message_id, form.content)
    return message_response(ctx, form.private_message_id, user)


@api.post("/private_message/delete", m.PrivateMessageResponse)
def delete_message(ctx: Ctx, user: User, form: m.DeletePrivateMessage) -> dict[str, Any]:
    do_delete_message(ctx, user, form.private_message_id, form.deleted)
    return message_response(ctx, form.private_message_id, user)


@api.post("/private_message/mark_as_read", m.PrivateMessageResponse)
def mark_message_read(ctx: Ctx, user: User, form: m.MarkPrivateMessageAsRead) -> dict[str, Any]:
    do_mark_message_read(ctx, user, form.private_message_id, form.read)
    return message_response(ctx, form.private_message_id, user)


@api.get("/private_message/list", m.PrivateMessagesResponse)
def messages(ctx: Ctx, user: User, q: Annotated[m.GetPrivateMessages, Query()]) -> dict[str, Any]:
    return {"private_messages": list_messages(ctx, user, bool(q.unread_only), q.page, q.limit,
                                              q.creator_id)}


@api.get("/user/mention", m.GetPersonMentionsResponse)
def mentions(ctx: Ctx, user: User, q: Annotated[m.GetPersonMentions, Query()]) -> dict[str, Any]:
    return {"mentions": list_mentions(ctx, user, q.sort, q.page, q.limit, bool(q.unread_only))}


@api.post("/user/mention/mark_as_read", m.PersonMentionResponse)
def mark_mention_read(ctx: Ctx, user: User, form: m.MarkPersonMentionAsRead) -> dict[str, Any]:
    do_mark_mention_read(ctx, user, form.person_mention_id, form.read)
    with ctx.db.read() as conn:
        return {"person_mention_view": get_mention_view(conn, form.person_mention_id, user)}
