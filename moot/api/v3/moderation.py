"""Moderator routes: remove, lock and feature posts; remove and distinguish comments; ban from
and appoint to a community; transfer, hide, remove and delete a community; and the modlog."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from moot.actions.community_moderation import (
    do_delete_community,
    do_hide_community,
    do_remove_community,
    do_transfer_community,
)
from moot.actions.moderation import (
    do_add_mod,
    do_ban_from_community,
    do_distinguish_comment,
    do_feature_post,
    do_lock_post,
    do_remove_comment,
    do_remove_post,
)
from moot.api.v3 import models as m
from moot.api.v3.deps import Admin, Api, Ctx, MaybeUser, User, success
from moot.context import Context
from moot.views.comments import comment_response
from moot.views.communities import get_community_view, moderators
from moot.views.modlog import ModlogQuery, get_modlog
from moot.views.people import Viewer, get_person_view
from moot.views.posts import get_post_view

api = Api()


def _post_response(ctx: Context, user: Viewer, post_id: int) -> dict[str, Any]:
    with ctx.db.read() as conn:
        return {"post_view": get_post_view(conn, post_id, user)}


@api.post("/post/remove", m.PostResponse)
def remove_post(ctx: Ctx, user: User, form: m.RemovePost) -> dict[str, Any]:
    do_remove_post(ctx, user, form.post_id, form.removed, form.reason)
    return _post_response(ctx, user, form.post_id)


@api.post("/post/lock", m.PostResponse)
def lock_post(ctx: Ctx, user: User, form: m.LockPost) -> dict[str, Any]:
    do_lock_post(ctx, user, form.post_id, form.locked)
    return _post_response(ctx, user, form.post_id)


@api.post("/post/feature", m.PostResponse)
def feature_post(ctx: Ctx, user: User, form: m.FeaturePost) -> dict[str, Any]:
    do_feature_post(ctx, user, form.post_id, form.featured, form.feature_type)
    return _post_response(ctx, user, form.post_id)


@api.post("/comment/remove", m.CommentResponse)
def remove_comment(ctx: Ctx, user: User, form: m.RemoveComment) -> dict[str, Any]:
    do_remove_comment(ctx, user, form.comment_id, form.removed, form.reason)
    return comment_response(ctx, form.comment_id, user)


@api.post("/comment/distinguish", m.CommentResponse)
def distinguish_comment(ctx: Ctx, user: User, form: m.DistinguishComment) -> dict[str, Any]:
    do_distinguish_comment(ctx, user, form.comment_id, form.distinguished)
    return comment_response(ctx, form.comment_id, user)


@api.post("/community/ban_user", m.BanFromCommunityResponse)
def ban_from_community(ctx: Ctx, user: User, form: m.BanFromCommunity) -> dict[str, Any]:
    do_ban_from_community(ctx, user, form.community_id, form.person_id, form.ban,
                          bool(form.remove_data), form.reason, form.expires)
    with ctx.db.read() as conn:
        return {"person_view": get_person_view(conn, form.person_id), "banned": form.ban}


@api.post("/community/mod", m.AddModToCommunityResponse)
def add_mod(ctx: Ctx, user: User, form: m.AddModToCommunity) -> dict[str, Any]:
    do_add_mod(ctx, user, form.community_id, form.person_id, form.added)
    with ctx.db.read() as conn:
        return {"moderators": moderators(conn, form.community_id)}


# Whole communities -------------------------------------------------------------------------


def _community_response(ctx: Context, user: Viewer, community_id: int) -> dict[str, Any]:
    with ctx.db.read() as conn:
        return {"community_view": get_community_view(conn, community_id, user),
                "discussion_languages": []}


@api.post("/community/transfer", m.GetCommunityResponse)
def transfer_community(ctx: Ctx, user: User, form: m.TransferCommunity) -> dict[str, Any]:
    do_transfer_community(ctx, user, form.community_id, form.person_id)
    with ctx.db.read() as conn:
        return {"community_view": get_community_view(conn, form.community_id, user),
                "moderators": moderators(conn, form.community_id), "discussion_languages": []}


@api.put("/community/hide", m.SuccessResponse)
def hide_community(ctx: Ctx, admin: Admin, form: m.HideCommunity) -> dict[str, Any]:
    do_hide_community(ctx, admin, form.community_id, form.hidden, form.reason)
    return success()


@api.post("/community/remove", m.CommunityResponse)
def remove_community(ctx: Ctx, user: User, form: m.RemoveCommunity) -> dict[str, Any]:
    do_remove_community(ctx, user, form.community_id, form.removed, form.reason)
    return _community_response(ctx, user, form.community_id)


@api.post("/community/delete", m.CommunityResponse)
def delete_community(ctx: Ctx, user: User, form: m.DeleteCommunity) -> dict[str, Any]:
    do_delete_community(ctx, user, form.community_id, form.deleted)
    return _community_response(ctx, user, form.community_id)


@api.get("/modlog", m.GetModlogResponse)
def read_modlog(ctx: Ctx, user: MaybeUser, q: Annotated[m.GetModlog, Query()]) -> dict[str, Any]:
    return get_modlog(ctx, user, ModlogQuery(
        mod_person_id=q.mod_person_id, community_id=q.community_id,
        other_person_id=q.other_person_id, post_id=q.post_id, comment_id=q.comment_id,
        page=q.page, limit=q.limit, type_=q.type_))
