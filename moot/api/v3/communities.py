"""/community routes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from moot.actions.communities import (
    CommunityEdit,
    CommunityForm,
    do_block_community,
    do_create_community,
    do_edit_community,
    do_follow_community,
)
from moot.api.v3 import models as m
from moot.api.v3.deps import Api, Ctx, MaybeUser, User
from moot.views.communities import (
    CommunityListQuery,
    get_community,
    get_community_view,
    list_communities,
)
from moot.views.people import Viewer

api = Api()


@api.post("/community", m.CommunityResponse)
def create_community(ctx: Ctx, user: User, form: m.CreateCommunity) -> dict[str, Any]:
    community_id = do_create_community(ctx, user, CommunityForm(
        name=form.name, title=form.title, description=form.description, icon=form.icon,
        banner=form.banner, nsfw=bool(form.nsfw),
        posting_restricted_to_mods=bool(form.posting_restricted_to_mods),
        visibility=form.visibility or "Public"))
    return _community_response(ctx, community_id, user)


def _community_response(ctx: Ctx, community_id: int, user: Viewer) -> dict[str, Any]:
    with ctx.db.read() as conn:
        return {"community_view": get_community_view(conn, community_id, user),
                "discussion_languages": []}


@api.get("/community", m.GetCommunityResponse)
def read_community(ctx: Ctx, user: MaybeUser,
                   q: Annotated[m.GetCommunity, Query()]) -> dict[str, Any]:
    return get_community(ctx, user, q.id, q.name)


@api.put("/community", m.CommunityResponse)
def edit_community(ctx: Ctx, user: User, form: m.EditCommunity) -> dict[str, Any]:
    do_edit_community(ctx, user, CommunityEdit(
        community_id=form.community_id, title=form.title, description=form.description,
        icon=form.icon, banner=form.banner, nsfw=form.nsfw,
        posting_restricted_to_mods=form.posting_restricted_to_mods, visibility=form.visibility))
    return _community_response(ctx, form.community_id, user)


@api.get("/community/list", m.ListCommunitiesResponse)
def list_communities_route(ctx: Ctx, user: MaybeUser,
                           q: Annotated[m.ListCommunities, Query()]) -> dict[str, Any]:
    return {"communities": list_communities(ctx, user, CommunityListQuery(
        type_=q.type_, sort=q.sort, show_nsfw=bool(q.show_nsfw), page=q.page, limit=q.limit))}


@api.post("/community/follow", m.CommunityResponse)
def follow_community(ctx: Ctx, user: User, form: m.FollowCommunity) -> dict[str, Any]:
    do_follow_community(ctx, user, form.community_id, form.follow)
    return _community_response(ctx, form.community_id, user)


@api.post("/community/block", m.BlockCommunityResponse)
def block_community(ctx: Ctx, user: User, form: m.BlockCommunity) -> dict[str, Any]:
    do_block_community(ctx, user, form.community_id, form.block)
    with ctx.db.read() as conn:
        return {"community_view": get_community_view(conn, form.community_id, user),
                "blocked": form.block}
