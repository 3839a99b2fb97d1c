"""A person's own account: settings, their backup, sessions, and instance blocks."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body
from pydantic import RootModel

from moot.actions.backup import do_import_settings
from moot.actions.credentials import do_list_logins
from moot.actions.settings import SettingsForm, do_block_instance, do_save_user_settings
from moot.api.v3 import models as m
from moot.api.v3.deps import Api, Ctx, User, success
from moot.views.backup import export_settings

api = Api()


class LoginTokens(RootModel[list[m.LoginToken]]):
    """Response of ``GET /user/list_logins``: a bare JSON array."""


class SettingsBackup(RootModel[dict[str, Any]]):
    """Lemmy's UserSettingsBackup (untyped in lemmy-js-client)."""


@api.put("/user/save_user_settings", m.SuccessResponse)
def save_user_settings(ctx: Ctx, user: User, form: m.SaveUserSettings) -> dict[str, Any]:
    do_save_user_settings(ctx, user, SettingsForm.from_model(form))
    return success()


@api.get("/user/list_logins", LoginTokens)
def list_logins(ctx: Ctx, user: User) -> list[dict[str, Any]]:
    return do_list_logins(ctx, user)


@api.get("/user/export_settings", SettingsBackup)
def export(ctx: Ctx, user: User) -> dict[str, Any]:
    return export_settings(ctx, user)


@api.post("/user/import_settings", m.SuccessResponse)
def import_settings(ctx: Ctx, user: User, backup: Annotated[Any, Body()]) -> dict[str, Any]:
    do_import_settings(ctx, user, backup)
    return success()


@api.post("/site/block", m.BlockInstanceResponse)
def block_instance(ctx: Ctx, user: User, form: m.BlockInstance) -> dict[str, Any]:
    return {"blocked": do_block_instance(ctx, user, form.instance_id, form.block)}
