"""A person's page: who they are, what they moderate, their posts and comments."""

from __future__ import annotations

from fastapi import Request, Response

from moot.views.people import Viewer
from moot.views.person_details import PersonDetailsQuery, get_person_details
from moot.views.site import my_user_info
from moot.web import render, session
from moot.web.routing import web_router
from moot.web.session import MaybeUser

router = web_router()


@router.get("/u/{name}")
def person_page(request: Request, viewer: MaybeUser, name: str, page: int = 1) -> Response:
    page = min(max(page, 1), 100)
    data = get_person_details(session.get_context(request), viewer, PersonDetailsQuery(
        username=name, sort="New", page=page, limit=20))
    person = data["person_view"]["person"]
    return render.page(request, "person.html", vary_accept=True, data=data, person=person,
                       page=page, blocked=_blocks(request, viewer, person["id"]))


def _blocks(request: Request, viewer: Viewer | None, person_id: int) -> bool:
    """Whether the viewer blocks this person (the list GET /site gives as my_user)."""
    if viewer is None or viewer.person_id == person_id:
        return False
    with session.get_context(request).db.read() as conn:
        blocks = my_user_info(conn, viewer)["person_blocks"]
    return any(b["target"]["id"] == person_id for b in blocks)
