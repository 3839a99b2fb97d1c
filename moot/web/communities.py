"""Community pages: one community's posts, the list of communities, creating and following."""

from __future__ import annotations

from fastapi import Request, Response

from moot.actions.communities import (
    CommunityForm,
    do_create_community,
    do_follow_community,
)
from moot.api.v3 import models as m
from moot.errors import MootError
from moot.views.communities import CommunityListQuery, get_community, list_communities
from moot.views.post_list import list_posts
from moot.web import render, session
from moot.web.posts import POST_SORTS, listing_args
from moot.web.routing import message_for, redirect, safe_next, web_router
from moot.web.session import Form, MaybeUser, User

router = web_router()
COMMUNITY_SORTS = ("Hot", "New", "Old", "TopAll", "MostComments")


@router.get("/c/{name}")
def community_page(request: Request, viewer: MaybeUser, name: str, sort: str | None = None,
                   page_cursor: str | None = None) -> Response:
    ctx = session.get_context(request)
    data = get_community(ctx, viewer, None, name)
    args = listing_args(viewer, None, sort)
    community_id = data["community_view"]["community"]["id"]
    result = list_posts(ctx, viewer, m.GetPosts(community_id=community_id,
                                                page_cursor=page_cursor or None, **args))
    user = viewer.local_user if viewer else ctx.site().local_site
    return render.page(request, "community.html", vary_accept=True, data=data,
                       cv=data["community_view"], posts=result["posts"],
                       next_page=result.get("next_page"), sorts=POST_SORTS,
                       sort=args.get("sort") or user["default_sort_type"])


@router.get("/communities")
def communities_page(request: Request, viewer: MaybeUser, sort: str | None = None,
                     page: int = 1) -> Response:
    sort = sort if sort in COMMUNITY_SORTS else "TopAll"
    page = min(max(page, 1), 100)
    found = list_communities(session.get_context(request), viewer, CommunityListQuery(
        type_="All", sort=sort, page=page, limit=50))
    return render.page(request, "communities.html", communities=found, sort=sort,
                       sorts=COMMUNITY_SORTS, page=page, more=len(found) == 50)


@router.get("/create_community")
def create_community_page(request: Request, viewer: User) -> Response:
    return render.page(request, "community_form.html", values={}, error=None)


@router.post("/create_community")
def create_community(request: Request, viewer: User, form: Form) -> Response:
    name = form.get("name", "").strip()
    try:
        do_create_community(session.get_context(request), viewer, CommunityForm(
            name=name, title=form.get("title", "").strip() or name,
            description=form.get("description") or None, nsfw=form.get("nsfw") == "on"))
    except MootError as error:
        return render.page(request, "community_form.html", status=400, values=form,
                           error=message_for(error))
    return redirect(f"/c/{name}")


@router.post("/community/{community_id}/follow")
def follow_community(request: Request, viewer: User, form: Form,
                     community_id: int) -> Response:
    do_follow_community(session.get_context(request), viewer, community_id,
                        form.get("follow") == "true")
    return redirect(safe_next(form.get("back")))
