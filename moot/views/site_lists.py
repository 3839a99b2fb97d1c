"""Reads of what admins configure beside the site row: taglines, custom emojis, blocked URLs,
discussion languages and the instances Moot federates with (GET /federated_instances)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from moot.db import tables as t
from moot.views.shape import entity

EMOJI = ("id", "local_site_id", "shortcode", "image_url", "alt_text", "category", "published",
         "updated")
INSTANCE = ("id", "domain", "published", "updated", "software", "version")
TAGLINE = ("id", "local_site_id", "content", "published", "updated")
BLOCKED_URL = ("id", "url", "published", "updated")


def taglines(conn: Connection) -> list[dict[str, Any]]:
    return [entity(r, TAGLINE)
            for r in conn.execute(select(t.tagline).order_by(t.tagline.c.id)).mappings()]


def blocked_urls(conn: Connection) -> list[dict[str, Any]]:
    table = t.local_site_url_blocklist
    return [entity(r, BLOCKED_URL) for r in conn.execute(select(table).order_by(table.c.id)).mappings()]


def discussion_languages(conn: Connection, site_id: int) -> list[int]:
    """The site's languages; no rows means all of them, which Lemmy lists one by one."""
    chosen = sorted(conn.execute(select(t.site_language.c.language_id)
                                 .where(t.site_language.c.site_id == site_id)).scalars())
    return chosen or sorted(conn.execute(select(t.language.c.id)).scalars())


def custom_emojis(conn: Connection, emoji_id: int | None = None) -> list[dict[str, Any]]:
    """CustomEmojiView objects, by category then id (Lemmy's order), keywords included."""
    query = select(t.custom_emoji).order_by(t.custom_emoji.c.category, t.custom_emoji.c.id)
    keywords = select(t.custom_emoji_keyword).order_by(t.custom_emoji_keyword.c.keyword)
    if emoji_id is not None:
        query = query.where(t.custom_emoji.c.id == emoji_id)
        keywords = keywords.where(t.custom_emoji_keyword.c.custom_emoji_id == emoji_id)
    by_emoji: dict[int, list[dict[str, Any]]] = {}
    for row in conn.execute(keywords).mappings():
        by_emoji.setdefault(row["custom_emoji_id"], []).append(
            entity(row, ("custom_emoji_id", "keyword")))
    return [{"custom_emoji": entity(r, EMOJI), "keywords": by_emoji.get(r["id"], [])}
            for r in conn.execute(query).mappings()]


def federated_instances(conn: Connection, local_instance_id: int) -> dict[str, Any]:
    """Lemmy's split: blocked ones apart; allowed ones are listed both as allowed and linked."""
    allowed = set(conn.execute(select(t.federation_allowlist.c.instance_id)).scalars())
    blocked = set(conn.execute(select(t.federation_blocklist.c.instance_id)).scalars())
    out: dict[str, list[dict[str, Any]]] = {"linked": [], "allowed": [], "blocked": []}
    rows = conn.execute(select(t.instance).where(t.instance.c.id != local_instance_id)
                        .order_by(t.instance.c.id)).mappings()
    for row in rows:
        instance = entity(row, INSTANCE)
        if row["id"] in blocked:
            out["blocked"].append(instance)
            continue
        if row["id"] in allowed:
            out["allowed"].append(instance)
        out["linked"].append(instance)
    return out


def federation_lists(conn: Connection) -> tuple[frozenset[str], frozenset[str]]:
    """The domains of the allow list and of the block list (cached in the site info)."""
    def domains(table: Any) -> frozenset[str]:
        return frozenset(conn.execute(select(t.instance.c.domain).join(
            table, table.c.instance_id == t.instance.c.id)).scalars())
    return domains(t.federation_allowlist), domains(t.federation_blocklist)
