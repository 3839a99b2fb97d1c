"""The site as GET /site shows it, and the logged-in user's MyUserInfo."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Connection, func, select

from moot.context import Context
from moot.db import tables as t
from moot.views import site_lists
from moot.views.languages import read_languages
from moot.views.people import (
    Viewer,
    admins,
    counts_json,
    local_user_json,
    person_json,
    vote_display_mode,
)
from moot.views.shape import COMMUNITY, PERSON, cols, entity, pick

# What clients are told: Lemmy's API line, so that they choose their v3 code path.
LEMMY_VERSION = "0.19.9"
SITE = ("id", "name", "sidebar", "published", "updated", "icon", "banner", "description",
        "actor_id", "last_refreshed_at", "inbox_url", "public_key", "instance_id", "content_warning")
_COUNTS_TTL = 60.0
_counts_cache: dict[int, tuple[float, dict[str, Any]]] = {}


def version() -> str:
    return LEMMY_VERSION


def site_counts(conn: Connection, site_id: int, instance_id: int) -> dict[str, Any]:
    """SiteAggregates for local content; cached for a minute (counting is not free at scale)."""
    cached = _counts_cache.get(id(conn.engine))
    if cached and time.monotonic() - cached[0] < _COUNTS_TTL and cached[1]["site_id"] == site_id:
        return cached[1]
    local_people = select(func.count()).select_from(t.person).where(t.person.c.local)
    counts = {
        "site_id": site_id,
        "users": conn.execute(local_people).scalar_one(),
        "posts": conn.execute(select(func.count()).select_from(t.post).where(t.post.c.local)).scalar_one(),
        "comments": conn.execute(select(func.count()).select_from(t.comment)
                                 .where(t.comment.c.local)).scalar_one(),
        "communities": conn.execute(select(func.count()).select_from(t.community)
                                    .where(t.community.c.local)).scalar_one(),
    }
    counts.update(active_users(conn))
    _counts_cache[id(conn.engine)] = (time.monotonic(), counts)
    return counts


def active_users(conn: Connection) -> dict[str, int]:
    from datetime import timedelta

    from moot.db.types import utcnow

    now = utcnow()
    out = {}
    for key, days in (("users_active_day", 1), ("users_active_week", 7),
                      ("users_active_month", 30), ("users_active_half_year", 182)):
        since = now - timedelta(days=days)
        posters = select(t.post.c.creator_id.label("pid")).where(t.post.c.published > since,
                                                                 t.post.c.local)
        commenters = select(t.comment.c.creator_id.label("pid")).where(
            t.comment.c.published > since, t.comment.c.local)
        union = posters.union(commenters).subquery()
        out[key] = conn.execute(select(func.count()).select_from(union)).scalar_one()
    return out


def get_site(ctx: Context, viewer: Viewer | None) -> dict[str, Any]:
    info = ctx.site()
    with ctx.db.read() as conn:
        languages = [entity(r, ("id", "code", "name"))
                     for r in conn.execute(select(t.language).order_by(t.language.c.id)).mappings()]
        data: dict[str, Any] = {
            "site_view": {
                "site": pick(info.site, "", SITE),
                "local_site": pick(info.local_site, "", info.local_site.keys()),
                "local_site_rate_limit": pick(info.rate_limit, "", info.rate_limit.keys()),
                "counts": site_counts(conn, info.site["id"], info.instance_id),
            },
            "admins": admins(conn),
            "version": version(),
            "all_languages": languages,
            "discussion_languages": site_lists.discussion_languages(conn, info.site["id"]),
            "taglines": site_lists.taglines(conn),
            "custom_emojis": site_lists.custom_emojis(conn),
            "blocked_urls": site_lists.blocked_urls(conn),
        }
        if viewer is not None:
            data["my_user"] = my_user_info(conn, viewer)
    return data


def my_user_info(conn: Connection, viewer: Viewer) -> dict[str, Any]:
    me = person_json(viewer.person)
    pid = viewer.person_id
    community_cols = cols(t.community, "c_", COMMUNITY)

    def communities_of(table: Any, extra: Any = None) -> list[dict[str, Any]]:
        query = (select(*community_cols).join(table, table.c.community_id == t.community.c.id)
                 .where(table.c.person_id == pid).order_by(t.community.c.name))
        if extra is not None:
            query = query.where(extra)
        return [pick(r, "c_", COMMUNITY) for r in conn.execute(query).mappings()]

    follows = [{"community": c, "follower": me} for c in communities_of(t.community_follower)]
    moderates = [{"community": c, "moderator": me} for c in communities_of(t.community_moderator)]
    community_blocks = [{"person": me, "community": c} for c in communities_of(t.community_block)]
    target = t.person.alias("target")
    person_blocks = [
        {"person": me, "target": pick(r, "x_", PERSON)}
        for r in conn.execute(select(*cols(target, "x_", PERSON))
                              .join(t.person_block, t.person_block.c.target_id == target.c.id)
                              .where(t.person_block.c.person_id == pid)).mappings()]
    instance_blocks = [
        {"person": me, "instance": entity(r, ("id", "domain", "published", "updated", "software",
                                              "version"))}
        for r in conn.execute(select(t.instance).join(
            t.instance_block, t.instance_block.c.instance_id == t.instance.c.id)
            .where(t.instance_block.c.person_id == pid)).mappings()]
    return {
        "local_user_view": {
            "local_user": local_user_json(viewer.local_user),
            "local_user_vote_display_mode": vote_display_mode(viewer.local_user),
            "person": me,
            "counts": counts_json(viewer.person),
        },
        "follows": follows,
        "moderates": moderates,
        "community_blocks": community_blocks,
        "instance_blocks": instance_blocks,
        "person_blocks": person_blocks,
        "discussion_languages": user_languages(conn, viewer.local_user_id),
    }


def user_languages(conn: Connection, local_user_id: int) -> list[int]:
    """A person's discussion languages; all of them reads as [] (Lemmy's convert_read_languages)."""
    return read_languages(conn, local_user_id)
