"""/search: the API's search, shown as a page."""

from __future__ import annotations

from fastapi import Request, Response

from moot.api.v3 import models as m
from moot.views.search import search
from moot.web import render, session
from moot.web.routing import web_router
from moot.web.session import MaybeUser

router = web_router()
KINDS = ("All", "Posts", "Comments", "Communities", "Users")


@router.get("/search")
def search_page(request: Request, viewer: MaybeUser, q: str = "", type_: str = "All",
                page: int = 1) -> Response:
    type_ = type_ if type_ in KINDS else "All"
    page = min(max(page, 1), 100)
    result = None
    if q.strip():
        result = search(session.get_context(request), viewer,
                        m.Search(q=q, type_=type_, page=page, limit=20))  # type: ignore[arg-type]
    return render.page(request, "search.html", q=q, type_=type_, kinds=KINDS, result=result,
                       page=page)
