"""Applying a remote moderator's removal (Delete with ``summary``) or Lock, and their Undo.

The permission is Lemmy 0.19's ``verify_mod_action``: the actor must be a moderator of the
community as this instance knows it, or (for a remote community) be on the community's own
instance, which checked the action and is presumed to trust its admins. The moderators of a
remote community are fetched with it and follow its Add/Remove (collection_apply.py); only for
one whose moderators are not known at all is an action the community announced trusted. The action then goes
through the same moot/actions functions as the API; the moderator ranking, which Lemmy checks
only in its API, was checked on the instance the action came from.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from moot.actions.communities import is_moderator
from moot.actions.moderation import do_lock_post, do_remove_comment, do_remove_post
from moot.actions.remote import do_upsert_remote_actor, remote_viewer
from moot.context import Context
from moot.db import tables as t
from moot.federation.actors import BadActor, KnownActor, get_actor, parse_actor
from moot.federation.follow_apply import check_community_followed
from moot.federation.parse import Unusable, id_of
from moot.views.people import Viewer


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def mod_viewer(ctx: Context, actor_id: str, community_id: int, announced: bool) -> Viewer:
    """The remote moderator as a viewer; acting as an admin of a remote community when on its
    instance or when the community itself announced the action (it checked it: decision 0022);
    otherwise it must be a listed moderator."""
    person: KnownActor = get_actor(ctx, actor_id)
    if person.kind != "person":
        raise Unusable("actor is not a person")
    with ctx.db.read() as conn:
        community = conn.execute(select(t.community.c.actor_id, t.community.c.local)
                                 .where(t.community.c.id == community_id)).one()
        viewer = remote_viewer(conn, person.id)
    # The announcing instance owns the community: it could as well add the moderator first.
    # Trusting it also keeps the result from depending on whether its Add of a new moderator
    # arrives before that moderator's first action (they are about different objects, so
    # delivery may reorder them: decision 0019).
    if not community.local and (announced or _host(community.actor_id) == _host(actor_id)):
        return Viewer(local_user={"id": 0, "admin": True}, person=viewer.person, token="")
    return viewer  # check_community_mod_action then requires a listed moderator


def is_mod_action(activity: dict[str, Any]) -> bool:
    """Lemmy: a Delete with a summary (even "") is a removal; Lock is always a mod action."""
    kind = activity.get("type")
    return kind == "Lock" or (kind == "Delete" and isinstance(activity.get("summary"), str))


def apply_mod_action(ctx: Context, activity: dict[str, Any], actor_id: str, on: bool,
                     found: tuple[str, int, int] | None, announced: bool) -> int:
    """Remove/restore or lock/unlock the object ``found``; returns its community id.
    ``announced``: the object's own community announced the action."""
    if found is None:
        raise Unusable("the object of the moderator action is unknown here")
    kind, object_id, community_id = found
    viewer = mod_viewer(ctx, actor_id, community_id, announced)
    if activity.get("type") == "Lock":
        if kind != "post":
            raise Unusable("only posts can be locked")
        do_lock_post(ctx, viewer, object_id, on)
        return community_id
    reason = activity.get("summary") or None
    if kind == "post":
        do_remove_post(ctx, viewer, object_id, on, reason, federated=True)
    else:
        do_remove_comment(ctx, viewer, object_id, on, reason, federated=True)
    return community_id


def lock_from_update(obj: Any, actor_id: str) -> bool | None:
    """Lemmy before 0.19 locked with an Update of the Page by a moderator: the new state, or
    None when the Update is the author's own edit."""
    if not isinstance(obj, dict) or obj.get("type") != "Page":
        return None
    if id_of(obj.get("attributedTo")) == actor_id or "commentsEnabled" not in obj:
        return None
    return not bool(obj["commentsEnabled"])


def apply_group_update(ctx: Context, obj: dict[str, Any], actor_id: str,
                       via: KnownActor | None) -> int:
    """A remote community's new title, description, icon, banner, nsfw and posting rule, from
    its moderator (announced by it, or from its own instance). Returns its id."""
    group_id = id_of(obj)
    community = get_actor(ctx, group_id) if group_id else None
    if community is None or community.kind != "community" or community.local:
        raise Unusable("Update of a group that is not a known remote community")
    if via is not None and via.id != community.id:
        raise Unusable("announced by another group")
    check_community_followed(ctx, community.id)
    try:
        remote = parse_actor(obj)
    except BadActor as exc:
        raise Unusable(str(exc)) from exc
    if remote.actor_id != community.actor_id:
        raise Unusable("group document has another id")
    if via is None and _host(actor_id) != _host(community.actor_id):
        person = get_actor(ctx, actor_id)
        with ctx.db.read() as conn:
            if not is_moderator(conn, community.id, person.id):
                raise Unusable("not_a_mod_or_admin")
    with ctx.db.write() as conn:
        do_upsert_remote_actor(conn, remote)
    return community.id
