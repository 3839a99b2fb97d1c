"""Builds the ASGI application: the v3 API, nodeinfo, the web pages, and (later) federation."""

from __future__ import annotations

import socket
import warnings

import anyio.to_thread
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from moot import web
from moot.api.errors import CrashGuard, install_error_handlers
from moot.api.page_cache import ChangeProbe, PageCache, PageStore
from moot.api.ratelimit import Buckets, RateLimitMiddleware
from moot.api.read_door import ReadDoor, is_read
from moot.api.timing import ServerTiming
from moot.api.v3 import routers as v3_routers
from moot.api.v3.deps import Api
from moot.api.vote_door import VoteDoor, is_vote
from moot.config import Settings, configure_logging
from moot.context import Context
from moot.db.engine import Database, make_engine
from moot.federation import nodeinfo
from moot.federation import routes as federation_routes
from moot.federation.inbox_door import InboxDoor, is_delivery
from moot.federation.negotiate import ActivityPubNegotiation

# FastAPI wraps a deferred-build request model in Field(alias=<parameter name>); pydantic then
# warns, once per model, that the alias has no effect. It has none, and it is not ours.
warnings.filterwarnings("ignore", message="The 'alias' attribute with value")


class MootApp(FastAPI):
    """FastAPI, with the inbox, vote and read doors asked first: deliveries, votes and
    logged-in reads of posts and comments skip the whole stack below."""

    inbox_door: InboxDoor
    vote_door: VoteDoor | None = None  # None sends votes through FastAPI (tests compare both)
    read_door: ReadDoor | None = None  # likewise for logged-in reads
    threads: int = 0  # request threads wanted; set on the first request, inside the loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.threads:
            # FastAPI runs synchronous handlers on anyio's shared pool (40 threads by default).
            # On two cores more threads only contend for the GIL and hold more half-built
            # responses in memory at once.
            anyio.to_thread.current_default_thread_limiter().total_tokens = self.threads
            self.threads = 0
        if is_delivery(scope):
            await self.inbox_door(scope, receive, send)
        elif self.vote_door is not None and is_vote(scope):
            await self.vote_door(scope, receive, send, super().__call__)
        elif self.read_door is not None and is_read(scope):
            await self.read_door(scope, receive, send, super().__call__)
        else:
            await super().__call__(scope, receive, send)


def create_app(settings: Settings, db: Database | None = None,
               vote_writer: socket.socket | None = None) -> FastAPI:
    """``vote_writer``: this process's socket to the vote writer process (`moot serve`)."""
    configure_logging(settings)
    db = db or Database(make_engine(settings.database_url, pool_size=min(settings.threads, 20)))
    ctx = Context(settings=settings, db=db)
    Api.validate = settings.validate_responses
    app = MootApp(title="Moot", version="0.1.0",
                 summary="Lemmy HTTP API v3, served by Moot",
                 openapi_url="/api/v3/openapi.json", docs_url="/api/v3/docs", redoc_url=None)
    app.state.ctx = ctx
    app.inbox_door = InboxDoor(ctx)
    buckets = Buckets()  # one set for the rate-limit layer and the doors
    app.vote_door = VoteDoor(ctx, buckets, vote_writer)
    app.read_door = ReadDoor(ctx, buckets)
    app.threads = settings.threads
    install_error_handlers(app)
    for router in v3_routers():
        app.include_router(router, prefix="/api/v3")
    app.include_router(nodeinfo.router)
    app.include_router(federation_routes.router)
    for router in web.routers():
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=web.STATIC_DIR), name="static")
    # Innermost first. Before routing: ActivityPub JSON for paths that are also web pages
    # (federation/negotiate.py).
    app.add_middleware(ActivityPubNegotiation)
    app.add_middleware(CrashGuard)
    # Anonymous reads from memory until the next commit: a hit skips everything below.
    app.state.page_cache = PageStore(ChangeProbe(db) if settings.page_cache else None,
                                     settings.page_cache_mb * 1024 * 1024)
    app.add_middleware(PageCache, store=app.state.page_cache)
    # Outside the cache, so that stored answers count against the limits too, as in Lemmy.
    app.add_middleware(RateLimitMiddleware, buckets=buckets)
    # Lemmy's default: any origin, method and header (browser apps such as Voyager need it).
    # Outside the limits and the cache: refusals and stored answers get the headers too.
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"],
                       allow_headers=["*"], expose_headers=["*"], max_age=3600)
    app.add_middleware(ServerTiming)  # outermost: times everything below it
    return app
