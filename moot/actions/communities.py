"""Communities: create and edit, follow and block, and the rules for who may do what in one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from moot.actions.content_filters import check_slurs, remove_slurs
from moot.actions.counts import count_site
from moot.context import Context
from moot.db import tables as t
from moot.db.prepared import run
from moot.db.types import utcnow
from moot.errors import MootError
from moot.federation.keys import generate_keypair
from moot.federation.outbox import federate_follow, federate_group_update
from moot.validation import check_actor_name, check_body, check_url
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
        raise MootError("invalid_community_title")
    return title


def check_create_community(ctx: Context, conn: Connection, viewer: Viewer,
                           form: CommunityForm) -> None:
    local_site = ctx.site().local_site
    if local_site["community_creation_admin_only"] and not viewer.admin:
        raise MootError("only_admins_can_create_communities")
    check_slurs(ctx, form.name, form.title)  # the sidebar's slurs are masked instead
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
            description=remove_slurs(ctx, form.description), icon=form.icon, banner=form.banner, nsfw=form.nsfw,
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
        count_site(conn, communities=1)
        # The creator follows what they made, as in Lemmy.
        conn.execute(insert(t.community_follower).values(
            community_id=community_id, person_id=viewer.person_id, published=now, pending=False))
    return community_id


# Asked on nearly every write and many reads: built once, with bound parameters.
_MODERATOR = select(t.community_moderator.c.person_id).where(
    t.community_moderator.c.community_id == bindparam("community_id"),
    t.community_moderator.c.person_id == bindparam("person_id"))
_BAN = select(t.community_person_ban.c.expires).where(
    t.community_person_ban.c.community_id == bindparam("community_id"),
    t.community_person_ban.c.person_id == bindparam("person_id"))
_FOR_USER_ACTION = select(
    t.community.c.id, t.community.c.deleted, t.community.c.removed, t.community.c.nsfw,
    t.community.c.posting_restricted_to_mods).where(t.community.c.id == bindparam("id"))


def is_moderator(conn: Connection, community_id: int, person_id: int) -> bool:
    return run(conn, _MODERATOR, {"community_id": community_id, "person_id": person_id}
               ).first() is not None


def is_banned_from_community(conn: Connection, community_id: int, person_id: int) -> bool:
    row = run(conn, _BAN, {"community_id": community_id, "person_id": person_id}).first()
    return row is not None and (row.expires is None or row.expires > utcnow())


# Edit ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommunityEdit:
    """What PUT /community may change; None leaves a field alone, "" clears an optional text."""

    community_id: int
    title: str | None = None
    description: str | None = None
    icon: str | None = None
    banner: str | None = None
    nsfw: bool | None = None
    posting_restricted_to_mods: bool | None = None
    visibility: str | None = None


def load_community(conn: Connection, community_id: int, *, lock: bool = False) -> dict[str, Any]:
    """The community's row; ``lock`` holds it (PostgreSQL) so that follower counts stay exact."""
    query = select(t.community).where(t.community.c.id == community_id)
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).mappings().first()
    if row is None:
        raise MootError("couldnt_find_community", status=404)
    return dict(row)


def check_user_valid(viewer: Viewer) -> None:
    """A site-banned or deleted account may not act (Lemmy's check_user_valid)."""
    person = viewer.person
    if person["banned"] and (person["ban_expires"] is None or person["ban_expires"] > utcnow()):
        raise MootError("site_ban")
    if person["deleted"]:
        raise MootError("deleted")


def check_community_user_action(conn: Connection, viewer: Viewer,
                                community: dict[str, Any]) -> None:
    check_user_valid(viewer)
    if community["deleted"] or community["removed"]:
        raise MootError("deleted")
    if is_banned_from_community(conn, community["id"], viewer.person_id):
        raise MootError("banned_from_community")


def community_for_user_action(conn: Connection, viewer: Viewer,
                              community_id: int) -> dict[str, Any]:
    """The community, if the viewer may post, comment, vote or report in it."""
    community = run(conn, _FOR_USER_ACTION, {"id": community_id}).mappings().first()
    if community is None:
        raise MootError("couldnt_find_community", status=404)
    check_community_user_action(conn, viewer, dict(community))
    return dict(community)


def check_community_mod_action(conn: Connection, viewer: Viewer, community: dict[str, Any],
                               allow_deleted: bool = False) -> None:
    check_user_valid(viewer)
    if not viewer.admin and not is_moderator(conn, community["id"], viewer.person_id):
        # Lemmy 0.19 names this refusal not_a_mod_or_admin (is_mod_or_admin in api_common).
        raise MootError("not_a_mod_or_admin")
    if is_banned_from_community(conn, community["id"], viewer.person_id):
        raise MootError("banned_from_community")
    if not allow_deleted and (community["deleted"] or community["removed"]):
        raise MootError("deleted")


def check_higher_mod_or_admin(conn: Connection, community_id: int, actor_id: int,
                              target_id: int) -> None:
    """Lemmy 0.19.9's is_higher_mod_or_admin_check, made after check_community_mod_action.

    Among the actor and the target, the admins rank first (the one made a local user first
    highest), then the community's moderators in the order they were appointed; whoever comes
    first must be the actor. So a moderator cannot act against an admin or an earlier moderator,
    an admin acts against anyone but an earlier admin, and anyone may act on themselves.
    """
    people = [actor_id, target_id]
    lu = t.local_user.c
    first = conn.execute(select(lu.person_id).where(lu.admin, lu.person_id.in_(people))
                         .order_by(lu.id).limit(1)).scalar()
    if first is None:
        mod = t.community_moderator.c
        first = conn.execute(select(mod.person_id).where(
            mod.community_id == community_id, mod.person_id.in_(people))
            .order_by(mod.published, mod.person_id).limit(1)).scalar()
    if first != actor_id:
        raise MootError("not_higher_mod")


def _optional_text(value: str | None) -> str | None:
    return None if value == "" else value


def _check_image_url(url: str) -> str | None:
    if url.strip() and not urlsplit(url.strip()).netloc:
        raise MootError("invalid_url")  # what Lemmy says when the text is not a URL at all
    return check_url(url)  # "" becomes None: the image is cleared


def community_edit_values(ctx: Context, edit: CommunityEdit) -> dict[str, Any]:
    """The columns an edit changes, validated; an empty string clears a field, as in Lemmy."""
    values: dict[str, Any] = {}
    if edit.title is not None:
        check_slurs(ctx, edit.title)
        values["title"] = check_community_title(edit.title)
    if edit.description is not None:
        description = remove_slurs(ctx, _optional_text(edit.description))
        values["description"] = check_body(description, DESCRIPTION_MAX)
    for name in ("icon", "banner"):
        url = getattr(edit, name)
        if url is not None:
            values[name] = _check_image_url(url)
    if edit.nsfw is not None:
        if edit.nsfw and not ctx.site().local_site["enable_nsfw"]:
            raise MootError("nsfw_not_allowed")
        values["nsfw"] = edit.nsfw
    if edit.posting_restricted_to_mods is not None:
        values["posting_restricted_to_mods"] = edit.posting_restricted_to_mods
    if edit.visibility is not None:
        values["visibility"] = edit.visibility
    return values


def do_edit_community(ctx: Context, viewer: Viewer, edit: CommunityEdit) -> None:
    values = community_edit_values(ctx, edit)
    with ctx.db.write() as conn:
        community = load_community(conn, edit.community_id)
        check_community_mod_action(conn, viewer, community)
        conn.execute(update(t.community).where(t.community.c.id == edit.community_id)
                     .values(**values, updated=utcnow()))
        federate_group_update(ctx, conn, viewer.person_id, edit.community_id)


# Follow and block --------------------------------------------------------------------------


def _change_subscribers(conn: Connection, community: dict[str, Any], person_local: bool,
                        diff: int) -> None:
    # As Lemmy's trigger: subscribers counts followers of a local community (from anywhere);
    # subscribers_local counts local followers (of a local or remote community).
    changes: dict[str, Any] = {}
    if community["local"]:
        changes["subscribers"] = t.community.c.subscribers + diff
    if person_local:
        changes["subscribers_local"] = t.community.c.subscribers_local + diff
    if changes:
        conn.execute(update(t.community).where(t.community.c.id == community["id"])
                     .values(**changes))


def add_follower(conn: Connection, community: dict[str, Any], person_id: int,
                 person_local: bool, pending: bool) -> None:
    follower = t.community_follower
    existing = conn.execute(select(follower.c.pending).where(
        follower.c.community_id == community["id"], follower.c.person_id == person_id)).first()
    if existing is not None:
        if existing.pending != pending:
            conn.execute(update(follower).where(follower.c.community_id == community["id"],
                                                follower.c.person_id == person_id)
                         .values(pending=pending))
        return
    conn.execute(insert(follower).values(community_id=community["id"], person_id=person_id,
                                         published=utcnow(), pending=pending))
    _change_subscribers(conn, community, person_local, 1)


def remove_follower(conn: Connection, community: dict[str, Any], person_id: int,
                    person_local: bool) -> None:
    follower = t.community_follower
    deleted = conn.execute(delete(follower).where(follower.c.community_id == community["id"],
                                                  follower.c.person_id == person_id)).rowcount
    if deleted:
        _change_subscribers(conn, community, person_local, -1)


def do_follow_community(ctx: Context, viewer: Viewer, community_id: int, follow: bool) -> None:
    with ctx.db.write() as conn:
        community = load_community(conn, community_id, lock=True)
        local = bool(viewer.person.get("local", True))
        if not follow:
            remove_follower(conn, community, viewer.person_id, local)
            federate_follow(ctx, conn, viewer.person_id, community_id, False)
            return
        check_community_user_action(conn, viewer, community)
        # A remote community accepts the follow later, over federation; until then it is Pending.
        add_follower(conn, community, viewer.person_id, local, pending=not community["local"])
        federate_follow(ctx, conn, viewer.person_id, community_id, True)


def do_block_community(ctx: Context, viewer: Viewer, community_id: int, block: bool) -> None:
    block_table = t.community_block
    with ctx.db.write() as conn:
        community = load_community(conn, community_id, lock=True)
        conn.execute(delete(block_table).where(block_table.c.person_id == viewer.person_id,
                                               block_table.c.community_id == community_id))
        if block:
            conn.execute(insert(block_table).values(person_id=viewer.person_id,
                                                    community_id=community_id,
                                                    published=utcnow()))
            # Blocking also unfollows, as in Lemmy.
            remove_follower(conn, community, viewer.person_id, True)
