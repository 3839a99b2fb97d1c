"""GET/POST/PUT /site."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from moot.actions.site import do_create_site, do_edit_site
from moot.api.v3 import models as m
from moot.api.v3.deps import Admin, Api, Ctx, MaybeUser, current_viewer
from moot.views.site import get_site

api = Api()


@api.get("/site", m.GetSiteResponse)
def read_site(ctx: Ctx, request: Request) -> dict[str, Any]:
    # Public even on a private instance: it is how apps learn that they must log in.
    return get_site(ctx, current_viewer(request))


@api.post("/site", m.SiteResponse)
def create_site(ctx: Ctx, admin: Admin, form: m.CreateSite) -> dict[str, Any]:
    do_create_site(ctx, admin, form.model_dump(exclude_none=True))
    return _site_response(ctx, admin)


@api.put("/site", m.SiteResponse)
def edit_site(ctx: Ctx, admin: Admin, form: m.EditSite) -> dict[str, Any]:
    do_edit_site(ctx, admin, form.model_dump(exclude_none=True))
    return _site_response(ctx, admin)


def _site_response(ctx: Ctx, admin: Any) -> dict[str, Any]:
    site = get_site(ctx, admin)
    return {"site_view": site["site_view"], "taglines": site["taglines"]}


__all__ = ["MaybeUser", "api"]
