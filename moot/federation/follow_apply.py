"""Follows over federation: a remote person's ``Follow``/``Undo Follow`` of a local community,
a remote group's ``Accept``/``Reject`` of a local person's Follow, and Lemmy's rule that an
activity in a *remote* community is taken only while someone here follows it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import exists, select

from moot.actions.communities import (
    do_follow_community,
    load_community,
    remove_follower,
)
from moot.actions.remote import do_confirm_follow, remote_viewer
from moot.context import Context
from moot.db import tables as t
from moot.federation.actors import KnownActor, get_actor
from moot.federation.outcome import Outcome
from moot.federation.parse import Unusable, id_of

_FOLLOWED = select(t.community.c.local, exists().where(
    t.community_follower.c.community_id == t.community.c.id))


def is_followed_here(ctx: Context, community_id: int) -> bool:
    """True for a local community, or a remote one someone here follows (pending or not)."""
    with ctx.db.read() as conn:
        row = conn.execute(_FOLLOWED.where(t.community.c.id == community_id)).first()
    return row is None or bool(row[0]) or bool(row[1])


def check_community_followed(ctx: Context, community_id: int, about: KnownActor | None = None
                             ) -> None:
    """Lemmy 0.19's ``can_accept_activity_in_community``: an activity in a remote community
    nobody here follows (a follow still pending counts, as in Lemmy) is refused by the name of
    Lemmy's error, so that no one can fill this instance with unsolicited content.

    Unlike Lemmy, an activity ``about`` a local person (made or unmade a moderator, banned) is
    taken all the same: it was sent to their instance so that they learn of it (decision 0028)."""
    if about is not None and about.kind == "person" and about.local:
        return
    if not is_followed_here(ctx, community_id):
        raise Unusable("community_has_no_followers")


def apply_follow(ctx: Context, activity: dict[str, Any], actor_id: str, follow: bool) -> Outcome:
    target = id_of(activity.get("object"))
    community = get_actor(ctx, target) if target else None
    if community is None or community.kind != "community" or not community.local:
        return Outcome("only local communities can be followed", applied=False)
    with ctx.db.read() as conn:
        visibility = conn.execute(select(t.community.c.visibility)
                                  .where(t.community.c.id == community.id)).scalar()
    if follow and visibility != "Public":
        return Outcome("a local-only community cannot be followed from elsewhere", applied=False)
    person = get_actor(ctx, actor_id)
    if person.kind != "person":
        raise Unusable("actor is not a person")
    with ctx.db.read() as conn:
        viewer = remote_viewer(conn, person.id)
    do_follow_community(ctx, viewer, community.id, follow)
    if not follow:
        return Outcome("unfollowed")
    return Outcome("follower added", accept=(community.id, person.inbox))


def _our_activity(ctx: Context, ap_id: str) -> dict[str, Any] | None:
    with ctx.db.read() as conn:
        data = conn.execute(select(t.ap_outbox.c.data).where(t.ap_outbox.c.ap_id == ap_id)).scalar()
    return json.loads(data) if data else None


def apply_accept(ctx: Context, activity: dict[str, Any], actor_id: str) -> Outcome:
    """Accept or Reject of a local person's Follow by a remote group."""
    follow = activity.get("object")
    if isinstance(follow, str):  # some servers name our Follow by its id only
        follow = _our_activity(ctx, follow)
    follower = id_of(follow.get("actor")) if isinstance(follow, dict) else None
    if follower is None:
        raise Unusable(f"{activity.get('type')} does not embed the Follow")
    community, person = get_actor(ctx, actor_id), get_actor(ctx, follower)
    if community.kind != "community" or person.kind != "person" or not person.local:
        raise Unusable(f"{activity.get('type')} is not a group answering a local person")
    with ctx.db.write() as conn:
        if activity.get("type") == "Reject":
            # As Lemmy: the follow is dropped, whether it was still pending or not.
            remove_follower(conn, load_community(conn, community.id, lock=True), person.id,
                            person_local=True)
            return Outcome("follow rejected")
        confirmed = do_confirm_follow(conn, community.id, person.id)
    return Outcome("follow confirmed" if confirmed else "no pending follow", applied=confirmed)
