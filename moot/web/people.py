"""A person's page: who they are, what they moderate, their posts and comments."""

from __future__ import annotations

from fastapi import Request, Response

from moot.views.person_details import PersonDetailsQuery, get_person_details
from moot.web import render, session
from moot.web.routing import web_router
from moot.web.session import MaybeUser

router = web_router()


@router.get("/u/{name}")
def person_page(request: Request, viewer: MaybeUser, name: str, page: int = 1) -> Response:
    page = min(max(page, 1), 100)
    data = get_person_details(session.get_context(request), viewer, PersonDetailsQuery(
        username=name, sort="New", page=page, limit=20))
    return render.page(request, "person.html", vary_accept=True, data=data,
                       person=data["person_view"]["person"], page=page)
