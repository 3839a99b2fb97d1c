"""Applying ``Add``/``Remove`` to a community's featured or moderators collection (Lemmy 0.19's
collection_add.rs / collection_remove.rs shapes): a moderator pins or unpins a post in the
community, or adds or removes a moderator.

The ``target`` names the collection, hence the community. The permission is the one of
mod_apply.py (a listed moderator, or someone on the community's own instance), and the change
goes through the same actions as the API (do_feature_post, do_add_mod).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import or_, select

from moot.actions.moderation import do_add_mod, do_feature_post
from moot.context import Context
from moot.db import tables as t
from moot.federation.actors import KnownActor, get_actor
from moot.federation.follow_apply import check_community_followed, is_followed_here
from moot.federation.http import FetchError
from moot.federation.mod_apply import mod_viewer
from moot.federation.outcome import Budget
from moot.federation.parse import Unusable, id_of

COLLECTIONS = ("featured", "moderators")
FIRST_SIGHT_BUDGET = 20


def is_collection_action(activity: dict[str, Any]) -> bool:
    return activity.get("type") in ("Add", "Remove") and id_of(activity.get("target")) is not None


def _collection(ctx: Context, target: str) -> tuple[int, str]:
    """(community id, "featured" | "moderators") of a collection URL."""
    c = t.community.c
    with ctx.db.read() as conn:
        row = conn.execute(select(c.id, c.featured_url, c.moderators_url).where(
            or_(c.featured_url == target, c.moderators_url == target))).first()
    if row is not None:
        return row.id, "featured" if row.featured_url == target else "moderators"
    # A group whose document named no such collection: Lemmy's URLs are <group>/<name>.
    base, _, name = target.rstrip("/").rpartition("/")
    if name in COLLECTIONS and base:
        try:
            group = get_actor(ctx, base)
        except (ValueError, FetchError) as exc:
            raise Unusable("the target is no known community's collection") from exc
        if group.kind == "community":
            return group.id, name
    raise Unusable("the target is no known community's collection")


def apply_collection(ctx: Context, activity: dict[str, Any], actor_id: str,
                     via: KnownActor | None,
                     find_or_fetch: Callable[[str], tuple[str, int, int]]) -> tuple[int, str]:
    """Apply one Add/Remove; returns (community id, what was done)."""
    community_id, collection = _collection(ctx, str(id_of(activity.get("target"))))
    if via is not None and via.id != community_id:
        raise Unusable("announced by a group that is not the collection's community")
    target = id_of(activity.get("object"))
    if target is None:
        raise Unusable(f"{activity.get('type')} has no object")
    added = activity.get("type") == "Add"
    if collection == "featured":
        check_community_followed(ctx, community_id)
        viewer = mod_viewer(ctx, actor_id, community_id, via is not None)
        kind, post_id, post_community = find_or_fetch(target)
        if kind != "post" or post_community != community_id:
            raise Unusable("only a post of the community can be featured in it")
        do_feature_post(ctx, viewer, post_id, added, "Community")
        return community_id, "post featured" if added else "post unfeatured"
    person = get_actor(ctx, target)
    if person.kind != "person":
        raise Unusable("only a person can be a moderator")
    check_community_followed(ctx, community_id, about=person)
    viewer = mod_viewer(ctx, actor_id, community_id, via is not None)
    if not is_followed_here(ctx, community_id):
        # Sent to the new (or former) moderator's instance, where nobody follows the community:
        # no activity keeps its moderators current here, so they are read afresh. (refresh.py
        # imports apply.py, which imports this module: imported here.)
        from moot.federation.refresh import read_collections
        read_collections(ctx, community_id, Budget(remaining=FIRST_SIGHT_BUDGET))
    do_add_mod(ctx, viewer, community_id, person.id, added, federated=True)
    return community_id, "moderator added" if added else "moderator removed"
