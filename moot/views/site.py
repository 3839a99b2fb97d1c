"""The site as GET /site shows it, and the logged-in user's MyUserInfo."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

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
SITE_COUNTS = ("users", "posts", "comments", "communities", "users_active_day",
               "users_active_week", "users_active_month", "users_active_half_year")


def version() -> str:
    return LEMMY_VERSION


def site_counts(conn: Connection, site_id: int, instance_id: int) -> dict[str, Any]:
    """SiteAggregates: one row kept on write (moot/actions/counts.py, activity.py)."""
    row = conn.execute(select(*[t.site_aggregates.c[n] for n in SITE_COUNTS])).mappings().first()
    counts = {n: int(row[n]) if row else 0 for n in SITE_COUNTS}
    return {"site_id": site_id, **counts}


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
