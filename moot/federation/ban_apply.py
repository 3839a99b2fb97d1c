"""Applying a remote ``Block`` (a community or site ban), its ``Undo``, and the ``Delete`` of a
Person (account deletion), through the actions the API uses.

Permissions are Lemmy 0.19's (BlockUser::verify, DeleteUser::verify):
- a community ban (target: a Group) comes from a moderator of that community as this instance
  knows it, or, for a remote community, from its instance or announced by it (decision 0022,
  the same rule as removals and locks);
- a site ban (target: an instance actor) must come from the target instance, about a person of
  that instance, and never applies to a person of this one. Lemmy cannot tell a remote admin
  from another user of that instance, and neither can Moot: the instance is trusted;
- an account deletion is sent by the person itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from moot.actions.admin import do_ban_person
from moot.actions.credentials import do_delete_remote_account
from moot.actions.moderation import do_ban_from_community
from moot.actions.remote import remote_viewer
from moot.context import Context
from moot.federation.actors import KnownActor, get_actor
from moot.federation.follow_apply import check_community_followed
from moot.federation.mod_apply import mod_viewer
from moot.federation.parse import Unusable, id_of, is_public, parse_time


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _expires(block: dict[str, Any]) -> int | None:
    """Unix seconds of the ban's end (``expires``, or Mastodon's ``endTime``); None: never."""
    when = parse_time(block.get("expires")) or parse_time(block.get("endTime"))
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if when <= datetime.now(UTC):
        raise Unusable("the ban has already expired")
    return int(when.timestamp()) + 1  # the action refuses a time already past, to the second


def _remote_person(ctx: Context, actor_id: str) -> KnownActor:
    person = get_actor(ctx, actor_id)
    if person.kind != "person":
        raise Unusable("actor is not a person")
    return person


def apply_ban(ctx: Context, block: dict[str, Any], actor_id: str, on: bool,
              via: KnownActor | None) -> int | None:
    """Ban (``on``) or unban as ``block`` says; returns the community id of a community ban,
    None for a site ban."""
    target, banned_id = id_of(block.get("target")), id_of(block.get("object"))
    if target is None:
        raise Unusable("Block without a target (one person blocking another) is not handled")
    if banned_id is None:
        raise Unusable("Block has no object")
    if not is_public(block):
        raise Unusable("Block is not public")
    banned = get_actor(ctx, banned_id)
    if banned.kind != "person":
        raise Unusable("only people can be banned")
    where = get_actor(ctx, target)
    remove_data = on and block.get("removeData") is True
    reason = block.get("summary") if isinstance(block.get("summary"), str) else None
    expires = _expires(block) if on else None
    if where.kind == "community":
        if via is not None and via.id != where.id:
            raise Unusable("announced by a group that is not the ban's community")
        check_community_followed(ctx, where.id, about=banned)
        viewer = mod_viewer(ctx, actor_id, where.id, via is not None)
        do_ban_from_community(ctx, viewer, where.id, banned.id, on, remove_data, reason or None,
                              expires, federated=True)
        return where.id
    if where.kind != "site" or via is not None:
        raise Unusable("Block target is neither a community nor an instance")
    if banned.local:
        raise Unusable("a site ban from another instance cannot affect a person of this one")
    if not _host(target) == _host(actor_id) == _host(banned_id):
        raise Unusable("a site ban must come from the banned person's own instance")
    admin = _remote_person(ctx, actor_id)
    with ctx.db.read() as conn:
        viewer = remote_viewer(conn, admin.id)
    do_ban_person(ctx, viewer, banned.id, on, remove_data=remove_data, reason=reason or None,
                  expires=expires)
    return None


def apply_account_deletion(ctx: Context, activity: dict[str, Any], actor_id: str) -> str:
    """``Delete`` whose object is its own actor: the person deleted their account at home."""
    person = _remote_person(ctx, actor_id)
    if person.local:
        raise Unusable("a local account is deleted here only")
    remove_data = activity.get("removeData") is True
    do_delete_remote_account(ctx, person.id, remove_data)
    return "account deleted" + (" with its content" if remove_data else "")
