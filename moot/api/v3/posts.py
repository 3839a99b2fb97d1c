"""/post routes: create, edit, delete, read, list, vote, save, mark read, hide."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from moot.actions.posts import (
    PostForm,
    do_create_post,
    do_delete_post,
    do_edit_post,
    do_hide_posts,
    do_like_post,
    do_mark_posts_read,
    do_open_post,
    do_save_post,
)
from moot.api.v3 import models as m
from moot.api.v3.deps import Api, Ctx, MaybeUser, User, success
from moot.context import Context
from moot.errors import MootError
from moot.views.people import Viewer
from moot.views.post_list import list_posts
from moot.views.posts import get_post, get_post_view

api = Api()


class MarkPostAsRead(m.MarkPostAsRead):
    """Lemmy 0.19 clients send ``post_ids``; older ones (≤ 0.19.3) a single ``post_id``."""

    post_ids: list[m.PostId] | None = None  # type: ignore[assignment]
    post_id: m.PostId | None = None


def _post_response(ctx: Context, user: Viewer, post_id: int) -> dict[str, Any]:
    with ctx.db.read() as conn:
        return {"post_view": get_post_view(conn, post_id, user)}


def _form(form: m.CreatePost | m.EditPost) -> PostForm:
    return PostForm(name=form.name, url=form.url, body=form.body, alt_text=form.alt_text,
                    nsfw=form.nsfw, language_id=form.language_id,
                    custom_thumbnail=form.custom_thumbnail,
                    honeypot=getattr(form, "honeypot", None))


@api.post("/post", m.PostResponse)
def create_post(ctx: Ctx, user: User, form: m.CreatePost) -> dict[str, Any]:
    post_id = do_create_post(ctx, user, form.community_id, _form(form))
    return _post_response(ctx, user, post_id)


@api.put("/post", m.PostResponse)
def edit_post(ctx: Ctx, user: User, form: m.EditPost) -> dict[str, Any]:
    do_edit_post(ctx, user, form.post_id, _form(form))
    return _post_response(ctx, user, form.post_id)


@api.post("/post/delete", m.PostResponse)
def delete_post(ctx: Ctx, user: User, form: m.DeletePost) -> dict[str, Any]:
    do_delete_post(ctx, user, form.post_id, form.deleted)
    return _post_response(ctx, user, form.post_id)


@api.get("/post", m.GetPostResponse)
def read_post(ctx: Ctx, user: MaybeUser, q: Annotated[m.GetPost, Query()]) -> dict[str, Any]:
    result = get_post(ctx, user, q.id, q.comment_id)
    if user is not None:
        view = result["post_view"]
        do_open_post(ctx, user, view["post"]["id"], view["counts"]["comments"])
    return result


@api.get("/post/list", m.GetPostsResponse)
def read_posts(ctx: Ctx, user: MaybeUser, q: Annotated[m.GetPosts, Query()]) -> dict[str, Any]:
    return list_posts(ctx, user, q)


@api.post("/post/like", m.PostResponse)
def like_post(ctx: Ctx, user: User, form: m.CreatePostLike) -> dict[str, Any]:
    do_like_post(ctx, user, form.post_id, form.score)
    return _post_response(ctx, user, form.post_id)


@api.put("/post/save", m.PostResponse)
def save_post(ctx: Ctx, user: User, form: m.SavePost) -> dict[str, Any]:
    do_save_post(ctx, user, form.post_id, form.save)
    return _post_response(ctx, user, form.post_id)


@api.post("/post/mark_as_read", m.SuccessResponse)
def mark_as_read(ctx: Ctx, user: User, form: MarkPostAsRead) -> dict[str, Any]:
    ids = list(form.post_ids or []) + ([form.post_id] if form.post_id is not None else [])
    if not ids:
        raise MootError("no_id_given")
    do_mark_posts_read(ctx, user, ids, form.read)
    return success()


@api.post("/post/hide", m.SuccessResponse)
def hide_posts(ctx: Ctx, user: User, form: m.HidePost) -> dict[str, Any]:
    do_hide_posts(ctx, user, form.post_ids, form.hide)
    return success()
