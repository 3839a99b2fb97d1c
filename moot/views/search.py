"""GET /search: posts, comments, communities and people matching a query.

Matching uses the full-text index (moot/views/fulltext.py); the matches then go through the
ordinary listings, so blocks, visibility, NSFW and pagination rules are the same as anywhere.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from moot.api.v3 import models as m
from moot.context import Context
from moot.db import tables as t
from moot.views.comments import CommentFilter, list_comments
from moot.views.communities import (
    CommunityListQuery,
    find_community_id,
    list_communities,
)
from moot.views.fulltext import matching
from moot.views.paging import limit_and_offset
from moot.views.people import Viewer, person_view_from, person_view_query
from moot.views.person_details import comment_sort
from moot.views.post_list import PostQuery, run_query

# What a search sorts by when the request names no sort: the best-voted matches first.
DEFAULT_SORT = "TopAll"


def search(ctx: Context, viewer: Viewer | None, form: m.Search) -> dict[str, Any]:
    kind = form.type_ or "All"
    sort = form.sort or DEFAULT_SORT
    limit, offset = limit_and_offset(form.page, form.limit)
    dialect = ctx.db.dialect
    result: dict[str, Any] = {"type_": kind, "comments": [], "posts": [], "communities": [],
                              "users": []}
    with ctx.db.read() as conn:
        community_id = form.community_id
        if form.community_name:
            community_id = find_community_id(ctx, conn, form.community_name)
        narrowed = community_id is not None or form.creator_id is not None
        if kind in ("All", "Posts", "Url"):
            ids = None if kind == "Url" else matching(dialect, "post", form.q,
                                                      bool(form.post_title_only))
            if kind == "Url" or ids is not None:
                result["posts"], _ = run_query(ctx, conn, viewer, PostQuery(
                    sort=sort, listing_type=form.listing_type or "All", community_id=community_id,
                    creator_id=form.creator_id, matching=ids,
                    url=form.q.strip() if kind == "Url" else None,
                    limit=limit, offset=offset, show_read=True))
        if kind in ("All", "Users") and not narrowed:
            result["users"] = _people(conn, matching(dialect, "person", form.q), sort, limit,
                                      offset)
    ids = matching(dialect, "comment", form.q)
    if kind in ("All", "Comments") and ids is not None:
        result["comments"] = list_comments(ctx, viewer, CommentFilter(
            type_=form.listing_type or "All", sort=comment_sort(sort), page=form.page,
            limit=form.limit, community_id=community_id, creator_id=form.creator_id,
            matching=ids))
    ids = matching(dialect, "community", form.q)
    if kind in ("All", "Communities") and not narrowed and ids is not None:
        result["communities"] = list_communities(ctx, viewer, CommunityListQuery(
            type_=form.listing_type or "All", sort=sort, page=form.page, limit=form.limit,
            show_nsfw=False, matching=ids))
    return result


def _people(conn: Connection, ids: Any, sort: str, limit: int,
            offset: int) -> list[dict[str, Any]]:
    if ids is None:
        return []
    p = t.person.c
    order = {"New": [p.published.desc()], "Old": [p.published.asc()],
             "MostComments": [p.comment_count.desc()]}.get(
        sort, [(p.post_score + p.comment_score).desc()])
    query = (person_view_query().where(p.id.in_(ids), p.deleted.is_(False))
             .order_by(*order, p.id.desc()).limit(limit).offset(offset))
    return [person_view_from(r, "p_", bool(r["is_admin"])) for r in conn.execute(query).mappings()]


__all__ = ["search"]
