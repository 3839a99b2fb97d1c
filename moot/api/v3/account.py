"""Accounts: register, log in, log out, check a token."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from moot.actions.people import Registration, do_login, do_logout, do_register
from moot.api.json import JSONResponse
from moot.api.v3 import models as m
from moot.api.v3.deps import (
    AUTH_COOKIE,
    Api,
    Ctx,
    bearer_token,
    client_ip,
    current_viewer,
    success,
)
from moot.errors import MootError

api = Api()


def _login_response(jwt: str | None, registration_created: bool = False,
                    verify_email_sent: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {"registration_created": registration_created,
                            "verify_email_sent": verify_email_sent}
    if jwt is not None:
        body["jwt"] = jwt
    return body


@api.post("/user/register", m.LoginResponse)
def register(ctx: Ctx, request: Request, form: m.Register) -> dict[str, Any]:
    result = do_register(ctx, Registration(
        username=form.username, password=form.password, password_verify=form.password_verify,
        email=form.email, show_nsfw=bool(form.show_nsfw), honeypot=form.honeypot,
        answer=form.answer, captcha_uuid=form.captcha_uuid, captcha_answer=form.captcha_answer,
    ), ip=client_ip(request), user_agent=request.headers.get("user-agent"))
    return _login_response(result.jwt, result.registration_created, result.verify_email_sent)


@api.post("/user/login", m.LoginResponse)
def login(ctx: Ctx, request: Request, form: m.Login) -> dict[str, Any]:
    token = do_login(ctx, form.username_or_email, form.password, ip=client_ip(request),
                     user_agent=request.headers.get("user-agent"),
                     totp_token=form.totp_2fa_token)
    return _login_response(token)


@api.post("/user/logout", m.SuccessResponse)
def logout(ctx: Ctx, request: Request) -> JSONResponse:
    token = bearer_token(request)
    if current_viewer(request) is None or token is None:
        raise MootError("not_logged_in")
    do_logout(ctx, token)
    response = JSONResponse(success())
    response.delete_cookie(AUTH_COOKIE, path="/")
    return response


@api.get("/user/validate_auth", m.SuccessResponse)
def validate_auth(request: Request) -> dict[str, Any]:
    if current_viewer(request) is None:
        raise MootError("not_logged_in")
    return success()
