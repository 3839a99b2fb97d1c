"""What is done to a whole community: hand it over, hide it, remove it, delete it.

Permissions follow Lemmy 0.19: the top moderator (the first appointed) or an admin transfers;
only admins hide or remove; only the top moderator deletes. Hiding, removing and transferring are
recorded in the modlog; a delete is the owner's own act and, as in Lemmy, is not.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, select, update

from moot.actions.communities import (
    check_community_mod_action,
    check_community_user_action,
    load_community,
)
from moot.actions.counts import community_counted, count_site
from moot.actions.moderation import _reason, _record
from moot.context import Context
from moot.db import tables as t
from moot.db.types import utcnow
from moot.errors import MootError
from moot.views.people import Viewer


def moderator_ids(conn: Connection, community_id: int) -> list[int]:
    """The community's moderators, top moderator first (the order they were appointed in)."""
    mod = t.community_moderator.c
    return [int(i) for i in conn.execute(
        select(mod.person_id).where(mod.community_id == community_id)
        .order_by(mod.published, mod.person_id)).scalars()]


def check_top_mod(conn: Connection, viewer: Viewer, community_id: int) -> None:
    mods = moderator_ids(conn, community_id)
    if not mods or mods[0] != viewer.person_id:
        raise MootError("not_top_mod")


def do_transfer_community(ctx: Context, viewer: Viewer, community_id: int,
                          person_id: int) -> None:
    """Make one of the moderators the top moderator; the others keep their order after them."""
    with ctx.db.write() as conn:
        community = load_community(conn, community_id, lock=True)
        check_community_user_action(conn, viewer, community)
        mods = moderator_ids(conn, community_id)
        if not viewer.admin and (not mods or mods[0] != viewer.person_id):
            raise MootError("not_an_admin")  # Lemmy's name for "neither top mod nor admin"
        if person_id not in mods:
            # Lemmy fails here without a name; only a moderator can be handed the community.
            raise MootError("not_a_moderator")
        order = [person_id] + [m for m in mods if m != person_id]
        # The order is the appointment time: rewrite the times, a microsecond apart.
        start = utcnow() - timedelta(microseconds=len(order))
        mod = t.community_moderator
        for position, mod_id in enumerate(order):
            conn.execute(update(mod).where(mod.c.community_id == community_id,
                                           mod.c.person_id == mod_id)
                         .values(published=start + timedelta(microseconds=position)))
        _record(conn, t.mod_transfer_community, viewer, other_person_id=person_id,
                community_id=community_id)


def do_hide_community(ctx: Context, admin: Viewer, community_id: int, hidden: bool,
                      reason: str | None) -> None:
    """Admins only (the route checks): a hidden community leaves the All and Local listings
    for everyone but its followers."""
    reason = _reason(reason)
    with ctx.db.write() as conn:
        load_community(conn, community_id)
        conn.execute(update(t.community).where(t.community.c.id == community_id)
                     .values(hidden=hidden))
        _record(conn, t.mod_hide_community, admin, community_id=community_id, reason=reason,
                hidden=hidden)


def do_remove_community(ctx: Context, viewer: Viewer, community_id: int, removed: bool,
                        reason: str | None) -> None:
    reason = _reason(reason)
    with ctx.db.write() as conn:
        community = load_community(conn, community_id)
        check_community_mod_action(conn, viewer, community, allow_deleted=True)
        if not viewer.admin:
            raise MootError("not_an_admin")  # Lemmy 0.19: only an admin removes a community
        _set_flag(conn, community, "removed", removed)
        _record(conn, t.mod_remove_community, viewer, community_id=community_id, reason=reason,
                removed=removed)


def do_delete_community(ctx: Context, viewer: Viewer, community_id: int, deleted: bool) -> None:
    with ctx.db.write() as conn:
        community = load_community(conn, community_id)
        check_community_mod_action(conn, viewer, community, allow_deleted=True)
        check_top_mod(conn, viewer, community_id)
        _set_flag(conn, community, "deleted", deleted)


def _set_flag(conn: Connection, community: dict[str, Any], name: str, value: bool) -> None:
    # Posts of a removed or deleted community drop out of every listing by a join on the
    # community's flags (moot/views/post_list.py), so no post row changes here.
    conn.execute(update(t.community).where(t.community.c.id == community["id"])
                 .values({name: value}))
    after = {**community, name: value}
    count_site(conn, communities=community_counted(after) - community_counted(community))
