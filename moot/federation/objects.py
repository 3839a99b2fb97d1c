"""ActivityPub JSON for Moot's own actors and objects, shaped as Lemmy 0.19 sends them.

Each ``*_json`` reads what it needs through ``conn`` and returns a compacted JSON-LD dict (Lemmy
parses fixed key names and does no JSON-LD processing, so the key names are the contract).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from moot.db import tables as t
from moot.db.languages import LANGUAGES
from moot.text.markdown import render

CONTEXT = ["https://join-lemmy.org/context.json", "https://www.w3.org/ns/activitystreams"]
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
_LANGUAGE_CODES = {row[0]: (row[1], row[2]) for row in LANGUAGES}


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def with_context(document: dict[str, Any]) -> dict[str, Any]:
    return {"@context": CONTEXT, **document}


def _image(url: str | None) -> dict[str, Any] | None:
    return {"type": "Image", "url": url} if url else None


def _language(language_id: int) -> dict[str, str] | None:
    if not language_id or language_id not in _LANGUAGE_CODES:
        return None
    code, name = _LANGUAGE_CODES[language_id]
    return {"identifier": code, "name": name}


def _public_key(actor_id: str, pem: str) -> dict[str, str]:
    return {"id": actor_id + "#main-key", "owner": actor_id, "publicKeyPem": pem}


def _drop_none(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if v is not None}


def _source(markdown: str | None) -> dict[str, Any] | None:
    return {"content": markdown, "mediaType": "text/markdown"} if markdown else None


def person_json(person: Any) -> dict[str, Any]:
    actor = person["actor_id"]
    return _drop_none({
        "id": actor, "type": "Service" if person["bot_account"] else "Person",
        "preferredUsername": person["name"], "name": person["display_name"],
        "summary": render(person["bio"]) if person["bio"] else None,
        "source": _source(person["bio"]),
        "icon": _image(person["avatar"]), "image": _image(person["banner"]),
        "matrixUserId": person["matrix_user_id"],
        "inbox": person["inbox_url"], "outbox": actor + "/outbox",
        "endpoints": {"sharedInbox": person["shared_inbox_url"]},
        "publicKey": _public_key(actor, person["public_key"]),
        "published": iso(person["published"]), "updated": iso(person["updated"]),
    })


def group_json(community: Any) -> dict[str, Any]:
    actor = community["actor_id"]
    return _drop_none({
        "id": actor, "type": "Group", "preferredUsername": community["name"],
        "name": community["title"],
        "summary": render(community["description"]) if community["description"] else None,
        "source": _source(community["description"]), "sensitive": bool(community["nsfw"]),
        "icon": _image(community["icon"]), "image": _image(community["banner"]),
        "inbox": community["inbox_url"], "followers": community["followers_url"],
        # FEP-1b12: a group's attributedTo is its moderators collection.
        "attributedTo": community["moderators_url"], "featured": community["featured_url"],
        "postingRestrictedToMods": bool(community["posting_restricted_to_mods"]),
        "endpoints": {"sharedInbox": community["shared_inbox_url"]},
        "outbox": actor + "/outbox",
        "publicKey": _public_key(actor, community["public_key"]),
        "published": iso(community["published"]), "updated": iso(community["updated"]),
    })


def instance_json(site: Any) -> dict[str, Any]:
    actor = site["actor_id"]
    domain = actor.split("://", 1)[1].rstrip("/")
    return _drop_none({
        "id": actor, "type": "Application", "preferredUsername": domain, "name": site["name"],
        "summary": site.get("description"),
        "content": render(site["sidebar"]) if site.get("sidebar") else None,
        "inbox": site["inbox_url"], "outbox": actor.rstrip("/") + "/site_outbox",
        "publicKey": _public_key(actor, site["public_key"]),
        "published": iso(site["published"]), "updated": iso(site.get("updated")),
    })


def tombstone(ap_id: str) -> dict[str, Any]:
    return {"id": ap_id, "type": "Tombstone"}


def page_json(conn: Connection, post: Any) -> dict[str, Any]:
    """A post as a Page (or a Tombstone when deleted or removed)."""
    if post["deleted"] or post["removed"]:
        return tombstone(post["ap_id"])
    creator = conn.execute(select(t.person.c.actor_id).where(
        t.person.c.id == post["creator_id"])).scalar_one()
    community = conn.execute(select(t.community.c.actor_id, t.community.c.name).where(
        t.community.c.id == post["community_id"])).one()
    attachment = [{"type": "Link", "href": post["url"]}] if post["url"] else None
    return _drop_none({
        "type": "Page", "id": post["ap_id"], "attributedTo": creator,
        "to": [community.actor_id, PUBLIC], "cc": [], "audience": community.actor_id,
        "name": post["name"],
        "content": render(post["body"]) if post["body"] else None,
        "mediaType": "text/html", "source": _source(post["body"]),
        "attachment": attachment, "image": _image(post["thumbnail_url"]),
        "sensitive": bool(post["nsfw"]), "language": _language(post["language_id"]),
        "commentsEnabled": not post["locked"], "stickied": bool(post["featured_community"]),
        "published": iso(post["published"]), "updated": iso(post["updated"]),
    })


def note_json(conn: Connection, comment: Any) -> dict[str, Any]:
    """A comment as a Note replying to its parent comment or its post."""
    if comment["deleted"] or comment["removed"]:
        return tombstone(comment["ap_id"])
    row = conn.execute(
        select(t.person.c.actor_id.label("creator"), t.post.c.ap_id.label("post_ap_id"),
               t.community.c.actor_id.label("community"))
        .select_from(t.comment.join(t.person, t.person.c.id == t.comment.c.creator_id)
                     .join(t.post, t.post.c.id == t.comment.c.post_id)
                     .join(t.community, t.community.c.id == t.post.c.community_id))
        .where(t.comment.c.id == comment["id"])).one()
    parent_ids = [int(i) for i in str(comment["path"]).split(".")[1:-1]]
    in_reply_to, parent_author = row.post_ap_id, None
    if parent_ids:
        parent = conn.execute(select(t.comment.c.ap_id, t.person.c.actor_id)
                              .join(t.person, t.person.c.id == t.comment.c.creator_id)
                              .where(t.comment.c.id == parent_ids[-1])).one()
        in_reply_to, parent_author = parent.ap_id, parent.actor_id
    else:
        parent_author = conn.execute(select(t.person.c.actor_id).join(
            t.post, t.post.c.creator_id == t.person.c.id).where(
            t.post.c.ap_id == row.post_ap_id)).scalar()
    return _drop_none({
        "type": "Note", "id": comment["ap_id"], "attributedTo": row.creator,
        "to": [PUBLIC], "cc": [c for c in (row.community, parent_author) if c],
        "audience": row.community, "inReplyTo": in_reply_to,
        "content": render(comment["content"]), "mediaType": "text/html",
        "source": _source(comment["content"]),
        "distinguished": bool(comment["distinguished"]),
        "language": _language(comment["language_id"]),
        "published": iso(comment["published"]), "updated": iso(comment["updated"]),
    })
