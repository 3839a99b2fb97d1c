"""What every v3 route shares: the context, who is asking, and how a route is declared."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from anyio import CapacityLimiter
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from moot.actions.communities import check_user_valid
from moot.api.json import JSONResponse, check_shape
from moot.context import Context
from moot.errors import IncorrectLogin, MootError
from moot.memory import build_big
from moot.security import read_token
from moot.views.people import Viewer, load_viewer

AUTH_COOKIE = "jwt"
F = TypeVar("F", bound=Callable[..., Any])


def get_context(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer " and header[7:].strip():
        return header[7:].strip()
    if request.method not in ("GET", "HEAD", "OPTIONS") and _cross_site(request):
        # A write that another site's page made the browser send: its cookie does not count
        # (docs/decisions/0011; SameSite=Lax already keeps it from most browsers).
        return None
    return request.cookies.get(AUTH_COOKIE) or None


def _cross_site(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        return False
    return origin.partition("://")[2].lower() != request.headers.get("host", "").lower()


def current_viewer(request: Request) -> Viewer | None:
    """The logged-in user, or None: an invalid token makes the request anonymous, as in Lemmy."""
    if hasattr(request.state, "viewer"):
        return request.state.viewer  # type: ignore[no-any-return]
    viewer = None
    token = bearer_token(request)
    if token:
        ctx = get_context(request)
        user_id = read_token(token, ctx.site().jwt_secret)
        if user_id is not None:
            with ctx.db.read() as conn:
                viewer = load_viewer(conn, user_id, token)
    request.state.viewer = viewer
    return viewer


def reader(request: Request) -> Viewer | None:
    """The viewer of a read endpoint; a private instance refuses anonymous readers."""
    viewer = current_viewer(request)
    if viewer is None and get_context(request).site().local_site["private_instance"]:
        raise MootError("instance_is_private")
    return viewer


def require_viewer(request: Request) -> Viewer:
    """The logged-in user; on any write (every method but GET and HEAD) also one who may act:
    a site-banned or deleted account is refused there (site_ban, deleted), in one place, so
    that no write route can forget it. Reads stay open to them, so a banned user can still see
    their inbox and why they were banned."""
    viewer = current_viewer(request)
    if viewer is None:
        raise IncorrectLogin()
    if request.method not in ("GET", "HEAD"):
        check_user_valid(viewer)
    return viewer


def require_admin(request: Request) -> Viewer:
    viewer = require_viewer(request)
    if not viewer.admin:
        raise MootError("not_an_admin")
    return viewer


Ctx = Annotated[Context, Depends(get_context)]
MaybeUser = Annotated[Viewer | None, Depends(reader)]
User = Annotated[Viewer, Depends(require_viewer)]
Admin = Annotated[Viewer, Depends(require_admin)]


# A route declared big -> its limiter; the read door builds the same routes on the same one.
BIG_ROUTES: dict[Callable[..., Any], CapacityLimiter] = {}


class Api:
    """A router whose routes return plain dicts, documented (and, in tests, checked) by a model.

    Views build Lemmy's JSON directly for speed; ``validate`` makes every response pass through
    its pydantic model too, so a missing or extra field fails the test suite.
    """

    validate = False

    def __init__(self) -> None:
        self.router = APIRouter()

    def route(self, method: str, path: str, model: type[BaseModel], *,
              big: CapacityLimiter | None = None) -> Callable[[F], F]:
        """``big``: the answer may hold hundreds of rows, and is built as a big answer
        (moot/memory.py) on that limiter's threads."""
        def decorate(fn: F) -> F:
            def answer(*args: Any, **kwargs: Any) -> Any:
                data = fn(*args, **kwargs)
                if isinstance(data, JSONResponse):
                    return data
                if Api.validate:
                    check_shape(model, data)
                return JSONResponse(data)

            endpoint: Callable[..., Any] = answer
            if big is not None:
                limiter: CapacityLimiter = big
                BIG_ROUTES[fn] = limiter

                async def build(*args: Any, **kwargs: Any) -> Any:
                    return await build_big(limiter, functools.partial(answer, *args, **kwargs))
                endpoint = build
            # FastAPI reads the parameters through __wrapped__ (fn's), and runs a plain
            # function on its shared thread pool.
            endpoint = functools.wraps(fn)(endpoint)
            self.router.add_api_route(path, endpoint, methods=[method], response_model=None,
                                      responses={200: {"model": model}}, name=fn.__name__)
            return fn

        return decorate

    def get(self, path: str, model: type[BaseModel], *,
            big: CapacityLimiter | None = None) -> Callable[[F], F]:
        return self.route("GET", path, model, big=big)

    def post(self, path: str, model: type[BaseModel]) -> Callable[[F], F]:
        return self.route("POST", path, model)

    def put(self, path: str, model: type[BaseModel]) -> Callable[[F], F]:
        return self.route("PUT", path, model)


def client_ip(request: Request) -> str:
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded:
        return forwarded.split(",")[0].strip()
    return request.client.host if request.client else "unknown"


def success() -> dict[str, bool]:
    return {"success": True}
