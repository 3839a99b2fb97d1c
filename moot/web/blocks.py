"""Block and unblock buttons for people (/u/{name}) and communities (/c/{name})."""

from __future__ import annotations

from fastapi import Request, Response

from moot.actions.communities import do_block_community
from moot.actions.people import do_block_person
from moot.web import session
from moot.web.routing import redirect, safe_next, web_router
from moot.web.session import Form, User

router = web_router()


def _block(form: dict[str, str]) -> bool:
    return form.get("block", "true") == "true"


@router.post("/person/{person_id}/block")
def block_person(request: Request, viewer: User, form: Form, person_id: int) -> Response:
    do_block_person(session.get_context(request), viewer.person_id, person_id, _block(form))
    return redirect(safe_next(form.get("next"), "/"))


@router.post("/community/{community_id}/block")
def block_community(request: Request, viewer: User, form: Form, community_id: int) -> Response:
    do_block_community(session.get_context(request), viewer, community_id, _block(form))
    return redirect(safe_next(form.get("next"), "/"))
