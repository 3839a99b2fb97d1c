"""The front page, a post's thread page, and writing posts: create, edit, vote, save, delete."""

from __future__ import annotations

from typing import Any, get_args

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from moot.actions.posts import (
    PostForm,
    do_create_post,
    do_delete_post,
    do_edit_post,
    do_like_post,
    do_open_post,
    do_save_post,
)
from moot.actions.reports import do_create_post_report
from moot.api.v3 import models as m
from moot.errors import MootError
from moot.memory import THREAD_PAGES, build_big
from moot.views.communities import (
    CommunityListQuery,
    find_community_id,
    list_communities,
)
from moot.views.post_list import list_posts
from moot.views.posts import get_post, get_post_view
from moot.web import render, session
from moot.web.moderation import can_moderate
from moot.web.routing import message_for, redirect, web_router
from moot.web.session import Form, MaybeUser, User, field_int
from moot.web.thread import COMMENT_SORTS, thread

router = web_router()
POST_SORTS = get_args(m.SortType)
LISTINGS = ("Subscribed", "Local", "All")
PAGE_SIZE = 20


def listing_args(viewer: Any, type_: str | None, sort: str | None) -> dict[str, Any]:
    """The request's listing and sort when they are known names (else the defaults)."""
    args: dict[str, Any] = {"limit": PAGE_SIZE}
    if type_ in LISTINGS and (viewer is not None or type_ != "Subscribed"):
        args["type_"] = type_
    if sort in POST_SORTS:
        args["sort"] = sort
    return args


@router.get("/")
def front_page(request: Request, viewer: MaybeUser, type_: str | None = None,
               sort: str | None = None, page_cursor: str | None = None) -> Response:
    ctx = session.get_context(request)
    args = listing_args(viewer, type_, sort)
    result = list_posts(ctx, viewer, m.GetPosts(page_cursor=page_cursor or None, **args))
    local_site = ctx.site().local_site
    user = viewer.local_user if viewer else None
    return render.page(
        request, "front.html", posts=result["posts"], next_page=result.get("next_page"),
        type_=args.get("type_") or (user or local_site)[
            "default_listing_type" if user else "default_post_listing_type"],
        sort=args.get("sort") or (user or local_site)["default_sort_type"],
        sorts=POST_SORTS, listings=LISTINGS if viewer else LISTINGS[1:])


@router.get("/post/{post_id}")
async def post_page(request: Request, viewer: MaybeUser, post_id: int,
                    sort: str | None = None) -> Response:
    # Up to THREAD_LIMIT comments: built as a big answer (moot/memory.py).
    return await build_big(THREAD_PAGES, _post_page, request, viewer, post_id, sort)


def _post_page(request: Request, viewer: Any, post_id: int, sort: str | None) -> Response:
    ctx = session.get_context(request)
    data = get_post(ctx, viewer, post_id, None)
    sort = sort if sort in COMMENT_SORTS else "Hot"
    comments = thread(ctx, viewer, post_id, sort)
    if viewer is not None:
        do_open_post(ctx, viewer, post_id, data["post_view"]["counts"]["comments"])
    return render.page(request, "post.html", vary_accept=True, data=data, pv=data["post_view"],
                       comments=comments, sort=sort, sorts=COMMENT_SORTS, focus=None,
                       can_mod=can_moderate(viewer, data["moderators"]))


def _form_values(form: dict[str, str]) -> PostForm:
    return PostForm(name=form.get("name", "").strip(), url=form.get("url", "").strip() or None,
                    body=form.get("body") or None, nsfw=form.get("nsfw") == "on",
                    honeypot=form.get("honeypot") or None)


def _communities(request: Request, viewer: Any) -> list[dict[str, Any]]:
    return list_communities(session.get_context(request), viewer, CommunityListQuery(
        type_="All", sort="TopAll", limit=50))


@router.get("/create_post")
def create_post_page(request: Request, viewer: User, community: str | None = None) -> Response:
    return render.page(request, "post_form.html", post=None, values={"community": community or ""},
                       communities=_communities(request, viewer), error=None, preview=None)


@router.post("/create_post")
def create_post(request: Request, viewer: User, form: Form) -> Response:
    ctx = session.get_context(request)
    if "preview" in form:
        return render.page(request, "post_form.html", post=None, values=form, error=None,
                           communities=_communities(request, viewer),
                           preview=render.markdown(form.get("body")))
    try:
        with ctx.db.read() as conn:
            community_id = find_community_id(ctx, conn, form.get("community", ""))
        post_id = do_create_post(ctx, viewer, community_id, _form_values(form))
    except MootError as error:
        return render.page(request, "post_form.html", status=400, post=None, values=form,
                           communities=_communities(request, viewer), error=message_for(error),
                           preview=None)
    return redirect(f"/post/{post_id}")


@router.get("/post/{post_id}/edit")
def edit_post_page(request: Request, viewer: User, post_id: int) -> Response:
    with session.get_context(request).db.read() as conn:
        view = get_post_view(conn, post_id, viewer)
    if view["creator"]["id"] != viewer.person_id:
        raise MootError("no_post_edit_allowed", status=403)
    values = {k: view["post"].get(k) or "" for k in ("name", "url", "body")}
    return render.page(request, "post_form.html", post=view["post"], values=values,
                       communities=[], error=None, preview=None)


@router.post("/post/{post_id}/edit")
def edit_post(request: Request, viewer: User, form: Form, post_id: int) -> Response:
    ctx = session.get_context(request)
    if "preview" in form:
        with ctx.db.read() as conn:
            view = get_post_view(conn, post_id, viewer)
        return render.page(request, "post_form.html", post=view["post"], values=form,
                           communities=[], error=None, preview=render.markdown(form.get("body")))
    values = _form_values(form)
    try:
        # On edit "" clears the link and the body, as the API's EditPost does.
        do_edit_post(ctx, viewer, post_id, PostForm(
            name=values.name, url=values.url or "", body=values.body or "", nsfw=values.nsfw))
    except MootError as error:
        with ctx.db.read() as conn:
            view = get_post_view(conn, post_id, viewer)
        return render.page(request, "post_form.html", status=400, post=view["post"],
                           values=form, communities=[], error=message_for(error), preview=None)
    return redirect(f"/post/{post_id}")


def _counts_reply(request: Request, viewer: Any, post_id: int, back: str) -> Response:
    if not session.wants_json(request):
        return redirect(back)
    with session.get_context(request).db.read() as conn:
        view = get_post_view(conn, post_id, viewer)
    return JSONResponse({"upvotes": view["counts"]["upvotes"],
                         "downvotes": view["counts"]["downvotes"],
                         "my_vote": view.get("my_vote", 0), "saved": view["saved"]})


@router.post("/post/{post_id}/vote")
def vote_post(request: Request, viewer: User, form: Form, post_id: int) -> Response:
    do_like_post(session.get_context(request), viewer, post_id, field_int(form, "score"))
    return _counts_reply(request, viewer, post_id, f"/post/{post_id}")


@router.post("/post/{post_id}/save")
def save_post(request: Request, viewer: User, form: Form, post_id: int) -> Response:
    do_save_post(session.get_context(request), viewer, post_id, form.get("save") == "true")
    return _counts_reply(request, viewer, post_id, f"/post/{post_id}")


@router.post("/post/{post_id}/delete")
def delete_post(request: Request, viewer: User, form: Form, post_id: int) -> Response:
    do_delete_post(session.get_context(request), viewer, post_id, form.get("deleted") == "true")
    return redirect(f"/post/{post_id}")


@router.post("/post/{post_id}/report")
def report_post(request: Request, viewer: User, form: Form, post_id: int) -> Response:
    do_create_post_report(session.get_context(request), viewer, post_id, form.get("reason", ""))
    return render.page(request, "message.html", title="Reported",
                       message="Thank you: the moderators will look at it.",
                       back=f"/post/{post_id}")
