"""Who is browsing, and the CSRF token that every form carries.

The login is the API's: the same login_token row, its JWT kept in the ``jwt`` cookie (HttpOnly,
SameSite=Lax), which the API accepts too. Forms are protected twice (docs/decisions/0011):

* a token in a hidden field, HMAC(site secret, csrf cookie | login token), so that it is tied to
  this browser and to this login, checked on every POST;
* the Origin header, when the browser sends one, must be this server.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

from fastapi import Depends, Request, Response
from pydantic import BaseModel, ValidationError

from moot.actions.communities import check_user_valid
from moot.api.v3.deps import AUTH_COOKIE, current_viewer, get_context
from moot.errors import MootError
from moot.views.people import Viewer

M = TypeVar("M", bound=BaseModel)

CSRF_COOKIE = "moot_csrf"
CSRF_FIELD = "csrf"
MAX_FORM_BYTES = 256 * 1024
LOGIN_MAX_AGE = 365 * 86400

__all__ = ["Form", "MaybeUser", "User", "csrf_token", "get_context", "viewer_or_none"]


def viewer_or_none(request: Request) -> Viewer | None:
    return current_viewer(request)


def _browser_key(request: Request) -> str:
    """This browser's csrf cookie; a new one (set on the response) when it has none yet."""
    key = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_key", None)
    if not key or len(key) > 100:
        key = secrets.token_urlsafe(24)
        request.state.new_csrf_key = key
    return str(key)


def csrf_token(request: Request) -> str:
    viewer = viewer_or_none(request)
    secret = get_context(request).site().jwt_secret.encode()
    message = f"csrf|{_browser_key(request)}|{viewer.token if viewer else ''}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def store_csrf_cookie(request: Request, response: Response) -> None:
    key = getattr(request.state, "new_csrf_key", None)
    if key:
        response.set_cookie(CSRF_COOKIE, key, httponly=True, samesite="lax", path="/",
                            secure=_secure(request))


def _secure(request: Request) -> bool:
    return get_context(request).settings.base_url.startswith("https:")


def same_origin(request: Request) -> bool:
    """False only when the browser says the request comes from another site."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc.lower() == host.lower()


async def _raw_form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise MootError("unknown", "form too large", status=413)
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError as error:
        raise MootError("unknown", "form is not UTF-8") from error


def checked_form(request: Request, raw: Annotated[dict[str, str], Depends(_raw_form)]
                 ) -> dict[str, str]:
    """The POSTed form, once its CSRF token and origin are right."""
    sent = raw.get(CSRF_FIELD, "")
    if not same_origin(request) or not hmac.compare_digest(sent, csrf_token(request)):
        raise MootError("csrf_failed", status=403)
    return raw


def require_user(request: Request) -> Viewer:
    viewer = viewer_or_none(request)
    if viewer is None:
        raise MootError("not_logged_in", status=401)
    if request.method not in ("GET", "HEAD"):
        # As the API's User door: a site-banned or deleted account reads but does not act.
        check_user_valid(viewer)
    return viewer


def maybe_user(request: Request) -> Viewer | None:
    viewer = viewer_or_none(request)
    if viewer is None and get_context(request).site().local_site["private_instance"]:
        raise MootError("not_logged_in", status=401)
    return viewer


Form = Annotated[dict[str, str], Depends(checked_form)]
User = Annotated[Viewer, Depends(require_user)]
MaybeUser = Annotated[Viewer | None, Depends(maybe_user)]


def set_login(request: Request, response: Response, jwt: str) -> None:
    response.set_cookie(AUTH_COOKIE, jwt, max_age=LOGIN_MAX_AGE, httponly=True, samesite="lax",
                        path="/", secure=_secure(request))


def clear_login(response: Response) -> None:
    response.delete_cookie(AUTH_COOKIE, path="/")


def wants_json(request: Request) -> bool:
    """Requests from static/app.js, which wants data back instead of a redirect."""
    return request.headers.get("x-requested-with") == "moot"


def field_int(form: dict[str, Any], name: str) -> int:
    try:
        return int(form.get(name, ""))
    except ValueError as error:
        raise MootError("unknown", f"{name} must be a number") from error


def checkbox(form: dict[str, str], name: str) -> bool:
    """An HTML checkbox: sent (as "on") when ticked, absent when not."""
    return name in form


def parsed(model: type[M], values: dict[str, Any]) -> M:
    """A form's values through the API's own request model, so that the web accepts exactly
    what the API does (enums, integers); a bad value is a named error, not a stack trace."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        field = ".".join(str(part) for part in error.errors()[0]["loc"])
        raise MootError("unknown", f"{field} is not valid") from error
