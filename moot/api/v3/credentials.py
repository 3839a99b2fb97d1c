"""Passwords, two-factor codes, e-mail checks and resets, and deleting one's account."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from moot.actions.credentials import (
    do_change_password,
    do_delete_account,
    do_generate_totp,
    do_password_change_after_reset,
    do_password_reset,
    do_update_totp,
    do_verify_email,
)
from moot.api.v3 import models as m
from moot.api.v3.deps import Api, Ctx, User, client_ip, success

api = Api()


@api.put("/user/change_password", m.LoginResponse)
def change_password(ctx: Ctx, user: User, request: Request,
                    form: m.ChangePassword) -> dict[str, Any]:
    jwt = do_change_password(ctx, user, form.old_password, form.new_password,
                             form.new_password_verify, ip=client_ip(request),
                             user_agent=request.headers.get("user-agent"))
    return {"jwt": jwt, "registration_created": False, "verify_email_sent": False}


@api.post("/user/delete_account", m.SuccessResponse)
def delete_account(ctx: Ctx, user: User, form: m.DeleteAccount) -> dict[str, Any]:
    do_delete_account(ctx, user, form.password, form.delete_content)
    return success()


@api.post("/user/totp/generate", m.GenerateTotpSecretResponse)
def generate_totp(ctx: Ctx, user: User) -> dict[str, Any]:
    return {"totp_secret_url": do_generate_totp(ctx, user)}


@api.post("/user/totp/update", m.UpdateTotpResponse)
def update_totp(ctx: Ctx, user: User, form: m.UpdateTotp) -> dict[str, Any]:
    return {"enabled": do_update_totp(ctx, user, form.totp_token, form.enabled)}


@api.post("/user/verify_email", m.SuccessResponse)
def verify_email(ctx: Ctx, form: m.VerifyEmail) -> dict[str, Any]:
    do_verify_email(ctx, form.token)
    return success()


@api.post("/user/password_reset", m.SuccessResponse)
def password_reset(ctx: Ctx, form: m.PasswordReset) -> dict[str, Any]:
    do_password_reset(ctx, form.email)
    return success()


@api.post("/user/password_change", m.SuccessResponse)
def password_change(ctx: Ctx, form: m.PasswordChangeAfterReset) -> dict[str, Any]:
    do_password_change_after_reset(ctx, form.token, form.password, form.password_verify)
    return success()
