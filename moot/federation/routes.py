"""Federation routes that are not web pages: WebFinger, the inboxes, collections, activities."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from moot.context import Context
from moot.db import tables as t
from moot.federation.objects import CONTEXT, PUBLIC, page_json

router = APIRouter(include_in_schema=False)
AP = "application/activity+json"
_ACCT = re.compile(r"^acct:([\w.-]+)@(.+)$")


def _json(document: dict[str, Any], status: int = 200, media: str = AP) -> Response:
    return Response(json.dumps(document), status_code=status, media_type=media)


def _ctx(request: Request) -> Context:
    return request.app.state.ctx  # type: ignore[no-any-return]


def _webfinger(ctx: Context, resource: str) -> dict[str, Any] | None:
    match = _ACCT.match(resource.strip())
    if match is None or match.group(2).lower() != ctx.settings.hostname.lower():
        return None
    name = match.group(1)
    links: list[dict[str, Any]] = []
    if name.lower() == ctx.settings.hostname.split(":")[0].lower() or \
            name.lower() == ctx.settings.hostname.lower():
        links.append({"rel": "self", "type": AP, "href": ctx.site().site["actor_id"]})
    with ctx.db.read() as conn:
        # Lemmy lists the person first and the group last (Mastodon takes the last link).
        for table, kind in ((t.person, "Person"), (t.community, "Group")):
            actor = conn.execute(select(table.c.actor_id).where(
                func.lower(table.c.name) == name.lower(), table.c.local.is_(True),
                table.c.deleted.is_(False))).scalar()
            if actor:
                links += [{"rel": "http://webfinger.net/rel/profile-page", "type": "text/html",
                           "href": actor},
                          {"rel": "self", "type": AP, "href": actor,
                           "properties": {"https://www.w3.org/ns/activitystreams#type": kind}}]
    return {"subject": resource, "links": links} if links else None


@router.get("/.well-known/webfinger")
def webfinger(request: Request, resource: str = "") -> Response:
    found = _webfinger(_ctx(request), resource)
    if found is None:
        return _json({"error": "not_found"}, 404, "application/json")
    return _json(found, media="application/jrd+json")


def _community(ctx: Context, name: str) -> Any:
    with ctx.db.read() as conn:
        return conn.execute(select(t.community).where(
            func.lower(t.community.c.name) == name.lower(),
            t.community.c.local.is_(True))).mappings().first()


def _collection(ctx: Context, name: str, part: str) -> dict[str, Any] | None:
    community = _community(ctx, name)
    if community is None:
        return None
    base = {"@context": CONTEXT, "id": f"{community['actor_id']}/{part}"}
    with ctx.db.read() as conn:
        if part == "followers":  # follower ids stay private, as in Lemmy
            return {**base, "type": "Collection", "totalItems": community["subscribers"]}
        if part == "moderators":
            mods = conn.execute(select(t.person.c.actor_id).join(
                t.community_moderator, t.community_moderator.c.person_id == t.person.c.id)
                .where(t.community_moderator.c.community_id == community["id"])
                # Ranked as in the v3 view: the first listed is the top moderator there.
                .order_by(t.community_moderator.c.published, t.community_moderator.c.person_id)
            ).scalars()
            items: list[Any] = list(mods)
        else:
            query = select(t.post).where(t.post.c.community_id == community["id"],
                                         t.post.c.local.is_(True), t.post.c.deleted.is_(False),
                                         t.post.c.removed.is_(False))
            if part == "featured":
                query = query.where(t.post.c.featured_community.is_(True))
            posts = conn.execute(query.order_by(t.post.c.published.desc()).limit(20)).mappings()
            items = [page_json(conn, post) for post in posts]
            if part == "outbox":
                items = [_announced_create(community, page) for page in items]
    return {**base, "type": "OrderedCollection", "totalItems": len(items), "orderedItems": items}


def _announced_create(community: Any, page: dict[str, Any]) -> dict[str, Any]:
    """Lemmy's outbox item: the community's Announce of the author's Create of the Page (the
    ids name the post: the original activities are not kept forever)."""
    create = {"type": "Create", "id": page["id"] + "#create", "actor": page["attributedTo"],
              "to": [PUBLIC], "cc": [community["actor_id"]], "object": page,
              "audience": community["actor_id"]}
    return {"type": "Announce", "id": page["id"] + "#announce", "actor": community["actor_id"],
            "to": [PUBLIC], "cc": [community["followers_url"]], "object": create}


@router.get("/c/{name}/{part}")
def community_collection(request: Request, name: str, part: str) -> Response:
    if part not in ("followers", "moderators", "featured", "outbox"):
        return _json({"error": "not_found"}, 404, "application/json")
    found = _collection(_ctx(request), name, part)
    if found is None:
        return _json({"error": "couldnt_find_community"}, 404, "application/json")
    return _json(found)


@router.get("/u/{name}/outbox")
def person_outbox(request: Request, name: str) -> Response:
    ctx = _ctx(request)
    return _json({"@context": CONTEXT, "id": ctx.url(f"/u/{name}/outbox"),
                  "type": "OrderedCollection", "totalItems": 0, "orderedItems": []})


@router.get("/site_outbox")
def site_outbox(request: Request) -> Response:
    ctx = _ctx(request)
    return _json({"@context": CONTEXT, "id": ctx.url("/site_outbox"),
                  "type": "OrderedCollection", "totalItems": 0, "orderedItems": []})


@router.get("/activities/{kind}/{rest:path}")
def activity(request: Request, kind: str, rest: str) -> Response:
    ctx = _ctx(request)
    with ctx.db.read() as conn:
        data = conn.execute(select(t.ap_outbox.c.data).where(
            t.ap_outbox.c.ap_id == ctx.url(f"/activities/{kind}/{rest}"))).scalar()
    if data is None:
        return _json({"error": "not_found"}, 404, "application/json")
    return Response(data, media_type=AP)
