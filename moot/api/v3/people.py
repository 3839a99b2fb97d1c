"""/user routes about other people: their profile (GET /user) and blocking them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from moot.actions.people import do_block_person
from moot.api.v3 import models as m
from moot.api.v3.deps import Api, Ctx, MaybeUser, User
from moot.views.people import get_visible_person_view
from moot.views.person_details import PersonDetailsQuery, get_person_details

api = Api()


@api.get("/user", m.GetPersonDetailsResponse)
def read_person(ctx: Ctx, user: MaybeUser,
                q: Annotated[m.GetPersonDetails, Query()]) -> dict[str, Any]:
    return get_person_details(ctx, user, PersonDetailsQuery(
        person_id=q.person_id, username=q.username, sort=q.sort, page=q.page, limit=q.limit,
        community_id=q.community_id, saved_only=bool(q.saved_only)))


@api.post("/user/block", m.BlockPersonResponse)
def block_person(ctx: Ctx, user: User, form: m.BlockPerson) -> dict[str, Any]:
    do_block_person(ctx, user.person_id, form.person_id, form.block)
    with ctx.db.read() as conn:
        return {"person_view": get_visible_person_view(conn, form.person_id),
                "blocked": form.block}
