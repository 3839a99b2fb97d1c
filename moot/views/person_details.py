"""GetPersonDetails: a person, what they moderate, their posts and their comments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moot.context import Context
from moot.errors import MootError
from moot.views.comments import CommentFilter, list_comments
from moot.views.paging import limit_and_offset
from moot.views.people import (
    Viewer,
    find_person_id,
    get_visible_person_view,
    moderated_communities,
)
from moot.views.post_list import person_posts

_COMMENT_SORT = {"Hot": "Hot", "Active": "Hot", "Scaled": "Hot", "New": "New",
                 "NewComments": "New", "Old": "Old", "Controversial": "Controversial"}


def comment_sort(post_sort: str | None) -> str:
    """The comment sort that matches a post sort (Top* and MostComments rank by score)."""
    return _COMMENT_SORT.get(post_sort or "Hot", "Top")


@dataclass(frozen=True)
class PersonDetailsQuery:
    person_id: int | None = None
    username: str | None = None
    sort: str | None = None
    page: int | None = None
    limit: int | None = None
    community_id: int | None = None
    saved_only: bool = False


def get_person_details(ctx: Context, viewer: Viewer | None,
                       q: PersonDetailsQuery) -> dict[str, Any]:
    """GetPersonDetailsResponse: the person, what they moderate, and their posts and comments."""
    if q.person_id is None and q.username is None:
        raise MootError("no_id_given")
    limit, offset = limit_and_offset(q.page, q.limit)
    with ctx.db.read() as conn:
        person_id = q.person_id if q.person_id is not None else \
            find_person_id(ctx, conn, q.username or "")
        person_view = get_visible_person_view(conn, person_id)
        moderates = moderated_communities(conn, person_id, viewer)
        # Lemmy: with saved_only, what the viewer saved, whoever wrote it.
        creator_id = None if q.saved_only else person_id
        posts = person_posts(ctx, conn, viewer, creator_id, sort=q.sort, limit=limit,
                             offset=offset, community_id=q.community_id,
                             saved_only=q.saved_only)
    comments = list_comments(ctx, viewer, CommentFilter(
        type_="All", sort=comment_sort(q.sort), page=q.page, limit=q.limit,
        community_id=q.community_id, creator_id=creator_id, saved_only=q.saved_only))
    return {"person_view": person_view, "comments": comments, "posts": posts,
            "moderates": moderates}
