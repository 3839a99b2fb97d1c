"""/comment routes: create, edit, delete, read, list, vote, save."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from moot.actions.comments import (
    CommentForm,
    do_create_comment,
    do_delete_comment,
    do_edit_comment,
    do_like_comment,
    do_save_comment,
)
from moot.api.v3 import models as m
from moot.api.v3.deps import Api, Ctx, MaybeUser, User
from moot.memory import COMMENT_LISTS
from moot.views.comments import CommentFilter, comment_response, list_comments

api = Api()


@api.post("/comment", m.CommentResponse)
def create_comment(ctx: Ctx, user: User, form: m.CreateComment) -> dict[str, Any]:
    comment_id, recipients = do_create_comment(ctx, user, CommentForm(
        content=form.content, post_id=form.post_id, parent_id=form.parent_id,
        language_id=form.language_id))
    return comment_response(ctx, comment_id, user, recipients)


@api.put("/comment", m.CommentResponse)
def edit_comment(ctx: Ctx, user: User, form: m.EditComment) -> dict[str, Any]:
    comment_id, recipients = do_edit_comment(ctx, user, form.comment_id, form.content,
                                             form.language_id)
    return comment_response(ctx, comment_id, user, recipients)


@api.post("/comment/delete", m.CommentResponse)
def delete_comment(ctx: Ctx, user: User, form: m.DeleteComment) -> dict[str, Any]:
    comment_id, recipients = do_delete_comment(ctx, user, form.comment_id, form.deleted)
    return comment_response(ctx, comment_id, user, recipients)


@api.get("/comment", m.CommentResponse)
def read_comment(ctx: Ctx, user: MaybeUser, q: Annotated[m.GetComment, Query()]) -> dict[str, Any]:
    return comment_response(ctx, q.id, user)


@api.post("/comment/like", m.CommentResponse)
def like_comment(ctx: Ctx, user: User, form: m.CreateCommentLike) -> dict[str, Any]:
    recipients = do_like_comment(ctx, user, form.comment_id, form.score)
    return comment_response(ctx, form.comment_id, user, recipients)


@api.put("/comment/save", m.CommentResponse)
def save_comment(ctx: Ctx, user: User, form: m.SaveComment) -> dict[str, Any]:
    do_save_comment(ctx, user, form.comment_id, form.save)
    return comment_response(ctx, form.comment_id, user)


@api.get("/comment/list", m.GetCommentsResponse, big=COMMENT_LISTS)
def get_comments(ctx: Ctx, user: MaybeUser,
                 q: Annotated[m.GetComments, Query()]) -> dict[str, Any]:
    return {"comments": list_comments(ctx, user, CommentFilter(
        type_=q.type_, sort=q.sort, max_depth=q.max_depth, page=q.page, limit=q.limit,
        community_id=q.community_id, community_name=q.community_name, post_id=q.post_id,
        parent_id=q.parent_id, saved_only=bool(q.saved_only), liked_only=bool(q.liked_only),
        disliked_only=bool(q.disliked_only)))}
