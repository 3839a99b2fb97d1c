"""Remote people and communities as rows (local=false), and acting on their behalf.

Objects that arrive over federation are applied through the same ``do_*`` actions the API uses;
``remote_viewer`` is the author they act as, and ``RemoteObject`` carries the ids and times the
origin server gave the object.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, delete, insert, select, update

from moot.actions.site import ensure_instance
from moot.db import tables as t
from moot.db.types import utcnow
from moot.views.people import Viewer


class ActorConflict(ValueError):
    """Another actor of that instance already holds the name (e.g. the same one under http://)."""


@dataclass(frozen=True)
class RemoteObject:
    """The origin's id and times for an object created or edited elsewhere."""

    ap_id: str
    published: datetime | None = None
    updated: datetime | None = None


@dataclass(frozen=True)
class RemoteActor:
    """What Moot keeps of a remote Person or Group document."""

    actor_id: str
    kind: str  # "person" or "community"
    name: str
    public_key: str
    inbox_url: str
    shared_inbox_url: str | None = None
    display_name: str | None = None
    summary: str | None = None
    avatar: str | None = None
    banner: str | None = None
    followers_url: str | None = None
    moderators_url: str | None = None
    featured_url: str | None = None
    bot: bool = False
    nsfw: bool = False
    posting_restricted_to_mods: bool = False


def remote_viewer(conn: Connection, person_id: int) -> Viewer:
    """A remote person as the viewer an action expects (no local account, never an admin)."""
    person = conn.execute(select(t.person).where(t.person.c.id == person_id)).mappings().one()
    return Viewer(local_user={"id": 0, "admin": False}, person=dict(person), token="")


def do_upsert_remote_actor(conn: Connection, actor: RemoteActor) -> int:
    """Insert or refresh a remote person or community; returns its row id."""
    table = t.person if actor.kind == "person" else t.community
    now = utcnow()
    common: dict[str, Any] = {
        "public_key": actor.public_key, "inbox_url": actor.inbox_url,
        "shared_inbox_url": actor.shared_inbox_url, "last_refreshed_at": now,
        "banner": actor.banner,
    }
    if actor.kind == "person":
        common.update(display_name=actor.display_name, bio=actor.summary, avatar=actor.avatar,
                      bot_account=actor.bot)
    else:
        common.update(title=(actor.display_name or actor.name)[:255],
                      description=actor.summary, icon=actor.avatar, nsfw=actor.nsfw,
                      followers_url=actor.followers_url, moderators_url=actor.moderators_url,
                      featured_url=actor.featured_url,
                      posting_restricted_to_mods=actor.posting_restricted_to_mods)
    existing = conn.execute(select(table.c.id, table.c.local).where(
        table.c.actor_id == actor.actor_id)).first()
    if existing is not None:
        if not existing.local:  # never let a document overwrite one of our own actors
            conn.execute(update(table).where(table.c.id == existing.id)
                         .values(updated=now, **common))
        return int(existing.id)
    instance_id = ensure_instance(conn, urlsplit(actor.actor_id).netloc.lower())
    taken = conn.execute(select(table.c.actor_id).where(
        table.c.name == actor.name[:255], table.c.instance_id == instance_id)).scalar()
    if taken is not None:
        raise ActorConflict(f"{taken} already has the name {actor.name}")
    return int(conn.execute(insert(table).values(
        name=actor.name[:255], actor_id=actor.actor_id, local=False, published=now,
        instance_id=instance_id, **common).returning(table.c.id)).scalar_one())


def do_confirm_follow(conn: Connection, community_id: int, person_id: int) -> bool:
    """A remote community accepted a local person's Follow: Pending becomes Subscribed."""
    follower = t.community_follower
    return bool(conn.execute(update(follower).where(
        follower.c.community_id == community_id, follower.c.person_id == person_id,
        follower.c.pending.is_(True)).values(pending=False)).rowcount)


def do_set_remote_moderators(conn: Connection, community_id: int, person_ids: list[int]) -> None:
    """A remote community's moderators as its own instance lists them (its moderators
    collection), in that order: the first listed ranks highest, as there."""
    mods = t.community_moderator
    current = set(conn.execute(select(mods.c.person_id)
                               .where(mods.c.community_id == community_id)).scalars())
    wanted = list(dict.fromkeys(person_ids))
    gone = current - set(wanted)
    if gone:
        conn.execute(delete(mods).where(mods.c.community_id == community_id,
                                        mods.c.person_id.in_(gone)))
    now = utcnow()
    for rank, person_id in enumerate(wanted):
        if person_id not in current:  # a microsecond apart, so that the order is kept
            conn.execute(insert(mods).values(community_id=community_id, person_id=person_id,
                                             published=now + timedelta(microseconds=rank)))


def do_set_remote_post_state(conn: Connection, post_id: int, locked: bool | None,
                             featured: bool | None) -> None:
    """The lock and community pin a fetched Page states (``commentsEnabled``, ``stickied``);
    not a moderator's action here, so no modlog entry (Lemmy does the same)."""
    values: dict[str, Any] = {}
    if locked is not None:
        values["locked"] = locked
    if featured is not None:
        values["featured_community"] = featured
    if values:
        conn.execute(update(t.post).where(t.post.c.id == post_id, t.post.c.local.is_(False))
                     .values(values))
