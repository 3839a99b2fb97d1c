"""Remote actors: reading Person/Group documents, keeping them as rows, finding their keys."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from moot.actions.remote import ActorConflict, RemoteActor, do_upsert_remote_actor
from moot.context import Context
from moot.db import tables as t
from moot.federation.http import FetchError, Http, Signer
from moot.federation.policy import refusal
from moot.text.markdown import clean

PERSON_TYPES = ("Person", "Service", "Organization", "Application")
GROUP_TYPES = ("Group",)
KEY_TTL = 300.0  # seconds a verified key is reused without reading it again
KEY_CACHE_SIZE = 10_000


class BadActor(ValueError):
    """An actor document Moot cannot use; the text says why."""


@dataclass(frozen=True)
class KnownActor:
    kind: str  # person | community | site
    id: int
    actor_id: str
    public_key: str
    inbox: str
    local: bool


def http_for(ctx: Context) -> Http:
    if ctx.http is None:
        ctx.http = Http(ctx.settings, policy=lambda url: refusal(ctx, url))
    return ctx.http  # type: ignore[no-any-return]


def site_signer(ctx: Context) -> Signer:
    site = ctx.site().site
    with ctx.db.read() as conn:
        key = conn.execute(select(t.site.c.private_key).where(t.site.c.id == site["id"])).scalar()
    return Signer(site["actor_id"] + "#main-key", str(key))


def _url(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("url") or value.get("href")
    if isinstance(value, list) and value:
        return _url(value[0])
    return value if isinstance(value, str) else None


def parse_actor(doc: dict[str, Any]) -> RemoteActor:
    """A Person/Group document as a RemoteActor; BadActor names what is missing."""
    kind = doc.get("type")
    if kind not in PERSON_TYPES + GROUP_TYPES:
        raise BadActor(f"not an actor type: {kind!r}")
    for field in ("id", "preferredUsername", "inbox"):
        if not isinstance(doc.get(field), str):
            raise BadActor(f"actor lacks {field}")
    key = doc.get("publicKey")
    if isinstance(key, list):
        key = key[0] if key else None
    if not isinstance(key, dict) or not isinstance(key.get("publicKeyPem"), str):
        raise BadActor("actor lacks publicKey")
    endpoints = doc.get("endpoints") if isinstance(doc.get("endpoints"), dict) else {}
    summary = doc.get("summary") if isinstance(doc.get("summary"), str) else None
    source = doc["source"] if isinstance(doc.get("source"), dict) else {}
    return RemoteActor(
        actor_id=doc["id"], kind="community" if kind in GROUP_TYPES else "person",
        name=doc["preferredUsername"], public_key=key["publicKeyPem"], inbox_url=doc["inbox"],
        shared_inbox_url=endpoints.get("sharedInbox") if isinstance(endpoints, dict) else None,
        display_name=doc.get("name") if isinstance(doc.get("name"), str) else None,
        summary=source.get("content") if isinstance(source.get("content"), str)
        else (clean(summary) if summary else None),
        avatar=_url(doc.get("icon")), banner=_url(doc.get("image")),
        followers_url=doc.get("followers") if isinstance(doc.get("followers"), str) else None,
        moderators_url=doc.get("attributedTo") if isinstance(doc.get("attributedTo"), str)
        else None,
        featured_url=doc.get("featured") if isinstance(doc.get("featured"), str) else None,
        bot=kind == "Service", nsfw=bool(doc.get("sensitive")),
        posting_restricted_to_mods=doc.get("postingRestrictedToMods") is True)


def find_known(ctx: Context, actor_id: str) -> KnownActor | None:
    with ctx.db.read() as conn:
        for kind, table in (("person", t.person), ("community", t.community)):
            row = conn.execute(select(table.c.id, table.c.public_key, table.c.inbox_url,
                                      table.c.local).where(table.c.actor_id == actor_id)).first()
            if row is not None:
                return KnownActor(kind, row.id, actor_id, row.public_key, row.inbox_url,
                                  bool(row.local))
        site = conn.execute(select(t.site.c.id, t.site.c.public_key, t.site.c.inbox_url)
                            .where(t.site.c.actor_id == actor_id)).first()
    if site is not None:
        return KnownActor("site", site.id, actor_id, site.public_key, site.inbox_url, True)
    return None


def is_local_url(ctx: Context, url: str) -> bool:
    return urlsplit(url).netloc.lower() == ctx.settings.hostname.lower()


def fetch_actor(ctx: Context, actor_id: str) -> KnownActor:
    """Fetch (or refetch) a remote actor and keep it; FetchError/BadActor when that fails."""
    if is_local_url(ctx, actor_id):
        raise FetchError("a local actor is never fetched")
    doc = http_for(ctx).fetch_json(actor_id, site_signer(ctx))
    if doc.get("type") == "Application":
        # Instance actors sign fetches; they are not kept as people.
        remote = parse_actor(doc)
        return KnownActor("site", 0, remote.actor_id, remote.public_key, remote.inbox_url, False)
    remote = parse_actor(doc)
    if urlsplit(remote.actor_id).netloc != urlsplit(actor_id).netloc:
        raise BadActor("actor id is on another host")
    return KnownActor(remote.kind, _keep(ctx, remote), remote.actor_id, remote.public_key,
                      remote.inbox_url, False)


def _keep(ctx: Context, remote: RemoteActor) -> int:
    """Insert or update the fetched actor's row; its id."""
    try:
        with ctx.db.write() as conn:
            return do_upsert_remote_actor(conn, remote)
    except ActorConflict as exc:
        raise BadActor(str(exc)) from exc


def keep_instance_actor(ctx: Context, actor_id: str) -> KnownActor:
    """A remote instance actor kept as a (bot) person, for what must name a person: Mastodon
    files reports as its instance (decision 0028)."""
    doc = http_for(ctx).fetch_json(actor_id, site_signer(ctx))
    remote = dataclasses.replace(parse_actor(doc), bot=True)
    if remote.kind != "person" or remote.actor_id != actor_id:
        raise BadActor("not the instance actor it claims to be")
    return KnownActor("person", _keep(ctx, remote), actor_id, remote.public_key,
                      remote.inbox_url, False)


def get_actor(ctx: Context, actor_id: str, *, refresh: bool = False) -> KnownActor:
    """A known actor from the database, fetched when unknown (or when ``refresh``)."""
    known = None if refresh else find_known(ctx, actor_id)
    if known is not None:
        return known
    if is_local_url(ctx, actor_id):
        raise BadActor("no such local actor")
    return fetch_actor(ctx, actor_id)


def key_is_cached(ctx: Context, actor_id: str) -> bool:
    """Whether public_key would answer from memory, without the database or the network."""
    cached = ctx.actor_keys.get(actor_id)
    return cached is not None and time.monotonic() - cached[1] < KEY_TTL


def public_key(ctx: Context, actor_id: str, refresh: bool) -> str:
    """The actor's public key (PEM), to check a signature with: from the in-process cache
    (KEY_TTL), else the database or its server (``refresh``: always from its server)."""
    cached = None if refresh else ctx.actor_keys.get(actor_id)
    if cached is not None and time.monotonic() - cached[1] < KEY_TTL:
        return cached[0]
    key = get_actor(ctx, actor_id, refresh=refresh).public_key
    if len(ctx.actor_keys) >= KEY_CACHE_SIZE:
        ctx.actor_keys.clear()  # crude, but bounded; a miss costs one indexed read
    ctx.actor_keys[actor_id] = (key, time.monotonic())
    return key
