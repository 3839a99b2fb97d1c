"""CommunityView and its neighbours, each built by one joined query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, false, literal, or_, select
from sqlalchemy.sql import ColumnElement, Select

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.ranking import hot_rank_sql
from moot.views.lookup import find_actor_id
from moot.views.paging import limit_and_offset
from moot.views.people import Viewer
from moot.views.shape import COMMUNITY, COMMUNITY_COUNTS, PERSON, cols, pick


def subscribed_state(pending: bool | None) -> str:
    if pending is None:
        return "NotSubscribed"
    return "Pending" if pending else "Subscribed"


def community_view_query(viewer: Viewer | None) -> Select[Any]:
    """Community columns as ``c_*``, counts as ``cc_*``, and the viewer's relation to it."""
    columns = cols(t.community, "c_", COMMUNITY) + cols(t.community, "cc_", COMMUNITY_COUNTS)
    if viewer is None:
        return select(*columns, literal(None).label("follow_pending"),
                      literal(False).label("blocked"), literal(False).label("banned"))
    pid = viewer.person_id
    follow = t.community_follower
    ban = t.community_person_ban
    return (
        select(*columns, follow.c.pending.label("follow_pending"),
               (t.community_block.c.person_id.is_not(None)).label("blocked"),
               (ban.c.person_id.is_not(None)).label("banned"))
        .select_from(t.community)
        .outerjoin(follow, and_(follow.c.community_id == t.community.c.id,
                                follow.c.person_id == pid))
        .outerjoin(t.community_block, and_(t.community_block.c.community_id == t.community.c.id,
                                           t.community_block.c.person_id == pid))
        .outerjoin(ban, and_(ban.c.community_id == t.community.c.id, ban.c.person_id == pid,
                             or_(ban.c.expires.is_(None), ban.c.expires > utcnow())))
    )


def community_view_from(row: Any) -> dict[str, Any]:
    counts = pick(row, "cc_", COMMUNITY_COUNTS)
    counts["community_id"] = row["c_id"]
    return {
        "community": pick(row, "c_", COMMUNITY),
        "subscribed": subscribed_state(row["follow_pending"]),
        "blocked": bool(row["blocked"]),
        "counts": counts,
        "banned_from_community": bool(row["banned"]),
    }


def get_community_view(conn: Connection, community_id: int,
                       viewer: Viewer | None) -> dict[str, Any]:
    row = conn.execute(community_view_query(viewer).where(t.community.c.id == community_id)
                       ).mappings().first()
    if row is None:
        raise MootError("couldnt_find_community", status=404)
    return community_view_from(row)


def moderators(conn: Connection, community_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(*cols(t.community, "c_", COMMUNITY), *cols(t.person, "p_", PERSON))
        .join(t.community_moderator, t.community_moderator.c.community_id == t.community.c.id)
        .join(t.person, t.person.c.id == t.community_moderator.c.person_id)
        .where(t.community.c.id == community_id)
        .order_by(t.community_moderator.c.published, t.community_moderator.c.person_id)
    ).mappings()
    return [{"community": pick(r, "c_", COMMUNITY), "moderator": pick(r, "p_", PERSON)}
            for r in rows]


def find_community_id(ctx: Context, conn: Connection, name: str) -> int:
    return find_actor_id(ctx, conn, t.community, name, "couldnt_find_community")


def get_community(ctx: Context, viewer: Viewer | None, community_id: int | None,
                  name: str | None) -> dict[str, Any]:
    with ctx.db.read() as conn:
        if community_id is None:
            if not name:
                raise MootError("no_id_given")
            community_id = find_community_id(ctx, conn, name)
        view = get_community_view(conn, community_id, viewer)
        if (view["community"]["removed"] or view["community"]["deleted"]) and not \
                (viewer and viewer.admin):
            # Lemmy still shows them to moderators and admins; everyone else gets not-found.
            from moot.actions.communities import is_moderator
            if viewer is None or not is_moderator(conn, community_id, viewer.person_id):
                raise MootError("couldnt_find_community", status=404)
        return {"community_view": view, "moderators": moderators(conn, community_id),
                "discussion_languages": []}


# Listing ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CommunityListQuery:
    type_: str | None = None
    sort: str | None = None
    show_nsfw: bool = False
    page: int | None = None
    limit: int | None = None
    # A select of community ids to keep (search results from the full-text index).
    matching: Any = None


# Which count each community sort orders by (community_view.rs in Lemmy 0.19).
_SORT_COUNT = {
    "NewComments": "users_active_day", "TopDay": "users_active_day",
    "TopTwelveHour": "users_active_day", "TopSixHour": "users_active_day",
    "TopHour": "users_active_day", "MostComments": "comments", "Controversial": "comments",
    "TopAll": "subscribers", "TopYear": "subscribers", "TopNineMonths": "subscribers",
    "TopSixMonths": "users_active_half_year", "TopThreeMonths": "users_active_half_year",
    "TopMonth": "users_active_month", "TopWeek": "users_active_week",
}


def community_order(sort: str | None) -> list[ColumnElement[Any]]:
    c = t.community.c
    sort = sort or "Hot"
    if sort == "New":
        return [c.published.desc(), c.id.desc()]
    if sort == "Old":
        return [c.published.asc(), c.id.asc()]
    if sort in _SORT_COUNT:
        return [c[_SORT_COUNT[sort]].desc(), c.id.desc()]
    # Hot, Active and Scaled: the rank decays with time, so it is computed here rather than
    # stored; communities older than a week rank 0 and then fall back to their subscribers.
    return [hot_rank_sql(c.subscribers, c.published, utcnow()).desc(), c.subscribers.desc(),
            c.id.desc()]


def _listing_filters(ctx: Context, viewer: Viewer | None,
                     q: CommunityListQuery) -> list[ColumnElement[bool]]:
    c = t.community.c
    following = t.community_follower.c.person_id.is_not(None) if viewer else false()
    filters: list[ColumnElement[bool]] = []
    if not (viewer and viewer.admin):
        # Admins see removed, deleted and hidden communities too, as in Lemmy.
        filters += [c.removed.is_(False), c.deleted.is_(False), or_(c.hidden.is_(False), following)]
    if q.matching is not None:
        filters.append(c.id.in_(q.matching))
    if q.type_ == "Subscribed":
        filters.append(following)
    elif q.type_ == "Local":
        filters.append(c.local.is_(True))
    elif q.type_ == "ModeratorView":
        # Lemmy 0.19 ignores this type here; 1.0 lists the viewer's own communities, as we do.
        mod = t.community_moderator
        filters.append(exists().where(mod.c.community_id == c.id,
                                      mod.c.person_id == viewer.person_id) if viewer else false())
    if viewer is None:
        filters.append(c.visibility == "Public")
    else:
        ib = t.instance_block
        filters += [t.community_block.c.person_id.is_(None),
                    ~exists().where(ib.c.instance_id == c.instance_id,
                                    ib.c.person_id == viewer.person_id)]
    show_nsfw = (bool(viewer.local_user["show_nsfw"]) if viewer
                 else ctx.site().site.get("content_warning") is not None)
    if not (show_nsfw or q.show_nsfw):
        filters.append(c.nsfw.is_(False))
    return filters


def list_communities(ctx: Context, viewer: Viewer | None,
                     q: CommunityListQuery) -> list[dict[str, Any]]:
    limit, offset = limit_and_offset(q.page, q.limit)
    query = (community_view_query(viewer).where(*_listing_filters(ctx, viewer, q))
             .order_by(*community_order(q.sort)).limit(limit).offset(offset))
    with ctx.db.read() as conn:
        return [community_view_from(row) for row in conn.execute(query).mappings()]
