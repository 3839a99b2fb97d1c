"""Routes for what admins configure beside PUT /site (custom emojis), and the public reads
that depend on it: the captcha and the federated instances."""

from __future__ import annotations

from typing import Any

from moot.actions.captcha import do_create_captcha
from moot.actions.emojis import (
    EmojiForm,
    do_create_emoji,
    do_delete_emoji,
    do_edit_emoji,
)
from moot.api.v3 import models as m
from moot.api.v3.deps import Admin, Api, Ctx, MaybeUser, success
from moot.views.site_lists import custom_emojis, federated_instances

api = Api()


@api.get("/user/get_captcha", m.GetCaptchaResponse)
def get_captcha(ctx: Ctx) -> dict[str, Any]:
    captcha = do_create_captcha(ctx)
    return {} if captcha is None else {"ok": captcha}


@api.get("/federated_instances", m.GetFederatedInstancesResponse)
def get_federated_instances(ctx: Ctx, viewer: MaybeUser) -> dict[str, Any]:
    info = ctx.site()
    if not info.local_site["federation_enabled"]:
        return {}
    with ctx.db.read() as conn:
        return {"federated_instances": federated_instances(conn, info.instance_id)}


def _emoji_response(ctx: Ctx, emoji_id: int) -> dict[str, Any]:
    with ctx.db.read() as conn:
        return {"custom_emoji": custom_emojis(conn, emoji_id)[0]}


@api.post("/custom_emoji", m.CustomEmojiResponse)
def create_custom_emoji(ctx: Ctx, admin: Admin, form: m.CreateCustomEmoji) -> dict[str, Any]:
    emoji_id = do_create_emoji(ctx, admin, EmojiForm(
        form.category, form.image_url, form.alt_text, form.keywords, form.shortcode))
    return _emoji_response(ctx, emoji_id)


@api.put("/custom_emoji", m.CustomEmojiResponse)
def edit_custom_emoji(ctx: Ctx, admin: Admin, form: m.EditCustomEmoji) -> dict[str, Any]:
    do_edit_emoji(ctx, admin, form.id, EmojiForm(form.category, form.image_url, form.alt_text,
                                                 form.keywords))
    return _emoji_response(ctx, form.id)


@api.post("/custom_emoji/delete", m.SuccessResponse)
def delete_custom_emoji(ctx: Ctx, admin: Admin, form: m.DeleteCustomEmoji) -> dict[str, Any]:
    do_delete_emoji(ctx, admin, form.id)
    return success()
