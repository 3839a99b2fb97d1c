"""The web's router: refusals become HTML pages (or JSON for static/app.js), never API JSON."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import APIRoute

from moot.errors import MootError
from moot.web import render, session

log = logging.getLogger("moot.web")

# What a person reads instead of the error's name.
MESSAGES = {
    "couldnt_find_post": "That post does not exist, or you may not see it.",
    "couldnt_find_comment": "That comment does not exist, or you may not see it.",
    "couldnt_find_community": "There is no such community here.",
    "couldnt_find_person": "There is no such person here.",
    "not_found": "There is nothing at this address.",
    "csrf_failed": "This form was out of date or came from another site. Reload the page and "
                   "try again.",
    "incorrect_login": "Wrong name or password.",
    "not_logged_in": "Log in first.",
    "passwords_do_not_match": "The two passwords differ.",
    "user_already_exists": "That name is taken.",
    "invalid_password": "The password must be 10 to 60 characters long.",
    "registration_closed": "Registration is closed on this site.",
    "instance_is_private": "This site is private: log in to read it.",
    "locked": "This post is locked.",
    "banned_from_community": "You are banned from this community.",
}


def message_for(error: MootError) -> str:
    return MESSAGES.get(error.name, error.message or error.name.replace("_", " ").capitalize())


def error_page(request: Request, error: MootError) -> Response:
    if session.wants_json(request):
        return JSONResponse(error.body(), status_code=error.status)
    if error.status == 401 and request.method == "GET":
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    status = error.status if error.status in (400, 401, 403, 404, 413) else 400
    return render.page(request, "error.html", status=status, message=message_for(error),
                       error=error.name)


class WebRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except MootError as error:
                return error_page(request, error)
            except RequestValidationError:
                # /post/abc and the like: not a page here.
                return error_page(request, MootError("not_found", status=404))

        return guarded


def web_router() -> APIRouter:
    # Pages are not part of the API's OpenAPI document.
    return APIRouter(route_class=WebRoute, include_in_schema=False)


def safe_next(target: str | None, default: str = "/") -> str:
    """A redirect target inside this site only (no //host or scheme: an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def redirect(target: str) -> RedirectResponse:
    return RedirectResponse(target, status_code=303)
