"""/community routes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from moot.actions.communities import CommunityForm, do_create_community
from moot.api.v3 import models as m
from moot.api.v3.deps import Api, Ctx, MaybeUser, User
from moot.views.communities import get_community, get_community_view

api = Api()


@api.post("/community", m.CommunityResponse)
def create_community(ctx: Ctx, user: User, form: m.CreateCommunity) -> dict[str, Any]:
    community_id = do_create_community(ctx, user, CommunityForm(
        name=form.name, title=form.title, description=form.description, icon=form.icon,
        banner=form.banner, nsfw=bool(form.nsfw),
        posting_restricted_to_mods=bool(form.posting_restricted_to_mods),
        visibility=form.visibility or "Public"))
    with ctx.db.read() as conn:
        return {"community_view": get_community_view(conn, community_id, user),
                "discussion_languages": []}


@api.get("/community", m.GetCommunityResponse)
def read_community(ctx: Ctx, user: MaybeUser,
                   q: Annotated[m.GetCommunity, Query()]) -> dict[str, Any]:
    return get_community(ctx, user, q.id, q.name)
