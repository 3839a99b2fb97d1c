"""A comment's page (the thread focused on it), and writing comments: reply, edit, vote, …"""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from moot.actions.comments import (
    CommentForm,
    do_create_comment,
    do_delete_comment,
    do_edit_comment,
    do_like_comment,
    do_save_comment,
)
from moot.actions.reports import do_create_comment_report
from moot.errors import MootError
from moot.memory import THREAD_PAGES, build_big
from moot.views.comments import get_comment_view
from moot.views.posts import get_post
from moot.web import render, session
from moot.web.moderation import can_moderate
from moot.web.routing import message_for, redirect, web_router
from moot.web.session import Form, MaybeUser, User, field_int
from moot.web.thread import COMMENT_SORTS, Node, thread

router = web_router()


@router.get("/comment/{comment_id}")
async def comment_page(request: Request, viewer: MaybeUser, comment_id: int,
                       sort: str | None = None) -> Response:
    return await build_big(THREAD_PAGES, _comment_page, request, viewer, comment_id, sort)


def _comment_page(request: Request, viewer: Any, comment_id: int, sort: str | None) -> Response:
    ctx = session.get_context(request)
    data = get_post(ctx, viewer, None, comment_id)
    post_id = data["post_view"]["post"]["id"]
    sort = sort if sort in COMMENT_SORTS else "Hot"
    comments = thread(ctx, viewer, post_id, sort, focus=comment_id)
    return render.page(request, "post.html", vary_accept=True, data=data, pv=data["post_view"],
                       comments=comments, sort=sort, sorts=COMMENT_SORTS, focus=comment_id,
                       can_mod=can_moderate(viewer, data["moderators"]))


def _view(request: Request, viewer: Any, comment_id: int) -> dict[str, Any]:
    with session.get_context(request).db.read() as conn:
        return get_comment_view(conn, comment_id, viewer)


@router.post("/post/{post_id}/comment")
def create_comment(request: Request, viewer: User, form: Form, post_id: int) -> Response:
    ctx = session.get_context(request)
    parent = form.get("parent_id") or None
    parent_id = field_int(form, "parent_id") if parent else None
    comment_id, _ = do_create_comment(ctx, viewer, CommentForm(
        content=form.get("content", ""), post_id=post_id, parent_id=parent_id))
    if session.wants_json(request):
        view = _view(request, viewer, comment_id)
        html = render.partial(request, "comment_new.html", node=Node(view),
                              post_creator_id=view["post"]["creator_id"])
        return JSONResponse({"id": comment_id, "html": html})
    return redirect(f"/post/{post_id}#c{comment_id}")


@router.get("/comment/{comment_id}/edit")
def edit_comment_page(request: Request, viewer: User, comment_id: int) -> Response:
    view = _view(request, viewer, comment_id)
    if view["creator"]["id"] != viewer.person_id:
        raise MootError("no_comment_edit_allowed", status=403)
    return render.page(request, "comment_form.html", cv=view, content=view["comment"]["content"],
                       error=None, preview=None)


@router.post("/comment/{comment_id}/edit")
def edit_comment(request: Request, viewer: User, form: Form, comment_id: int) -> Response:
    content = form.get("content", "")
    if "preview" in form:
        return render.page(request, "comment_form.html", cv=_view(request, viewer, comment_id),
                           content=content, error=None, preview=render.markdown(content))
    try:
        do_edit_comment(session.get_context(request), viewer, comment_id, content, None)
    except MootError as error:
        return render.page(request, "comment_form.html", status=400, preview=None,
                           cv=_view(request, viewer, comment_id), content=content,
                           error=message_for(error))
    return redirect(f"/comment/{comment_id}")


def _counts_reply(request: Request, viewer: Any, comment_id: int) -> Response:
    if not session.wants_json(request):
        return redirect(f"/comment/{comment_id}")
    view = _view(request, viewer, comment_id)
    return JSONResponse({"upvotes": view["counts"]["upvotes"],
                         "downvotes": view["counts"]["downvotes"],
                         "my_vote": view.get("my_vote", 0), "saved": view["saved"]})


@router.post("/comment/{comment_id}/vote")
def vote_comment(request: Request, viewer: User, form: Form, comment_id: int) -> Response:
    do_like_comment(session.get_context(request), viewer, comment_id, field_int(form, "score"))
    return _counts_reply(request, viewer, comment_id)


@router.post("/comment/{comment_id}/save")
def save_comment(request: Request, viewer: User, form: Form, comment_id: int) -> Response:
    do_save_comment(session.get_context(request), viewer, comment_id, form.get("save") == "true")
    return _counts_reply(request, viewer, comment_id)


@router.post("/comment/{comment_id}/delete")
def delete_comment(request: Request, viewer: User, form: Form, comment_id: int) -> Response:
    do_delete_comment(session.get_context(request), viewer, comment_id,
                      form.get("deleted") == "true")
    return redirect(f"/comment/{comment_id}")


@router.post("/comment/{comment_id}/report")
def report_comment(request: Request, viewer: User, form: Form, comment_id: int) -> Response:
    do_create_comment_report(session.get_context(request), viewer, comment_id,
                             form.get("reason", ""))
    return render.page(request, "message.html", title="Reported",
                       message="Thank you: the moderators will look at it.",
                       back=f"/comment/{comment_id}")
