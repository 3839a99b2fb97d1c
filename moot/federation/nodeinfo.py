"""NodeInfo 2.0/2.1: says "lemmy 0.19.x" so that apps pick their Lemmy v3 code path."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from moot.api.json import JSONResponse
from moot.context import Context
from moot.views.site import site_counts, version

router = APIRouter()
SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/"


@router.get("/.well-known/nodeinfo", include_in_schema=False)
def well_known(request: Request) -> JSONResponse:
    ctx: Context = request.app.state.ctx
    return JSONResponse({"links": [
        {"rel": SCHEMA + "2.1", "href": ctx.url("/nodeinfo/2.1")},
        {"rel": SCHEMA + "2.0", "href": ctx.url("/nodeinfo/2.0")},
    ]})


def _nodeinfo(ctx: Context, schema_version: str) -> dict[str, Any]:
    info = ctx.site()
    with ctx.db.read() as conn:
        counts = site_counts(conn, info.site["id"], info.instance_id)
    software: dict[str, Any] = {"name": "lemmy", "version": version()}
    if schema_version == "2.1":
        software.update(repository="https://github.com/moot-forum/moot",
                        homepage="https://github.com/moot-forum/moot")
    return {
        "version": schema_version,
        "software": software,
        "protocols": ["activitypub"],
        "usage": {
            "users": {"total": counts["users"], "activeHalfyear": counts["users_active_half_year"],
                      "activeMonth": counts["users_active_month"]},
            "localPosts": counts["posts"],
            "localComments": counts["comments"],
        },
        "openRegistrations": info.local_site["registration_mode"] != "Closed",
        "services": {"inbound": [], "outbound": []},
        "metadata": {},
    }


@router.get("/nodeinfo/2.1", include_in_schema=False)
def nodeinfo_21(request: Request) -> JSONResponse:
    return JSONResponse(_nodeinfo(request.app.state.ctx, "2.1"))


@router.get("/nodeinfo/2.0", include_in_schema=False)
def nodeinfo_20(request: Request) -> JSONResponse:
    return JSONResponse(_nodeinfo(request.app.state.ctx, "2.0"))


@router.get("/nodeinfo/2.0.json", include_in_schema=False)
@router.get("/nodeinfo/2.1.json", include_in_schema=False)
@router.get("/version", include_in_schema=False)
def nodeinfo_redirect() -> RedirectResponse:
    return RedirectResponse("/nodeinfo/2.1", status_code=301)
