"""Communities: create (the creator moderates), and the rules for who may do what in one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select

from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.federation.keys import generate_keypair
from moot.validation import check_actor_name, check_body
from moot.views.people import Viewer

TITLE_MAX = 100
DESCRIPTION_MAX = 10_000


@dataclass(frozen=True)
class CommunityForm:
    name: str
    title: str
    description: str | None = None
    icon: str | None = None
    banner: str | None = None
    nsfw: bool = False
    posting_restricted_to_mods: bool = False
    visibility: str = "Public"


def check_community_title(title: str) -> str:
    title = title.strip()
    if not 3 <= len(title) <= TITLE_MAX or "\n" in title:
        raise MootError("invalid_community_title" if title else "invalid_community_title")
    return title


def check_create_community(ctx: Context, conn: Connection, viewer: Viewer,
                           form: CommunityForm) -> None:
    local_site = ctx.site().local_site
    if local_site["community_creation_admin_only"] and not viewer.admin:
        raise MootError("only_admins_can_create_communities")
    check_actor_name(form.name, local_site["actor_name_max_length"])
    check_community_title(form.title)
    check_body(form.description, DESCRIPTION_MAX)
    if form.nsfw and not local_site["enable_nsfw"]:
        raise MootError("nsfw_not_allowed")
    taken = conn.execute(select(t.community.c.id).where(
        func.lower(t.community.c.name) == form.name.lower(),
        t.community.c.instance_id == ctx.site().instance_id)).first()
    if taken is not None:
        raise MootError("community_already_exists")


def do_create_community(ctx: Context, viewer: Viewer, form: CommunityForm) -> int:
    private, public = generate_keypair()  # outside the write lock: it takes a while
    with ctx.db.write() as conn:
        check_create_community(ctx, conn, viewer, form)
        now = utcnow()
        actor_id = ctx.url(f"/c/{form.name}")
        community_id = int(conn.execute(insert(t.community).values(
            name=form.name, title=check_community_title(form.title),
            description=form.description, icon=form.icon, banner=form.banner, nsfw=form.nsfw,
            posting_restricted_to_mods=form.posting_restricted_to_mods,
            visibility=form.visibility, published=now, actor_id=actor_id, local=True,
            private_key=private, public_key=public, last_refreshed_at=now,
            followers_url=actor_id + "/followers", inbox_url=actor_id + "/inbox",
            shared_inbox_url=ctx.url("/inbox"), moderators_url=actor_id + "/moderators",
            featured_url=actor_id + "/featured", instance_id=ctx.site().instance_id,
            subscribers=1, subscribers_local=1,
        ).returning(t.community.c.id)).scalar_one())
        conn.execute(insert(t.community_moderator).values(
            community_id=community_id, person_id=viewer.person_id, published=now))
        # The creator follows what they made, as in Lemmy.
        conn.execute(insert(t.community_follower).values(
            community_id=community_id, person_id=viewer.person_id, published=now, pending=False))
    return community_id


def is_moderator(conn: Connection, community_id: int, person_id: int) -> bool:
    return conn.execute(select(t.community_moderator.c.person_id).where(
        t.community_moderator.c.community_id == community_id,
        t.community_moderator.c.person_id == person_id)).first() is not None


def is_banned_from_community(conn: Connection, community_id: int, person_id: int) -> bool:
    row = conn.execute(select(t.community_person_ban.c.expires).where(
        t.community_person_ban.c.community_id == community_id,
        t.community_person_ban.c.person_id == person_id)).first()
    return row is not None and (row.expires is None or row.expires > utcnow())
