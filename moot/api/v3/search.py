"""GET /search."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from moot.api.v3 import models as m
from moot.api.v3.deps import Api, Ctx, MaybeUser
from moot.views.search import search

api = Api()


@api.get("/search", m.SearchResponse)
def search_route(ctx: Ctx, user: MaybeUser, q: Annotated[m.Search, Query()]) -> dict[str, Any]:
    return search(ctx, user, q)
