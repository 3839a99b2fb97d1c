"""GET /resolve_object: a post, comment, community or person by URL or handle, fetched if new."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from moot.api.v3 import models as m
from moot.api.v3.deps import Api, Ctx, User
from moot.errors import MootError
from moot.views.comments import get_comment_view
from moot.views.communities import get_community_view
from moot.views.people import get_person_view
from moot.views.posts import get_post_view

api = Api()


@api.get("/resolve_object", m.ResolveObjectResponse)
def resolve_object(ctx: Ctx, user: User, q: Annotated[m.ResolveObject, Query()]) -> dict[str, Any]:
    # Imported on first use: the HTTP client stack is not needed to start serving.
    from moot.federation.actors import BadActor
    from moot.federation.http import FetchError
    from moot.federation.parse import Unusable
    from moot.federation.resolve import resolve

    try:
        kind, row_id = resolve(ctx, q.q)
    except (Unusable, FetchError, BadActor) as exc:
        # Lemmy answers couldnt_find_object for anything it cannot resolve.
        raise MootError("couldnt_find_object", status=404) from exc
    with ctx.db.read() as conn:
        if kind == "post":
            return {"post": get_post_view(conn, row_id, user)}
        if kind == "comment":
            return {"comment": get_comment_view(conn, row_id, user)}
        if kind == "community":
            return {"community": get_community_view(conn, row_id, user)}
        return {"person": get_person_view(conn, row_id)}
